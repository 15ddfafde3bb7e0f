// IP protocol names and numbers as AWS spells them. Security-group rules say 'tcp'/'udp'/'icmp'/
// 'icmpv6'/'-1' or a number as a string; NACL entries always say a number ('-1' = all); flow logs
// carry the number.
import type {CheckProtocol} from './types.js';

export const PROTOCOL = {all: -1, icmp: 1, tcp: 6, udp: 17, icmpv6: 58} as const;

const NAMES: Record<number, string> = {1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6'};

/** 'tcp' → 6, '6' → 6, '-1'/'all' → -1; null for text that is neither a name nor 0–255. */
export function protocolNumber(text: string | number): number | null {
	if (typeof text === 'number') return Number.isInteger(text) && text >= -1 && text <= 255 ? text : null;
	const lower = text.trim().toLowerCase();
	if (lower === '-1' || lower === 'all') return -1;
	if (lower in PROTOCOL) return PROTOCOL[lower as keyof typeof PROTOCOL];
	if (!/^\d{1,3}$/.test(lower)) return null;
	const n = Number(lower);
	return n <= 255 ? n : null;
}

/** 6 → 'tcp', -1 → 'all', 50 → '50'. */
export function protocolName(n: number): string {
	if (n === -1) return 'all';
	return NAMES[n] ?? String(n);
}

/** Protocols whose rules carry a port range; every other number matches all ports. */
export function hasPorts(n: number): boolean {
	return n === PROTOCOL.tcp || n === PROTOCOL.udp;
}

export function isIcmp(n: number): boolean {
	return n === PROTOCOL.icmp || n === PROTOCOL.icmpv6;
}

/** The protocol number a check sends: ICMP over IPv6 is ICMPv6. */
export function checkProtocolNumber(protocol: CheckProtocol, family: 'ipv4' | 'ipv6'): number {
	if (protocol === 'icmp') return family === 'ipv6' ? PROTOCOL.icmpv6 : PROTOCOL.icmp;
	return PROTOCOL[protocol];
}

/** The ICMP reply type a request type gets back (echo 8 → 0, timestamp 13 → 14, …); null if none. */
export function icmpReplyType(type: number, family: 'ipv4' | 'ipv6'): number | null {
	const replies: Record<number, number> = family === 'ipv6' ? {128: 129} : {8: 0, 13: 14, 15: 16, 17: 18};
	return replies[type] ?? null;
}

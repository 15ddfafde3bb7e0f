// The reference model's building blocks, written from AWS's documentation (not from the engine):
// shared by the model property tests in test/core/aws-model*.property.test.ts.
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import {expect} from 'vitest';
import type {NetworkAcl, NetworkAclEntry} from '../../source/core/types.js';

export function inCidr(address: string, cidr: string): boolean {
	const [net, prefix] = ipaddr.parseCIDR(cidr);
	const ip = ipaddr.parse(address);
	return ip.kind() === net.kind() && ip.match(net, prefix);
}

/**
 * The client's ephemeral (source) ports a reply goes back to, from the documents rather than the
 * engine's table: Linux's `ip_local_port_range` "default values are 32768 and 60999 respectively"
 * (kernel Documentation/networking/ip-sysctl.rst; AWS's NACL page still says 32768–61000 for "many
 * Linux kernels", the default before Linux 4.x); "Windows Server 2008 and later versions use ports
 * 49152-65535"; "A NAT gateway uses ports 1024-65535" and so does Elastic Load Balancing
 * (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html).
 */
export const CLIENT_EPHEMERAL = {linux: {from: 32768, to: 60999}, windows: {from: 49152, to: 65535}, nat: {from: 1024, to: 65535}} as const;

/** IP protocol numbers as security-group rules and NACL entries spell them. */
export const NUMBERS: Record<string, number> = {tcp: 6, udp: 17, icmp: 1, icmpv6: 58, '6': 6, '17': 17, '1': 1, '58': 58};

export function naclAllows(entries: NetworkAclEntry[], egress: boolean, remote: string, proto: number, port: number, icmpType: number): boolean {
	const ordered = entries.filter((e) => e.egress === egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
	const hit = ordered.find((e) => {
		if (!inCidr(remote, e.cidr ?? e.ipv6Cidr!)) return false;
		if (e.protocol === '-1') return true;
		if (Number(e.protocol) !== proto) return false;
		if (proto === 6 || proto === 17) return !e.portRange || (e.portRange.from <= port && port <= e.portRange.to);
		const tc = e.icmpTypeCode;
		return !tc || ((tc.type === -1 || tc.type === icmpType) && (tc.code === -1 || tc.code === 0));
	});
	return hit?.action === 'allow';
}

/** Every port of the range allowed: decided on each segment between entry boundaries. */
export function naclAllowsRange(entries: NetworkAclEntry[], egress: boolean, remote: string, proto: number, from: number, to: number): boolean {
	const cuts = new Set([from]);
	for (const e of entries) if (e.portRange) for (const cut of [e.portRange.from, e.portRange.to + 1]) if (cut > from && cut <= to) cuts.add(cut);
	return [...cuts].every((port) => naclAllows(entries, egress, remote, proto, port, -1));
}

// ---------------------------------------------------------------------------------------------
// Fix commands, read back as a shell would split them.

export function words(line: string): string[] {
	const out: string[] = [];
	let current = '';
	let quoted = false;
	let started = false;
	for (let i = 0; i < line.length; i++) {
		const ch = line[i]!;
		if (quoted) {
			if (ch === "'") quoted = false;
			else current += ch;
		} else if (ch === "'") {
			quoted = true;
			started = true;
		} else if (ch === ' ') {
			if (started) out.push(current);
			current = '';
			started = false;
		} else {
			current += ch;
			started = true;
		}
	}
	if (started) out.push(current);
	return out;
}

export function option(argv: string[], name: string): string | undefined {
	const i = argv.indexOf(name);
	return i >= 0 ? argv[i + 1] : undefined;
}

/**
 * A deny moved out of the way of a fix (no number free in front of it): `create-network-acl-entry
 * --rule-action deny` must copy an existing deny as it is, to a number no other rule of that
 * direction lies in front of, so that every packet meets the same rules in the same order.
 */
export function applyDenyCopy(acl: NetworkAcl, argv: string[]): void {
	const egress = argv.includes('--egress');
	const ruleNumber = Number(option(argv, '--rule-number'));
	const protocol = option(argv, '--protocol')!;
	const number = protocol === '-1' ? '-1' : String(NUMBERS[protocol] ?? protocol);
	const range = /From=(-?\d+),To=(-?\d+)/.exec(option(argv, '--port-range') ?? '');
	const icmp = /Type=(-?\d+),Code=(-?\d+)/.exec(option(argv, '--icmp-type-code') ?? '');
	const copy: NetworkAclEntry = {ruleNumber, protocol: number, action: 'deny', egress, cidr: option(argv, '--cidr-block') ?? null, ipv6Cidr: option(argv, '--ipv6-cidr-block') ?? null, portRange: range ? {from: Number(range[1]), to: Number(range[2])} : null, icmpTypeCode: icmp ? {type: Number(icmp[1]), code: Number(icmp[2])} : null};
	const same = (e: NetworkAclEntry) => {
		if (e.protocol !== copy.protocol || e.cidr !== copy.cidr || e.ipv6Cidr !== copy.ipv6Cidr) return false;
		if (e.protocol === '6' || e.protocol === '17') return JSON.stringify(e.portRange) === JSON.stringify(copy.portRange);
		if (e.protocol === '1' || e.protocol === '58') return JSON.stringify(e.icmpTypeCode ?? {type: -1, code: -1}) === JSON.stringify(copy.icmpTypeCode);
		return true;
	};
	const original = acl.entries.find((e) => e.egress === egress && e.action === 'deny' && e.ruleNumber < ruleNumber && same(e));
	expect(original, `${argv.join(' ')} copies a deny of ${acl.id}`).toBeDefined();
	expect(acl.entries.some((e) => e.egress === egress && e.ruleNumber > original!.ruleNumber && e.ruleNumber <= ruleNumber), 'nothing lies between the deny and its copy').toBe(false);
	acl.entries.push(copy);
}

/** `replace-network-acl-entry` overwrites an entry that exists (EC2 fails otherwise); the entry it becomes is added by the caller. */
export function removeReplaced(acl: NetworkAcl, argv: string[]): void {
	const egress = argv.includes('--egress');
	const ruleNumber = Number(option(argv, '--rule-number'));
	const at = acl.entries.findIndex((e) => e.egress === egress && e.ruleNumber === ruleNumber);
	expect(at, `${argv.join(' ')} replaces an entry of ${acl.id}`).toBeGreaterThanOrEqual(0);
	acl.entries.splice(at, 1);
}

/** A NACL entry without its rule number: any protocol, the given CIDRs (v4 or v6) and TCP/UDP port ranges, ICMP type/code wildcards. */
export function naclEntryBodyArb(cidr: fc.Arbitrary<string>, ports: Array<[number, number] | null>): fc.Arbitrary<Omit<NetworkAclEntry, 'ruleNumber'>> {
	return fc
		.record({
			protocol: fc.constantFrom('-1', '6', '17', '1', '58'),
			action: fc.constantFrom('allow' as const, 'deny' as const),
			egress: fc.boolean(),
			cidr,
			ports: fc.constantFrom(...ports),
			icmp: fc.option(fc.record({type: fc.constantFrom(-1, 0, 8, 128, 129), code: fc.constantFrom(-1, 0)})),
		})
		.map(({protocol, action, egress, cidr: block, ports: range, icmp}) => ({
			protocol,
			action,
			egress,
			cidr: block.includes(':') ? null : block,
			ipv6Cidr: block.includes(':') ? block : null,
			portRange: protocol === '6' || protocol === '17' ? (range ? {from: range[0], to: range[1]} : null) : null,
			icmpTypeCode: protocol === '1' || protocol === '58' ? icmp : null,
		}));
}

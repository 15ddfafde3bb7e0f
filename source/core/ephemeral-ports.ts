// The client's ephemeral (source) port range: a stateless NACL must allow the reply out to it.
// Linux: net.ipv4.ip_local_port_range default; Windows since Vista: IANA's range; NAT gateways and
// ELBs pick from 1024–65535 (AWS's NACL documentation).
import type {ClientOs} from './types.js';

export interface PortRange {
	from: number;
	to: number;
}

export const EPHEMERAL_PORTS: Record<ClientOs, PortRange> = {
	linux: {from: 32768, to: 60999},
	windows: {from: 49152, to: 65535},
	nat: {from: 1024, to: 65535},
};

const LABEL: Record<ClientOs, string> = {linux: 'Linux client', windows: 'Windows client', nat: 'NAT gateway / load balancer'};

export function ephemeralRange(os: ClientOs): PortRange {
	return EPHEMERAL_PORTS[os];
}

/** "32768–60999 (Linux client)". */
export function describeEphemeral(os: ClientOs): string {
	const range = EPHEMERAL_PORTS[os];
	return `${range.from}–${range.to} (${LABEL[os]})`;
}

export function formatPortRange(range: PortRange): string {
	return range.from === range.to ? String(range.from) : `${range.from}–${range.to}`;
}

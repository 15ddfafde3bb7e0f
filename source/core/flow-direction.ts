// Which way a flow record went, seen from the network interface. Rejects of a stateless NACL that
// drops return traffic are the instance's *replies*: src = the ENI, srcPort = the service port,
// dstPort = the client's random ephemeral port. Grouped by (source, destination port) they spread
// over one row per ephemeral port with the instance itself as "source"; grouped by direction they
// collapse into one row per (client, service port). Shared by the CLI summaries and the TUI.
import {canonicalAddress} from './cidr.js';
import {EPHEMERAL_PORTS} from './ephemeral-ports.js';
import type {FlowRecord} from './types.js';

/**
 * The lowest port Linux (32768) and Windows (49152) clients pick. When nothing says which way a
 * record went, only a destination port at or above it counts as a client's ephemeral port:
 * scanners send from any port (2000 → 3389 is inbound, not a reply from 2000).
 */
const CLIENT_EPHEMERAL_FLOOR = EPHEMERAL_PORTS.linux.from;

/** in: to the ENI; reply: the ENI answering a client (service port → ephemeral port); out: the ENI connecting out. */
export type FlowDirection = 'in' | 'reply' | 'out';

export const FLOW_DIRECTIONS: readonly FlowDirection[] = ['in', 'reply', 'out'];

/**
 * Whether the record left the interface: from the v5 `flow-direction` field when the format has
 * it, else from the interface's own addresses when known; null when neither tells. An IPv6
 * address is looked up by its RFC 5952 text (canonicalAddress), as the set should hold it.
 */
export function leftInterface(flowDirection: unknown, srcAddr: string | null | undefined, dstAddr: string | null | undefined, eniAddresses?: ReadonlySet<string> | null): boolean | null {
	if (flowDirection === 'egress') return true;
	if (flowDirection === 'ingress') return false;
	if (eniAddresses && eniAddresses.size > 0) {
		const fromOwn = typeof srcAddr === 'string' && isOwn(eniAddresses, srcAddr);
		const toOwn = typeof dstAddr === 'string' && isOwn(eniAddresses, dstAddr);
		if (fromOwn && !toOwn) return true;
		if (toOwn && !fromOwn) return false;
	}
	return null;
}

/** The text as written first (every IPv4 record, most IPv6 ones), its RFC 5952 form only on a miss. */
function isOwn(eniAddresses: ReadonlySet<string>, address: string): boolean {
	return eniAddresses.has(address) || (address.includes(':') && eniAddresses.has(canonicalAddress(address)));
}

/** A reply leaves from the service's (lower) port to the client's ephemeral port (≥ 1024). */
export function looksLikeReply(srcPort: number | null | undefined, dstPort: number | null | undefined): boolean {
	return typeof srcPort === 'number' && typeof dstPort === 'number' && srcPort < dstPort && dstPort >= 1024;
}

/**
 * The direction from what leftInterface found and the ports: traffic leaving is a reply or an
 * outbound connection by its ports; traffic of unknown way is a reply only from a non-ephemeral
 * port to a Linux/Windows client's ephemeral one, else inbound (replies to NAT'd clients on low
 * ports then read as inbound: v5's flow-direction or the ENI's addresses tell them apart).
 */
export function directionFrom(left: boolean | null, srcPort: number | null | undefined, dstPort: number | null | undefined): FlowDirection {
	if (left === false) return 'in';
	if (left === true) return looksLikeReply(srcPort, dstPort) ? 'reply' : 'out';
	return looksLikeReply(srcPort, dstPort) && dstPort! >= CLIENT_EPHEMERAL_FLOOR && srcPort! < CLIENT_EPHEMERAL_FLOOR ? 'reply' : 'in';
}

export function classifyFlowDirection(record: FlowRecord, eniAddresses?: ReadonlySet<string> | null): FlowDirection {
	return directionFrom(leftInterface(record.flowDirection, record.srcAddr, record.dstAddr, eniAddresses), record.srcPort, record.dstPort);
}

export interface FlowPeer {
	/** The other side: the source of inbound traffic, the destination of replies and outbound traffic. */
	peer: string | null;
	/** The service port: the destination port inbound and outbound, the source port of a reply. */
	port: number | null;
}

export function flowPeer(record: FlowRecord, direction: FlowDirection): FlowPeer {
	if (direction === 'in') return {peer: record.srcAddr ?? null, port: record.dstPort ?? null};
	return {peer: record.dstAddr ?? null, port: (direction === 'reply' ? record.srcPort : record.dstPort) ?? null};
}

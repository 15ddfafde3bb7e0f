// Network-ACL evaluation with AWS's semantics: one ACL per subnet (the VPC's default ACL when the
// subnet has no explicit association), rules per direction from the lowest number, first match
// wins, and whatever no rule matches hits the final `*` deny (one for IPv4, one for IPv6).
//
// The evaluator works on a set of remote addresses × a range of destination ports at once, so it
// can say "the reply is allowed for ports 32768–49151 but denied for 49152–60999" instead of
// sampling one port. The port range is cut at every rule boundary; inside a piece, every port is
// decided by the same rules.
import {describeSet, emptySet, intersect, isEmpty, isValidCidr, sameSet, setFromCidr, subtract, union, type AddressSet} from './cidr.js';
import {EvidenceError} from './evidence-error.js';
import {formatPortRange, type PortRange} from './ephemeral-ports.js';
import {hasPorts, isIcmp, protocolName, protocolNumber} from './protocols.js';
import type {Inventory, NetworkAcl, NetworkAclEntry} from './types.js';
import type {LayerStatus} from './sg-evaluator.js';

/** The rule number AWS gives the final catch-all deny. */
export const CATCH_ALL_RULE = 32767;

export interface NaclQuery {
	acl: NetworkAcl;
	direction: 'ingress' | 'egress';
	protocol: number;
	/** Destination ports (inbound: the service port; return: the client's ephemeral range). */
	ports: PortRange;
	/** For ICMP: type and code of the packet (ports are then ignored). */
	icmp?: {type: number; code: number};
	/** Remote addresses: the source of an inbound packet, the destination of a reply. */
	addresses: AddressSet;
}

/** Who decided a piece: an entry, or null for the implicit deny when no rule matched at all. */
export interface NaclPiece {
	ports: PortRange;
	addresses: AddressSet;
	entry: NetworkAclEntry | null;
	action: 'allow' | 'deny';
}

export interface NaclRuleRef {
	aclId: string;
	ruleNumber: number;
	egress: boolean;
	action: 'allow' | 'deny';
	/** "acl-0abc rule 100 (inbound): allow tcp 443 from 0.0.0.0/0". */
	text: string;
}

export interface NaclEvaluation {
	aclId: string;
	status: LayerStatus;
	pieces: NaclPiece[];
	/** The distinct rules that decided some piece, in rule order. */
	deciding: NaclRuleRef[];
	allowed: Array<{ports: PortRange; addresses: AddressSet}>;
	denied: Array<{ports: PortRange; addresses: AddressSet; rule: NaclRuleRef}>;
	summary: string;
}

/** The ACL that applies to a subnet: its explicit association, else the VPC's default ACL. */
export function findNetworkAcl(inventory: Inventory, subnetId: string, vpcId: string | null): {acl: NetworkAcl; how: 'associated' | 'vpc-default'} | null {
	const associated = inventory.networkAcls.find((acl) => acl.subnetIds.includes(subnetId));
	if (associated) return {acl: associated, how: 'associated'};
	const fallback = inventory.networkAcls.find((acl) => acl.isDefault && (vpcId === null || acl.vpcId === vpcId));
	return fallback ? {acl: fallback, how: 'vpc-default'} : null;
}

export function entryMatches(entry: NetworkAclEntry, protocol: number, port: number, icmp?: {type: number; code: number}): boolean {
	const p = protocolNumber(entry.protocol);
	if (p === null) return false;
	if (p === -1) return true;
	if (p !== protocol) return false;
	if (hasPorts(p)) return entry.portRange === null || (entry.portRange.from <= port && port <= entry.portRange.to);
	if (isIcmp(p)) {
		if (!entry.icmpTypeCode || !icmp) return true;
		const {type, code} = entry.icmpTypeCode;
		return (type === -1 || type === icmp.type) && (code === -1 || code === icmp.code);
	}
	return true;
}

function entryAddresses(acl: NetworkAcl, entry: NetworkAclEntry): AddressSet {
	const cidr = entry.cidr ?? entry.ipv6Cidr;
	if (!cidr) return emptySet();
	// A malformed block cannot be matched, and guessing would decide first-match order: refuse the
	// evidence in one line (EC2 itself never returns one; hand-written and live data are data).
	if (!isValidCidr(cidr)) throw new EvidenceError(`${acl.id} rule ${ruleLabel(entry.ruleNumber)} (${entry.egress ? 'outbound' : 'inbound'}): ${JSON.stringify(cidr)} is not a CIDR`);
	return setFromCidr(cidr);
}

export function ruleLabel(ruleNumber: number): string {
	// AWS numbers the IPv4 catch-all 32767 and the IPv6 one 32768.
	return ruleNumber >= CATCH_ALL_RULE ? '*' : String(ruleNumber);
}

export function describeNaclEntry(entry: NetworkAclEntry): string {
	const p = protocolNumber(entry.protocol);
	let what: string;
	if (p === null) what = `protocol ${entry.protocol}`;
	else if (p === -1) what = 'all traffic';
	else if (hasPorts(p)) what = entry.portRange ? `${protocolName(p)} ${formatPortRange(entry.portRange)}` : `${protocolName(p)} all ports`;
	else if (isIcmp(p)) {
		const tc = entry.icmpTypeCode;
		what = !tc || tc.type === -1 ? `${protocolName(p)} all types` : `${protocolName(p)} type ${tc.type} code ${tc.code === -1 ? 'any' : tc.code}`;
	} else what = `protocol ${protocolName(p)}`;
	const peer = entry.cidr ?? entry.ipv6Cidr ?? '?';
	return `rule ${ruleLabel(entry.ruleNumber)} ${entry.action} ${what} ${entry.egress ? 'to' : 'from'} ${peer}`;
}

function refFor(acl: NetworkAcl, entry: NetworkAclEntry | null, egress: boolean): NaclRuleRef {
	if (!entry) {
		return {aclId: acl.id, ruleNumber: CATCH_ALL_RULE, egress, action: 'deny', text: `${acl.id} rule * (${egress ? 'outbound' : 'inbound'}): deny everything no other rule matches`};
	}
	return {aclId: acl.id, ruleNumber: entry.ruleNumber, egress, action: entry.action, text: `${acl.id} ${describeNaclEntry(entry)} (${egress ? 'outbound' : 'inbound'})`};
}

/** Cut the port range wherever some rule's port range starts or ends inside it. */
function portSegments(entries: NetworkAclEntry[], protocol: number, ports: PortRange): PortRange[] {
	const cuts = new Set<number>([ports.from, ports.to + 1]);
	if (hasPorts(protocol)) {
		for (const entry of entries) {
			if (!entry.portRange) continue;
			for (const cut of [entry.portRange.from, entry.portRange.to + 1]) if (cut > ports.from && cut <= ports.to) cuts.add(cut);
		}
	}
	const sorted = [...cuts].sort((a, b) => a - b);
	return sorted.slice(0, -1).map((from, i) => ({from, to: sorted[i + 1]! - 1}));
}

function sameOutcome(a: NaclPiece[], b: NaclPiece[]): boolean {
	return a.length === b.length && a.every((piece, i) => piece.entry === b[i]!.entry && sameSet(piece.addresses, b[i]!.addresses));
}

export function evaluateNacl(query: NaclQuery): NaclEvaluation {
	const egress = query.direction === 'egress';
	const entries = query.acl.entries.filter((entry) => entry.egress === egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
	const icmp = isIcmp(query.protocol);
	const segments = icmp ? [{from: query.icmp?.type ?? 0, to: query.icmp?.type ?? 0}] : portSegments(entries, query.protocol, query.ports);

	// First match wins, per segment: walk the rules, carving the still-undecided addresses.
	const perSegment: Array<{ports: PortRange; pieces: NaclPiece[]}> = [];
	for (const ports of segments) {
		let remaining = query.addresses;
		const pieces: NaclPiece[] = [];
		for (const entry of entries) {
			if (isEmpty(remaining)) break;
			if (!entryMatches(entry, query.protocol, ports.from, query.icmp)) continue;
			const hit = intersect(remaining, entryAddresses(query.acl, entry));
			if (isEmpty(hit)) continue;
			pieces.push({ports, addresses: hit, entry, action: entry.action});
			remaining = subtract(remaining, hit);
		}
		if (!isEmpty(remaining)) pieces.push({ports, addresses: remaining, entry: null, action: 'deny'});
		const previous = perSegment[perSegment.length - 1];
		if (previous && previous.ports.to + 1 === ports.from && sameOutcome(previous.pieces, pieces)) {
			previous.ports = {from: previous.ports.from, to: ports.to};
		} else {
			perSegment.push({ports, pieces});
		}
	}
	const pieces = perSegment.flatMap((segment) => segment.pieces.map((piece) => ({...piece, ports: segment.ports})));

	const refs = new Map<NetworkAclEntry | null, NaclRuleRef>();
	for (const piece of pieces) if (!refs.has(piece.entry)) refs.set(piece.entry, refFor(query.acl, piece.entry, egress));
	const deciding = [...refs.values()].sort((a, b) => a.ruleNumber - b.ruleNumber);
	const allowed = pieces.filter((piece) => piece.action === 'allow').map(({ports, addresses}) => ({ports, addresses}));
	const denied = pieces.filter((piece) => piece.action === 'deny').map(({ports, addresses, entry}) => ({ports, addresses, rule: refs.get(entry)!}));

	let status: LayerStatus;
	if (isEmpty(query.addresses)) status = 'unknown';
	else if (denied.length === 0) status = 'allow';
	else if (allowed.length === 0) status = 'deny';
	else status = 'partial';

	return {aclId: query.acl.id, status, pieces, deciding, allowed, denied, summary: summarize(query, status, allowed, denied, deciding)};
}

function portsText(query: NaclQuery, ports: PortRange): string {
	if (isIcmp(query.protocol)) return `${protocolName(query.protocol)} type ${ports.from}`;
	return `${protocolName(query.protocol)} ${query.direction === 'egress' ? 'ports ' : ''}${formatPortRange(ports)}`;
}

function summarize(query: NaclQuery, status: LayerStatus, allowed: NaclEvaluation['allowed'], denied: NaclEvaluation['denied'], deciding: NaclRuleRef[]): string {
	const direction = query.direction === 'egress' ? 'outbound' : 'inbound';
	const peerWord = query.direction === 'egress' ? 'to' : 'from';
	const rules = (list: NaclRuleRef[]) => list.map((rule) => `rule ${ruleLabel(rule.ruleNumber)}`).join(', ');
	if (status === 'unknown') return `${query.acl.id}: the remote addresses are unknown.`;
	if (status === 'allow') return `${query.acl.id} allows ${direction} ${portsText(query, query.ports)} ${peerWord} ${describeSet(query.addresses)} (${rules(deciding)}).`;
	const parts = denied.slice(0, 3).map((piece) => `${portsText(query, piece.ports)} ${peerWord} ${describeSet(piece.addresses, 2)} by rule ${ruleLabel(piece.rule.ruleNumber)}`);
	const more = denied.length > 3 ? ` and ${denied.length - 3} more` : '';
	if (status === 'deny') return `${query.acl.id} denies ${direction} ${parts.join('; ')}${more}.`;
	const ok = allowed.slice(0, 2).map((piece) => `${portsText(query, piece.ports)} ${peerWord} ${describeSet(piece.addresses, 2)}`);
	return `${query.acl.id} denies ${direction} ${parts.join('; ')}${more}, but allows ${ok.join('; ')}${allowed.length > 2 ? ' and more' : ''}.`;
}

/** Addresses allowed for every port of the query (for tests and callers that want the set). */
export function fullyAllowed(evaluation: NaclEvaluation): AddressSet {
	let result: AddressSet | null = null;
	const byPort = new Map<number, AddressSet>();
	for (const piece of evaluation.allowed) byPort.set(piece.ports.from, union(byPort.get(piece.ports.from) ?? emptySet(), piece.addresses));
	// Pieces tile the port range; an address is fully allowed if allowed in every tile.
	const tiles = [...new Set(evaluation.pieces.map((piece) => piece.ports.from))];
	for (const from of tiles) {
		const set = byPort.get(from) ?? emptySet();
		result = result === null ? set : intersect(result, set);
	}
	return result ?? emptySet();
}

// What the four NACL layers share: find a subnet's ACL, evaluate one direction of it for a set
// of remote addresses and a destination port range, and build the narrowest fix (entries numbered
// in front of the deciding deny).
//
// NACLs filter traffic entering or leaving a subnet, never traffic between two interfaces of the
// same subnet ("Network ACLs … control traffic in and out of a subnet" — VPC User Guide, "Control
// subnet traffic with network access control lists"). Port ranges in NACL entries match the
// destination port, so a reply is matched on the client's ephemeral port.
import {describeSet, emptySet, intersect, isEmpty, setFrom, setToCidrs, union, type AddressSet} from '../cidr.js';
import type {NaclLayerResult, Problem, RuleRef} from '../check-types.js';
import {describeEphemeral, ephemeralRange, formatPortRange, type PortRange} from '../ephemeral-ports.js';
import {freeRuleNumbers, moveRoom, naclEntryCommand, naclEntryCopyCommand} from '../fix-commands.js';
import {evaluateNacl, findNetworkAcl, ruleLabel, type NaclEvaluation} from '../nacl-evaluator.js';
import {icmpReplyType, protocolName} from '../protocols.js';
import {describePacket} from '../sg-evaluator.js';
import type {Layer, NetworkAcl, NetworkAclEntry, Verdict} from '../types.js';
import type {PathContext} from './layer.js';

/** More CIDRs than this in a fix: allow the source as given instead of its denied pieces. */
export const MAX_FIX_ENTRIES = 8;

export function naclRefs(evaluation: NaclEvaluation): RuleRef[] {
	return evaluation.deciding.map((rule) => ({kind: 'network-acl', ...rule}));
}

/** The leg of the connection a NACL layer checks. */
export type Leg = 'request' | 'reply';

/** Destination ports of a leg: the service port, or the client's ephemeral range / ICMP reply type. Null: ICMP without a reply. */
export function legPorts(ctx: PathContext, leg: Leg): {ports: PortRange; icmp?: {type: number; code: number}} | null {
	const {packet, request, source} = ctx;
	if (request.protocol === 'icmp') {
		const type = leg === 'request' ? packet.port : icmpReplyType(packet.port, source.family);
		if (type === null) return null;
		return {ports: {from: type, to: type}, icmp: {type, code: leg === 'request' ? (packet.icmpCode ?? 0) : 0}};
	}
	if (leg === 'request') return {ports: {from: packet.port, to: packet.port}};
	return {ports: ephemeralRange(request.clientOs)};
}

export interface NaclStep {
	/** The layer's result when it could not evaluate (unknown or not applicable), else null. */
	acl: NetworkAcl | null;
	how: 'associated' | 'vpc-default' | null;
	evaluation: NaclEvaluation | null;
	/** Why the ACL could not be found / evaluated, when it could not. */
	missing: string | null;
}

/** Evaluate one direction of a subnet's ACL for the remote addresses. */
export function evaluateSubnetNacl(ctx: PathContext, subnetId: string, vpcId: string, direction: 'ingress' | 'egress', leg: Leg, remote: AddressSet): NaclStep | {noReply: string} {
	const {inventory} = ctx;
	const label = `${leg === 'reply' ? 'reply' : 'request'} (${direction === 'ingress' ? 'inbound' : 'outbound'})`;
	if (!inventory.known.networkAcls) return {acl: null, how: null, evaluation: null, missing: `network ACLs were not captured: cannot tell whether ${subnetId}'s ACL allows the ${label}`};
	const found = findNetworkAcl(inventory, subnetId, vpcId || null);
	if (!found) return {acl: null, how: null, evaluation: null, missing: `no network ACL for ${subnetId} in the snapshot: cannot tell whether it allows the ${label}`};
	const ports = legPorts(ctx, leg);
	if (!ports) return {noReply: `ICMP type ${ctx.packet.port} gets no reply, so there is no return path to check.`};
	if (isEmpty(remote)) return {acl: found.acl, how: found.how, evaluation: null, missing: `the remote addresses are unknown: cannot match them against ${found.acl.id}`};
	const evaluation = evaluateNacl({acl: found.acl, direction, protocol: ctx.packet.protocol, ports: ports.ports, icmp: ports.icmp, addresses: remote});
	return {acl: found.acl, how: found.how, evaluation, missing: null};
}

export function viaDefault(subnetId: string, how: NaclStep['how']): string {
	return how === 'vpc-default' ? ` (${subnetId} has no explicit association: the VPC's default ACL applies)` : '';
}

export interface RemoteSpec {
	addresses: AddressSet;
	description: string;
	wholeInternet: boolean;
	groupId?: string;
}

/** The problem (summary, deciding rule, fix) for a NACL layer that denies part or all of a leg. */
export function naclProblem(ctx: PathContext, input: {layer: Layer; verdict: Verdict; evaluation: NaclEvaluation; acl: NetworkAcl; egress: boolean; leg: Leg; remote: RemoteSpec}): Problem {
	const {packet, request, source} = ctx;
	const {evaluation, acl, egress, leg, remote} = input;
	const firstDeny = evaluation.denied.map((piece) => piece.rule).sort((a, b) => a.ruleNumber - b.ruleNumber)[0]!;
	const decidingRule: RuleRef = {kind: 'network-acl', ...firstDeny};
	// One entry per denied (port range, CIDR), each numbered in front of the deny.
	// Each entry goes in front of the rule that denies its piece (any free number below it works:
	// no lower rule matched that traffic, or it would have decided).
	let wanted = evaluation.denied.flatMap((piece) => setToCidrs(piece.addresses).map((cidr) => ({ports: piece.ports, cidr, below: piece.rule.ruleNumber})));
	if (remote.wholeInternet || wanted.length > MAX_FIX_ENTRIES) {
		// The denied part of a wide source is its complement of a few allowed ranges: dozens of
		// CIDRs. Allowing the source itself in front of the deny has the same effect in one entry per
		// port range — no lower-numbered rule denies any of it, or that rule would be the deny here.
		const portRanges = [...new Map(evaluation.denied.map((piece) => [formatPortRange(piece.ports), piece.ports])).values()];
		wanted = portRanges.flatMap((ports) => setToCidrs(remote.addresses).map((cidr) => ({ports, cidr, below: firstDeny.ruleNumber})));
	}
	const shown = wanted.slice(0, MAX_FIX_ENTRIES);
	// Number the entries that must go lowest first, so the roomier ones don't take their numbers.
	const order = shown.map((item, i) => ({item, i})).sort((a, b) => a.item.below - b.item.below);
	const numbered = new Map<number, number>();
	const used = (ctx.fixRuleNumbers ??= new Map<string, number[]>());
	const key = `${acl.id} ${egress ? 'egress' : 'ingress'}`;
	const reserve = (list: NetworkAcl, numbers: number[]): NetworkAcl => ({...list, entries: [...list.entries, ...numbers.map((ruleNumber) => ({ruleNumber, protocol: '-1', action: 'allow' as const, egress, cidr: null, ipv6Cidr: null, portRange: null, icmpTypeCode: null}))]});
	let taken = reserve(acl, used.get(key) ?? []);
	for (const below of [...new Set(order.map(({item}) => item.below))]) {
		const group = order.filter(({item}) => item.below === below);
		const free = freeRuleNumbers(taken, egress, below, group.length);
		group.slice(0, free.length).forEach(({i}, k) => numbered.set(i, free[k]!));
		taken = reserve(taken, free);
	}
	// A deny with no free number in front of it (rule 1, or 1… all taken) moves out of the way:
	// its copy goes after it, before the next rule, and the allow replaces it (see moveRoom).
	const moves: Array<{at: number; moveTo: number; deny: NetworkAclEntry; items: Array<{item: (typeof shown)[number]; number: number}>}> = [];
	const replacedKey = `${key} replaced`;
	for (const below of [...new Set(order.filter(({i}) => !numbered.has(i)).map(({item}) => item.below))]) {
		const group = order.filter(({i, item}) => item.below === below && !numbered.has(i));
		const deny = acl.entries.find((entry) => entry.egress === egress && entry.ruleNumber === below && entry.action === 'deny');
		if (!deny || (used.get(replacedKey) ?? []).includes(below)) continue;
		const room = moveRoom(taken, egress, below, group.length);
		if (!room) continue;
		moves.push({at: below, moveTo: room.moveTo, deny, items: group.map(({item}, k) => ({item, number: room.entries[k]!}))});
		group.forEach(({i}) => numbered.set(i, -1));
		taken = reserve(taken, [...room.entries, room.moveTo]);
		used.set(key, [...(used.get(key) ?? []), ...room.entries, room.moveTo]);
		used.set(replacedKey, [...(used.get(replacedKey) ?? []), below]);
	}
	used.set(key, [...(used.get(key) ?? []), ...[...numbered.values()].filter((n) => n > 0)]);
	const placed = shown.map((item, i) => ({item, number: numbered.get(i)})).filter((entry): entry is {item: (typeof shown)[number]; number: number} => entry.number !== undefined && entry.number > 0);
	const numbers = placed.map((entry) => entry.number);
	const unplaced = shown.filter((_, i) => !numbered.has(i));
	const icmpType = request.protocol === 'icmp' ? (leg === 'reply' ? icmpReplyType(packet.port, source.family) ?? packet.port : packet.port) : undefined;
	// The checked code, not every code of the type: the narrowest entry (-1 only for a check of every code).
	const icmpCode = request.protocol === 'icmp' ? (legPorts(ctx, leg)?.icmp?.code ?? -1) : undefined;
	const allow = (item: (typeof shown)[number], number: number, replace = false) =>
		naclEntryCommand({aclId: acl.id, ruleNumber: number, egress, protocol: packet.protocol, ports: item.ports, icmpType, icmpCode, cidr: item.cidr, replace});
	const commands = placed.map(({item, number}) => allow(item, number));
	for (const move of moves) {
		commands.push(naclEntryCopyCommand(acl.id, move.deny, move.moveTo));
		for (const {item, number} of move.items) commands.push(allow(item, number, number === move.at));
	}
	const what =
		request.protocol === 'icmp'
			? `ICMP type ${icmpType} code ${icmpCode}`
			: leg === 'reply'
				? `${protocolName(packet.protocol)} replies to ports ${evaluation.denied.map((piece) => formatPortRange(piece.ports)).filter((v, i, a) => a.indexOf(v) === i).join(', ')}`
				: describePacket(packet);
	const peerWord = egress ? 'to' : 'from';
	const denied = describeSet(setFrom(wanted.map((item) => item.cidr)), 3);
	const deniedNow = describeSet(evaluation.denied.reduce((set, piece) => union(set, piece.addresses), emptySet()), 3);
	let summary: string;
	if (leg === 'reply') {
		const partial = evaluation.status === 'partial';
		// Intermittent only when one client gets some of its ephemeral ports through and not others;
		// a split by address means some clients always fail and others always work.
		const allowedTo = evaluation.allowed.reduce((set, piece) => union(set, piece.addresses), emptySet());
		const byPort = evaluation.denied.some((piece) => !isEmpty(intersect(piece.addresses, allowedTo)));
		const consequence = byPort
			? `connections fail intermittently, depending on the client's random source port (${describeEphemeral(request.clientOs)})`
			: `replies ${peerWord} ${deniedNow} are dropped, so those clients cannot connect`;
		summary = partial
			? `${acl.id} lets only part of the reply ${egress ? 'out' : 'in'}: ${evaluation.summary.replace(/\.$/, '')} — ${consequence}.`
			: `${acl.id} drops the reply: it is stateless, and ${decidingRule.text} stops ${what} ${peerWord} ${deniedNow}.`;
	} else {
		summary = evaluation.status === 'partial' ? `${acl.id} denies part of the traffic: ${evaluation.summary}` : `${decidingRule.text} denies ${what} ${peerWord} ${deniedNow}.`;
	}
	const direction = egress ? 'outbound' : 'inbound';
	const parts: string[] = [];
	if (numbers.length > 0) {
		const placedSet = describeSet(setFrom(placed.map(({item}) => item.cidr)), 3);
		parts.push(`Add ${direction} allow rule${numbers.length > 1 ? 's' : ''} ${numbers.join(', ')} to ${acl.id} for ${what} ${peerWord} ${moves.length > 0 ? placedSet : denied}, in front of rule ${[...new Set(placed.map(({item}) => ruleLabel(item.below)))].join(' and ')}.`);
	}
	for (const move of moves) {
		const more = move.items.length > 1 ? ` and add rule${move.items.length > 2 ? 's' : ''} ${move.items.slice(1).map(({number}) => number).join(', ')} for the rest` : '';
		parts.push(
			`Allow ${what} ${peerWord} ${describeSet(setFrom(move.items.map(({item}) => item.cidr)), 3)} at rule ${move.at} of ${acl.id} (${direction}): no number in front of rule ${move.at} is free, so copy rule ${move.at} to rule ${move.moveTo} (no rule lies between them, so the deny keeps its place), then replace rule ${move.at} with the allow${more}.`,
		);
	}
	if (parts.length === 0) parts.push(`${acl.id} has no free rule number below ${ruleLabel(firstDeny.ruleNumber)} (${direction}) and no free number between that rule and the next to move it to: renumber its rules, then allow ${what} ${peerWord} ${denied}.`);
	else if (unplaced.length > 0) {
		parts.push(`${acl.id} has no free rule number below ${[...new Set(unplaced.map((item) => ruleLabel(item.below)))].join(', ')} (${direction}) for ${unplaced.map((item) => item.cidr).join(', ')}: renumber its rules to make room for ${unplaced.length === 1 ? 'it' : 'them'}.`);
	}
	const fix: Problem['fix'] = {summary: parts.join(' ')};
	if (commands.length > 0) fix.command = commands.join('\n');
	if (wanted.length > shown.length) fix.summary += ` (${wanted.length - shown.length} more ranges not shown)`;
	if (remote.wholeInternet) fix.warning = `This ${direction} rule covers the whole internet because the source is "${remote.description}"; name the real clients with --from to narrow it.`;
	if (remote.groupId) fix.summary += ` NACLs cannot reference security groups: these are the current addresses of ${remote.groupId}'s members.`;
	return {layer: input.layer, verdict: input.verdict, summary, decidingRule, fix};
}

/** Several problems of one layer (several client subnets) as one: summaries and commands joined. */
export function mergeProblems(problems: Problem[]): Problem | undefined {
	if (problems.length <= 1) return problems[0];
	const first = problems[0]!;
	const commands = problems.map((problem) => problem.fix.command).filter(Boolean);
	const fix: Problem['fix'] = {summary: problems.map((problem) => problem.fix.summary).join(' ')};
	if (commands.length > 0) fix.command = commands.join('\n');
	const warnings = problems.map((problem) => problem.fix.warning).filter(Boolean);
	if (warnings.length > 0) fix.warning = [...new Set(warnings)].join(' ');
	return {...first, summary: problems.map((problem) => problem.summary).join(' '), fix};
}

export type {NaclLayerResult};

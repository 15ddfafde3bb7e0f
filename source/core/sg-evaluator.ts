// Security-group evaluation with AWS's semantics: allow rules only, every group on the ENI unioned,
// stateful (so only the inbound direction matters for a connection to the ENI), matched on the
// destination port. A referenced group stands for the private addresses of the ENIs carrying it.
import {describeSet, emptySet, intersect, isEmpty, isValidCidr, sameSet, setFrom, setFromCidr, setToCidrs, subtract, union, type AddressSet} from './cidr.js';
import {hasPorts, isIcmp, protocolName, protocolNumber} from './protocols.js';
import type {Inventory, NetworkInterface, RulePeer, SecurityGroup, SecurityGroupRule} from './types.js';

/** What arrives at the ENI: protocol number, destination port (for ICMP the type) and ICMP code. */
export interface Packet {
	protocol: number;
	port: number;
	icmpCode?: number;
}

/** Who sends it: a set of addresses, and the group they carry when the source is a group. */
export interface SourceSpec {
	addresses: AddressSet;
	groupId?: string;
}

export interface SgRuleRef {
	groupId: string;
	groupName: string | null;
	rule: SecurityGroupRule;
	/** "sg-0abc (web) ingress tcp 8443 from 10.0.0.0/16". */
	text: string;
}

export type LayerStatus = 'allow' | 'deny' | 'partial' | 'unknown';

export interface SgEvaluation {
	status: LayerStatus;
	groups: Array<{id: string; name: string | null; found: boolean}>;
	/** Rules that allow at least part of the source. */
	allowing: SgRuleRef[];
	/** Rules for this protocol/port that allow other sources: what the operator meant to allow. */
	samePort: SgRuleRef[];
	/** Rules that might allow the source but whose peer could not be resolved. */
	unresolved: Array<{ref: SgRuleRef; reason: string}>;
	/** The part of the source that is allowed / that no known rule allows. */
	allowed: AddressSet;
	denied: AddressSet;
	summary: string;
}

export function ruleMatchesPacket(rule: Pick<SecurityGroupRule, 'protocol' | 'fromPort' | 'toPort'>, packet: Packet): boolean {
	const protocol = protocolNumber(rule.protocol);
	if (protocol === null) return false;
	if (protocol === -1) return true;
	if (protocol !== packet.protocol) return false;
	if (hasPorts(protocol)) {
		// A TCP/UDP range is literal: -1 means "all" for ICMP types only (IpPermission FromPort: "If
		// the protocol is TCP or UDP, this is the start of the port range. If the protocol is ICMP or
		// ICMPv6, this is the ICMP type or -1" — EC2 refuses -1 for TCP/UDP). No ports at all (a
		// hand-written rule) is the whole range.
		if (rule.fromPort === null) return true;
		return rule.fromPort <= packet.port && packet.port <= (rule.toPort ?? rule.fromPort);
	}
	if (isIcmp(protocol)) {
		const type = rule.fromPort ?? -1;
		const code = rule.toPort ?? -1;
		return (type === -1 || type === packet.port) && (code === -1 || code === (packet.icmpCode ?? 0));
	}
	// Any other IP protocol has no ports: the rule covers all of it.
	return true;
}

/**
 * Which members of a referenced group a rule can see. A group reference matches only traffic from
 * the same VPC or a peered one ("Security group referencing": the referenced group must be in the
 * same VPC or a peered VPC — https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html);
 * a member elsewhere whose packets come through the internet arrive from its public address.
 */
export type MemberFilter = (eni: NetworkInterface) => boolean;

/** The private addresses (IPv4 and IPv6) of every ENI that carries the group (and passes the filter). */
export function groupMemberAddresses(inventory: Inventory, groupId: string, filter?: MemberFilter): string[] {
	return inventory.networkInterfaces
		.filter((eni) => eni.groupIds.includes(groupId) && (!filter || filter(eni)))
		.flatMap((eni) => [...eni.privateIps, ...eni.ipv6Addresses]);
}

export type PeerResolution = {kind: 'known'; addresses: AddressSet} | {kind: 'unknown'; reason: string};

export function resolvePeer(peer: RulePeer, inventory: Inventory, filter?: MemberFilter): PeerResolution {
	switch (peer.kind) {
		case 'cidr4':
		case 'cidr6':
			// EC2 never returns a malformed CIDR, but live data and hand-written snapshots are data.
			return isValidCidr(peer.cidr) ? {kind: 'known', addresses: setFromCidr(peer.cidr)} : {kind: 'unknown', reason: `the rule's peer ${JSON.stringify(peer.cidr)} is not a CIDR`};
		case 'prefix-list': {
			const list = inventory.prefixLists.find((candidate) => candidate.id === peer.prefixListId);
			if (!list || list.cidrs === null) return {kind: 'unknown', reason: `the entries of prefix list ${peer.prefixListId} were not captured`};
			return {kind: 'known', addresses: setFrom(list.cidrs)};
		}
		case 'group': {
			if (!inventory.known.networkInterfaces) return {kind: 'unknown', reason: `network interfaces were not captured, so the members of ${peer.groupId} are unknown`};
			const members = groupMemberAddresses(inventory, peer.groupId, filter);
			const inSnapshot = inventory.securityGroups.some((group) => group.id === peer.groupId) || inventory.networkInterfaces.some((eni) => eni.groupIds.includes(peer.groupId));
			if (members.length === 0 && !inSnapshot) return {kind: 'unknown', reason: `${peer.groupId} is not in the snapshot (another account or a peered VPC?), so its members are unknown`};
			return {kind: 'known', addresses: setFrom(members)};
		}
	}
}

export function describePeer(peer: RulePeer, ownerId?: string | null): string {
	switch (peer.kind) {
		case 'cidr4':
		case 'cidr6':
			return peer.cidr;
		case 'prefix-list':
			return `prefix list ${peer.prefixListId}`;
		case 'group':
			// Another account's group is worth saying; the owner's own account is noise.
			return `members of ${peer.groupId}${peer.userId && peer.userId !== ownerId ? ` (account ${peer.userId})` : ''}`;
	}
}

/** "tcp 8443", "tcp 1000–2000", "all traffic", "icmp type 8 code any", "protocol 50". */
export function describeRulePorts(rule: Pick<SecurityGroupRule, 'protocol' | 'fromPort' | 'toPort'>): string {
	const protocol = protocolNumber(rule.protocol);
	if (protocol === null) return `protocol ${rule.protocol}`;
	if (protocol === -1) return 'all traffic';
	const name = protocolName(protocol);
	if (hasPorts(protocol)) {
		if (rule.fromPort === null || (rule.fromPort === 0 && rule.toPort === 65535)) return `${name} all ports`;
		return rule.fromPort === rule.toPort ? `${name} ${rule.fromPort}` : `${name} ${rule.fromPort}–${rule.toPort}`;
	}
	if (isIcmp(protocol)) {
		const type = rule.fromPort ?? -1;
		const code = rule.toPort ?? -1;
		if (type === -1) return `${name} all types`;
		return `${name} type ${type} code ${code === -1 ? 'any' : code}`;
	}
	return `protocol ${name}`;
}

export function describeSgRule(rule: SecurityGroupRule, group?: Pick<SecurityGroup, 'id' | 'name' | 'ownerId'> | null): string {
	const owner = group ? `${group.id}${group.name ? ` (${group.name})` : ''}` : rule.groupId;
	const peerWord = rule.direction === 'ingress' ? 'from' : 'to';
	return `${owner} ${rule.direction} ${describeRulePorts(rule)} ${peerWord} ${describePeer(rule.peer, group?.ownerId)}`;
}

function ref(rule: SecurityGroupRule, group: SecurityGroup): SgRuleRef {
	return {groupId: group.id, groupName: group.name || null, rule, text: describeSgRule(rule, group)};
}

/**
 * Evaluation of a packet against an ENI's groups: inbound from `source` (the default), or — with
 * direction 'egress' — outbound from the ENI to `source`, which then holds the destination.
 */
export function evaluateSecurityGroups(input: {inventory: Inventory; groupIds: string[]; packet: Packet; source: SourceSpec; direction?: 'ingress' | 'egress'; memberFilter?: MemberFilter}): SgEvaluation {
	const {inventory, groupIds, packet, source, memberFilter} = input;
	const direction = input.direction ?? 'ingress';
	const peerWord = direction === 'ingress' ? 'from' : 'to';
	const groups = groupIds.map((id) => {
		const group = inventory.securityGroups.find((candidate) => candidate.id === id);
		return {id, name: group?.name ?? null, found: Boolean(group), group};
	});
	const allowing: SgRuleRef[] = [];
	const samePort: SgRuleRef[] = [];
	const unresolved: SgEvaluation['unresolved'] = [];
	let allowed = emptySet();
	let byGroupReference = false;

	for (const {group} of groups) {
		if (!group) continue;
		for (const rule of direction === 'ingress' ? group.ingress : group.egress) {
			if (!ruleMatchesPacket(rule, packet)) continue;
			if (source.groupId && rule.peer.kind === 'group' && rule.peer.groupId === source.groupId && !memberFilter) {
				// A group reference admits its members whatever their addresses.
				byGroupReference = true;
				allowing.push(ref(rule, group));
				continue;
			}
			const peer = resolvePeer(rule.peer, inventory, memberFilter);
			if (peer.kind === 'unknown') {
				unresolved.push({ref: ref(rule, group), reason: peer.reason});
				continue;
			}
			const hit = intersect(source.addresses, peer.addresses);
			if (isEmpty(hit)) {
				samePort.push(ref(rule, group));
			} else {
				allowing.push(ref(rule, group));
				allowed = union(allowed, hit);
			}
		}
	}

	if (byGroupReference) allowed = source.addresses;
	const denied = subtract(source.addresses, allowed);
	const missing = groups.filter((group) => !group.found).map((group) => group.id);
	const everything = byGroupReference || (!isEmpty(source.addresses) && sameSet(allowed, source.addresses));

	let status: LayerStatus;
	let summary: string;
	const list = groups.map((group) => group.id).join(', ') || 'no security group';
	if (!inventory.known.securityGroups) {
		status = 'unknown';
		summary = 'Security groups were not captured.';
	} else if (groups.length === 0) {
		status = 'deny';
		summary = `The network interface carries no security group, so nothing is allowed ${direction === 'ingress' ? 'in' : 'out'}.`;
	} else if (everything) {
		status = 'allow';
		summary = `Allowed by ${allowing.map((rule) => rule.text).join('; ')}.`;
	} else if (isEmpty(source.addresses)) {
		status = 'unknown';
		summary = `The source's addresses are unknown, so the rules of ${list} cannot be matched against it.`;
	} else if (unresolved.length > 0 || missing.length > 0) {
		status = 'unknown';
		const why = [...unresolved.map((item) => item.reason), ...missing.map((id) => `${id} is not in the snapshot`)];
		summary = `No known rule of ${list} allows all of it, and ${why.join('; ')}.`;
	} else if (isEmpty(allowed)) {
		status = 'deny';
		summary = `No ${direction === 'egress' ? 'outbound ' : ''}rule of ${list} allows ${describePacket(packet)} ${peerWord} ${describeSet(source.addresses)}.`;
	} else {
		status = 'partial';
		const are = (set: AddressSet) => (setToCidrs(set).length === 1 ? 'is' : 'are');
		summary = `Only ${describeSet(allowed)} ${are(allowed)} allowed (${allowing.map((rule) => rule.text).join('; ')}); ${describeSet(denied)} ${are(denied)} not.`;
	}
	return {
		status,
		groups: groups.map(({id, name, found}) => ({id, name, found})),
		allowing,
		samePort,
		unresolved,
		allowed,
		denied,
		summary,
	};
}

export function describePacket(packet: Packet): string {
	const name = protocolName(packet.protocol);
	if (isIcmp(packet.protocol)) return `${name} type ${packet.port}`;
	return `${name}/${packet.port}`;
}

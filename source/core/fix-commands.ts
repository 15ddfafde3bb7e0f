// The narrowest fix as an exact AWS CLI command: one port, the source as /32 or /128 (or its
// security group), a NACL entry numbered just in front of the rule that denies. Commands are
// built, never run: sgtui is read-only.
import {protocolName} from './protocols.js';
import type {PortRange} from './ephemeral-ports.js';
import type {Inventory, NetworkAcl, NetworkAclEntry, SecurityGroup} from './types.js';
import {ruleMatchesPacket, type Packet} from './sg-evaluator.js';
import {CATCH_ALL_RULE} from './nacl-evaluator.js';
import {familyOf} from './cidr.js';
import {shellCommand} from './shell-quote.js';

/** Security-group descriptions allow only these characters (EC2 API reference). */
export function safeDescription(text: string): string {
	return text.replace(/[^a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 255);
}

/** The IpProtocol value for an SG rule: tcp, udp, icmp, icmpv6. */
function sgProtocol(protocol: number): string {
	return protocolName(protocol) === 'all' ? '-1' : protocolName(protocol);
}

export interface SgIngressFix {
	groupId: string;
	protocol: number;
	/** Port, or the ICMP type. */
	port: number;
	/** The ICMP code; -1 (every code of the type) when omitted — only for a check of every code. */
	icmpCode?: number;
	/** Source CIDRs (IPv4 and/or IPv6) — or a source group. */
	cidrs: string[];
	sourceGroupId?: string;
	description: string;
	/** 'egress' builds authorize-security-group-egress (cidrs are then destinations). */
	direction?: 'ingress' | 'egress';
}

/** `aws ec2 authorize-security-group-ingress --group-id … --ip-permissions '…'`. */
export function sgIngressCommand(fix: SgIngressFix): string {
	const icmp = fix.protocol === 1 || fix.protocol === 58;
	// ICMP: FromPort is the type, ToPort the code (-1 = any code of that type: wider than a check
	// of one code needs — EC2 API reference, IpPermission).
	const ports = icmp ? `FromPort=${fix.port},ToPort=${fix.icmpCode ?? -1}` : `FromPort=${fix.port},ToPort=${fix.port}`;
	const description = `Description="${safeDescription(fix.description)}"`;
	const parts = [`IpProtocol=${sgProtocol(fix.protocol)}`, ports];
	if (fix.sourceGroupId) {
		parts.push(`UserIdGroupPairs=[{GroupId=${fix.sourceGroupId},${description}}]`);
	} else {
		const v4 = fix.cidrs.filter((cidr) => familyOf(cidr) === 'ipv4');
		const v6 = fix.cidrs.filter((cidr) => familyOf(cidr) === 'ipv6');
		if (v4.length > 0) parts.push(`IpRanges=[${v4.map((cidr) => `{CidrIp=${cidr},${description}}`).join(',')}]`);
		if (v6.length > 0) parts.push(`Ipv6Ranges=[${v6.map((cidr) => `{CidrIpv6=${cidr},${description}}`).join(',')}]`);
	}
	return shellCommand(['aws', 'ec2', `authorize-security-group-${fix.direction === 'egress' ? 'egress' : 'ingress'}`, '--group-id', fix.groupId, '--ip-permissions', parts.join(',')]);
}

export interface NaclEntryFix {
	aclId: string;
	ruleNumber: number;
	egress: boolean;
	protocol: number;
	/** Destination port range (ignored for ICMP). */
	ports: PortRange;
	icmpType?: number;
	/** The ICMP code; -1 (every code) when omitted — only for a check of every code. */
	icmpCode?: number;
	cidr: string;
	/** Overwrite the entry at ruleNumber (replace-network-acl-entry) instead of adding one. */
	replace?: boolean;
}

/** `aws ec2 create-network-acl-entry …` allowing exactly one CIDR and port range. */
export function naclEntryCommand(fix: NaclEntryFix): string {
	const icmp = fix.protocol === 1 || fix.protocol === 58;
	// The CLI knows tcp/udp/icmp by name; ICMPv6 must be given as 58.
	const protocol = fix.protocol === 58 ? '58' : protocolName(fix.protocol);
	const what = icmp ? ['--icmp-type-code', `Type=${fix.icmpType ?? -1},Code=${fix.icmpCode ?? -1}`] : ['--port-range', `From=${fix.ports.from},To=${fix.ports.to}`];
	const block = familyOf(fix.cidr) === 'ipv6' ? ['--ipv6-cidr-block', fix.cidr] : ['--cidr-block', fix.cidr];
	return shellCommand([
		'aws', 'ec2', fix.replace ? 'replace-network-acl-entry' : 'create-network-acl-entry',
		'--network-acl-id', fix.aclId,
		'--rule-number', fix.ruleNumber,
		fix.egress ? '--egress' : '--ingress',
		'--protocol', protocol,
		...what,
		...block,
		'--rule-action', 'allow',
	]);
}

/** `aws ec2 create-network-acl-entry …` re-creating an existing entry, as it is, under another number. */
export function naclEntryCopyCommand(aclId: string, entry: NetworkAclEntry, ruleNumber: number): string {
	const n = Number(entry.protocol);
	const protocol = entry.protocol === '-1' || n === 58 || !Number.isInteger(n) ? entry.protocol : protocolName(n);
	const what = n === 1 || n === 58
		? ['--icmp-type-code', `Type=${entry.icmpTypeCode?.type ?? -1},Code=${entry.icmpTypeCode?.code ?? -1}`]
		: entry.portRange ? ['--port-range', `From=${entry.portRange.from},To=${entry.portRange.to}`] : [];
	const block = entry.ipv6Cidr ? ['--ipv6-cidr-block', entry.ipv6Cidr] : ['--cidr-block', entry.cidr ?? '0.0.0.0/0'];
	return shellCommand([
		'aws', 'ec2', 'create-network-acl-entry',
		'--network-acl-id', aclId,
		'--rule-number', ruleNumber,
		entry.egress ? '--egress' : '--ingress',
		'--protocol', protocol,
		...what,
		...block,
		'--rule-action', entry.action,
	]);
}

/**
 * Room to put `count` entries where the rule `at` is, when no number below it is free: the
 * entries take `at`, at+1, … and the rule moves to a free number after them but before the next
 * rule of that direction, so it keeps its place relative to every other rule (NACL entries are
 * evaluated lowest number first — VPC User Guide, "Network ACL rules"). Null when no such room
 * exists (the next rule follows too closely) or `at` is the catch-all, which cannot be changed.
 */
export function moveRoom(acl: NetworkAcl, egress: boolean, at: number, count: number): {entries: number[]; moveTo: number} | null {
	if (at >= CATCH_ALL_RULE || count < 1) return null;
	const next = Math.min(CATCH_ALL_RULE, ...acl.entries.filter((entry) => entry.egress === egress && entry.ruleNumber > at).map((entry) => entry.ruleNumber));
	const last = at + count - 1;
	if (last + 1 >= next) return null;
	const round = (Math.floor(last / 10) + 1) * 10;
	const entries = Array.from({length: count}, (_, i) => at + i);
	return {entries, moveTo: round < next ? round : last + 1};
}

/**
 * `count` unused rule numbers (ascending) below `below` in one direction of the ACL. Any free
 * number below the denying rule works — no earlier rule matched the denied traffic, or it would
 * have decided — so prefer round numbers just in front of the deny (or just after the last rule
 * when the deny is the final `*`). Fewer than `count` when the ACL has no room.
 */
export function freeRuleNumbers(acl: NetworkAcl, egress: boolean, below: number, count: number): number[] {
	const used = new Set(acl.entries.filter((entry) => entry.egress === egress).map((entry) => entry.ruleNumber));
	// The catch-all entries (32767, and 32768 for IPv6) are not rules to number after.
	const lower = Math.max(0, ...[...used].filter((n) => n < below && n < CATCH_ALL_RULE));
	const picked: number[] = [];
	const take = (n: number) => {
		if (picked.length < count && n >= 1 && n < below && n < CATCH_ALL_RULE && !used.has(n) && !picked.includes(n)) picked.push(n);
	};
	if (below >= CATCH_ALL_RULE) {
		for (let n = (Math.floor(lower / 10) + 1) * 10; n < CATCH_ALL_RULE && picked.length < count; n += 10) take(n);
	} else {
		const round = [];
		for (let n = (Math.floor(lower / 10) + 1) * 10; n < below; n += 10) round.push(n);
		for (const n of round.slice(-count)) take(n);
	}
	for (let n = below - 1; n > lower && picked.length < count; n--) take(n);
	for (let n = lower - 1; n >= 1 && picked.length < count; n--) take(n);
	return picked.sort((a, b) => a - b);
}

/** Well-known service names, so a group called "https" or "web-443" is picked for port 443. */
const SERVICE_WORDS: Record<number, string[]> = {
	22: ['ssh'],
	80: ['http', 'web'],
	443: ['https', 'web', 'tls'],
	3389: ['rdp', 'remote desktop'],
	3306: ['mysql', 'mariadb', 'db', 'database'],
	5432: ['postgres', 'postgresql', 'db', 'database'],
	1433: ['mssql', 'sql server', 'db', 'database'],
	6379: ['redis', 'cache'],
	27017: ['mongo', 'mongodb', 'db', 'database'],
	9200: ['elasticsearch', 'opensearch'],
	8080: ['http', 'web', 'app', 'proxy'],
	8443: ['https', 'web', 'app'],
	53: ['dns'],
	25: ['smtp', 'mail'],
};

/** Which of the ENI's groups should get the new rule, and why. */
export function chooseGroup(inventory: Inventory, groupIds: string[], packet: Packet): {groupId: string; reason: string} | null {
	const groups = groupIds.map((id) => inventory.securityGroups.find((group) => group.id === id)).filter((group): group is SecurityGroup => Boolean(group));
	if (groups.length === 0) return groupIds[0] ? {groupId: groupIds[0], reason: `${groupIds[0]} is the ENI's first group (its rules were not captured)`} : null;
	const port = packet.port;
	const words = [String(port), ...(SERVICE_WORDS[port] ?? [])];
	let best: {group: SecurityGroup; score: number; reason: string} | null = null;
	for (const group of groups) {
		let score = 0;
		let reason = '';
		const text = `${group.name} ${group.description} ${group.tags['Name'] ?? ''}`.toLowerCase();
		const word = words.find((candidate) => new RegExp(`(^|[^a-z0-9])${candidate.replace(/ /g, '[ _-]')}($|[^a-z0-9])`).test(text));
		if (group.ingress.some((rule) => ruleMatchesPacket(rule, packet) && rule.protocol !== '-1')) {
			score = 3;
			reason = `${group.id} (${group.name}) already holds the rules for ${protocolName(packet.protocol)} ${port}`;
		} else if (word) {
			score = 2;
			reason = `the name or description of ${group.id} (${group.name}) mentions "${word}"`;
		}
		if (score > 0 && (!best || score > best.score)) best = {group, score, reason};
	}
	if (best) return {groupId: best.group.id, reason: best.reason};
	const first = groups[0]!;
	const about = packet.protocol === 1 || packet.protocol === 58 ? `ICMP type ${port}` : `port ${port}`;
	return {groupId: first.id, reason: `${first.id} (${first.name}) is the ENI's first group; none of its groups is about ${about}`};
}

/** `aws ec2 revoke-security-group-ingress` for one rule: by rule id when known. */
export function revokeIngressCommand(groupId: string, rule: {ruleId?: string | null; protocol: string; fromPort: number | null; toPort: number | null; peer: {kind: string; cidr?: string; groupId?: string; prefixListId?: string}}): string {
	if (rule.ruleId) return shellCommand(['aws', 'ec2', 'revoke-security-group-ingress', '--group-id', groupId, '--security-group-rule-ids', rule.ruleId]);
	const parts = [`IpProtocol=${rule.protocol}`];
	if (rule.fromPort !== null) parts.push(`FromPort=${rule.fromPort}`);
	if (rule.toPort !== null) parts.push(`ToPort=${rule.toPort}`);
	const peer = rule.peer;
	if (peer.kind === 'cidr4') parts.push(`IpRanges=[{CidrIp=${peer.cidr}}]`);
	else if (peer.kind === 'cidr6') parts.push(`Ipv6Ranges=[{CidrIpv6=${peer.cidr}}]`);
	else if (peer.kind === 'group') parts.push(`UserIdGroupPairs=[{GroupId=${peer.groupId}}]`);
	else parts.push(`PrefixListIds=[{PrefixListId=${peer.prefixListId}}]`);
	return shellCommand(['aws', 'ec2', 'revoke-security-group-ingress', '--group-id', groupId, '--ip-permissions', parts.join(',')]);
}

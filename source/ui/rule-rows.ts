// The Rules tab as rows: every attached group's inbound then outbound rules, then the subnet's
// NACL entries in evaluation order (lowest number first, `*` last), peers resolved to names, and
// rules an audit finding is about marked with its severity.
import {findNetworkAcl, ruleLabel, CATCH_ALL_RULE} from '../core/nacl-evaluator.js';
import {describeRulePorts} from '../core/sg-evaluator.js';
import {formatPortRange} from '../core/ephemeral-ports.js';
import {hasPorts, isIcmp, protocolName, protocolNumber} from '../core/protocols.js';
import type {Inventory, NetworkAclEntry, NetworkInterface, RulePeer, SecurityGroupRule} from '../core/types.js';
import type {AuditFinding} from './services.js';
import {severityTone} from './audit-marks.js';
import {groupName} from './inventory-rows.js';
import type {Tone} from './theme.js';

export type RuleRow =
	| {kind: 'heading'; key: string; text: string; detail: string}
	| {kind: 'rule'; key: string; layer: 'sg' | 'nacl'; direction: 'in' | 'out'; label: string; action: 'allow' | 'deny'; what: string; peer: string; note: string; tone: Tone | null; fix?: string | null}
	| {kind: 'note'; key: string; text: string; tone: Tone};

export function describePeerNamed(inventory: Inventory, peer: RulePeer): string {
	switch (peer.kind) {
		case 'cidr4':
		case 'cidr6':
			return peer.cidr === '0.0.0.0/0' || peer.cidr === '::/0' ? `${peer.cidr} (anywhere)` : peer.cidr;
		case 'prefix-list': {
			const list = inventory.prefixLists.find((candidate) => candidate.id === peer.prefixListId);
			if (!list) return `${peer.prefixListId} (prefix list)`;
			const size = list.cidrs ? `${list.cidrs.length} CIDRs` : 'entries unknown';
			return `${peer.prefixListId} (${list.name}, ${size})`;
		}
		case 'group': {
			const members = inventory.networkInterfaces.filter((eni) => eni.groupIds.includes(peer.groupId)).length;
			const name = groupName(inventory, peer.groupId);
			return `${peer.groupId}${name !== peer.groupId ? ` (${name})` : ''} · ${members} ENI${members === 1 ? '' : 's'}`;
		}
	}
}

/** A peer in few characters, for tight columns: a group by its name, a prefix list by its name. */
export function shortPeer(inventory: Inventory, peer: RulePeer): string {
	if (peer.kind === 'group') return groupName(inventory, peer.groupId);
	if (peer.kind === 'prefix-list') return inventory.prefixLists.find((list) => list.id === peer.prefixListId)?.name ?? peer.prefixListId;
	return peer.cidr;
}

/** An audit message without the rule description it starts with (the row already shows the rule). */
export function findingNote(message: string, groupId: string): string {
	if (!message.startsWith(groupId)) return message;
	const colon = message.indexOf(': ');
	return colon >= 0 ? message.slice(colon + 2) : message;
}

export function naclWhat(entry: NetworkAclEntry): string {
	const protocol = protocolNumber(entry.protocol);
	if (protocol === null) return `protocol ${entry.protocol}`;
	if (protocol === -1) return 'all traffic';
	if (hasPorts(protocol)) return entry.portRange ? `${protocolName(protocol)} ${formatPortRange(entry.portRange)}` : `${protocolName(protocol)} all`;
	if (isIcmp(protocol)) return !entry.icmpTypeCode || entry.icmpTypeCode.type === -1 ? `${protocolName(protocol)} all` : `${protocolName(protocol)} type ${entry.icmpTypeCode.type}`;
	return protocolName(protocol);
}

function sameRule(a: SecurityGroupRule, b: SecurityGroupRule): boolean {
	if (a.ruleId && b.ruleId) return a.ruleId === b.ruleId;
	return a.groupId === b.groupId && a.direction === b.direction && a.protocol === b.protocol && a.fromPort === b.fromPort && a.toPort === b.toPort && JSON.stringify(a.peer) === JSON.stringify(b.peer);
}

export function ruleRows(inventory: Inventory, eni: NetworkInterface, findings: readonly AuditFinding[]): RuleRow[] {
	const rows: RuleRow[] = [];
	if (!inventory.known.securityGroups) rows.push({kind: 'note', key: 'sg-unknown', text: 'Security groups were not captured: their rules are unknown.', tone: 'warn'});
	for (const groupId of eni.groupIds) {
		const group = inventory.securityGroups.find((candidate) => candidate.id === groupId);
		if (!group) {
			rows.push({kind: 'note', key: `missing-${groupId}`, text: `${groupId}: not in the inventory (rules unknown)`, tone: 'warn'});
			continue;
		}
		rows.push({kind: 'heading', key: `h-${groupId}`, text: `Security group ${group.id} ${group.name}`, detail: group.description});
		for (const [direction, rules] of [['in', group.ingress], ['out', group.egress]] as const) {
			if (rules.length === 0) {
				rows.push({kind: 'note', key: `${groupId}-${direction}-none`, text: direction === 'in' ? '  no inbound rules: nothing can connect in' : '  no outbound rules: replies still pass (stateful), new outbound connections do not', tone: 'muted'});
			}
			rules.forEach((rule, index) => {
				const finding = findings.find((candidate) => candidate.rule && sameRule(candidate.rule, rule));
				rows.push({
					kind: 'rule',
					key: `${groupId}-${direction}-${index}`,
					layer: 'sg',
					direction,
					label: '',
					action: 'allow',
					what: describeRulePorts(rule),
					peer: describePeerNamed(inventory, rule.peer),
					note: finding ? findingNote(finding.message, rule.groupId) : (rule.description ?? ''),
					fix: finding?.fix?.command?.split('\n')[0] ?? finding?.fix?.summary ?? null,
					tone: finding ? severityTone(finding.severity) : null,
				});
			});
		}
	}
	if (!inventory.known.networkAcls) {
		rows.push({kind: 'note', key: 'nacl-unknown', text: 'Network ACLs were not captured: the subnet\'s NACL is unknown.', tone: 'warn'});
		return rows;
	}
	const found = findNetworkAcl(inventory, eni.subnetId, eni.vpcId);
	if (!found) {
		rows.push({kind: 'note', key: 'nacl-none', text: `No network ACL found for ${eni.subnetId}.`, tone: 'warn'});
		return rows;
	}
	const {acl, how} = found;
	rows.push({kind: 'heading', key: `h-${acl.id}`, text: `Network ACL ${acl.id}${acl.tags.Name ? ` ${acl.tags.Name}` : ''}`, detail: `${how === 'associated' ? 'associated with' : 'VPC default for'} ${eni.subnetId} · stateless · first match wins`});
	for (const egress of [false, true]) {
		const entries = acl.entries.filter((entry) => entry.egress === egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
		for (const entry of entries) {
			rows.push({
				kind: 'rule',
				key: `${acl.id}-${egress}-${entry.ruleNumber}-${entry.cidr ?? entry.ipv6Cidr}`,
				layer: 'nacl',
				direction: egress ? 'out' : 'in',
				// 32767 (IPv4) and 32768 (IPv6) are the catch-all `*` rules.
				label: entry.ruleNumber >= CATCH_ALL_RULE ? '*' : ruleLabel(entry.ruleNumber),
				action: entry.action,
				what: naclWhat(entry),
				peer: entry.cidr ?? entry.ipv6Cidr ?? '?',
				note: entry.ruleNumber >= CATCH_ALL_RULE ? 'catch-all: denies what no rule matched' : '',
				tone: null,
			});
		}
	}
	return rows;
}

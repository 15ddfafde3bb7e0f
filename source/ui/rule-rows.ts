// The Rules tab as rows: every attached group's inbound then outbound rules, then the subnet's
// NACL entries in evaluation order (lowest number first, `*` last), peers resolved to names, and
// rules an audit finding is about marked with its severity.
import {findNetworkAcl, ruleLabel, CATCH_ALL_RULE} from '../core/nacl-evaluator.js';
import {describeRulePorts} from '../core/sg-evaluator.js';
import {formatPortRange} from '../core/ephemeral-ports.js';
import {hasPorts, isIcmp, protocolName, protocolNumber} from '../core/protocols.js';
import type {Inventory, NetworkAclEntry, NetworkInterface, Route, RulePeer, SecurityGroupRule} from '../core/types.js';
import {describeDestination, describeRouteTarget, isGatewayEndpointRoute, routeTableFor} from '../core/path/route.js';
import type {AuditFinding} from './services.js';
import {severityTone} from './audit-marks.js';
import {groupName} from './inventory-rows.js';
import type {Tone} from './theme.js';

export type RuleRow =
	| {kind: 'heading'; key: string; text: string; detail: string}
	| {kind: 'rule'; key: string; layer: 'sg' | 'nacl' | 'route'; direction: 'in' | 'out' | 'v4' | 'v6' | 'pl'; label: string; action: 'allow' | 'deny'; what: string; peer: string; note: string; tone: Tone | null; fix?: string | null; ports?: RulePorts}
	| {kind: 'note'; key: string; text: string; tone: Tone};

/** What a rule matches, for marking the rules a wizard check concerns (AWS's spelling, -1 = all). */
export interface RulePorts {
	protocol: string;
	from: number | null;
	to: number | null;
}

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
					ports: {protocol: rule.protocol, from: rule.fromPort, to: rule.toPort},
				});
			});
		}
	}
	if (!inventory.known.networkAcls) {
		rows.push({kind: 'note', key: 'nacl-unknown', text: 'Network ACLs were not captured: the subnet\'s NACL is unknown.', tone: 'warn'});
		rows.push(...routeRows(inventory, eni));
		return rows;
	}
	const found = findNetworkAcl(inventory, eni.subnetId, eni.vpcId);
	if (!found) {
		rows.push({kind: 'note', key: 'nacl-none', text: `No network ACL found for ${eni.subnetId}.`, tone: 'warn'});
		rows.push(...routeRows(inventory, eni));
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
				ports: {protocol: entry.protocol, from: entry.icmpTypeCode ? entry.icmpTypeCode.type : entry.portRange?.from ?? null, to: entry.icmpTypeCode ? entry.icmpTypeCode.type : entry.portRange?.to ?? null},
			});
		}
	}
	rows.push(...routeRows(inventory, eni));
	return rows;
}

/**
 * The subnet's route table, most specific route first (the order longest-prefix match reads it).
 * The routes that decide traffic from the internet (the best match for an address outside the
 * VPC: the default routes unless something more specific covers it) are marked with what they
 * mean for this ENI.
 */
export function routeRows(inventory: Inventory, eni: NetworkInterface): RuleRow[] {
	if (!inventory.known.routeTables) return [{kind: 'note', key: 'rtb-unknown', text: 'Route tables were not captured: how internet traffic reaches the subnet is unknown.', tone: 'warn'}];
	const found = routeTableFor({inventory}, eni.subnetId, eni.vpcId);
	if (!found) return [{kind: 'note', key: 'rtb-none', text: `No route table found for ${eni.subnetId} (no association, no main table).`, tone: 'warn'}];
	const {table, how} = found;
	const rows: RuleRow[] = [{kind: 'heading', key: `h-${table.id}`, text: `Route table ${table.id}${table.tags.Name ? ` ${table.tags.Name}` : ''}`, detail: `${how === 'associated' ? 'associated with' : 'main table, serving'} ${eni.subnetId} · most specific route wins`}];
	const prefix = (route: Route) => (route.destination.kind === 'prefix-list' ? -1 : Number(route.destination.cidr.split('/')[1]));
	const sorted = [...table.routes].sort((a, b) => prefix(b) - prefix(a));
	sorted.forEach((route, index) => {
		const deciding = route.destination.kind !== 'prefix-list' && prefix(route) === 0;
		const meaning = routeMeaning(inventory, eni, route, deciding);
		rows.push({
			kind: 'rule',
			key: `${table.id}-${index}`,
			layer: 'route',
			direction: route.destination.kind === 'cidr6' ? 'v6' : route.destination.kind === 'cidr4' ? 'v4' : 'pl',
			label: deciding ? '▶' : '',
			action: route.state === 'active' ? 'allow' : 'deny',
			what: describeDestination(route),
			peer: describeRouteTarget(route),
			note: meaning.note,
			tone: meaning.tone,
		});
	});
	return rows;
}

function routeMeaning(inventory: Inventory, eni: NetworkInterface, route: Route, deciding: boolean): {note: string; tone: Tone | null} {
	if (route.state === 'blackhole') return {note: 'blackhole: its target is gone, matching traffic is dropped', tone: 'bad'};
	if (route.state !== 'active') return {note: `${route.state}: not active, matching traffic is not carried`, tone: 'bad'};
	const lead = deciding ? 'decides internet traffic: ' : '';
	switch (route.target.kind) {
		case 'local':
			return {note: 'the VPC itself', tone: null};
		case 'internet-gateway': {
			const v6 = route.destination.kind === 'cidr6';
			if (!v6 && !eni.publicIp) return {note: `${lead}internet gateway, but ${eni.id} has no public IPv4 — internet clients cannot reach it`, tone: 'warn'};
			if (v6 && eni.ipv6Addresses.length === 0) return {note: `${lead}internet gateway, but ${eni.id} has no IPv6 address`, tone: 'warn'};
			return {note: `${lead}internet gateway (public subnet)`, tone: null};
		}
		case 'nat-gateway':
			return {note: `${lead}NAT gateway: outbound only, nothing from the internet gets in`, tone: deciding ? 'muted' : null};
		case 'egress-only-internet-gateway':
			return {note: `${lead}egress-only gateway: IPv6 outbound only`, tone: deciding ? 'muted' : null};
		default: {
			const listed = route.destination.kind === 'prefix-list' ? inventory.prefixLists.find((list) => list.id === (route.destination as {prefixListId: string}).prefixListId) : null;
			if (isGatewayEndpointRoute(route)) return {note: `gateway endpoint: only traffic from the VPC to the service${listed && listed.name !== listed.id ? ` (${listed.name})` : ''}, nothing from outside`, tone: null};
			return {note: `${lead}${route.target.kind.replace(/-/g, ' ')}: the far side is out of sight${listed ? ` · ${listed.name}` : ''}`, tone: null};
		}
	}
}

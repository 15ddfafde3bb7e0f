// Ids read from AWS pass the same grammar as ids typed or read from a snapshot (core/aws-ids.ts):
// an item whose own id, or an id it references, breaks it is refused — left out of the inventory
// and counted in a warning the operator sees — so nothing downstream (file names, printed `aws …`
// commands, the lab) ever holds an id with anything but `[a-z]+-[0-9a-f]+` in it. Real AWS never
// answers such ids; a proxy, a compromised endpoint or a broken emulator might.
import {isAwsId, type AwsIdKind} from './aws-ids.js';
import {display} from './display-text.js';
import type {Inventory, RouteTarget, RulePeer, SecurityGroupRule} from './types.js';

export interface RefusedItem {
	/** "security group", "network interface", … */
	what: string;
	/** The item's id as AWS gave it (raw; display it through the sanitizer). */
	id: string;
	/** The first id that broke the grammar, with what it is. */
	bad: string;
}

type Check = [kind: AwsIdKind, value: string | null | undefined, role: string];

// Gateway load balancer endpoints, carrier/local gateways, core networks: prefix-hex all the same.
const OTHER_ID = /^[a-z]+-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

const ROUTE_TARGET_KIND: Partial<Record<RouteTarget['kind'], AwsIdKind>> = {
	'internet-gateway': 'internetGateway',
	'egress-only-internet-gateway': 'egressOnlyInternetGateway',
	'nat-gateway': 'natGateway',
	'vpc-peering': 'peering',
	'transit-gateway': 'transitGateway',
	'virtual-private-gateway': 'vpnGateway',
	instance: 'instance',
	'network-interface': 'networkInterface',
};

function firstBad(checks: Check[], others: Array<[string, string]> = []): string | null {
	for (const [kind, value, role] of checks) {
		if (value !== null && value !== undefined && !isAwsId(kind, value)) return `${role} ${JSON.stringify(value)}`;
	}
	for (const [value, role] of others) if (!OTHER_ID.test(value)) return `${role} ${JSON.stringify(value)}`;
	return null;
}

function peerChecks(peer: RulePeer | {kind: 'cidr4' | 'cidr6'}): Check[] {
	if (peer.kind === 'group') return [['securityGroup', peer.groupId, 'referenced group']];
	if (peer.kind === 'prefix-list') return [['prefixList', peer.prefixListId, 'prefix list']];
	return [];
}

function ruleChecks(rule: SecurityGroupRule): Check[] {
	return [['securityGroupRule', rule.ruleId, 'rule'], ...peerChecks(rule.peer)];
}

/** The inventory without items whose ids break AWS's grammar, and what was left out. */
export function refuseMalformedIds(inventory: Inventory): {inventory: Inventory; refused: RefusedItem[]} {
	const refused: RefusedItem[] = [];
	const keep = <T extends {id: string}>(items: T[], what: string, checks: (item: T) => Check[], others: (item: T) => Array<[string, string]> = () => []): T[] =>
		items.filter((item) => {
			const bad = firstBad(checks(item), others(item));
			if (bad) refused.push({what, id: item.id, bad});
			return !bad;
		});
	const routeOthers = (routes: Inventory['routeTables'][number]['routes']): Array<[string, string]> =>
		routes.flatMap((route) => (route.target.kind === 'other' ? [[route.target.id, 'route target'] as [string, string]] : []));
	const next: Inventory = {
		...inventory,
		instances: keep(inventory.instances, 'instance', (item) => [
			['instance', item.id, 'id'], ['subnet', item.subnetId, 'subnet'], ['vpc', item.vpcId, 'VPC'], ['image', item.imageId, 'image'],
			...item.networkInterfaceIds.map((id): Check => ['networkInterface', id, 'network interface']),
			...item.groupIds.map((id): Check => ['securityGroup', id, 'security group']),
		]),
		networkInterfaces: keep(inventory.networkInterfaces, 'network interface', (item) => [
			['networkInterface', item.id, 'id'], ['subnet', item.subnetId, 'subnet'], ['vpc', item.vpcId, 'VPC'], ['instance', item.instanceId, 'instance'],
			...item.groupIds.map((id): Check => ['securityGroup', id, 'security group']),
		]),
		securityGroups: keep(inventory.securityGroups, 'security group', (item) => [
			['securityGroup', item.id, 'id'], ['vpc', item.vpcId, 'VPC'], ...item.ingress.flatMap(ruleChecks), ...item.egress.flatMap(ruleChecks),
		]),
		networkAcls: keep(inventory.networkAcls, 'network ACL', (item) => [
			['networkAcl', item.id, 'id'], ['vpc', item.vpcId, 'VPC'], ...item.subnetIds.map((id): Check => ['subnet', id, 'subnet']),
		]),
		flowLogs: keep(inventory.flowLogs, 'flow log', (item) => [['flowLog', item.id, 'id']], (item) => [[item.resourceId, 'resource']]),
		prefixLists: keep(inventory.prefixLists, 'prefix list', (item) => [['prefixList', item.id, 'id']]),
		routeTables: keep(inventory.routeTables, 'route table', (item) => [
			['routeTable', item.id, 'id'], ['vpc', item.vpcId, 'VPC'], ...item.subnetIds.map((id): Check => ['subnet', id, 'subnet']),
			...item.routes.flatMap((route): Check[] => {
				const kind = ROUTE_TARGET_KIND[route.target.kind];
				const target: Check[] = kind && 'id' in route.target ? [[kind, route.target.id, 'route target']] : [];
				return route.destination.kind === 'prefix-list' ? [...target, ['prefixList', route.destination.prefixListId, 'route destination']] : target;
			}),
		], (item) => routeOthers(item.routes)),
		internetGateways: keep(inventory.internetGateways, 'internet gateway', (item) => [
			['internetGateway', item.id, 'id'], ...item.attachedVpcIds.map((id): Check => ['vpc', id, 'VPC']),
		]),
	};
	return refused.length === 0 ? {inventory, refused} : {inventory: next, refused};
}

/** One warning line for the operator: how many were refused, and the first few (sanitized). */
export function refusedIdsWarning(refused: RefusedItem[]): string | null {
	if (refused.length === 0) return null;
	const shown = refused.slice(0, 3).map((item) => `${item.what} ${JSON.stringify(item.id)} (${item.bad})`);
	const more = refused.length > shown.length ? `, and ${refused.length - shown.length} more` : '';
	return display(`${refused.length} item${refused.length === 1 ? '' : 's'} from AWS refused, their ids break AWS's id grammar (prefix, dash, 8 or 17 lowercase hex digits): ${shown.join(', ')}${more}`);
}

// The inventory as rows for the table: one row per network interface (an instance with two ENIs
// has two rows), with the instance's Name tag, addresses, groups, flow-log coverage and audit mark.
import {flowCoverage} from '../core/flow-coverage.js';
import {instanceStateText} from '../core/aws-mapper.js';
import type {Instance, Inventory, NetworkInterface} from '../core/types.js';
import type {Tone} from './theme.js';

export interface AuditMark {
	count: number;
	tone: Tone;
}

export interface InventoryRow {
	eniId: string;
	instanceId: string | null;
	name: string;
	state: string;
	platform: string;
	privateIp: string;
	publicIp: string;
	groups: string;
	groupIds: string[];
	/** '✓ 60s', '✗ none', '? unknown'. */
	flow: {tone: Tone; text: string};
	audit: AuditMark | null;
	search: string;
}

export function instanceOf(inventory: Inventory, eni: NetworkInterface): Instance | null {
	return inventory.instances.find((instance) => instance.id === eni.instanceId) ?? null;
}

// AWS-managed interfaces have long descriptions ("Interface for NAT Gateway nat-…") that a narrow
// NAME column truncates into noise; their type says what they are in a word or two.
const MANAGED_INTERFACE_LABELS: Record<string, string> = {
	nat_gateway: 'NAT gateway',
	natGateway: 'NAT gateway',
	network_load_balancer: 'NLB',
	gateway_load_balancer: 'GWLB',
	gateway_load_balancer_endpoint: 'GWLB endpoint',
	vpc_endpoint: 'VPC endpoint',
	transit_gateway: 'transit gw',
	lambda: 'Lambda',
	efs: 'EFS',
};

export function nameOf(inventory: Inventory, eni: NetworkInterface): string {
	const instance = instanceOf(inventory, eni);
	return instance?.name ?? instance?.tags.Name ?? eni.tags.Name ?? MANAGED_INTERFACE_LABELS[eni.interfaceType] ?? (eni.description || eni.interfaceType);
}

export function groupName(inventory: Inventory, groupId: string): string {
	const group = inventory.securityGroups.find((candidate) => candidate.id === groupId);
	return group?.name ?? groupId;
}

export function flowCell(inventory: Inventory, eni: NetworkInterface): InventoryRow['flow'] {
	if (!inventory.known.flowLogs) return {tone: 'muted', text: '? unknown'};
	const coverage = flowCoverage(inventory, eni);
	if (coverage.best) return {tone: 'good', text: `✓ ${coverage.best.flowLog.maxAggregationInterval}s`};
	if (coverage.flowLogs.length > 0) return {tone: 'warn', text: '! unusable'};
	return {tone: 'bad', text: '✗ none'};
}

export function inventoryRows(inventory: Inventory, marks: ReadonlyMap<string, AuditMark> = new Map()): InventoryRow[] {
	const rows = inventory.networkInterfaces.map((eni): InventoryRow => {
		const instance = instanceOf(inventory, eni);
		const name = nameOf(inventory, eni);
		const groups = eni.groupIds.map((id) => groupName(inventory, id)).join(', ');
		const row: InventoryRow = {
			eniId: eni.id,
			instanceId: eni.instanceId,
			name,
			state: instance ? instanceStateText(instance) : eni.status,
			platform: instance?.platform ?? '',
			privateIp: eni.privateIps[0] ?? '-',
			publicIp: eni.publicIp ?? '-',
			groups,
			groupIds: eni.groupIds,
			flow: flowCell(inventory, eni),
			audit: marks.get(eni.id) ?? null,
			search: '',
		};
		row.search = [name, eni.id, eni.instanceId ?? '', row.privateIp, row.publicIp, groups, ...eni.groupIds, eni.subnetId, eni.vpcId, ...eni.privateIps].join(' ').toLowerCase();
		return row;
	});
	rows.sort((a, b) => a.name.localeCompare(b.name) || a.eniId.localeCompare(b.eniId));
	return rows;
}

/** Every whitespace-separated word of the filter must appear somewhere in the row. */
export function filterRows(rows: readonly InventoryRow[], filter: string): InventoryRow[] {
	const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
	if (words.length === 0) return [...rows];
	return rows.filter((row) => words.every((word) => row.search.includes(word)));
}

/** "web-1 (eni-0abc)" for breadcrumbs and titles. */
export function describeEniShort(inventory: Inventory, eniId: string): string {
	const eni = inventory.networkInterfaces.find((candidate) => candidate.id === eniId);
	if (!eni) return eniId;
	return `${nameOf(inventory, eni)} (${eniId})`;
}

// Builds engine inventories in test code: small helpers for rules, ACL entries and listener
// captures, so each test states only what matters to it.
import type {
	HostCapture,
	Instance,
	Inventory,
	Listener,
	NetworkAcl,
	NetworkAclEntry,
	NetworkInterface,
	PrefixList,
	RulePeer,
	SecurityGroup,
	SecurityGroupRule,
	FlowLogConfig,
	InternetGateway,
	Route,
	RouteTable,
} from '../../source/core/types.js';

export function peer(text: string): RulePeer {
	if (text.startsWith('sg-')) return {kind: 'group', groupId: text};
	if (text.startsWith('pl-')) return {kind: 'prefix-list', prefixListId: text};
	return text.includes(':') ? {kind: 'cidr6', cidr: text} : {kind: 'cidr4', cidr: text};
}

/** An ingress rule; ports as a number, [from, to], or null (all traffic / ICMP any). */
export function rule(protocol: string, ports: number | [number, number] | null, from: string, extra: Partial<SecurityGroupRule> = {}): SecurityGroupRule {
	const [fromPort, toPort] = ports === null ? [null, null] : typeof ports === 'number' ? [ports, ports] : ports;
	return {groupId: '', direction: 'ingress', protocol, fromPort, toPort, peer: peer(from), description: null, ...extra};
}

export function group(id: string, name: string, ingress: SecurityGroupRule[], extra: Partial<SecurityGroup> = {}): SecurityGroup {
	return {
		id,
		name,
		description: extra.description ?? `${name} group`,
		vpcId: 'vpc-1',
		ownerId: '111122223333',
		ingress: ingress.map((r) => ({...r, groupId: id})),
		egress: [rule('-1', null, '0.0.0.0/0', {direction: 'egress', groupId: id})],
		tags: {},
		...extra,
	};
}

const PROTOCOLS: Record<string, string> = {tcp: '6', udp: '17', icmp: '1', icmpv6: '58', all: '-1'};

/** A NACL entry: `entry(100, 'allow', 'tcp', '0.0.0.0/0', [443, 443])`. */
export function entry(
	ruleNumber: number,
	action: 'allow' | 'deny',
	protocol: string,
	cidr: string,
	ports: [number, number] | null = null,
	options: {egress?: boolean; icmp?: {type: number; code: number}} = {},
): NetworkAclEntry {
	const v6 = cidr.includes(':');
	return {
		ruleNumber,
		protocol: PROTOCOLS[protocol] ?? protocol,
		action,
		egress: options.egress ?? false,
		cidr: v6 ? null : cidr,
		ipv6Cidr: v6 ? cidr : null,
		portRange: ports ? {from: ports[0], to: ports[1]} : null,
		icmpTypeCode: options.icmp ?? null,
	};
}

export function egress(e: NetworkAclEntry): NetworkAclEntry {
	return {...e, egress: true};
}

/** AWS's default ACL: allow everything both ways, then `*` deny. */
export function openAclEntries(): NetworkAclEntry[] {
	return [
		entry(100, 'allow', 'all', '0.0.0.0/0'),
		entry(32767, 'deny', 'all', '0.0.0.0/0'),
		egress(entry(100, 'allow', 'all', '0.0.0.0/0')),
		egress(entry(32767, 'deny', 'all', '0.0.0.0/0')),
	];
}

export function acl(id: string, subnetIds: string[], entries: NetworkAclEntry[], extra: Partial<NetworkAcl> = {}): NetworkAcl {
	return {id, vpcId: 'vpc-1', isDefault: false, subnetIds, entries, tags: {}, ...extra};
}

export function eni(id: string, extra: Partial<NetworkInterface> = {}): NetworkInterface {
	return {
		id,
		subnetId: 'subnet-a',
		vpcId: 'vpc-1',
		instanceId: null,
		description: '',
		interfaceType: 'interface',
		status: 'in-use',
		privateIps: [],
		ipv6Addresses: [],
		publicIp: null,
		groupIds: [],
		tags: {},
		...extra,
	};
}

export function instance(id: string, eniIds: string[], extra: Partial<Instance> = {}): Instance {
	return {
		id,
		name: null,
		state: 'running',
		platform: 'linux',
		imageId: null,
		keyName: null,
		privateIp: null,
		publicIp: null,
		subnetId: 'subnet-a',
		vpcId: 'vpc-1',
		networkInterfaceIds: eniIds,
		groupIds: [],
		tags: {},
		...extra,
	};
}

export function inventory(parts: Partial<Omit<Inventory, 'known'>> & {known?: Partial<Inventory['known']>} = {}): Inventory {
	return {
		instances: parts.instances ?? [],
		networkInterfaces: parts.networkInterfaces ?? [],
		securityGroups: parts.securityGroups ?? [],
		networkAcls: parts.networkAcls ?? [],
		flowLogs: parts.flowLogs ?? [],
		prefixLists: parts.prefixLists ?? [],
		routeTables: parts.routeTables ?? [],
		internetGateways: parts.internetGateways ?? [],
		known: {
			instances: true,
			networkInterfaces: true,
			securityGroups: true,
			networkAcls: true,
			flowLogs: true,
			prefixLists: true,
			routeTables: parts.routeTables !== undefined,
			internetGateways: parts.internetGateways !== undefined,
			...parts.known,
		},
	};
}

export function prefixList(id: string, cidrs: string[] | null): PrefixList {
	return {id, name: id, addressFamily: cidrs?.some((c) => c.includes(':')) ? 'IPv6' : 'IPv4', cidrs};
}

export function flowLog(resourceId: string, extra: Partial<FlowLogConfig> = {}): FlowLogConfig {
	return {
		id: `fl-${resourceId}`,
		resourceId,
		trafficType: 'ALL',
		destinationType: 'cloud-watch-logs',
		logGroupName: 'flows',
		destination: null,
		logFormat: '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}',
		maxAggregationInterval: 600,
		status: 'ACTIVE',
		deliverLogsStatus: 'SUCCESS',
		...extra,
	};
}

function exposureOf(address: string): Listener['exposure'] {
	if (['0.0.0.0', '::', '*', '[::]'].includes(address)) return 'all-interfaces';
	if (address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.')) return 'loopback';
	return 'specific';
}

/** A listener capture: `host(['tcp', '0.0.0.0', 22, 'sshd'], ['tcp', '127.0.0.1', 6379, 'redis'])`. */
export function host(...sockets: Array<[Listener['protocol'], string, number, string?]>): HostCapture {
	return {
		format: 'ss',
		source: 'test',
		skipped: [],
		listeners: sockets.map(([protocol, address, port, process], i) => ({
			protocol,
			family: address.includes(':') ? 'ipv6' : 'ipv4',
			address,
			port,
			exposure: exposureOf(address),
			pid: process ? 100 + i : null,
			process: process ?? null,
		})),
	};
}

/** A route: `route('0.0.0.0/0', 'igw-1')`, `route('10.0.0.0/16', 'local')`, `route('pl-1', 'nat-1')`. */
export function route(destination: string, target: string, state: Route['state'] = 'active'): Route {
	const kinds: Array<[string, Route['target']['kind']]> = [
		['igw-', 'internet-gateway'],
		['eigw-', 'egress-only-internet-gateway'],
		['nat-', 'nat-gateway'],
		['pcx-', 'vpc-peering'],
		['tgw-', 'transit-gateway'],
		['vgw-', 'virtual-private-gateway'],
		['i-', 'instance'],
		['eni-', 'network-interface'],
	];
	const kind = kinds.find(([prefix]) => target.startsWith(prefix))?.[1];
	const routeTarget: Route['target'] = target === 'local' ? {kind: 'local'} : ({kind: kind ?? 'other', id: target});
	const dest: Route['destination'] = destination.startsWith('pl-') ? {kind: 'prefix-list', prefixListId: destination} : destination.includes(':') ? {kind: 'cidr6', cidr: destination} : {kind: 'cidr4', cidr: destination};
	return {destination: dest, target: routeTarget, state};
}

export function routeTable(id: string, subnetIds: string[], routes: Route[], extra: Partial<RouteTable> = {}): RouteTable {
	return {id, vpcId: 'vpc-1', main: false, subnetIds, routes, tags: {}, ...extra};
}

export function internetGateway(id: string, attachedVpcIds: string[] = ['vpc-1']): InternetGateway {
	return {id, attachedVpcIds, tags: {}};
}

/** vpc-1's CIDRs: 10.0.0.0/16 and 2001:db8:1::/56. */
export const VPC_LOCAL = [route('10.0.0.0/16', 'local'), route('2001:db8:1::/56', 'local')];

/** A public subnet's main table: local, and the internet through igw-1 for both families. */
export function publicRoutes(): RouteTable[] {
	return [routeTable('rtb-main', [], [...VPC_LOCAL, route('0.0.0.0/0', 'igw-1'), route('::/0', 'igw-1')], {main: true})];
}

/**
 * The usual scene: instance i-web (eni-web, 10.0.1.10, public 198.51.100.10, subnet-a) carrying
 * sg-web (443 from the world, 22 from 10.0.0.0/16), acl-a on subnet-a allowing everything, and a
 * main route table sending the internet to igw-1.
 */
export function webScene(overrides: {groups?: SecurityGroup[]; entries?: NetworkAclEntry[]; eni?: Partial<NetworkInterface>; routeTables?: RouteTable[]} = {}): Inventory {
	const groups = overrides.groups ?? [group('sg-web', 'web', [rule('tcp', 443, '0.0.0.0/0'), rule('tcp', 22, '10.0.0.0/16')])];
	return inventory({
		instances: [instance('i-web', ['eni-web'], {privateIp: '10.0.1.10', groupIds: groups.map((g) => g.id)})],
		networkInterfaces: [
			eni('eni-web', {instanceId: 'i-web', privateIps: ['10.0.1.10'], ipv6Addresses: ['2001:db8:1::10'], publicIp: '198.51.100.10', groupIds: groups.map((g) => g.id), ...overrides.eni}),
		],
		securityGroups: groups,
		networkAcls: [acl('acl-a', ['subnet-a'], overrides.entries ?? openAclEntries())],
		routeTables: overrides.routeTables ?? publicRoutes(),
		internetGateways: [internetGateway('igw-1')],
	});
}

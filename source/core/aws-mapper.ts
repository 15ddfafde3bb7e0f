// Maps EC2 API output (the SDK's shapes, which are exactly what `aws ec2 describe-* --output json`
// prints) into the engine's inventory. The live AWS layer and the snapshot loader both call this,
// so an offline snapshot and a live account are evaluated by the same code.
import type {
	FlowLog,
	GroupIdentifier,
	InternetGateway as AwsInternetGateway,
	Route as AwsRoute,
	RouteTable as AwsRouteTable,
	IpPermission,
	ManagedPrefixList,
	NetworkAcl as AwsNetworkAcl,
	NetworkInterface as AwsNetworkInterface,
	Instance as AwsInstance,
	InstanceNetworkInterface,
	PrefixListEntry,
	Reservation,
	SecurityGroup as AwsSecurityGroup,
	Tag,
} from '@aws-sdk/client-ec2';
import type {
	FlowLogConfig,
	FlowLogDestinationType,
	Instance,
	InternetGateway,
	Route,
	RouteTable,
	RouteTarget,
	Inventory,
	NetworkAcl,
	NetworkAclEntry,
	NetworkInterface,
	PrefixList,
	SecurityGroup,
	SecurityGroupRule,
	Tags,
} from './types.js';
import {INSTANCE_STATES} from './types.js';

/** Raw API results; a part left undefined was not captured, and the inventory says so in `known`. */
export interface RawAwsInventory {
	reservations?: Reservation[];
	networkInterfaces?: AwsNetworkInterface[];
	securityGroups?: AwsSecurityGroup[];
	networkAcls?: AwsNetworkAcl[];
	flowLogs?: FlowLog[];
	prefixLists?: ManagedPrefixList[];
	/** GetManagedPrefixListEntries results by prefix list id. */
	prefixListEntries?: Record<string, PrefixListEntry[]>;
	routeTables?: AwsRouteTable[];
	internetGateways?: AwsInternetGateway[];
}

export const DEFAULT_FLOW_LOG_FORMAT =
	'${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

/** AWS's default when a flow log was created without --max-aggregation-interval. */
export const DEFAULT_MAX_AGGREGATION_INTERVAL = 600;

export function mapInventory(raw: RawAwsInventory): Inventory {
	const instances = (raw.reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
	const networkInterfaces = (raw.networkInterfaces ?? []).map(mapNetworkInterface);

	// DescribeInstances repeats each attached ENI. When DescribeNetworkInterfaces was not captured
	// (or was filtered), those copies still let `check` reach the target's groups and subnet;
	// `known.networkInterfaces` stays false because unattached ENIs (NAT gateways, load balancers,
	// endpoints) — members of referenced groups — may be missing.
	const seen = new Set(networkInterfaces.map((eni) => eni.id));
	for (const instance of instances) {
		for (const eni of instance.NetworkInterfaces ?? []) {
			if (eni.NetworkInterfaceId && !seen.has(eni.NetworkInterfaceId)) {
				seen.add(eni.NetworkInterfaceId);
				networkInterfaces.push(mapInstanceNetworkInterface(eni, instance.InstanceId ?? null));
			}
		}
	}

	// DescribeInstances' PublicIpAddress belongs to the primary ENI: when DescribeNetworkInterfaces
	// (captured at another moment, or by hand) shows that ENI without one, the instance still says it.
	const mappedInstances = instances.map(mapInstance);
	for (const instance of mappedInstances) {
		const primary = networkInterfaces.find((eni) => eni.id === instance.networkInterfaceIds[0]);
		if (instance.publicIp && primary && primary.publicIp === null) primary.publicIp = instance.publicIp;
	}

	return {
		instances: mappedInstances,
		networkInterfaces,
		securityGroups: (raw.securityGroups ?? []).map(mapSecurityGroup),
		networkAcls: (raw.networkAcls ?? []).map(mapNetworkAcl),
		flowLogs: (raw.flowLogs ?? []).map(mapFlowLog),
		prefixLists: mapPrefixLists(raw.prefixLists ?? [], raw.prefixListEntries ?? {}),
		routeTables: (raw.routeTables ?? []).map(mapRouteTable),
		internetGateways: (raw.internetGateways ?? []).map(mapInternetGateway),
		known: {
			instances: raw.reservations !== undefined,
			networkInterfaces: raw.networkInterfaces !== undefined,
			securityGroups: raw.securityGroups !== undefined,
			networkAcls: raw.networkAcls !== undefined,
			flowLogs: raw.flowLogs !== undefined,
			prefixLists: raw.prefixLists !== undefined,
			routeTables: raw.routeTables !== undefined,
			internetGateways: raw.internetGateways !== undefined,
		},
	};
}

export function mapTags(tags: Tag[] | undefined): Tags {
	const result: Tags = {};
	for (const tag of tags ?? []) {
		if (tag.Key !== undefined) result[tag.Key] = tag.Value ?? '';
	}
	return result;
}

function groupIds(groups: GroupIdentifier[] | undefined): string[] {
	return (groups ?? []).flatMap((group) => (group.GroupId ? [group.GroupId] : []));
}

function isWindows(instance: AwsInstance): boolean {
	// `Platform` is only set for Windows; PlatformDetails ("Windows", "Windows with SQL Server
	// Standard", "Linux/UNIX", ...) also covers instances launched from copied Windows AMIs.
	if (instance.Platform?.toLowerCase() === 'windows') return true;
	return /windows/i.test(instance.PlatformDetails ?? '');
}

/** Primary ENI (card 0, device index 0) first, then by card and device index. */
function byAttachmentOrder(a: InstanceNetworkInterface, b: InstanceNetworkInterface): number {
	const card = (eni: InstanceNetworkInterface) => eni.Attachment?.NetworkCardIndex ?? 0;
	const index = (eni: InstanceNetworkInterface) => eni.Attachment?.DeviceIndex ?? Number.MAX_SAFE_INTEGER;
	return card(a) - card(b) || index(a) - index(b);
}

/**
 * EC2 answers with one of its six state names; a missing one (a hand-written snapshot) is unknown.
 * Any other text is not trusted as a state: it is kept apart for display, and the state is
 * unknown, so no layer reads it as running (or as stopped, and offers to start the instance).
 */
function mapInstanceState(name: string | undefined): Pick<Instance, 'state' | 'unrecognizedState'> {
	if (name === undefined) return {state: 'unknown'};
	const known = INSTANCE_STATES.find((state) => state === name);
	return known ? {state: known} : {state: 'unknown', unrecognizedState: name};
}

/** The state for display: `unknown: "hibernated"` names what the evidence said instead. */
export function instanceStateText(instance: Pick<Instance, 'state' | 'unrecognizedState'>): string {
	return instance.unrecognizedState === undefined ? instance.state : `unknown: "${instance.unrecognizedState}"`;
}

function mapInstance(instance: AwsInstance): Instance {
	const tags = mapTags(instance.Tags);
	const enis = [...(instance.NetworkInterfaces ?? [])].sort(byAttachmentOrder);
	let groups = groupIds(instance.SecurityGroups);
	if (instance.SecurityGroups === undefined) {
		groups = [...new Set(enis.flatMap((eni) => groupIds(eni.Groups)))];
	}
	return {
		id: instance.InstanceId ?? '',
		name: tags['Name'] ?? null,
		...mapInstanceState(instance.State?.Name),
		platform: isWindows(instance) ? 'windows' : 'linux',
		imageId: instance.ImageId ?? null,
		keyName: instance.KeyName ?? null,
		privateIp: instance.PrivateIpAddress ?? null,
		publicIp: instance.PublicIpAddress ?? null,
		subnetId: instance.SubnetId ?? null,
		vpcId: instance.VpcId ?? null,
		networkInterfaceIds: enis.flatMap((eni) => (eni.NetworkInterfaceId ? [eni.NetworkInterfaceId] : [])),
		groupIds: groups,
		tags,
	};
}

/** The primary private address first, as AWS treats it as the ENI's address. */
function privateAddresses(
	primary: string | undefined,
	all: Array<{PrivateIpAddress?: string; Primary?: boolean}> | undefined,
): string[] {
	const ordered = [...(all ?? [])].sort((a, b) => Number(b.Primary ?? false) - Number(a.Primary ?? false));
	const ips = ordered.flatMap((entry) => (entry.PrivateIpAddress ? [entry.PrivateIpAddress] : []));
	if (primary && !ips.includes(primary)) ips.unshift(primary);
	return ips;
}

// DescribeNetworkInterfaces and DescribeInstances describe an ENI with different SDK types that
// share these fields; one mapping serves both.
interface EniFields {
	NetworkInterfaceId?: string;
	SubnetId?: string;
	VpcId?: string;
	Description?: string;
	InterfaceType?: string;
	Status?: string;
	PrivateIpAddress?: string;
	PrivateIpAddresses?: Array<{PrivateIpAddress?: string; Primary?: boolean; Association?: {PublicIp?: string}}>;
	Ipv6Addresses?: Array<{Ipv6Address?: string}>;
	Association?: {PublicIp?: string};
	Groups?: Parameters<typeof groupIds>[0];
}

/**
 * The ENI's public IPv4: its primary address's, else an Elastic IP on a secondary private address
 * (AssociateAddress takes "the primary or secondary private IP address to associate with the
 * Elastic IP address" — https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateAddress.html):
 * the internet reaches the ENI through either.
 */
function publicAddress(eni: EniFields): string | null {
	if (eni.Association?.PublicIp) return eni.Association.PublicIp;
	const ordered = [...(eni.PrivateIpAddresses ?? [])].sort((a, b) => Number(b.Primary ?? false) - Number(a.Primary ?? false));
	return ordered.find((entry) => entry.Association?.PublicIp)?.Association?.PublicIp ?? null;
}

function mapEniFields(eni: EniFields, instanceId: string | null, tags: Tags): NetworkInterface {
	return {
		id: eni.NetworkInterfaceId ?? '',
		subnetId: eni.SubnetId ?? '',
		vpcId: eni.VpcId ?? '',
		instanceId,
		description: eni.Description ?? '',
		interfaceType: eni.InterfaceType ?? 'interface',
		status: eni.Status ?? 'unknown',
		privateIps: privateAddresses(eni.PrivateIpAddress, eni.PrivateIpAddresses),
		ipv6Addresses: (eni.Ipv6Addresses ?? []).flatMap((address) => (address.Ipv6Address ? [address.Ipv6Address] : [])),
		publicIp: publicAddress(eni),
		groupIds: groupIds(eni.Groups),
		tags,
	};
}

function mapNetworkInterface(eni: AwsNetworkInterface): NetworkInterface {
	return mapEniFields(eni, eni.Attachment?.InstanceId ?? null, mapTags(eni.TagSet));
}

function mapInstanceNetworkInterface(eni: InstanceNetworkInterface, instanceId: string | null): NetworkInterface {
	return mapEniFields(eni, instanceId, {});
}

/** One IpPermission lists several peers; the engine wants one rule per peer (as the console shows). */
export function mapPermission(
	groupId: string,
	direction: 'ingress' | 'egress',
	permission: IpPermission,
): SecurityGroupRule[] {
	const base = {
		groupId,
		ruleId: null,
		direction,
		protocol: (permission.IpProtocol ?? '-1').toLowerCase(),
		fromPort: permission.FromPort ?? null,
		toPort: permission.ToPort ?? null,
	};
	const rules: SecurityGroupRule[] = [];
	for (const range of permission.IpRanges ?? []) {
		if (range.CidrIp) rules.push({...base, peer: {kind: 'cidr4', cidr: range.CidrIp}, description: range.Description ?? null});
	}
	for (const range of permission.Ipv6Ranges ?? []) {
		if (range.CidrIpv6) rules.push({...base, peer: {kind: 'cidr6', cidr: range.CidrIpv6}, description: range.Description ?? null});
	}
	for (const list of permission.PrefixListIds ?? []) {
		if (list.PrefixListId) {
			rules.push({...base, peer: {kind: 'prefix-list', prefixListId: list.PrefixListId}, description: list.Description ?? null});
		}
	}
	for (const pair of permission.UserIdGroupPairs ?? []) {
		// Outside a VPC (EC2-Classic era output) a pair may carry only the name; keeping it as the
		// id makes the evaluator report the group as unknown rather than dropping the rule.
		const referenced = pair.GroupId ?? pair.GroupName;
		if (referenced) {
			rules.push({
				...base,
				peer: {kind: 'group', groupId: referenced, userId: pair.UserId ?? null},
				description: pair.Description ?? null,
			});
		}
	}
	return rules;
}

function mapSecurityGroup(group: AwsSecurityGroup): SecurityGroup {
	const id = group.GroupId ?? '';
	return {
		id,
		name: group.GroupName ?? '',
		description: group.Description ?? '',
		vpcId: group.VpcId ?? null,
		ownerId: group.OwnerId ?? null,
		ingress: (group.IpPermissions ?? []).flatMap((permission) => mapPermission(id, 'ingress', permission)),
		egress: (group.IpPermissionsEgress ?? []).flatMap((permission) => mapPermission(id, 'egress', permission)),
		tags: mapTags(group.Tags),
	};
}

// The API always answers with numbers ("6", "-1"), but hand-written snapshots and other tools
// use names; the engine compares numbers.
const NACL_PROTOCOL_NUMBERS: Record<string, string> = {all: '-1', tcp: '6', udp: '17', icmp: '1', icmpv6: '58'};

function mapNetworkAcl(acl: AwsNetworkAcl): NetworkAcl {
	const entries: NetworkAclEntry[] = (acl.Entries ?? []).map((entry) => {
		const protocol = (entry.Protocol ?? '-1').toLowerCase();
		return {
			ruleNumber: entry.RuleNumber ?? 32767,
			protocol: NACL_PROTOCOL_NUMBERS[protocol] ?? protocol,
			action: entry.RuleAction === 'allow' ? 'allow' : 'deny',
			egress: entry.Egress ?? false,
			cidr: entry.CidrBlock ?? null,
			ipv6Cidr: entry.Ipv6CidrBlock ?? null,
			portRange:
				entry.PortRange && entry.PortRange.From !== undefined && entry.PortRange.To !== undefined
					? {from: entry.PortRange.From, to: entry.PortRange.To}
					: null,
			icmpTypeCode:
				entry.IcmpTypeCode && entry.IcmpTypeCode.Type !== undefined && entry.IcmpTypeCode.Code !== undefined
					? {type: entry.IcmpTypeCode.Type, code: entry.IcmpTypeCode.Code}
					: null,
		};
	});
	// Evaluation order: lowest rule number first, per direction (the `*` rule is 32767).
	entries.sort((a, b) => Number(a.egress) - Number(b.egress) || a.ruleNumber - b.ruleNumber);
	return {
		id: acl.NetworkAclId ?? '',
		vpcId: acl.VpcId ?? '',
		isDefault: acl.IsDefault ?? false,
		subnetIds: (acl.Associations ?? []).flatMap((association) => (association.SubnetId ? [association.SubnetId] : [])),
		entries,
		tags: mapTags(acl.Tags),
	};
}

const DESTINATION_TYPES: readonly FlowLogDestinationType[] = ['cloud-watch-logs', 's3', 'kinesis-data-firehose'];

/**
 * The log group a CloudWatch Logs destination ARN names (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME`,
 * maybe with `:*`). A flow log created with LogDestination instead of LogGroupName may be described
 * without LogGroupName (moto does): its group is still this one. Group names hold no colon.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html
 */
function logGroupOfArn(arn: string | undefined): string | null {
	return /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/.exec(arn ?? '')?.[1] ?? null;
}

function mapFlowLog(flowLog: FlowLog): FlowLogConfig {
	const destinationType = (DESTINATION_TYPES as readonly string[]).includes(flowLog.LogDestinationType ?? '')
		? (flowLog.LogDestinationType as FlowLogDestinationType)
		: // Flow logs created before S3 delivery existed report no destination type: they go to CWL.
			'cloud-watch-logs';
	const trafficType = flowLog.TrafficType === 'ACCEPT' || flowLog.TrafficType === 'REJECT' ? flowLog.TrafficType : 'ALL';
	return {
		id: flowLog.FlowLogId ?? '',
		resourceId: flowLog.ResourceId ?? '',
		trafficType,
		destinationType,
		logGroupName: flowLog.LogGroupName ?? (destinationType === 'cloud-watch-logs' ? logGroupOfArn(flowLog.LogDestination) : null),
		destination: flowLog.LogDestination ?? null,
		logFormat: flowLog.LogFormat?.trim() ? flowLog.LogFormat : DEFAULT_FLOW_LOG_FORMAT,
		maxAggregationInterval: flowLog.MaxAggregationInterval ?? DEFAULT_MAX_AGGREGATION_INTERVAL,
		status: flowLog.FlowLogStatus ?? 'ACTIVE',
		deliverLogsStatus: flowLog.DeliverLogsStatus ?? null,
	};
}

function mapPrefixLists(lists: ManagedPrefixList[], entries: Record<string, PrefixListEntry[]>): PrefixList[] {
	const cidrsOf = (id: string): string[] | null => {
		const listed = Object.hasOwn(entries, id) ? entries[id] : undefined;
		return listed ? listed.flatMap((entry) => (entry.Cidr ? [entry.Cidr] : [])) : null;
	};
	const result: PrefixList[] = lists.map((list) => {
		const id = list.PrefixListId ?? '';
		return {
			id,
			name: list.PrefixListName ?? id,
			addressFamily: list.AddressFamily === 'IPv6' ? 'IPv6' : 'IPv4',
			cidrs: cidrsOf(id),
		};
	});
	// Entries captured for a list that was not described: still usable, the name is unknown.
	for (const id of Object.keys(entries)) {
		if (result.some((list) => list.id === id)) continue;
		const cidrs = cidrsOf(id) ?? [];
		result.push({id, name: id, addressFamily: cidrs.some((cidr) => cidr.includes(':')) ? 'IPv6' : 'IPv4', cidrs});
	}
	return result;
}

// A Route names its target in one of several fields; the more specific ones come first because
// an instance route carries both InstanceId and NetworkInterfaceId.
function mapRouteTarget(route: AwsRoute): RouteTarget {
	if (route.NatGatewayId) return {kind: 'nat-gateway', id: route.NatGatewayId};
	if (route.EgressOnlyInternetGatewayId) return {kind: 'egress-only-internet-gateway', id: route.EgressOnlyInternetGatewayId};
	if (route.TransitGatewayId) return {kind: 'transit-gateway', id: route.TransitGatewayId};
	if (route.VpcPeeringConnectionId) return {kind: 'vpc-peering', id: route.VpcPeeringConnectionId};
	if (route.InstanceId) return {kind: 'instance', id: route.InstanceId};
	if (route.NetworkInterfaceId) return {kind: 'network-interface', id: route.NetworkInterfaceId};
	const gateway = route.GatewayId;
	if (gateway === 'local') return {kind: 'local'};
	if (gateway?.startsWith('igw-')) return {kind: 'internet-gateway', id: gateway};
	if (gateway?.startsWith('vgw-')) return {kind: 'virtual-private-gateway', id: gateway};
	const other = gateway ?? route.CarrierGatewayId ?? route.LocalGatewayId ?? route.CoreNetworkArn ?? '';
	return {kind: 'other', id: other};
}

function mapRoute(route: AwsRoute): Route | null {
	const destination = route.DestinationCidrBlock
		? ({kind: 'cidr4', cidr: route.DestinationCidrBlock} as const)
		: route.DestinationIpv6CidrBlock
			? ({kind: 'cidr6', cidr: route.DestinationIpv6CidrBlock} as const)
			: route.DestinationPrefixListId
				? ({kind: 'prefix-list', prefixListId: route.DestinationPrefixListId} as const)
				: null;
	if (!destination) return null;
	return {destination, target: mapRouteTarget(route), state: mapRouteState(route.State)};
}

// DescribeRouteTables: RouteState is active | blackhole | filtered. Anything but active (or a
// missing state, which older responses and hand-written snapshots leave out) does not carry.
function mapRouteState(state: string | undefined): Route['state'] {
	if (state === undefined || state === 'active') return 'active';
	return state === 'blackhole' ? 'blackhole' : 'filtered';
}

function mapRouteTable(table: AwsRouteTable): RouteTable {
	const associations = table.Associations ?? [];
	return {
		id: table.RouteTableId ?? '',
		vpcId: table.VpcId ?? '',
		main: associations.some((association) => association.Main === true),
		subnetIds: associations.flatMap((association) => (association.SubnetId ? [association.SubnetId] : [])),
		routes: (table.Routes ?? []).flatMap((route) => mapRoute(route) ?? []),
		tags: mapTags(table.Tags),
	};
}

function mapInternetGateway(gateway: AwsInternetGateway): InternetGateway {
	return {
		id: gateway.InternetGatewayId ?? '',
		attachedVpcIds: (gateway.Attachments ?? []).flatMap((attachment) =>
			attachment.VpcId && attachment.State !== 'detaching' && attachment.State !== 'detached' ? [attachment.VpcId] : [],
		),
		tags: mapTags(gateway.Tags),
	};
}

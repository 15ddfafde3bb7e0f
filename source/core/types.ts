// The engine's vocabulary. Every evidence source (a snapshot directory, the live AWS layer, the
// lab, an SSH probe) is mapped into these plain-data types, so the evaluator, the CLI and the UI
// share one path whatever the evidence came from.

// ---------------------------------------------------------------------------------------------
// Host evidence: what listens on the instance.

export type ListenerProtocol = 'tcp' | 'udp';
export type AddressFamily = 'ipv4' | 'ipv6';
/** all-interfaces: 0.0.0.0 / :: / * — reachable from outside; loopback: never reachable from outside. */
export type Exposure = 'all-interfaces' | 'loopback' | 'specific';

export interface Listener {
	protocol: ListenerProtocol;
	family: AddressFamily;
	address: string;
	port: number;
	exposure: Exposure;
	pid: number | null;
	process: string | null;
	/**
	 * Which client families the socket takes, as far as the listing can tell. A `::` socket is
	 * dual-stack unless IPV6_V6ONLY is set, which only modern `ss` shows (`*:P` vs `[::]:P`);
	 * `assumed` marks a dual-stack reading the listing could not confirm (netstat, /proc/net, old
	 * ss). Absent on listeners built by hand: the engine then infers it from family and exposure.
	 */
	accepts?: {ipv4: boolean; ipv6: boolean; assumed?: boolean};
	/**
	 * The device the socket is bound to, when the listing shows one (ss: `127.0.0.53%lo`,
	 * `0.0.0.0%eth0`; Windows: the zone index of `[fe80::1%6]`). Absent otherwise. `address`
	 * never carries it.
	 */
	interface?: string;
}

/** Which tool printed a listener listing. */
export type ListingFormat = 'ss' | 'netstat-linux' | 'netstat-windows' | 'proc-net';

/** A line the parser could not use: kept so callers can say what was skipped. */
export interface SkippedLine {
	line: number;
	text: string;
	reason: string;
}

export interface ListenerParseResult {
	format: ListingFormat;
	listeners: Listener[];
	skipped: SkippedLine[];
}

// ---------------------------------------------------------------------------------------------
// Network inventory (the engine's view of EC2).

export type Tags = Record<string, string>;

/**
 * A security-group rule's peer. `group` means "the private IPs of every ENI that carries that
 * group" — resolved by the evaluator against the inventory, never the members' public IPs.
 */
export type RulePeer =
	| {kind: 'cidr4'; cidr: string}
	| {kind: 'cidr6'; cidr: string}
	| {kind: 'prefix-list'; prefixListId: string}
	| {kind: 'group'; groupId: string; userId?: string | null};

export interface SecurityGroupRule {
	groupId: string;
	/** Rule id (sgr-…) when known. */
	ruleId?: string | null;
	direction: 'ingress' | 'egress';
	/** As AWS spells it: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | '-1' | a protocol number as string. */
	protocol: string;
	/** For ICMP: the type (-1 = any). Null when AWS gives none (all traffic). */
	fromPort: number | null;
	/** For ICMP: the code (-1 = any). */
	toPort: number | null;
	peer: RulePeer;
	description?: string | null;
}

export interface SecurityGroup {
	id: string;
	name: string;
	description: string;
	vpcId: string | null;
	ownerId: string | null;
	ingress: SecurityGroupRule[];
	egress: SecurityGroupRule[];
	tags: Tags;
}

export interface NetworkAclEntry {
	ruleNumber: number;
	/** Protocol number as a string, '-1' for all. */
	protocol: string;
	action: 'allow' | 'deny';
	egress: boolean;
	cidr: string | null;
	ipv6Cidr: string | null;
	portRange: {from: number; to: number} | null;
	icmpTypeCode: {type: number; code: number} | null;
}

export interface NetworkAcl {
	id: string;
	vpcId: string;
	isDefault: boolean;
	subnetIds: string[];
	entries: NetworkAclEntry[];
	tags: Tags;
}

export interface NetworkInterface {
	id: string;
	subnetId: string;
	vpcId: string;
	instanceId: string | null;
	description: string;
	interfaceType: string;
	status: string;
	privateIps: string[];
	ipv6Addresses: string[];
	publicIp: string | null;
	groupIds: string[];
	tags: Tags;
}

export type Platform = 'linux' | 'windows';

/**
 * EC2's instance states (EC2 API reference, InstanceState: pending | running | shutting-down |
 * terminated | stopping | stopped), and `unknown` when the evidence gives none of them.
 */
export const INSTANCE_STATES = ['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped'] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number] | 'unknown';

export interface Instance {
	id: string;
	name: string | null;
	state: InstanceState;
	/**
	 * The state as the evidence wrote it when it is none of EC2's names (a hand-edited snapshot, an
	 * endpoint that is not EC2): kept to be shown (escaped), while `state` is `unknown`, so it is
	 * never taken for running nor for stopped. Absent otherwise.
	 */
	unrecognizedState?: string;
	platform: Platform;
	imageId: string | null;
	keyName: string | null;
	privateIp: string | null;
	publicIp: string | null;
	subnetId: string | null;
	vpcId: string | null;
	networkInterfaceIds: string[];
	groupIds: string[];
	tags: Tags;
}

export type FlowLogDestinationType = 'cloud-watch-logs' | 's3' | 'kinesis-data-firehose';

export interface FlowLogConfig {
	id: string;
	/** The ENI, subnet or VPC the flow log is attached to. */
	resourceId: string;
	trafficType: 'ACCEPT' | 'REJECT' | 'ALL';
	destinationType: FlowLogDestinationType;
	logGroupName: string | null;
	destination: string | null;
	/** DescribeFlowLogs' LogFormat; the default v2 format when AWS gives none. */
	logFormat: string;
	/** Seconds: 60 or 600. */
	maxAggregationInterval: number;
	status: string;
	deliverLogsStatus: string | null;
}

export interface PrefixList {
	id: string;
	name: string;
	addressFamily: 'IPv4' | 'IPv6';
	/** null when the entries were not captured: the evaluator treats the list as unknown. */
	cidrs: string[] | null;
}

/**
 * Where a route sends matching traffic. `local` is the VPC's own CIDR(s); everything else names
 * the target by its id. Kinds follow the fields of EC2's Route shape.
 */
export type RouteTarget =
	| {kind: 'local'}
	| {kind: 'internet-gateway'; id: string}
	| {kind: 'egress-only-internet-gateway'; id: string}
	| {kind: 'nat-gateway'; id: string}
	| {kind: 'vpc-peering'; id: string}
	| {kind: 'transit-gateway'; id: string}
	| {kind: 'virtual-private-gateway'; id: string}
	| {kind: 'instance'; id: string}
	| {kind: 'network-interface'; id: string}
	/** Gateway load balancer / VPC endpoints, carrier and local gateways, core networks. */
	| {kind: 'other'; id: string};

export type RouteDestination =
	| {kind: 'cidr4'; cidr: string}
	| {kind: 'cidr6'; cidr: string}
	| {kind: 'prefix-list'; prefixListId: string};

export interface Route {
	destination: RouteDestination;
	target: RouteTarget;
	/**
	 * Only an active route carries. A blackhole route's target is gone: it matches but never
	 * carries. EC2's RouteState also has `filtered` (in the API model, undocumented in the Route
	 * reference); like any state that is not `active`, it is kept as a route that matches and does
	 * not carry, so a wider route behind it is not used in its place.
	 */
	state: 'active' | 'blackhole' | 'filtered';
}

export interface RouteTable {
	id: string;
	vpcId: string;
	/** The VPC's main table: it serves every subnet without an explicit association. */
	main: boolean;
	/** Subnets explicitly associated with this table. */
	subnetIds: string[];
	routes: Route[];
	tags: Tags;
}

export interface InternetGateway {
	id: string;
	/** VPCs the gateway is attached to (AWS reports an attached IGW's state as `available`). */
	attachedVpcIds: string[];
	tags: Tags;
}

export interface Inventory {
	instances: Instance[];
	networkInterfaces: NetworkInterface[];
	securityGroups: SecurityGroup[];
	networkAcls: NetworkAcl[];
	flowLogs: FlowLogConfig[];
	prefixLists: PrefixList[];
	routeTables: RouteTable[];
	internetGateways: InternetGateway[];
	/** Which parts of the inventory were actually available (a missing snapshot file = unknown). */
	known: {
		instances: boolean;
		networkInterfaces: boolean;
		securityGroups: boolean;
		networkAcls: boolean;
		flowLogs: boolean;
		prefixLists: boolean;
		routeTables: boolean;
		internetGateways: boolean;
	};
}

// ---------------------------------------------------------------------------------------------
// Flow log records.

export type FlowAction = 'ACCEPT' | 'REJECT';
export type FlowLogStatus = 'OK' | 'NODATA' | 'SKIPDATA';

/**
 * One flow log record, keyed by CloudWatch Logs Insights' camelCase field names. Fields absent
 * from the log format are absent; `-` in the record is null; numeric fields are numbers.
 */
export interface FlowRecord {
	version?: number | null;
	accountId?: string | null;
	interfaceId?: string | null;
	srcAddr?: string | null;
	dstAddr?: string | null;
	srcPort?: number | null;
	dstPort?: number | null;
	protocol?: number | null;
	packets?: number | null;
	bytes?: number | null;
	start?: number | null;
	end?: number | null;
	action?: FlowAction | null;
	logStatus?: FlowLogStatus | null;
	[field: string]: string | number | null | undefined;
}

// ---------------------------------------------------------------------------------------------
// Triage.

export type CheckProtocol = 'tcp' | 'udp' | 'icmp';
export type ClientOs = 'linux' | 'windows' | 'nat';

/** Who is trying to connect. */
export type TrafficSource =
	| {kind: 'any'}
	| {kind: 'address'; address: string}
	| {kind: 'cidr'; cidr: string}
	| {kind: 'group'; groupId: string};

export interface CheckRequest {
	/** Instance id or ENI id. */
	target: string;
	protocol: CheckProtocol;
	/** Destination port; for ICMP, the ICMP type (8 = echo request). */
	port: number;
	source: TrafficSource;
	clientOs: ClientOs;
}

/** Verdicts in path order (see core/path: the first layer that stops the packet names it). */
export type Verdict =
	| 'blocked-by-client-security-group'
	| 'blocked-by-client-nacl-outbound'
	| 'no-route'
	| 'no-public-address'
	| 'blocked-by-nacl-inbound'
	| 'blocked-by-security-group'
	| 'not-listening'
	| 'loopback-only'
	| 'blocked-by-nacl-return'
	| 'blocked-by-client-nacl-return'
	| 'reachable'
	| 'unknown';

/** The layers a connection crosses, in path order; these are the `check --json` layer keys. */
export const LAYER_NAMES = ['clientSecurityGroup', 'clientNaclOutbound', 'route', 'naclInbound', 'securityGroup', 'host', 'naclReturn', 'clientNaclReturn'] as const;
export type Layer = (typeof LAYER_NAMES)[number];

// ---------------------------------------------------------------------------------------------
// A snapshot: saved evidence in a directory (see README "Snapshot"). Missing pieces are unknown.

export interface HostCapture extends ListenerParseResult {
	/** Where the listing came from (a file path, or "ssh <target>: <command>"). */
	source: string;
}

export interface Snapshot {
	dir: string;
	inventory: Inventory;
	/** Listener captures by instance id. */
	hosts: Record<string, HostCapture>;
	/** Flow log files by ENI id (`flowlogs/<eni-id>.log[.gz]`), read lazily by streaming. */
	flowLogFiles: Record<string, string>;
	/** Non-fatal problems met while loading (each one line, shown to the user). */
	warnings: string[];
}

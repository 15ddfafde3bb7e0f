// The shape of a check's answer. Plain data (JSON-serializable): the CLI prints it with --json,
// the UI renders it.
import type {CheckRequest, Layer, Listener, SecurityGroupRule, Verdict} from './types.js';
import type {LayerStatus} from './sg-evaluator.js';

export type {LayerStatus} from './sg-evaluator.js';

/** A rule that decided (or explains) a layer. */
export type RuleRef =
	| {
			kind: 'security-group';
			groupId: string;
			groupName: string | null;
			ruleId: string | null;
			rule: SecurityGroupRule;
			/** "sg-0abc (web) ingress tcp 8443 from 10.0.0.0/16". */
			text: string;
	  }
	| {
			kind: 'route';
			routeTableId: string;
			/** "0.0.0.0/0", "::/0", or a prefix list id. */
			destination: string;
			/** "igw-0abc", "nat-0abc", "local"… */
			target: string;
			state: 'active' | 'blackhole' | 'filtered';
			/** "rtb-0abc: 0.0.0.0/0 → igw-0abc". */
			text: string;
	  }
	| {
			kind: 'network-acl';
			aclId: string;
			/** 32767 is the final `*` rule. */
			ruleNumber: number;
			egress: boolean;
			action: 'allow' | 'deny';
			text: string;
	  };

export interface LayerResult {
	status: LayerStatus;
	/** One sentence. */
	summary: string;
	/** The rules that decided this layer (for a security-group deny: the rules for the same port that allow other sources). */
	rules: RuleRef[];
	/**
	 * Set when the layer does not apply to this connection (a client outside the snapshot, a NACL
	 * inside one subnet): it lets everything through, so `status` is 'allow', but nothing was checked.
	 */
	notEvaluated?: true;
}

export interface NaclLayerResult extends LayerResult {
	aclId: string | null;
}

export interface RouteLayerResult extends LayerResult {
	/** The route table that serves the target's subnet, when one is known. */
	routeTableId: string | null;
	/** Why the route stops it, when it does. */
	reason: 'no-route' | 'no-public-address' | null;
}

export interface HostLayerResult extends LayerResult {
	/** Sockets on the port (any address), from the capture. */
	listeners: Listener[];
	/** Why the host stops it, when it does. */
	reason: 'not-listening' | 'loopback-only' | null;
}

/** The result of every layer, by name. Key order is path order. */
export interface PathLayers {
	clientSecurityGroup: LayerResult;
	clientNaclOutbound: NaclLayerResult;
	route: RouteLayerResult;
	naclInbound: NaclLayerResult;
	securityGroup: LayerResult;
	host: HostLayerResult;
	naclReturn: NaclLayerResult;
	clientNaclReturn: NaclLayerResult;
}

export interface Fix {
	summary: string;
	/** Shell command(s) to run; several commands are separate lines. Absent when there is nothing to run. */
	command?: string;
	warning?: string;
}

export interface Problem {
	layer: Layer;
	/** The verdict this problem gives when it is the first on the path. */
	verdict: Verdict;
	summary: string;
	decidingRule: RuleRef | null;
	fix: Fix;
}

export interface FlowTally {
	count: number;
	packets: number;
	/** Epoch seconds of the earliest start / latest end seen, null when the records carry none. */
	first: number | null;
	last: number | null;
}

export interface ObservedFlows {
	/** False when no flow records were available for the ENI (see note). */
	available: boolean;
	note: string | null;
	/** OK records read for this ENI. */
	records: number;
	/** Inbound REJECTs from the source to the port/protocol. */
	rejects: FlowTally & {sources: Array<{address: string; count: number}>};
	/** Inbound REJECTs to the same port/protocol from addresses outside the source. */
	rejectsFromOthers: number;
	/** The busiest of those other sources (top 5). */
	otherSources: Array<{address: string; count: number}>;
	/** Inbound ACCEPTs from the source to the port/protocol. */
	accepts: FlowTally;
	/** Outbound REJECTs of the reply (from the port back to the source): the NACL return path. */
	returnRejects: FlowTally & {clients: string[]};
	/** One-line readings of the above ("inbound ACCEPT whose reply is REJECTed: …"). */
	findings: string[];
}

export interface CheckTarget {
	eniId: string;
	instanceId: string | null;
	privateIp: string | null;
	subnetId: string;
	vpcId: string | null;
	groupIds: string[];
}

export interface CheckResult {
	verdict: Verdict;
	target: CheckTarget;
	request: CheckRequest;
	/** The source as evaluated ("203.0.113.25", "anywhere (0.0.0.0/0)", "members of sg-… (2 addresses)"). */
	sourceDescription: string;
	/** Every layer, keyed by its path-order name (see LAYER_NAMES). */
	layers: PathLayers;
	/** Every layer that stops the traffic, in path order. */
	problems: Problem[];
	/** Evidence that is missing, said instead of guessed. */
	unknowns: string[];
	/** Caveats that hold even for a reachable verdict. */
	notes: string[];
	observed: ObservedFlows;
}

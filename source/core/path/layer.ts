// One layer of the path a connection takes. Every layer has the same signature: the request and
// its evidence (a PathContext) in, allow / deny / partial / unknown out, with the rules that
// decided it and — when it stops the traffic — the verdict it gives and the narrowest fix.
// `check` folds the ordered list in ./index.ts; the CLI, the wizard, its report and --json all
// iterate that same list.
import type {AddressSet} from '../cidr.js';
import type {PathLayers, Problem} from '../check-types.js';
import type {Packet} from '../sg-evaluator.js';
import type {AddressFamily, CheckRequest, HostCapture, Instance, Inventory, Layer, NetworkInterface} from '../types.js';

export interface ResolvedTarget {
	eni: NetworkInterface;
	instance: Instance | null;
}

export interface ResolvedSource {
	addresses: AddressSet;
	groupId?: string;
	family: AddressFamily;
	description: string;
	/** The source is explicitly everyone (any, 0.0.0.0/0, ::/0): only then may a fix say /0. */
	wholeInternet: boolean;
	/**
	 * The client's own interfaces, when the client is an ENI of the snapshot (--from a private IP
	 * of a known ENI, or --from sg-… for the ENIs carrying the group). Empty for other sources.
	 */
	clients: NetworkInterface[];
}

export interface PathContext {
	inventory: Inventory;
	request: CheckRequest;
	target: ResolvedTarget;
	source: ResolvedSource;
	packet: Packet;
	host: HostCapture | null;
	/** Evidence that is missing (layers push here as they go), said instead of guessed. */
	unknowns: string[];
	notes: string[];
	/**
	 * NACL rule numbers the fixes of earlier layers already use, by `<acl-id> ingress|egress`: one
	 * ACL on both sides of the path gets two fixes per direction, and they must not share a number
	 * (the second create-network-acl-entry would fail: NetworkAclEntryAlreadyExists).
	 */
	fixRuleNumbers?: Map<string, number[]>;
}

export interface LayerOutcome<K extends Layer> {
	result: PathLayers[K];
	/** Present when the layer stops (part of) the traffic. */
	problem?: Problem;
}

export interface PathLayer<K extends Layer = Layer> {
	name: K;
	/** Short title for tables and the wizard ("Client security groups"). */
	title: string;
	evaluate(ctx: PathContext): LayerOutcome<K>;
}

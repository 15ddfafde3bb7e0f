// Reads the EC2 inventory sgtui evaluates: instances, ENIs, security groups, network ACLs, flow
// logs, the prefix lists the rules reference, route tables and internet gateways. Every describe is paginated and, when scoped to
// some instances, filtered server-side (the filters AWS has), so a large account is not
// downloaded to look at one host. Output is the SDK's raw shapes (what a snapshot stores) plus
// the mapped Inventory.
import type {
	EC2Client,
	Filter,
	Instance,
	ManagedPrefixList,
	NetworkInterface,
	PrefixListEntry,
	Reservation,
	SecurityGroup,
} from '@aws-sdk/client-ec2';
import {mapInventory, type RawAwsInventory} from '../core/aws-mapper.js';
import {refuseMalformedIds, refusedIdsWarning, type RefusedItem} from '../core/inventory-ids.js';
import type {Inventory} from '../core/types.js';
import {allowParallelReads} from './abort-signal.js';
import {AwsCallError, awsCall, isDenied} from './errors.js';
import {ec2Sdk} from './sdk.js';

export interface InventoryProgress {
	/** What is being read, e.g. "security groups". */
	what: string;
	/** 1-based: parts already read + 1 (capped at `steps`); parts are read at once, so this counts completions. */
	step: number;
	steps: number;
	/** Items read so far in this step. */
	count: number;
}

export interface InventoryOptions {
	/** Restrict to these instances (and what they need: their ENIs, groups, NACLs, flow logs). */
	instanceIds?: string[];
	/** MaxResults per page (tests use small pages to exercise pagination). */
	pageSize?: number;
	onProgress?: (progress: InventoryProgress) => void;
	signal?: AbortSignal;
}

export interface InventoryResult {
	raw: RawAwsInventory;
	inventory: Inventory;
	/** Requested instance ids that AWS does not know. */
	missingInstanceIds: string[];
	/**
	 * One line per optional part (NACLs, flow logs, prefix lists, route tables, internet gateways) this identity may not read: that
	 * part is left undefined in `raw`, so `inventory.known` says it is unknown.
	 */
	warnings: string[];
	/** Items left out because an id in them breaks AWS's id grammar (counted in `warnings`). */
	refused: RefusedItem[];
}

// What is lost without each optional part, for the warning line.
const OPTIONAL_IMPACT: Record<string, string> = {
	DescribeNetworkAcls: 'network ACLs unknown; grant it to evaluate the subnet layer',
	DescribeFlowLogs: "flow-log coverage unknown; grant it to see rejects' source",
	DescribeManagedPrefixLists: 'prefix lists unknown; rules that reference them cannot be resolved',
	GetManagedPrefixListEntries: 'prefix list entries unknown; rules that reference them cannot be resolved',
	DescribeRouteTables: 'route tables unknown; grant it to evaluate the route layer',
	DescribeInternetGateways: 'internet gateways unknown; grant it to evaluate the route layer',
};

/**
 * Runs an optional part: a denial leaves it undefined (= unknown) and adds a warning naming the
 * permission, so one missing permission does not blank the whole inventory. Anything else (network,
 * throttling past retries, abort) still fails the load.
 */
async function optional<T>(warnings: string[], read: () => Promise<T>): Promise<T | undefined> {
	try {
		return await read();
	} catch (error) {
		if (!(error instanceof AwsCallError) || !error.permission || !isDenied(error.cause ?? error)) throw error;
		const operation = error.permission.slice(error.permission.indexOf(':') + 1);
		warnings.push(`${error.permission} denied: ${OPTIONAL_IMPACT[operation] ?? 'that part is unknown'}`);
		return undefined;
	}
}

// AWS accepts at most 200 values in one filter.
const FILTER_VALUES = 200;

function chunks<T>(values: T[], size = FILTER_VALUES): T[][] {
	const out: T[][] = [];
	for (let index = 0; index < values.length; index += size) out.push(values.slice(index, index + size));
	return out;
}

const unique = <T>(values: Iterable<T | undefined | null>): T[] => [...new Set([...values].filter((value): value is T => value !== undefined && value !== null && value !== ''))];

type Page<T> = AsyncIterable<T>;

async function collect<P, T>(operation: string, pages: () => Page<P>, pick: (page: P) => T[] | undefined, onCount: (count: number) => void): Promise<T[]> {
	return awsCall('ec2', operation, async () => {
		const items: T[] = [];
		for await (const page of pages()) {
			items.push(...(pick(page) ?? []));
			onCount(items.length);
		}
		return items;
	});
}

/**
 * Describes with a filter over many values: one paginated call per 200 values. With `values`
 * undefined the call is unfiltered (the whole account/region).
 */
async function describeFiltered<P, T>(
	operation: string,
	filterName: string,
	values: string[] | undefined,
	run: (filters: Filter[] | undefined) => Page<P>,
	pick: (page: P) => T[] | undefined,
	onCount: (count: number) => void,
): Promise<T[]> {
	if (values === undefined) return collect(operation, () => run(undefined), pick, onCount);
	const items: T[] = [];
	for (const part of chunks(unique(values))) {
		const before = items.length;
		items.push(...(await collect(operation, () => run([{Name: filterName, Values: part}]), pick, (count) => onCount(before + count))));
	}
	return items;
}

function referencedGroupIds(groups: SecurityGroup[]): string[] {
	return unique(groups.flatMap((group) => [...(group.IpPermissions ?? []), ...(group.IpPermissionsEgress ?? [])].flatMap((permission) => (permission.UserIdGroupPairs ?? []).map((pair) => pair.GroupId))));
}

function referencedPrefixListIds(groups: SecurityGroup[]): string[] {
	return unique(groups.flatMap((group) => [...(group.IpPermissions ?? []), ...(group.IpPermissionsEgress ?? [])].flatMap((permission) => (permission.PrefixListIds ?? []).map((entry) => entry.PrefixListId))));
}

/** Progress steps fetchInventory reports (callers that go on number theirs after these). */
export const INVENTORY_STEPS = 8;

export async function fetchInventory(ec2: EC2Client, options: InventoryOptions = {}): Promise<InventoryResult> {
	const {
		paginateDescribeFlowLogs,
		paginateDescribeInstances,
		paginateDescribeInternetGateways,
		paginateDescribeManagedPrefixLists,
		paginateDescribeNetworkAcls,
		paginateDescribeNetworkInterfaces,
		paginateDescribeRouteTables,
		paginateDescribeSecurityGroups,
		paginateGetManagedPrefixListEntries,
	} = ec2Sdk();
	const scope = options.instanceIds?.length ? unique(options.instanceIds) : undefined;
	const pageConfig = {client: ec2, ...(options.pageSize ? {pageSize: options.pageSize} : {})};
	// The parts below run at once on this one signal and every SDK attempt (retries included)
	// listens on it: past Node's default of 10 it printed a MaxListenersExceededWarning on stderr.
	if (options.signal) allowParallelReads(options.signal);
	const abort = options.signal ? {abortSignal: options.signal} : undefined;
	// Parts run at once, so a part's own number would say little ("8/8" while the first still
	// loads): the step is how many parts are done, and `what` is the part a page just came from.
	let done = 0;
	const report = (what: string, count: number) => options.onProgress?.({what, step: Math.min(done + 1, INVENTORY_STEPS), steps: INVENTORY_STEPS, count});
	const progress = (what: string) => (count: number) => report(what, count);
	const finish = <T>(what: string, work: Promise<T>): Promise<T> =>
		work.then((value) => {
			done++;
			report(what, Array.isArray(value) ? value.length : 0);
			return value;
		});
	// Parts that do not depend on each other are read at once: one after another, their round trips
	// were most of the wait for the UI's first screen (bench/startup.mjs). The whole account needs
	// no part to filter another, so all eight go together; scoped to instances, the groups and
	// interfaces follow from the instances, and the other five from those. The steps are numbered
	// (and announced) in a fixed order whatever order the answers come in.
	const onInstances = progress('instances');
	const onGroups = progress('security groups');
	const onEnis = progress('network interfaces');
	const onAcls = progress('network ACLs');
	const onFlowLogs = progress('flow logs');
	const onLists = progress('prefix lists');
	const onRoutes = progress('route tables');
	const onGateways = progress('internet gateways');

	const readInstances = () => finish('instances', describeFiltered('DescribeInstances', 'instance-id', scope, (Filters) => paginateDescribeInstances(pageConfig, {Filters}, abort), (page) => page.Reservations, onInstances));

	// Scoped: the groups on the instances, then every group their rules reference, because a
	// group peer means "the ENIs carrying that group" and those ENIs must be in the inventory.
	const readScopedGroups = async (instances: Instance[]): Promise<SecurityGroup[]> => {
		const attachedGroups = unique(instances.flatMap((instance) => [
			...(instance.SecurityGroups ?? []).map((group) => group.GroupId),
			...(instance.NetworkInterfaces ?? []).flatMap((eni) => (eni.Groups ?? []).map((group) => group.GroupId)),
		]));
		const pickGroups = (page: {SecurityGroups?: SecurityGroup[]}) => page.SecurityGroups;
		const groups = attachedGroups.length === 0 ? [] : await describeFiltered('DescribeSecurityGroups', 'group-id', attachedGroups, (Filters) => paginateDescribeSecurityGroups(pageConfig, {Filters}, abort), pickGroups, onGroups);
		const have = new Set(groups.map((group) => group.GroupId));
		const extra = referencedGroupIds(groups).filter((id) => !have.has(id));
		if (extra.length) groups.push(...(await describeFiltered('DescribeSecurityGroups', 'group-id', extra, (Filters) => paginateDescribeSecurityGroups(pageConfig, {Filters}, abort), pickGroups, onGroups)));
		return groups;
	};
	const readScopedEnis = async (found: Set<string | undefined>, securityGroups: SecurityGroup[]): Promise<NetworkInterface[]> => {
		const pickEnis = (page: {NetworkInterfaces?: NetworkInterface[]}) => page.NetworkInterfaces;
		const byId = new Map<string, NetworkInterface>();
		const add = (list: NetworkInterface[]) => list.forEach((eni) => eni.NetworkInterfaceId && byId.set(eni.NetworkInterfaceId, eni));
		if (found.size) add(await describeFiltered('DescribeNetworkInterfaces', 'attachment.instance-id', [...found] as string[], (Filters) => paginateDescribeNetworkInterfaces(pageConfig, {Filters}, abort), pickEnis, onEnis));
		const referenced = referencedGroupIds(securityGroups);
		if (referenced.length) add(await describeFiltered('DescribeNetworkInterfaces', 'group-id', referenced, (Filters) => paginateDescribeNetworkInterfaces(pageConfig, {Filters}, abort), pickEnis, (count) => onEnis(byId.size + count)));
		return [...byId.values()];
	};

	// The optional parts; each keeps its own warnings so their order does not depend on timing.
	// Scoped, the target ENIs' subnets and VPCs decide which NACLs, flow logs and routes matter.
	type Scoping = {subnetIds: string[]; vpcIds: string[]; eniIds: string[]; listIds: string[]};
	const readOptionalParts = (scoping: Scoping | undefined) => {
		const partWarnings: string[][] = [[], [], [], [], []];
		const parts = Promise.all([
			finish('network ACLs', optional(partWarnings[0]!, () => describeFiltered('DescribeNetworkAcls', 'association.subnet-id', scoping?.subnetIds, (Filters) => paginateDescribeNetworkAcls(pageConfig, {Filters}, abort), (page) => page.NetworkAcls, onAcls))),
			finish('flow logs', optional(partWarnings[1]!, () =>
				describeFiltered(
					'DescribeFlowLogs',
					'resource-id',
					scoping ? unique([...scoping.eniIds, ...scoping.subnetIds, ...scoping.vpcIds]) : undefined,
					(Filter) => paginateDescribeFlowLogs(pageConfig, {Filter}, abort),
					(page) => page.FlowLogs,
					onFlowLogs,
				),
			)),
			// Every list is described when unscoped (it is cheap: a few dozen AWS-managed ones), but
			// entries are fetched only for the lists rules reference; scoped, only those lists at all.
			!scoping || scoping.listIds.length
				? finish('prefix lists', optional(partWarnings[2]!, () => describeFiltered('DescribeManagedPrefixLists', 'prefix-list-id', scoping?.listIds, (Filters) => paginateDescribeManagedPrefixLists(pageConfig, {Filters}, abort), (page) => page.PrefixLists, onLists)))
				: finish('prefix lists', Promise.resolve(null)),
			// Scoped: every table of the targets' VPCs, because a subnet without an explicit association
			// uses its VPC's main table, which no association.subnet-id filter would find.
			finish('route tables', optional(partWarnings[3]!, () => describeFiltered('DescribeRouteTables', 'vpc-id', scoping?.vpcIds, (Filters) => paginateDescribeRouteTables(pageConfig, {Filters}, abort), (page) => page.RouteTables, onRoutes))),
			finish('internet gateways', optional(partWarnings[4]!, () => describeFiltered('DescribeInternetGateways', 'attachment.vpc-id', scoping?.vpcIds, (Filters) => paginateDescribeInternetGateways(pageConfig, {Filters}, abort), (page) => page.InternetGateways, onGateways))),
		] as const);
		return parts.then(([networkAcls, flowLogs, prefixLists, routeTables, internetGateways]) => ({networkAcls, flowLogs, prefixLists, routeTables, internetGateways, partWarnings}));
	};

	let reservations: Reservation[];
	let securityGroups: SecurityGroup[];
	let networkInterfaces: NetworkInterface[];
	let optionalParts: Awaited<ReturnType<typeof readOptionalParts>>;
	let found: Set<string | undefined>;
	if (scope) {
		reservations = await readInstances();
		const instances = reservations.flatMap((reservation) => reservation.Instances ?? []);
		found = new Set(instances.map((instance) => instance.InstanceId));
		securityGroups = await finish('security groups', readScopedGroups(instances));
		networkInterfaces = await finish('network interfaces', readScopedEnis(found, securityGroups));
		const targetEnis = networkInterfaces.filter((eni) => eni.Attachment?.InstanceId && found.has(eni.Attachment.InstanceId));
		optionalParts = await readOptionalParts({
			subnetIds: unique([...targetEnis.map((eni) => eni.SubnetId), ...instances.map((instance) => instance.SubnetId)]),
			vpcIds: unique([...targetEnis.map((eni) => eni.VpcId), ...instances.map((instance) => instance.VpcId)]),
			eniIds: unique(targetEnis.map((eni) => eni.NetworkInterfaceId)),
			listIds: referencedPrefixListIds(securityGroups),
		});
	} else {
		[reservations, securityGroups, networkInterfaces, optionalParts] = await Promise.all([
			readInstances(),
			finish('security groups', collect('DescribeSecurityGroups', () => paginateDescribeSecurityGroups(pageConfig, {}, abort), (page) => page.SecurityGroups, onGroups)),
			finish('network interfaces', collect('DescribeNetworkInterfaces', () => paginateDescribeNetworkInterfaces(pageConfig, {}, abort), (page) => page.NetworkInterfaces, onEnis)),
			readOptionalParts(undefined),
		]);
		found = new Set(reservations.flatMap((reservation) => reservation.Instances ?? []).map((instance) => instance.InstanceId));
	}
	const missingInstanceIds = scope ? scope.filter((id) => !found.has(id)) : [];
	const {networkAcls, flowLogs, routeTables, internetGateways} = optionalParts;
	const entriesWarnings: string[] = [];

	// Entries only for the lists rules reference, one list after another: one denial means all are
	// denied (same permission), so asking stops there.
	const listIds = referencedPrefixListIds(securityGroups);
	let prefixLists: ManagedPrefixList[] | undefined = [];
	let prefixListEntries: Record<string, PrefixListEntry[]> | undefined = {};
	if (optionalParts.prefixLists !== null) {
		prefixLists = optionalParts.prefixLists;
		const entries: Record<string, PrefixListEntry[]> = {};
		for (const list of prefixLists ?? []) {
			const id = list.PrefixListId;
			if (!id || !listIds.includes(id)) continue;
			const read = await optional(entriesWarnings, () => collect('GetManagedPrefixListEntries', () => paginateGetManagedPrefixListEntries(pageConfig, {PrefixListId: id}, abort), (page) => page.Entries, () => undefined));
			if (read === undefined) break;
			entries[id] = read;
		}
		// Lists described but entries denied: keep the names, the entries stay unknown (null).
		prefixListEntries = entries;
	}

	const [aclWarnings, flowLogWarnings, listWarnings, routeWarnings, gatewayWarnings] = optionalParts.partWarnings;
	const warnings = [...aclWarnings!, ...flowLogWarnings!, ...listWarnings!, ...entriesWarnings, ...routeWarnings!, ...gatewayWarnings!];
	const raw: RawAwsInventory = {reservations, networkInterfaces, securityGroups, networkAcls, flowLogs, prefixLists, prefixListEntries, routeTables, internetGateways};
	const {inventory, refused} = refuseMalformedIds(mapInventory(raw));
	const refusedWarning = refusedIdsWarning(refused);
	if (refusedWarning) warnings.push(refusedWarning);
	return {raw, inventory, missingInstanceIds, warnings, refused};
}

// Reads a snapshot directory (README "Snapshot"): the JSON `aws ec2 <command> --output json`
// printed, listener captures per instance, and flow log files per ENI. A missing piece is unknown
// evidence, never an error; a piece that is there but unusable is an EvidenceError naming the file,
// because evaluating half a security-group list would give confident wrong answers.
import {readdir, realpath, stat} from 'node:fs/promises';
import {createRequire} from 'node:module';
import path from 'node:path';
import type * as Zod from 'zod';
import type {output as ZodOutput, ZodType} from 'zod';
import {mapInventory, type RawAwsInventory} from '../core/aws-mapper.js';
import {EvidenceError} from '../core/evidence-error.js';
import {familyOf, isValidCidr} from '../core/cidr.js';
import {AWS_ID_PREFIXES, isAwsId, type AwsIdKind} from '../core/aws-ids.js';
import {parseListeners} from '../core/listener-parser.js';
import {decodeListingBytes} from '../core/listing-text.js';
import {MAX_AWS_FILE_BYTES, MAX_HOST_FILE_BYTES, pathInside, readBoundedFile} from './bounded-read.js';
import type {HostCapture, Snapshot} from '../core/types.js';
import {INSTANCE_STATES} from '../core/types.js';
import {errorLine} from '../core/display-text.js';

// zod through require(): its ESM build is 224 modules, which Node 20 links one by one; its
// CommonJS build is the same code and loads in ~2/3 of the CPU time. The lab's thread (the demo's
// first screen waits for it) and `--snapshot` load this file before anything else can happen.
const {z} = createRequire(import.meta.url)('zod') as typeof Zod;

// ---------------------------------------------------------------------------------------------
// Shapes: only the fields the mapper reads are checked; everything else passes through untouched
// (the CLI prints dates as strings where the SDK gives Date objects — the mapper reads neither).

const str = z.string();

/**
 * An id field: AWS's grammar or the whole snapshot is refused, naming the id (README "Security";
 * issue: a half-used snapshot — verdict from an id its flow-log file name could not carry).
 */
const id = (kind: AwsIdKind) =>
	z.string().superRefine((value, ctx) => {
		if (!isAwsId(kind, value)) ctx.addIssue({code: 'custom', message: `${JSON.stringify(value)} is not an AWS ${AWS_ID_PREFIXES[kind]}- id (${AWS_ID_PREFIXES[kind]}- and 8 or 17 lowercase hex digits)`});
	});
const anyId = (...kinds: AwsIdKind[]) =>
	z.string().superRefine((value, ctx) => {
		if (!kinds.some((kind) => isAwsId(kind, value))) ctx.addIssue({code: 'custom', message: `${JSON.stringify(value)} is not an AWS ${kinds.map((kind) => `${AWS_ID_PREFIXES[kind]}-`).join(' or ')} id`});
	});
/** A CIDR field: a CIDR of that family, or the snapshot is refused naming the file and the field. */
const cidr = (family: 'ipv4' | 'ipv6' | 'any') =>
	z.string().superRefine((value, ctx) => {
		const ok = isValidCidr(value) && (family === 'any' || familyOf(value) === family);
		if (!ok) ctx.addIssue({code: 'custom', message: `${JSON.stringify(value)} is not ${family === 'ipv4' ? 'an IPv4' : family === 'ipv6' ? 'an IPv6' : 'a'} CIDR (address/prefix length)`});
	});
const num = z.number();
const tags = z.array(z.looseObject({Key: str, Value: str.optional()})).optional();
const groupIdentifiers = z.array(z.looseObject({GroupId: id('securityGroup').optional(), GroupName: str.optional()})).optional();
const privateAddresses = z.array(z.looseObject({PrivateIpAddress: str.optional(), Primary: z.boolean().optional()})).optional();
const ipv6Addresses = z.array(z.looseObject({Ipv6Address: str.optional()})).optional();
const association = z.looseObject({PublicIp: str.optional()}).optional();

const instanceEni = z.looseObject({
	NetworkInterfaceId: id('networkInterface'),
	Attachment: z.looseObject({DeviceIndex: num.optional(), NetworkCardIndex: num.optional()}).optional(),
	Association: association,
	Groups: groupIdentifiers,
	PrivateIpAddress: str.optional(),
	PrivateIpAddresses: privateAddresses,
	Ipv6Addresses: ipv6Addresses,
	SubnetId: id('subnet').optional(),
	VpcId: id('vpc').optional(),
});

const instance = z.looseObject({
	InstanceId: id('instance'),
	State: z.looseObject({Name: str.optional()}).optional(),
	Platform: str.optional(),
	PlatformDetails: str.optional(),
	ImageId: str.optional(),
	KeyName: str.optional(),
	PrivateIpAddress: str.optional(),
	PublicIpAddress: str.optional(),
	SubnetId: id('subnet').optional(),
	VpcId: id('vpc').optional(),
	NetworkInterfaces: z.array(instanceEni).optional(),
	SecurityGroups: groupIdentifiers,
	Tags: tags,
});

const networkInterface = z.looseObject({
	NetworkInterfaceId: id('networkInterface'),
	SubnetId: id('subnet').optional(),
	VpcId: id('vpc').optional(),
	Attachment: z.looseObject({InstanceId: id('instance').optional()}).optional(),
	Association: association,
	Description: str.optional(),
	InterfaceType: str.optional(),
	Status: str.optional(),
	Groups: groupIdentifiers,
	PrivateIpAddress: str.optional(),
	PrivateIpAddresses: privateAddresses,
	Ipv6Addresses: ipv6Addresses,
	TagSet: tags,
});

const described = (field: string, value: ZodType<string>) => z.looseObject({Description: str.optional(), [field]: value.optional()});
const permission = z.looseObject({
	IpProtocol: str,
	FromPort: num.optional(),
	ToPort: num.optional(),
	IpRanges: z.array(described('CidrIp', cidr('ipv4'))).optional(),
	Ipv6Ranges: z.array(described('CidrIpv6', cidr('ipv6'))).optional(),
	PrefixListIds: z.array(z.looseObject({Description: str.optional(), PrefixListId: id('prefixList').optional()})).optional(),
	UserIdGroupPairs: z.array(z.looseObject({GroupId: id('securityGroup').optional(), GroupName: str.optional(), UserId: str.optional(), Description: str.optional()})).optional(),
});

const securityGroup = z.looseObject({
	GroupId: id('securityGroup'),
	GroupName: str.optional(),
	Description: str.optional(),
	VpcId: id('vpc').optional(),
	OwnerId: str.optional(),
	IpPermissions: z.array(permission).optional(),
	IpPermissionsEgress: z.array(permission).optional(),
	Tags: tags,
});

const networkAcl = z.looseObject({
	NetworkAclId: id('networkAcl'),
	VpcId: id('vpc').optional(),
	IsDefault: z.boolean().optional(),
	Associations: z.array(z.looseObject({SubnetId: id('subnet').optional()})).optional(),
	Entries: z
		.array(
			z.looseObject({
				RuleNumber: num,
				Protocol: str,
				RuleAction: z.enum(['allow', 'deny']),
				Egress: z.boolean(),
				CidrBlock: cidr('ipv4').optional(),
				Ipv6CidrBlock: cidr('ipv6').optional(),
				PortRange: z.looseObject({From: num, To: num}).optional(),
				IcmpTypeCode: z.looseObject({Type: num, Code: num}).optional(),
			}),
		)
		.optional(),
	Tags: tags,
});

const flowLog = z.looseObject({
	FlowLogId: id('flowLog'),
	ResourceId: anyId('vpc', 'subnet', 'networkInterface', 'transitGateway').optional(),
	TrafficType: z.enum(['ACCEPT', 'REJECT', 'ALL']).optional(),
	LogDestinationType: z.enum(['cloud-watch-logs', 's3', 'kinesis-data-firehose']).optional(),
	LogGroupName: str.optional(),
	LogDestination: str.optional(),
	LogFormat: str.optional(),
	MaxAggregationInterval: num.optional(),
	FlowLogStatus: str.optional(),
	DeliverLogsStatus: str.optional(),
});

const prefixList = z.looseObject({PrefixListId: id('prefixList'), PrefixListName: str.optional(), AddressFamily: str.optional()});
const prefixListEntry = z.looseObject({Cidr: cidr('any'), Description: str.optional()});

const route = z.looseObject({
	DestinationCidrBlock: cidr('ipv4').optional(),
	DestinationIpv6CidrBlock: cidr('ipv6').optional(),
	DestinationPrefixListId: id('prefixList').optional(),
	GatewayId: str.optional(),
	NatGatewayId: id('natGateway').optional(),
	EgressOnlyInternetGatewayId: id('egressOnlyInternetGateway').optional(),
	TransitGatewayId: id('transitGateway').optional(),
	VpcPeeringConnectionId: id('peering').optional(),
	InstanceId: id('instance').optional(),
	NetworkInterfaceId: id('networkInterface').optional(),
	CarrierGatewayId: str.optional(),
	LocalGatewayId: str.optional(),
	CoreNetworkArn: str.optional(),
	State: str.optional(),
});

const routeTable = z.looseObject({
	RouteTableId: id('routeTable'),
	VpcId: id('vpc').optional(),
	Associations: z.array(z.looseObject({Main: z.boolean().optional(), SubnetId: id('subnet').optional(), GatewayId: str.optional()})).optional(),
	Routes: z.array(route).optional(),
	Tags: tags,
});

const internetGateway = z.looseObject({
	InternetGatewayId: id('internetGateway'),
	Attachments: z.array(z.looseObject({VpcId: id('vpc').optional(), State: str.optional()})).optional(),
	Tags: tags,
});

/** One file per DescribeX call, with the key the AWS CLI wraps the list in. */
const AWS_FILES = {
	reservations: {file: 'describe-instances.json', key: 'Reservations', item: z.looseObject({Instances: z.array(instance).optional()})},
	networkInterfaces: {file: 'describe-network-interfaces.json', key: 'NetworkInterfaces', item: networkInterface},
	securityGroups: {file: 'describe-security-groups.json', key: 'SecurityGroups', item: securityGroup},
	networkAcls: {file: 'describe-network-acls.json', key: 'NetworkAcls', item: networkAcl},
	flowLogs: {file: 'describe-flow-logs.json', key: 'FlowLogs', item: flowLog},
	prefixLists: {file: 'describe-managed-prefix-lists.json', key: 'PrefixLists', item: prefixList},
	routeTables: {file: 'describe-route-tables.json', key: 'RouteTables', item: routeTable},
	internetGateways: {file: 'describe-internet-gateways.json', key: 'InternetGateways', item: internetGateway},
} as const;

/** Where a snapshot keeps one DescribeX call's output (for errors that name the file). */
export function snapshotAwsFile(dir: string, kind: keyof typeof AWS_FILES): string {
	return path.join(dir, 'aws', AWS_FILES[kind].file);
}

// File names carry ids, with the same grammar as the ids inside the files (core/aws-ids.ts).
const HEX_ID = '(?:[0-9a-f]{8}|[0-9a-f]{17})';
const PREFIX_LIST_ENTRIES = new RegExp(`^get-managed-prefix-list-entries-(pl-${HEX_ID})\\.json$`);
export const HOST_FILE = new RegExp(`^(i-${HEX_ID})\\.txt$`);
export const FLOW_FILE = new RegExp(`^(eni-${HEX_ID})\\.log(\\.gz)?$`);

/**
 * A file named like an id file whose id breaks the grammar is refused with the snapshot, not
 * skipped: the rest of the snapshot would be used while its evidence was silently left out.
 */
function refuseMalformedIdName(label: string, name: string, prefix: string, pattern: RegExp): void {
	if (name.startsWith(prefix) && !pattern.test(name)) {
		throw new EvidenceError(`${label}/${name}: ${JSON.stringify(name)} does not carry a well-formed AWS id (${prefix} and 8 or 17 lowercase hex digits); rename or remove it`);
	}
}

// ---------------------------------------------------------------------------------------------
// Reading.

/**
 * `label` is the file's path inside the snapshot, as errors name it; `root` the snapshot's real
 * path. Regular files inside the snapshot only, size-capped.
 */
async function readOptional(file: string, label: string, root: string, maxBytes = MAX_AWS_FILE_BYTES): Promise<Buffer | null> {
	return readBoundedFile(file, label, maxBytes, {within: root});
}

/**
 * The files in `dir` (symlinks to files included: snapshots get assembled with `ln -s`), or null
 * when it does not exist. Anything else in it (a directory, a dangling link) is warned about,
 * not silently skipped, when `warnings` is given.
 */
async function listDir(dir: string, warnings?: string[], label = path.basename(dir)): Promise<string[] | null> {
	try {
		const names: string[] = [];
		const others: string[] = [];
		for (const entry of await readdir(dir, {withFileTypes: true})) {
			if (entry.isFile()) names.push(entry.name);
			else if (entry.isSymbolicLink() && (await stat(path.join(dir, entry.name)).then((info) => info.isFile(), () => false))) names.push(entry.name);
			else others.push(entry.name);
		}
		if (warnings && others.length > 0) warnings.push(`${label}/: ignored ${others.length} entr${others.length === 1 ? 'y' : 'ies'} that ${others.length === 1 ? 'is' : 'are'} not a readable file (${others.sort().join(', ')})`);
		return names.sort();
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return null;
		throw new EvidenceError(`${dir}: can't be read (${code ?? errorLine(error)})`);
	}
}

/** JSON.parse's complaint reduced to "line N: what" (Node 20 says "at position P", later Nodes add "(line L column C)"). */
function jsonProblem(text: string, error: Error): string {
	const message = error.message;
	const position = /at position (\d+)/.exec(message);
	const line = position ? text.slice(0, Number(position[1])).split('\n').length : text.split('\n').length;
	const what = message
		.replace(/\s*\(line \d+ column \d+\)/, '')
		.replace(/,? ?(?:in JSON )?at position \d+/, '')
		.replace(/ in JSON$/, '')
		.replace(/^(Unexpected token .*?), ".*" is not valid JSON$/s, '$1');
	return `line ${line}: ${what}`;
}

function issuePath(pathItems: ReadonlyArray<PropertyKey>): string {
	return pathItems.map((item, index) => (typeof item === 'number' ? `[${item}]` : `${index ? '.' : ''}${String(item)}`)).join('');
}

/**
 * Parses one `aws ec2 ...` output file's text: `{"<Key>": [...]}`. Throws an EvidenceError naming
 * `label` (the path inside the snapshot) for bad JSON or a wrong shape.
 */
export function parseAwsOutput<T extends ZodType>(label: string, text: string, key: string, item: T): Array<ZodOutput<T>> {
	const expected = `expected {"${key}": [...]} as \`aws ec2 ... --output json\` prints it`;
	if (text.trim() === '') throw new EvidenceError(`${label}: empty file, ${expected}`);
	let document: unknown;
	try {
		document = JSON.parse(text);
	} catch (error) {
		throw new EvidenceError(`${label}: ${expected}, ${jsonProblem(text, error as Error)}`);
	}
	if (typeof document !== 'object' || document === null || Array.isArray(document) || !(key in document)) {
		throw new EvidenceError(`${label}: ${expected}`);
	}
	const result = z.looseObject({[key]: z.array(item)}).safeParse(document);
	if (!result.success) {
		const issue = result.error.issues[0];
		throw new EvidenceError(issue ? `${label}: ${issuePath(issue.path)}: ${issue.message}` : `${label}: ${expected}`);
	}
	const items = (result.data as Record<string, Array<ZodOutput<T>>>)[key];
	if (!items) throw new EvidenceError(`${label}: ${expected}`);
	return items;
}

export interface AwsSnapshotFiles {
	raw: RawAwsInventory;
	warnings: string[];
}

/**
 * The aws/ folder, validated, in the SDK's shapes (for the mapper, or the lab to serve as is).
 * `root` is the snapshot's real path (snapshotRoot), for a caller that has it already.
 */
export async function readAwsFiles(dir: string, root?: string): Promise<AwsSnapshotFiles> {
	root ??= await snapshotRoot(dir);
	const awsDir = path.join(dir, 'aws');
	const raw: RawAwsInventory = {};
	const warnings: string[] = [];
	const read = async (name: string, key: string, item: ZodType): Promise<unknown[] | undefined> => {
		const bytes = await readOptional(path.join(awsDir, name), `aws/${name}`, root);
		return bytes === null ? undefined : parseAwsOutput(`aws/${name}`, decodeListingBytes(bytes), key, item);
	};

	// zod checked the fields the mapper reads; the SDK types document the rest of each shape.
	const parts = Object.keys(AWS_FILES) as Array<keyof typeof AWS_FILES>;
	const lists = await Promise.all(parts.map((part) => read(AWS_FILES[part].file, AWS_FILES[part].key, AWS_FILES[part].item)));
	parts.forEach((part, index) => {
		if (lists[index] !== undefined) (raw as Record<string, unknown>)[part] = lists[index];
	});

	const known = new Set<string>(Object.values(AWS_FILES).map((spec) => spec.file));
	const ignored: string[] = [];
	for (const name of (await listDir(awsDir, warnings, 'aws')) ?? []) {
		const prefixListId = PREFIX_LIST_ENTRIES.exec(name)?.[1];
		refuseMalformedIdName('aws', name, 'get-managed-prefix-list-entries-', PREFIX_LIST_ENTRIES);
		if (prefixListId !== undefined) {
			const entries = (await read(name, 'Entries', prefixListEntry)) as Array<{Cidr: string}>;
			raw.prefixListEntries = {...raw.prefixListEntries, [prefixListId]: entries};
		} else if (!known.has(name)) {
			ignored.push(name);
		}
	}
	if (ignored.length > 0) warnings.push(`aws/: ignored ${ignored.length} unrecognised file${ignored.length === 1 ? '' : 's'} (${ignored.join(', ')})`);
	return {raw, warnings};
}

/** The snapshot directory's real path, against which every file in it is checked. */
export async function snapshotRoot(dir: string): Promise<string> {
	try {
		return await realpath(dir);
	} catch (error) {
		throw new EvidenceError(`snapshot directory ${dir} can't be read (${(error as NodeJS.ErrnoException).code ?? errorLine(error)})`);
	}
}

async function readHosts(dir: string, real: string, instanceIds: Set<string> | null, warnings: string[]): Promise<Record<string, HostCapture>> {
	const hostsDir = path.join(dir, 'hosts');
	const hosts: Record<string, HostCapture> = {};
	const ignored: string[] = [];
	for (const name of (await listDir(hostsDir, warnings, 'hosts')) ?? []) {
		const instanceId = HOST_FILE.exec(name)?.[1];
		refuseMalformedIdName('hosts', name, 'i-', HOST_FILE);
		if (instanceId === undefined) {
			ignored.push(name);
			continue;
		}
		const file = path.join(hostsDir, name);
		const label = `hosts/${name}`;
		const bytes = await readOptional(file, label, real, MAX_HOST_FILE_BYTES);
		if (bytes === null) continue;
		try {
			const parsed = parseListeners(decodeListingBytes(bytes));
			hosts[instanceId] = {...parsed, source: file};
			const [first] = parsed.skipped;
			if (first) {
				warnings.push(`${label}: skipped ${parsed.skipped.length} line${parsed.skipped.length === 1 ? '' : 's'}, first at line ${first.line} (${first.reason})`);
			}
		} catch (error) {
			if (!(error instanceof EvidenceError)) throw error;
			warnings.push(`${label}: ${error.message}; what listens on ${instanceId} is unknown`);
			continue;
		}
		if (instanceIds && !instanceIds.has(instanceId)) warnings.push(`${label}: ${instanceId} is not in aws/describe-instances.json`);
	}
	if (ignored.length > 0) warnings.push(`hosts/: ignored ${ignored.length} file${ignored.length === 1 ? '' : 's'} not named <instance-id>.txt (${ignored.join(', ')})`);
	return hosts;
}

async function listFlowFiles(dir: string, real: string, eniIds: Set<string> | null, warnings: string[]): Promise<Record<string, string>> {
	const flowDir = path.join(dir, 'flowlogs');
	const files: Record<string, string> = {};
	const ignored: string[] = [];
	for (const name of (await listDir(flowDir, warnings, 'flowlogs')) ?? []) {
		const eniId = FLOW_FILE.exec(name)?.[1];
		refuseMalformedIdName('flowlogs', name, 'eni-', FLOW_FILE);
		if (eniId === undefined) {
			ignored.push(name);
			continue;
		}
		const kept = files[eniId];
		if (kept) {
			// Sorted names put eni-x.log before eni-x.log.gz: keep the plain one, say which.
			warnings.push(`flowlogs/: both ${path.basename(kept)} and ${name}; using ${path.basename(kept)}`);
			continue;
		}
		// Streamed later (flow-scan): checked now, so a link out of the snapshot stops the load.
		if ((await pathInside(path.join(flowDir, name), `flowlogs/${name}`, real)) === null) continue;
		files[eniId] = path.join(flowDir, name);
		if (eniIds && !eniIds.has(eniId)) warnings.push(`flowlogs/${name}: ${eniId} is not in aws/describe-network-interfaces.json`);
	}
	if (ignored.length > 0) warnings.push(`flowlogs/: ignored ${ignored.length} file${ignored.length === 1 ? '' : 's'} not named <eni-id>.log or .log.gz (${ignored.join(', ')})`);
	return files;
}

export async function loadSnapshot(dir: string): Promise<Snapshot> {
	const root = path.resolve(dir);
	let info;
	try {
		info = await stat(root);
	} catch {
		throw new EvidenceError(`snapshot directory ${dir} does not exist`);
	}
	if (!info.isDirectory()) throw new EvidenceError(`snapshot ${dir} is not a directory`);

	const [awsNames, hostNames, flowNames] = await Promise.all(['aws', 'hosts', 'flowlogs'].map((sub) => listDir(path.join(root, sub))));
	if (awsNames === null && hostNames === null && flowNames === null) {
		const top = (await listDir(root)) ?? [];
		const hint = top.some((name) => name.startsWith('describe-') && name.endsWith('.json'))
			? `; it looks like the aws/ folder itself — pass its parent directory`
			: '';
		throw new EvidenceError(`${dir} is not a snapshot: it has none of aws/, hosts/, flowlogs/${hint}`);
	}

	// Files are named under the directory as given (relative paths in reports stay short) and
	// checked against its real path.
	const real = await snapshotRoot(root);
	const {raw, warnings} = await readAwsFiles(root, real);
	const inventory = mapInventory(raw);
	for (const instance of inventory.instances) {
		if (instance.unrecognizedState !== undefined) {
			warnings.push(`aws/describe-instances.json: ${instance.id} has the state "${instance.unrecognizedState}", none of EC2's (${INSTANCE_STATES.join(', ')}); read as unknown`);
		}
	}
	const instanceIds = inventory.known.instances ? new Set(inventory.instances.map((instance) => instance.id)) : null;
	const eniIds = inventory.known.networkInterfaces ? new Set(inventory.networkInterfaces.map((eni) => eni.id)) : null;
	const hosts = await readHosts(root, real, instanceIds, warnings);
	const flowLogFiles = await listFlowFiles(root, real, eniIds, warnings);
	return {dir: root, inventory, hosts, flowLogFiles, warnings};
}

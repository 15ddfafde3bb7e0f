// Loads a snapshot directory into the lab's mutable state: the EC2 documents as `aws ec2 ...
// --output json` printed them, security-group rules exploded into SecurityGroupRules, and the
// flow log files ingested into the CloudWatch Logs group of the flow log covering each ENI, one
// stream per ENI, with timestamps rebased so the newest record ends about a minute ago.
import {existsSync} from 'node:fs';
import {readdir} from 'node:fs/promises';
import path from 'node:path';
import {gunzipSync} from 'node:zlib';
import {mapInventory} from '../core/aws-mapper.js';
import {DEFAULT_FLOW_FORMAT, parseHeaderLine, parseLogFormat, type FlowField} from '../core/flow-format.js';
import type {Inventory} from '../core/types.js';
import {readAwsFiles, snapshotRoot} from '../files/load-snapshot.js';
import {LogStore} from './log-store.js';
import {permissionRules, rulesToPermissions, ruleKey, stableRuleId, type LabRule, type Permission} from './sg-rules.js';
import {FLOW_FILE} from '../files/load-snapshot.js';
import {MAX_AWS_FILE_BYTES, readBoundedFile} from '../files/bounded-read.js';

type Doc = Record<string, any>;

export interface LabState {
	accountId: string;
	region: string;
	reservations: Doc[];
	networkInterfaces: Doc[];
	/** Security groups without their permissions (those live in `rules`). */
	securityGroups: Doc[];
	rules: LabRule[];
	networkAcls: Doc[];
	flowLogs: Doc[];
	prefixLists: Doc[];
	prefixListEntries: Record<string, Doc[]>;
	/**
	 * null when the snapshot has no describe-route-tables.json / describe-internet-gateways.json
	 * (made before sgtui read them): the lab serves none, and its own view (the simulator's
	 * inventory) keeps them unknown rather than "a VPC without routes".
	 */
	routeTables: Doc[] | null;
	internetGateways: Doc[] | null;
	logs: LogStore;
	/** One line per problem met while loading (unreadable file, uncovered ENI, bad lines). */
	warnings: string[];
}

export const DEFAULT_ACCOUNT = '123456789012';
/** How long after a snapshot record's window closed it is taken to have reached CloudWatch Logs. */
const DELIVERED_AFTER_MS = 60_000;
export const DEFAULT_REGION = 'eu-west-1';

/** A security group's document as DescribeSecurityGroups returns it, permissions rebuilt from the rules. */
export function securityGroupDoc(state: LabState, group: Doc): Doc {
	const rules = state.rules.filter((rule) => rule.GroupId === group.GroupId);
	return {
		...group,
		IpPermissions: rulesToPermissions(rules.filter((rule) => !rule.IsEgress)),
		IpPermissionsEgress: rulesToPermissions(rules.filter((rule) => rule.IsEgress)),
	};
}

/** The engine's view of the lab's current state (the simulator decides with the engine's evaluators). */
export function labInventory(state: LabState): Inventory {
	return mapInventory({
		reservations: state.reservations,
		networkInterfaces: state.networkInterfaces,
		securityGroups: state.securityGroups.map((group) => securityGroupDoc(state, group)),
		networkAcls: state.networkAcls,
		flowLogs: state.flowLogs,
		prefixLists: state.prefixLists,
		prefixListEntries: state.prefixListEntries,
		routeTables: state.routeTables ?? undefined,
		internetGateways: state.internetGateways ?? undefined,
	});
}

/** ENI facts the lab needs: where it lives (for flow-log coverage) and its addresses (IPv4 private, IPv6). */
export interface EniFacts {
	id: string;
	subnetId: string | null;
	vpcId: string | null;
	instanceId: string | null;
	privateIps: string[];
	groupIds: string[];
}

export function eniFacts(state: LabState): Map<string, EniFacts> {
	const facts = new Map<string, EniFacts>();
	const add = (doc: Doc, instanceId: string | null) => {
		if (!doc.NetworkInterfaceId || facts.has(doc.NetworkInterfaceId)) return;
		facts.set(doc.NetworkInterfaceId, {
			id: doc.NetworkInterfaceId,
			subnetId: doc.SubnetId ?? null,
			vpcId: doc.VpcId ?? null,
			instanceId: doc.Attachment?.InstanceId ?? instanceId,
			privateIps: [...(doc.PrivateIpAddresses ?? []).map((item: Doc) => item.PrivateIpAddress), ...(doc.Ipv6Addresses ?? []).map((item: Doc) => item.Ipv6Address)].filter(Boolean),
			groupIds: (doc.Groups ?? []).map((group: Doc) => group.GroupId).filter(Boolean),
		});
	};
	for (const eni of state.networkInterfaces) add(eni, null);
	for (const reservation of state.reservations) for (const instance of reservation.Instances ?? []) for (const eni of instance.NetworkInterfaces ?? []) add(eni, instance.InstanceId ?? null);
	return facts;
}

/** The CloudWatch Logs flow log covering an ENI: its own, else its subnet's, else its VPC's. */
export function coveringFlowLog(state: LabState, eni: EniFacts): Doc | null {
	const cwl = state.flowLogs.filter((flowLog) => (flowLog.LogDestinationType ?? 'cloud-watch-logs') === 'cloud-watch-logs' && flowLog.LogGroupName);
	for (const resource of [eni.id, eni.subnetId, eni.vpcId]) {
		const found = resource && cwl.find((flowLog) => flowLog.ResourceId === resource);
		if (found) return found;
	}
	return null;
}

export function createState(now: () => number): LabState {
	return {
		accountId: DEFAULT_ACCOUNT,
		region: DEFAULT_REGION,
		reservations: [],
		networkInterfaces: [],
		securityGroups: [],
		rules: [],
		networkAcls: [],
		flowLogs: [],
		prefixLists: [],
		prefixListEntries: {},
		routeTables: null,
		internetGateways: null,
		logs: new LogStore(now),
		warnings: [],
	};
}

export async function loadSnapshot(dir: string, now: () => number): Promise<LabState> {
	const state = createState(now);
	const aws = path.join(dir, 'aws');
	if (!existsSync(aws)) state.warnings.push(`${aws}: no such directory; the lab starts empty`);
	// The same validating reader as check/audit: a broken file is one EvidenceError naming it.
	const root = await snapshotRoot(dir);
	const {raw, warnings} = await readAwsFiles(dir, root);
	state.warnings.push(...warnings);
	state.reservations = (raw.reservations ?? []);
	state.networkInterfaces = (raw.networkInterfaces ?? []);
	const groups = (raw.securityGroups ?? []) as Doc[];
	state.networkAcls = (raw.networkAcls ?? []);
	state.flowLogs = (raw.flowLogs ?? []);
	state.prefixLists = (raw.prefixLists ?? []);
	state.prefixListEntries = (raw.prefixListEntries ?? {});
	state.routeTables = (raw.routeTables ?? null);
	state.internetGateways = (raw.internetGateways ?? null);

	const owner = groups[0]?.OwnerId ?? state.reservations[0]?.OwnerId ?? state.networkInterfaces[0]?.OwnerId;
	if (owner) state.accountId = owner;
	const zone: string | undefined = state.networkInterfaces[0]?.AvailabilityZone ?? state.reservations[0]?.Instances?.[0]?.Placement?.AvailabilityZone;
	if (zone && /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(zone)) state.region = zone.slice(0, -1);

	for (const group of groups) {
		const {IpPermissions, IpPermissionsEgress, ...rest} = group;
		state.securityGroups.push(rest);
		const ownerId = group.OwnerId ?? state.accountId;
		for (const [egress, permissions] of [[false, IpPermissions], [true, IpPermissionsEgress]] as const) {
			for (const rule of permissionRules(group.GroupId, ownerId, egress, (permissions ?? []) as Permission[], false)) {
				const key = ruleKey(rule);
				if (state.rules.some((existing) => ruleKey(existing) === key)) continue;
				state.rules.push({SecurityGroupRuleId: stableRuleId(key), ...rule});
			}
		}
	}

	for (const flowLog of state.flowLogs) {
		if ((flowLog.LogDestinationType ?? 'cloud-watch-logs') === 'cloud-watch-logs' && flowLog.LogGroupName) {
			state.logs.ensureGroup(flowLog.LogGroupName, flowLog.LogFormat ?? DEFAULT_FLOW_FORMAT);
		}
	}
	await loadFlowLogs(state, path.join(dir, 'flowlogs'), root, now);
	return state;
}

interface PendingFile {
	eniId: string;
	group: string;
	fields: FlowField[];
	lines: string[][];
}

async function loadFlowLogs(state: LabState, dir: string, root: string, now: () => number): Promise<void> {
	let names: string[];
	try {
		names = (await readdir(dir)).sort();
	} catch {
		return;
	}
	const enis = eniFacts(state);
	const pending: PendingFile[] = [];
	for (const name of names) {
		const match = FLOW_FILE.exec(name);
		if (!match) continue;
		const eniId = match[1]!;
		const eni = enis.get(eniId) ?? {id: eniId, subnetId: null, vpcId: null, instanceId: null, privateIps: [], groupIds: []};
		const flowLog = coveringFlowLog(state, eni);
		if (!flowLog) {
			state.warnings.push(`flowlogs/${name}: no CloudWatch Logs flow log covers ${eniId}; its records were not loaded`);
			continue;
		}
		const raw = await readBoundedFile(path.join(dir, name), `flowlogs/${name}`, MAX_AWS_FILE_BYTES, {within: root});
		if (raw === null) continue;
		const text = (match[2] ? gunzipSync(raw) : raw).toString('utf8');
		let fields = parseLogFormat(flowLog.LogFormat ?? DEFAULT_FLOW_FORMAT);
		const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
		const header = lines.length > 0 ? parseHeaderLine(lines[0]!) : null;
		if (header) {
			fields = header;
			lines.shift();
		}
		const tokens = lines.map((line) => line.split(/\s+/));
		const good = tokens.filter((values) => values.length === fields.length);
		if (good.length < tokens.length) state.warnings.push(`flowlogs/${name}: ${tokens.length - good.length} line(s) do not match the format and were skipped`);
		pending.push({eniId, group: flowLog.LogGroupName, fields, lines: good});
	}

	// One offset for every file keeps the records' relative timing across ENIs.
	let newest = 0;
	for (const file of pending) {
		const end = file.fields.findIndex((field) => field.name === 'end');
		const start = file.fields.findIndex((field) => field.name === 'start');
		const index = end >= 0 ? end : start;
		if (index < 0) continue;
		for (const values of file.lines) if (/^\d+$/.test(values[index]!)) newest = Math.max(newest, Number(values[index]));
	}
	const nowSeconds = Math.floor(now() / 1000);
	const offset = newest > 0 ? nowSeconds - 60 - newest : 0;
	for (const file of pending) {
		const start = file.fields.findIndex((field) => field.name === 'start');
		const end = file.fields.findIndex((field) => field.name === 'end');
		const events = file.lines.map((values) => {
			const shifted = values.map((value, i) => ((i === start || i === end) && /^\d+$/.test(value) ? String(Number(value) + offset) : value));
			const timestamp = start >= 0 && /^\d+$/.test(shifted[start]!) ? Number(shifted[start]) * 1000 : (nowSeconds - 60) * 1000;
			// Delivered on time, about a minute after its capture window closed: a record of the
			// snapshot's past is history to a reader, not a straggler beyond the late window.
			const ended = end >= 0 && /^\d+$/.test(shifted[end] ?? '') ? Number(shifted[end]) * 1000 : timestamp;
			return {timestamp, message: shifted.join(' '), ingestionTime: ended + DELIVERED_AFTER_MS};
		});
		events.sort((a, b) => a.timestamp - b.timestamp);
		const group = state.logs.ensureGroup(file.group);
		state.logs.ensureStream(group, file.eniId);
		state.logs.append(file.group, file.eniId, events);
	}
}

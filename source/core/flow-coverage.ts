// Which flow logs cover an ENI and whether sgtui can watch its REJECTs through one of them. A flow
// log attaches to an ENI, its subnet or its VPC (several may cover the same ENI); only one that
// delivers to CloudWatch Logs can be tailed live, only one that captures REJECT can show a reject,
// and a 10-minute aggregation interval plus delivery delay means silence is not evidence.
import {parseLogFormat} from './flow-format.js';
import type {FlowLogConfig, Inventory, NetworkInterface} from './types.js';
import {shellCommand} from './shell-quote.js';
import {errorLine} from './display-text.js';

export type CoverageScope = 'eni' | 'subnet' | 'vpc';

export interface CoveringFlowLog {
	flowLog: FlowLogConfig;
	scope: CoverageScope;
	/** Delivers to CloudWatch Logs with a log group: Live Tail / FilterLogEvents can read it. */
	tailable: boolean;
	/** Traffic type REJECT or ALL. */
	capturesRejects: boolean;
	/** Its format has the fields a reject needs (action; srcaddr/dstport for a useful summary). */
	formatUsable: boolean;
	/** One sentence each: why this flow log can't be used, or what to be careful about. */
	notes: string[];
}

export interface FlowCoverage {
	eniId: string;
	/** Every covering flow log, best first. */
	flowLogs: CoveringFlowLog[];
	/** The one to stream rejects from, or null (then `problem` says why). */
	best: CoveringFlowLog | null;
	problem: string | null;
}

const SCOPE_RANK: Record<CoverageScope, number> = {eni: 0, subnet: 1, vpc: 2};

/** Worst-case delay before a record shows in CloudWatch Logs: the interval plus ~5 min delivery. */
export function worstCaseDelayMinutes(maxAggregationInterval: number): number {
	return Math.round(maxAggregationInterval / 60) + 5;
}

function formatNotes(format: string): {usable: boolean; notes: string[]} {
	let names: string[];
	try {
		names = parseLogFormat(format).map((field) => field.name);
	} catch (error) {
		return {usable: false, notes: [`its log format can't be parsed (${errorLine(error)})`]};
	}
	if (!names.includes('action')) return {usable: false, notes: ['its custom format has no ${action} field, so a REJECT cannot be told from an ACCEPT']};
	const missing = ['srcaddr', 'dstport'].filter((name) => !names.includes(name));
	return {usable: true, notes: missing.length ? [`its custom format lacks \${${missing.join('} ${')}}: rejects can be counted but not attributed`] : []};
}

export function describeFlowLog(flowLog: FlowLogConfig, scope: CoverageScope): CoveringFlowLog {
	const notes: string[] = [];
	const tailable = flowLog.destinationType === 'cloud-watch-logs' && Boolean(flowLog.logGroupName);
	if (flowLog.destinationType === 's3') {
		notes.push(`${flowLog.id} delivers to S3${flowLog.destination ? ` (${flowLog.destination})` : ''}: only CloudWatch Logs can be tailed — download the objects and run \`sgtui flows -i FILE\``);
	} else if (flowLog.destinationType === 'kinesis-data-firehose') {
		notes.push(`${flowLog.id} delivers to Kinesis Data Firehose: only CloudWatch Logs can be tailed — read the records where Firehose delivers them`);
	} else if (!tailable) {
		notes.push(`${flowLog.id} names no log group`);
	}
	const capturesRejects = flowLog.trafficType === 'REJECT' || flowLog.trafficType === 'ALL';
	if (!capturesRejects) notes.push(`${flowLog.id} captures only ACCEPT traffic, so it can never show a reject`);
	const format = formatNotes(flowLog.logFormat);
	notes.push(...format.notes.map((note) => `${flowLog.id}: ${note}`));
	if (flowLog.status && flowLog.status !== 'ACTIVE') notes.push(`${flowLog.id} is ${flowLog.status}`);
	if (flowLog.deliverLogsStatus && flowLog.deliverLogsStatus !== 'SUCCESS') notes.push(`${flowLog.id}'s delivery status is ${flowLog.deliverLogsStatus} (check its IAM role)`);
	if (flowLog.maxAggregationInterval >= 600) {
		notes.push(`${flowLog.id} aggregates over ${flowLog.maxAggregationInterval / 60} min; with ~5 min delivery a reject can take ~${worstCaseDelayMinutes(flowLog.maxAggregationInterval)} min to show (a 60 s interval is better)`);
	}
	return {flowLog, scope, tailable, capturesRejects, formatUsable: format.usable, notes};
}

function usable(entry: CoveringFlowLog): boolean {
	return entry.tailable && entry.capturesRejects && entry.formatUsable && (!entry.flowLog.status || entry.flowLog.status === 'ACTIVE');
}

function compare(a: CoveringFlowLog, b: CoveringFlowLog): number {
	if (usable(a) !== usable(b)) return usable(a) ? -1 : 1;
	if (a.flowLog.maxAggregationInterval !== b.flowLog.maxAggregationInterval) return a.flowLog.maxAggregationInterval - b.flowLog.maxAggregationInterval;
	if (a.scope !== b.scope) return SCOPE_RANK[a.scope] - SCOPE_RANK[b.scope];
	return a.flowLog.id.localeCompare(b.flowLog.id);
}

export function createFlowLogHint(eniId: string): string {
	return shellCommand(['aws', 'ec2', 'create-flow-logs', '--resource-type', 'NetworkInterface', '--resource-ids', eniId, '--traffic-type', 'REJECT', '--log-destination-type', 'cloud-watch-logs', '--log-group-name', 'vpc-flow-logs', '--deliver-logs-permission-arn', 'ROLE_ARN', '--max-aggregation-interval', 60]);
}

export function flowCoverage(inventory: Pick<Inventory, 'flowLogs' | 'networkInterfaces'> & {known?: Pick<Inventory['known'], 'flowLogs'>}, eni: NetworkInterface | string): FlowCoverage {
	const found = typeof eni === 'string' ? inventory.networkInterfaces.find((candidate) => candidate.id === eni) : eni;
	const eniId = typeof eni === 'string' ? eni : eni.id;
	const scopes: Array<[string | null | undefined, CoverageScope]> = [
		[eniId, 'eni'],
		[found?.subnetId, 'subnet'],
		[found?.vpcId, 'vpc'],
	];
	const flowLogs: CoveringFlowLog[] = [];
	for (const flowLog of inventory.flowLogs) {
		const match = scopes.find(([id]) => id && id === flowLog.resourceId);
		if (match) flowLogs.push(describeFlowLog(flowLog, match[1]));
	}
	flowLogs.sort(compare);
	const best = flowLogs.find(usable) ?? null;
	let problem: string | null = null;
	if (flowLogs.length === 0 && inventory.known?.flowLogs === false) {
		// Not read (denied, or missing from a snapshot): "none" would send the user to create one.
		problem = `flow-log configuration unknown (ec2:DescribeFlowLogs not read: denied or not captured), so whether a flow log covers ${eniId} is unknown`;
	} else if (flowLogs.length === 0) {
		problem = `no flow log covers ${eniId} (nor its subnet or VPC); create one, e.g. \`${createFlowLogHint(eniId)}\``;
	} else if (!best) {
		problem = `no flow log covering ${eniId} can show rejects live: ${flowLogs.flatMap((entry) => entry.notes.filter((note) => !/aggregates over/.test(note))).join('; ')}`;
	}
	return {eniId, flowLogs, best, problem};
}

// "What was rejected in the last N minutes", aggregated server-side by Logs Insights instead of
// downloading every record: StartQuery, then GetQueryResults until it completes. Grouped by
// direction like `flows` and the live view: a REJECTed reply (the instance answering from its
// service port to a client's ephemeral port — a NACL dropping return traffic) must be one row per
// (client, service port), not one per ephemeral port, so replies get a query of their own that
// groups by the reply's source port; everything else is grouped by destination port.
import type {CloudWatchLogsClient, ResultField} from '@aws-sdk/client-cloudwatch-logs';
import {logsSdk} from './sdk.js';
import {flowLogStreamNamesOf} from '../core/flow-log-streams.js';
import {DEFAULT_FLOW_FORMAT, parseLogFormat} from '../core/flow-format.js';
import {type FlowDirection, leftInterface} from '../core/flow-direction.js';
import {sleep} from './backoff.js';
import {awsCall, AwsCallError} from './errors.js';

export interface HistoryOptions {
	logGroupName: string;
	/** Restrict to these ENIs' log streams. */
	eniIds?: string[];
	/** The ENIs' own addresses: they tell a reply or outbound record from an inbound one. */
	eniAddresses?: string[];
	/** The flow log's LogFormat; custom formats get a `parse` clause naming their fields. */
	format?: string;
	minutes: number;
	/** Rows returned per query (Logs Insights caps at 10,000). */
	limit?: number;
	timeoutMs?: number;
	pollIntervalMs?: number;
	now?: () => number;
	signal?: AbortSignal;
}

export interface HistoryRow {
	direction: FlowDirection;
	/** The peer: the source of inbound traffic, the client of a reply, the destination of outbound traffic. */
	srcAddr: string | null;
	/** The service port: the destination port inbound and outbound, a reply's source port. */
	dstPort: number | null;
	protocol: number | null;
	count: number;
	/** Earliest `start` (Unix seconds). */
	first: number | null;
	/** Latest `end` (Unix seconds). */
	last: number | null;
}

export interface HistoryResult {
	rows: HistoryRow[];
	queryString: string;
	/** Whether fields came from an explicit `parse` or from Insights' own discovery. */
	fields: 'parse' | 'discovered';
	/** Records Logs Insights scanned / matched, when it reports them. */
	statistics: {recordsMatched?: number; recordsScanned?: number};
	/** A query hit its row limit: some groups (the smallest) are missing. */
	truncated: boolean;
}

const quote = (value: string) => JSON.stringify(value);

/**
 * The Insights condition for "this REJECT is the instance's reply", mirroring core's
 * flow-direction: v5's flow-direction when the format has it, else the ENI's own address as the
 * source; a reply goes from the lower service port to the client's port (≥ 1024). With neither,
 * only a non-ephemeral → ephemeral (Linux floor 32768) pair counts, as in directionFrom.
 */
export function replyCondition(options: {format?: string; eniAddresses?: string[]}): string {
	const keys = new Set(parseLogFormat(options.format ?? DEFAULT_FLOW_FORMAT).map((field) => field.key));
	const ports = 'srcPort < dstPort and dstPort >= 1024';
	if (keys.has('flowDirection')) return `(flowDirection = "egress" and ${ports})`;
	const own = options.eniAddresses?.filter(Boolean) ?? [];
	if (own.length > 0) {
		const list = `[${own.map(quote).join(', ')}]`;
		return `(srcAddr in ${list} and dstAddr not in ${list} and ${ports})`;
	}
	return '(srcPort < 32768 and dstPort >= 32768)';
}

/**
 * One of the two queries. Logs Insights discovers flow log fields only for the default format
 * (and names start/end differently across its docs), so the message is parsed explicitly with
 * the flow log's own format: the field names are then exactly the FlowRecord keys. `parse: false`
 * relies on discovery instead, for Insights-compatible endpoints without `parse`.
 */
export function historyQuery(options: Pick<HistoryOptions, 'eniIds' | 'eniAddresses' | 'format' | 'limit'> & {parse?: boolean; part?: 'replies' | 'others'}): string {
	const lines = ['fields @timestamp, @message'];
	const fields = parseLogFormat(options.format ?? DEFAULT_FLOW_FORMAT);
	if (options.parse !== false) {
		lines.push(`parse @message ${quote(fields.map(() => '*').join(' '))} as ${fields.map((field) => field.key).join(', ')}`);
	}
	if (options.eniIds?.length) lines.push(`filter @logStream in [${flowLogStreamNamesOf(options.eniIds).map(quote).join(', ')}]`);
	lines.push('filter action = "REJECT"');
	const reply = replyCondition(options);
	const stats = 'stats count(*) as count, min(start) as first, max(end) as last';
	if (options.part === 'replies') {
		lines.push(`filter ${reply}`);
		lines.push(`${stats} by dstAddr, srcPort, protocol`);
	} else {
		lines.push(`filter not ${reply}`);
		const direction = fields.some((field) => field.key === 'flowDirection') ? ', flowDirection' : '';
		lines.push(`${stats} by srcAddr, dstAddr, dstPort, protocol${direction}`);
	}
	lines.push('sort count desc');
	lines.push(`limit ${options.limit ?? 1000}`);
	return lines.join('\n| ');
}

function numberOrNull(value: string | undefined): number | null {
	if (value === undefined || value === '' || value === '-') return null;
	const number = Number(value);
	return Number.isFinite(number) ? number : null;
}

/** A result row as a HistoryRow, `part` telling which query it came from. */
export function toHistoryRow(fields: ResultField[], part: 'replies' | 'others' = 'others', eniAddresses: ReadonlySet<string> = new Set()): HistoryRow {
	const get = (name: string) => fields.find((field) => field.field === name)?.value;
	const common = {protocol: numberOrNull(get('protocol')), count: numberOrNull(get('count')) ?? 0, first: numberOrNull(get('first')), last: numberOrNull(get('last'))};
	if (part === 'replies') return {direction: 'reply', srcAddr: get('dstAddr') ?? null, dstPort: numberOrNull(get('srcPort')), ...common};
	const srcAddr = get('srcAddr') ?? null;
	const dstAddr = get('dstAddr') ?? null;
	const left = leftInterface(get('flowDirection'), srcAddr, dstAddr, eniAddresses);
	return left === true ? {direction: 'out', srcAddr: dstAddr, dstPort: numberOrNull(get('dstPort')), ...common} : {direction: 'in', srcAddr, dstPort: numberOrNull(get('dstPort')), ...common};
}

/**
 * An endpoint that does not run the query (moto answers with the raw events) gives rows without
 * the stats columns: that must be said, not printed as rows of dashes.
 */
function checkStatsColumns(results: ResultField[][]): void {
	if (results.length === 0) return;
	const columns = new Set(results.flatMap((row) => row.map((field) => field.field)));
	if (!columns.has('count')) {
		const seen = [...columns].slice(0, 4).join(', ') || 'none';
		throw new AwsCallError(`the endpoint ignored the Logs Insights query: its results have no stats columns (count), only ${seen}; it does not implement Logs Insights aggregation — use \`sgtui tail\` without --history`, 'InsightsIgnored', null);
	}
}

export async function rejectHistory(logs: CloudWatchLogsClient, options: HistoryOptions): Promise<HistoryResult> {
	if (!(options.minutes > 0)) throw new AwsCallError('history needs a positive number of minutes', 'InvalidParameter', null);
	try {
		return await runBoth(logs, options, true);
	} catch (error) {
		// An endpoint that speaks Insights but not `parse` (some emulators): use discovery.
		if ((error as AwsCallError).code !== 'MalformedQueryException') throw error;
		return runBoth(logs, options, false);
	}
}

async function runBoth(logs: CloudWatchLogsClient, options: HistoryOptions, parse: boolean): Promise<HistoryResult> {
	const now = (options.now ?? Date.now)();
	const own = new Set(options.eniAddresses ?? []);
	const [others, replies] = await Promise.all([runQuery(logs, options, parse, 'others', now), runQuery(logs, options, parse, 'replies', now)]);
	const limit = options.limit ?? 1000;
	const rows = [...others.results.map((row) => toHistoryRow(row, 'others', own)), ...replies.results.map((row) => toHistoryRow(row, 'replies', own))];
	rows.sort((a, b) => b.count - a.count);
	const sum = (a?: number, b?: number) => (a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0));
	return {
		rows,
		queryString: `${others.queryString}\n\n${replies.queryString}`,
		fields: parse ? 'parse' : 'discovered',
		statistics: {recordsMatched: sum(others.statistics?.recordsMatched, replies.statistics?.recordsMatched), recordsScanned: others.statistics?.recordsScanned},
		truncated: others.results.length >= limit || replies.results.length >= limit,
	};
}

async function runQuery(logs: CloudWatchLogsClient, options: HistoryOptions, parse: boolean, part: 'replies' | 'others', now: number) {
	const queryString = historyQuery({...options, parse, part});
	// Logs Insights takes seconds, not milliseconds.
	const endTime = Math.ceil(now / 1000);
	const startTime = Math.floor(now / 1000 - options.minutes * 60);
	const started = await awsCall('logs', 'StartQuery', () =>
		logs.send(new (logsSdk().StartQueryCommand)({logGroupNames: [options.logGroupName], startTime, endTime, queryString, limit: options.limit}), {abortSignal: options.signal}),
	);
	const queryId = started.queryId;
	if (!queryId) throw new AwsCallError('StartQuery returned no query id', 'InvalidResponse', null);
	const deadline = Date.now() + (options.timeoutMs ?? 60_000);
	const interval = options.pollIntervalMs ?? 1000;
	for (;;) {
		const result = await awsCall('logs', 'GetQueryResults', () => logs.send(new (logsSdk().GetQueryResultsCommand)({queryId}), {abortSignal: options.signal}));
		const status = result.status ?? 'Unknown';
		if (status === 'Complete') {
			const results = result.results ?? [];
			checkStatsColumns(results);
			return {results, queryString, statistics: result.statistics};
		}
		if (status === 'Failed' || status === 'Cancelled' || status === 'Timeout' || status === 'Unknown') {
			throw new AwsCallError(`Logs Insights query ${status.toLowerCase()} (query id ${queryId})`, `Query${status}`, null);
		}
		if (Date.now() >= deadline || options.signal?.aborted) {
			await logs.send(new (logsSdk().StopQueryCommand)({queryId})).catch(() => undefined);
			throw new AwsCallError(`Logs Insights query did not finish within ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s (stopped it)`, 'QueryTimeout', null);
		}
		await sleep(interval, options.signal);
	}
}

// "What was rejected in the last N minutes", aggregated server-side by Logs Insights instead of
// downloading every record: one StartQuery, then GetQueryResults until it completes.
import {type CloudWatchLogsClient, GetQueryResultsCommand, type ResultField, StartQueryCommand, StopQueryCommand} from '@aws-sdk/client-cloudwatch-logs';
import {DEFAULT_FLOW_FORMAT, parseLogFormat} from '../core/flow-format.js';
import {sleep} from './backoff.js';
import {awsCall, AwsCallError} from './errors.js';

export interface HistoryOptions {
	logGroupName: string;
	/** Restrict to these ENIs' log streams. */
	eniIds?: string[];
	/** The flow log's LogFormat; custom formats get a `parse` clause naming their fields. */
	format?: string;
	minutes: number;
	/** Rows returned (Logs Insights caps at 10,000). */
	limit?: number;
	timeoutMs?: number;
	pollIntervalMs?: number;
	now?: () => number;
	signal?: AbortSignal;
}

export interface HistoryRow {
	srcAddr: string | null;
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
}

const quote = (value: string) => JSON.stringify(value);

/**
 * The query. Logs Insights discovers flow log fields only for the default format (and names
 * start/end differently across its docs), so the message is parsed explicitly with the flow
 * log's own format: the field names are then exactly the FlowRecord keys. `parse: false` relies
 * on discovery instead, for Insights-compatible endpoints without `parse`.
 */
export function historyQuery(options: Pick<HistoryOptions, 'eniIds' | 'format' | 'limit'> & {parse?: boolean}): string {
	const lines = ['fields @timestamp, @message'];
	if (options.parse !== false) {
		const fields = parseLogFormat(options.format ?? DEFAULT_FLOW_FORMAT);
		lines.push(`parse @message ${quote(fields.map(() => '*').join(' '))} as ${fields.map((field) => field.key).join(', ')}`);
	}
	if (options.eniIds?.length) lines.push(`filter @logStream in [${options.eniIds.map(quote).join(', ')}]`);
	lines.push('filter action = "REJECT"');
	lines.push('stats count(*) as count, min(start) as first, max(end) as last by srcAddr, dstPort, protocol');
	lines.push('sort count desc');
	lines.push(`limit ${options.limit ?? 1000}`);
	return lines.join('\n| ');
}

function numberOrNull(value: string | undefined): number | null {
	if (value === undefined || value === '' || value === '-') return null;
	const number = Number(value);
	return Number.isFinite(number) ? number : null;
}

export function toHistoryRow(fields: ResultField[]): HistoryRow {
	const get = (name: string) => fields.find((field) => field.field === name)?.value;
	return {
		srcAddr: get('srcAddr') ?? null,
		dstPort: numberOrNull(get('dstPort')),
		protocol: numberOrNull(get('protocol')),
		count: numberOrNull(get('count')) ?? 0,
		first: numberOrNull(get('first')),
		last: numberOrNull(get('last')),
	};
}

export async function rejectHistory(logs: CloudWatchLogsClient, options: HistoryOptions): Promise<HistoryResult> {
	if (!(options.minutes > 0)) throw new AwsCallError('history needs a positive number of minutes', 'InvalidParameter', null);
	try {
		return await runQuery(logs, options, true);
	} catch (error) {
		// An endpoint that speaks Insights but not `parse` (the lab, some emulators): use discovery.
		if ((error as AwsCallError).code !== 'MalformedQueryException') throw error;
		return runQuery(logs, options, false);
	}
}

async function runQuery(logs: CloudWatchLogsClient, options: HistoryOptions, parse: boolean): Promise<HistoryResult> {
	const now = (options.now ?? Date.now)();
	const queryString = historyQuery({...options, parse});
	// Logs Insights takes seconds, not milliseconds.
	const endTime = Math.ceil(now / 1000);
	const startTime = Math.floor(now / 1000 - options.minutes * 60);
	const started = await awsCall('logs', 'StartQuery', () =>
		logs.send(new StartQueryCommand({logGroupNames: [options.logGroupName], startTime, endTime, queryString, limit: options.limit}), {abortSignal: options.signal}),
	);
	const queryId = started.queryId;
	if (!queryId) throw new AwsCallError('StartQuery returned no query id', 'InvalidResponse', null);
	const deadline = Date.now() + (options.timeoutMs ?? 60_000);
	const interval = options.pollIntervalMs ?? 1000;
	for (;;) {
		const result = await awsCall('logs', 'GetQueryResults', () => logs.send(new GetQueryResultsCommand({queryId}), {abortSignal: options.signal}));
		const status = result.status ?? 'Unknown';
		if (status === 'Complete') {
			return {
				rows: (result.results ?? []).map(toHistoryRow),
				queryString,
				fields: parse ? 'parse' : 'discovered',
				statistics: {recordsMatched: result.statistics?.recordsMatched, recordsScanned: result.statistics?.recordsScanned},
			};
		}
		if (status === 'Failed' || status === 'Cancelled' || status === 'Timeout' || status === 'Unknown') {
			throw new AwsCallError(`Logs Insights query ${status.toLowerCase()} (query id ${queryId})`, `Query${status}`, null);
		}
		if (Date.now() >= deadline || options.signal?.aborted) {
			await logs.send(new StopQueryCommand({queryId})).catch(() => undefined);
			throw new AwsCallError(`Logs Insights query did not finish within ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s (stopped it)`, 'QueryTimeout', null);
		}
		await sleep(interval, options.signal);
	}
}

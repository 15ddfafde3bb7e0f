// `sgtui tail TARGET`: live REJECTs for an instance, an ENI or every ENI of a security group —
// the method's second check ("perform the failing operation and look at what is rejected"), live.
// NDJSON with --json; otherwise a rolling summary (a redrawn table on a terminal, appended lines
// in a pipe). Status (mode, sampling, reconnects) goes to stderr so stdout stays data.
import type {AwsCliOptions} from '../../aws/cli-clients.js';
import {AwsCallError} from '../../aws/errors.js';
import {sharedAbortController} from '../../aws/abort-signal.js';
import {awsClientsForCli} from '../aws-clients.js';
import {type HistoryRow, rejectHistory} from '../../aws/history.js';
import {DEFAULT_LATE_ALLOWANCE_MS, lateWindowMs, type RejectEvent, type RejectStream, type RejectStreamStatus, startRejectStream} from '../../aws/reject-stream.js';
import {planTail} from '../../aws/tail-targets.js';
import {eniOfFlowLogStream} from '../../core/flow-log-streams.js';
import {FlowSummary, formatReplyNote} from '../../core/flow-summary.js';
import {protocolName as nameOf} from '../../core/protocols.js';
import {EXIT, InputError, UsageError} from '../errors.js';
import {requireAwsId} from '../id-arguments.js';
import {formatTable} from '../text-table.js';
import {MAX_WAIT, parseDuration, parseLateWindow} from '../duration.js';
import {display, displayCopy, errorLine} from '../../core/display-text.js';

export interface TailOptions extends AwsCliOptions {
	since?: unknown;
	all?: unknown;
	json?: unknown;
	/** Stop after this many records (scripts, tests). */
	maxEvents?: unknown;
	/** Stop after this long (e.g. 30s). */
	for?: unknown;
	/** auto | live-tail | polling */
	mode?: unknown;
	/** Instead of streaming: the REJECTs of this recent past, aggregated by Logs Insights. */
	history?: unknown;
	/** Delivery allowance on top of the aggregation interval (default 15m). */
	lateWindow?: unknown;
}

export interface TailIo {
	stdout: {write(text: string): unknown; isTTY?: boolean; columns?: number};
	stderr: {write(text: string): unknown; isTTY?: boolean};
	/** Aborts the tail (Ctrl-C). Defaults to SIGINT/SIGTERM. */
	signal?: AbortSignal;
}

export {parseDuration} from '../duration.js';

const protocolName = (value: number | null | undefined) => (value === null || value === undefined ? '-' : nameOf(value));

function clock(ms: number): string {
	return new Date(ms).toISOString().slice(11, 19);
}

function describeEvent(event: RejectEvent): string {
	const r = event.record;
	const port = (value: number | null | undefined) => (value === null || value === undefined ? '' : `:${value}`);
	return `${clock(event.timestamp)} ${r.interfaceId ?? eniOfFlowLogStream(event.logStreamName)} ${r.action ?? '-'} ${r.srcAddr ?? '-'}${port(r.srcPort)} -> ${r.dstAddr ?? '-'}${port(r.dstPort)} ${protocolName(r.protocol)}`;
}

/** 25m, 90s, 1h30m: a window length for the status line. */
export function shortDuration(ms: number): string {
	const seconds = Math.round(ms / 1000);
	if (seconds % 3600 === 0) return `${seconds / 3600}h`;
	if (seconds >= 3600) return `${Math.floor(seconds / 3600)}h${Math.round((seconds % 3600) / 60)}m`;
	if (seconds % 60 === 0) return `${seconds / 60}m`;
	return seconds > 60 ? `${Math.floor(seconds / 60)}m${seconds % 60}s` : `${seconds}s`;
}

function statusLine(status: RejectStreamStatus): string {
	const parts = [`${status.logGroupName}: ${status.mode}`];
	if (status.mode === 'polling') parts.push(status.fallbackReason ? `(Live Tail unavailable: ${status.fallbackReason})` : '(--mode polling)');
	if (status.mode !== 'stopped') parts.push(`late window ${shortDuration(status.windowMs)}`);
	if (status.late) parts.push(`${status.late} late record(s) beyond the window`);
	if (status.sampled) parts.push('SAMPLED — Live Tail is showing only part of the matching events');
	if (status.reconnecting) parts.push('reconnecting…');
	if (status.reconnects) parts.push(`${status.reconnects} reconnect(s)`);
	if (status.malformed) parts.push(`${status.malformed} unparseable message(s) skipped`);
	if (status.lastError && (status.reconnecting || !status.connected)) parts.push(`last error: ${status.lastError}`);
	// The group name and the errors come from AWS: inert, whatever they hold.
	return display(parts.join(' '));
}

/**
 * The summary by direction: a REJECTed reply (the instance answering from its service port to a
 * client's random port — a NACL dropping return traffic) is one 'reply' row per (client, service
 * port); keyed like an inbound record it would list the instance itself as the "source" of one
 * row per connection. A line under the table says what reply rows mean.
 */
function summaryTable(summary: FlowSummary, limit: number): string {
	const all = summary.rows();
	const shown = all.slice(0, limit);
	const rest = all.slice(limit);
	const folded = summary.others;
	const othersCount = folded.count + rest.reduce((sum, row) => sum + row.count, 0);
	const othersGroups = folded.groups + rest.length;
	const rows = shown.map((row) => [
		row.direction ?? '-',
		row.srcAddr ?? '-',
		row.dstPort === null ? '-' : String(row.dstPort),
		protocolName(row.protocol),
		String(row.count),
		row.firstSeen === null ? '-' : clock(row.firstSeen * 1000),
		row.lastSeen === null ? '-' : clock(row.lastSeen * 1000),
	]);
	// The rest as one row with the exact record count, so COUNT always adds up to the total.
	if (othersCount > 0) rows.push(['…', `others (${othersGroups} group${othersGroups === 1 ? '' : 's'})`, '', '', String(othersCount), '', '']);
	const note = formatReplyNote(shown);
	return formatTable(['DIR', 'PEER', 'PORT', 'PROTO', 'COUNT', 'FIRST', 'LAST'], rows, {alignRight: [2, 4]}) + (note ? `\n${note}` : '');
}

const HISTORY_ROWS = 20;

async function printHistory(
	groups: Array<{logGroupName: string; eniIds: string[]; format: string}>,
	eniAddresses: string[],
	windowMs: number,
	json: boolean,
	io: TailIo,
	logs: Parameters<typeof rejectHistory>[0],
	signal: AbortSignal,
): Promise<number> {
	const minutes = windowMs / 60_000;
	const rows: HistoryRow[] = [];
	let truncated = false;
	for (const group of groups) {
		if (io.stderr.isTTY) io.stderr.write(`sgtui: querying Logs Insights on ${display(group.logGroupName)} (last ${minutes} min)…\n`);
		const result = await rejectHistory(logs, {logGroupName: group.logGroupName, eniIds: group.eniIds, eniAddresses, format: group.format, minutes, signal});
		rows.push(...result.rows);
		if (result.truncated) truncated = true;
	}
	rows.sort((a, b) => b.count - a.count);
	if (json) {
		for (const row of rows) io.stdout.write(`${JSON.stringify(row)}\n`);
		return EXIT.ok;
	}
	if (rows.length === 0) {
		io.stdout.write(`no REJECT in the last ${minutes} min (flow logs arrive minutes late: no reject yet does not mean allowed)\n`);
		return EXIT.ok;
	}
	const shown = rows.slice(0, HISTORY_ROWS);
	const cells = shown.map((row) => [row.direction, row.srcAddr ?? '-', row.dstPort === null ? '-' : String(row.dstPort), protocolName(row.protocol), String(row.count), row.first === null ? '-' : clock(row.first * 1000), row.last === null ? '-' : clock(row.last * 1000)]);
	io.stdout.write(`${formatTable(['DIR', 'PEER', 'PORT', 'PROTO', 'COUNT', 'FIRST', 'LAST'], cells, {alignRight: [2, 4]})}\n`);
	const note = formatReplyNote(shown.map((row) => ({...row, action: 'REJECT' as const, firstSeen: row.first, lastSeen: row.last})));
	if (note) io.stdout.write(`${note}\n`);
	if (rows.length > shown.length) io.stdout.write(`… ${rows.length - shown.length} more row(s) with fewer rejects (--json lists all)\n`);
	if (truncated) io.stdout.write('… Logs Insights returned its row limit: the smallest groups are missing\n');
	return EXIT.ok;
}

/** Ctrl-C, SIGTERM, or the reader going away (`sgtui tail --json | head`) all end the tail cleanly. */
function defaultSignal(): {signal: AbortSignal; dispose: () => void} {
	const controller = sharedAbortController();
	const stop = () => controller.abort();
	const onStdoutError = (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE') process.stderr.write(`sgtui: cannot write output: ${errorLine(error)}\n`);
		controller.abort();
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	process.stdout.on('error', onStdoutError);
	return {
		signal: controller.signal,
		dispose: () => {
			process.off('SIGINT', stop);
			process.off('SIGTERM', stop);
			// The stdout listener stays: writes already queued may still fail after we return.
		},
	};
}

export async function tail(options: TailOptions, args: string[], io: TailIo): Promise<number> {
	const target = args[0] ?? '';
	requireAwsId(target, 'TARGET', ['instance', 'networkInterface', 'securityGroup']);
	const since = typeof options.since === 'string' ? parseDuration(options.since, '--since') : 10 * 60_000;
	const maxEvents = options.maxEvents === undefined ? Infinity : Number(options.maxEvents);
	if (options.maxEvents !== undefined && (!/^\d+$/.test(String(options.maxEvents)) || !(maxEvents >= 1) || !Number.isSafeInteger(maxEvents))) {
		throw new UsageError(`--max-events must be a whole number from 1, got "${String(options.maxEvents)}"`);
	}
	const duration = typeof options.for === 'string' ? parseDuration(options.for, '--for', MAX_WAIT) : null;
	if (duration !== null && duration <= 0) throw new UsageError(`--for must be longer than 0 (e.g. 30s, 5m), got "${String(options.for)}"`);
	const historyMs = typeof options.history === 'string' ? parseDuration(options.history, '--history') : null;
	if (historyMs !== null && historyMs <= 0) throw new UsageError(`--history must be longer than 0 (e.g. 30m), got "${String(options.history)}"`);
	const mode = (options.mode ?? 'auto') as 'auto' | 'live-tail' | 'polling';
	if (!['auto', 'live-tail', 'polling'].includes(mode)) throw new UsageError(`--mode must be auto, live-tail or polling`);
	const json = Boolean(options.json);
	const all = Boolean(options.all);
	const allowance = options.lateWindow === undefined ? DEFAULT_LATE_ALLOWANCE_MS : parseLateWindow(options.lateWindow);

	const clients = await awsClientsForCli(options);
	const stopper = sharedAbortController();
	const onAbort = () => stopper.abort();
	io.signal?.addEventListener('abort', onAbort, {once: true});
	const timer = duration === null ? null : setTimeout(onAbort, duration);
	const streams: RejectStream[] = [];
	let redraw: NodeJS.Timeout | null = null;
	try {
		const plan = await planTail(clients.ec2, target, stopper.signal).catch((error: unknown) => {
			// A target AWS does not know is bad input, not a failure.
			if (error instanceof AwsCallError && error.code === 'NotFound') throw new InputError(error.message);
			throw error;
		});
		for (const warning of plan.warnings) io.stderr.write(`sgtui: ${display(warning)}\n`);
		if (plan.groups.length === 0) {
			throw new AwsCallError(`nothing to tail: no flow log covering ${target} delivers REJECTs to CloudWatch Logs`, 'NoCoverage', null);
		}
		if (historyMs !== null) {
			const own = plan.networkInterfaces.flatMap((eni) => [...eni.privateIps, ...eni.ipv6Addresses]);
			return await printHistory(plan.groups, own, historyMs, json, io, clients.logs, stopper.signal);
		}
		const eniCount = plan.groups.reduce((sum, group) => sum + group.eniIds.length, 0);
		const widest = Math.max(...plan.groups.map((group) => lateWindowMs(group.flowLog.maxAggregationInterval, allowance)));
		io.stderr.write(`sgtui: watching ${all ? 'all records' : 'REJECTs'} of ${eniCount} network interface(s) since ${clock(Date.now() - since)} UTC; records up to ${shortDuration(widest)} late (aggregation interval + --late-window) are still shown once; Ctrl-C to stop\n`);

		// Bounded: a long session with ever new peers keeps the top groups and folds the rest into "others".
		const summary = new FlowSummary({actions: all ? 'all' : 'reject', byDirection: true, maxRows: 2000});
		const table = !json && Boolean(io.stdout.isTTY);
		// On a terminal the status joins the redrawn frame: a line on stderr would shift it.
		const statusInFrame = table && Boolean(io.stderr.isTTY);
		const frameStatus = new Map<string, string>();
		let emitted = 0;
		let drawnLines = 0;
		const draw = () => {
			const status = statusInFrame ? [...frameStatus.values()].map((line) => `${line}\n`).join('') : '';
			const text = `${summaryTable(summary, 15)}\n${summary.totals.records} record(s)\n${status}`;
			// Move up over the previous frame and clear it: a small redraw, not a full-screen UI.
			io.stdout.write(`${drawnLines ? `\u001B[${drawnLines}F\u001B[J` : ''}${text}`);
			drawnLines = text.split('\n').length - 1;
		};
		const onEvent = (event: RejectEvent) => {
			if (emitted >= maxEvents) return;
			emitted++;
			summary.add(event.record);
			if (json) io.stdout.write(`${JSON.stringify({...event.record, eventTimestamp: event.timestamp, ...(event.late ? {late: true} : {})})}\n`);
			else if (!table) io.stdout.write(`${describeEvent(displayCopy(event))}\n`);
			if (emitted >= maxEvents) stopper.abort();
		};
		let lastStatus = '';
		const onStatus = (status: RejectStreamStatus) => {
			const line = statusLine(status);
			if (statusInFrame) frameStatus.set(status.logGroupName, line);
			else if (line !== lastStatus && status.mode !== 'starting' && status.mode !== 'stopped') io.stderr.write(`sgtui: ${line}\n`);
			lastStatus = line;
		};
		for (const group of plan.groups) {
			streams.push(
				startRejectStream({
					logs: clients.logs,
					logGroupName: group.logGroupName,
					eniIds: group.eniIds,
					format: group.format,
					all,
					since: Date.now() - since,
					windowMs: lateWindowMs(group.flowLog.maxAggregationInterval, allowance),
					mode,
					logger: clients.logger,
					onEvent,
					onStatus,
				}),
			);
		}
		if (table) {
			draw();
			redraw = setInterval(draw, 1000);
		}
		const finished = Promise.all(streams.map((stream) => stream.done));
		const aborted = new Promise<void>((resolve) => stopper.signal.addEventListener('abort', () => resolve(), {once: true}));
		await Promise.race([finished, aborted]);
		await Promise.all(streams.map((stream) => stream.stop()));
		await finished;
		if (table) draw();
		else if (!json && summary.totals.records > 0) io.stdout.write(`\n${summaryTable(summary, 50)}\n`);
		return EXIT.ok;
	} finally {
		if (redraw) clearInterval(redraw);
		if (timer) clearTimeout(timer);
		io.signal?.removeEventListener('abort', onAbort);
		await Promise.all(streams.map((stream) => stream.stop()));
		clients.destroy();
	}
}

export async function run(options: Record<string, unknown>, args: string[]): Promise<number> {
	const {signal, dispose} = defaultSignal();
	try {
		return await tail(options, args, {stdout: process.stdout, stderr: process.stderr, signal});
	} finally {
		dispose();
	}
}

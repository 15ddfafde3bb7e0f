// Live REJECT records for one or more ENIs that share a flow log group. Live Tail first
// (StartLiveTail on the group, restricted to the ENIs' log streams and a REJECT filter); when a
// session ends or the connection drops it reconnects with backoff and backfills the gap with
// FilterLogEvents, and every event passes one de-duplicator so nothing is shown twice. When Live
// Tail is denied or unavailable (no logs:StartLiveTail, LocalStack-like endpoints, moto) it falls
// back to FilterLogEvents polling under the 5 requests/s quota, and says which mode it is in.
// Which read happens when is decided by the pure state machine in core/stream-machine.ts; this
// file is its I/O driver: it runs the machine's commands and feeds their outcomes back.
import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import {logsSdk} from './sdk.js';
import {sharedAbortController} from './abort-signal.js';
import {createFlowLineParser} from '../core/flow-parser.js';
import {DEFAULT_FLOW_FORMAT} from '../core/flow-format.js';
import {flowLogStreamNamesOf} from '../core/flow-log-streams.js';
import {
	classifyArrival,
	initialStreamState,
	retainFrom,
	step,
	type StreamCommand,
	type StreamInput,
	type StreamMachineConfig,
	type StreamMachineState,
	streamModeOf,
} from '../core/stream-machine.js';
import type {FlowRecord} from '../core/types.js';
import {backoffDelay, type BackoffOptions, sleep} from './backoff.js';
import {AwsCallError, errorCode, explainAwsError, httpStatus, isDenied} from './errors.js';
import {EventDedupe, LateKeys} from './event-dedupe.js';
import {filterLogEvents, resolveLogGroupArn} from './log-events.js';
import {guardConsole, type DebugLogger} from './sdk-logger.js';
import {sharedBucket, type TokenBucket} from './token-bucket.js';
import {serverClockOffset, trackServerClock} from './server-clock.js';

export type StreamMode = 'starting' | 'live-tail' | 'polling' | 'stopped';
export type EventSource = 'live-tail' | 'backfill' | 'poll' | 'sweep';

export interface RejectEvent {
	record: FlowRecord;
	message: string;
	logStreamName: string;
	/** The CloudWatch Logs event timestamp (ms). */
	timestamp: number;
	ingestionTime?: number;
	eventId?: string;
	source: EventSource;
	/** Ingested more than the late-delivery window after its event time. */
	late: boolean;
}

export interface RejectStreamStatus {
	mode: StreamMode;
	logGroupName: string;
	connected: boolean;
	reconnecting: boolean;
	/**
	 * Live Tail sampled at least one update of this stream (more than 500 events/s matched; AWS sets
	 * `sessionMetadata.sampled`). It stays set: once events were left out, every count taken from
	 * this stream is a lower bound, even after the rate drops and updates are complete again.
	 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_LiveTailSessionMetadata.html
	 */
	sampled: boolean;
	/** How many Live Tail updates were sampled. */
	sampledUpdates: number;
	lastError: string | null;
	reconnects: number;
	/** Messages that did not parse with the flow log's format (counted, never silently dropped). */
	malformed: number;
	/** Why the stream is polling instead of live-tailing. */
	fallbackReason: string | null;
	/** The late-delivery window (ms): aggregation interval plus delivery allowance. */
	windowMs: number;
	/** Records delivered later than the window (shown; a poll alone would have missed them). */
	late: number;
}

/** The default delivery allowance on top of the aggregation interval. */
export const DEFAULT_LATE_ALLOWANCE_MS = 15 * 60_000;

/** The late-delivery window for a flow log: its aggregation interval plus a delivery allowance. */
export function lateWindowMs(aggregationSeconds: number | null | undefined, allowanceMs = DEFAULT_LATE_ALLOWANCE_MS): number {
	return (aggregationSeconds ?? 600) * 1000 + allowanceMs;
}

export interface RejectStreamOptions {
	logs: CloudWatchLogsClient;
	logGroupName: string;
	/** Skips DescribeLogGroups when known. */
	logGroupArn?: string;
	eniIds: string[];
	/** The flow log's LogFormat (default: the v2 default format). */
	format?: string;
	/** Every record, not only REJECT (same as records: 'all'). */
	all?: boolean;
	/**
	 * Which records (default 'rejects', or 'all' with `all`): 'others' is every record that is
	 * not a REJECT, so a view can add ACCEPTs beside a running REJECT stream without restarting it.
	 */
	records?: 'rejects' | 'others' | 'all';
	/** Start of history to read first (ms); default: now (only new records). */
	since?: number;
	mode?: 'auto' | 'live-tail' | 'polling';
	pollIntervalMs?: number;
	/**
	 * The late-delivery window (default: lateWindowMs(600)): polls and backfills re-read this far
	 * back by event time, so records delivered up to this late are still shown, exactly once.
	 */
	windowMs?: number;
	/** How often polling sweeps one window further back for records later than the window (default 60 s). */
	sweepIntervalMs?: number;
	/** After falling back to polling on transient failures, retry Live Tail this often (default 5 min). */
	liveTailRetryMs?: number;
	/**
	 * How far below the sweep a deep sweep reads (default 2 h; 0: never), after Live Tail gaps and
	 * every `deepSweepIntervalMs` while polling: it finds records ingested while nobody was
	 * listening that are later than the window and the sweep reach, and counts them as late.
	 */
	deepMs?: number;
	/**
	 * At most one deep read per this interval (default 10 min): while polling one every interval;
	 * after Live Tail gaps the first at once, later gaps inside the interval are owed and read
	 * together when it is over (a flapping connection must not re-read 2 h per reconnect).
	 */
	deepSweepIntervalMs?: number;
	backoff?: BackoffOptions;
	/** Failed Live Tail attempts without ever connecting before falling back to polling. */
	maxLiveTailFailures?: number;
	bucket?: TokenBucket;
	logger?: DebugLogger;
	/** Every new event, one call each (the CLI's tail prints them as they come). */
	onEvent?: (event: RejectEvent) => void;
	/**
	 * Instead of onEvent: the new events of one delivery (a Live Tail update, a FilterLogEvents
	 * page) in one call, in event-time order. A UI then takes a flood's 500 records a second as
	 * one change instead of 500 (bench/flood.mjs).
	 */
	onEvents?: (events: RejectEvent[]) => void;
	onStatus?: (status: RejectStreamStatus) => void;
	/** Stops the stream when aborted (same as stop()). */
	signal?: AbortSignal;
	now?: () => number;
}

export interface RejectStream {
	readonly status: RejectStreamStatus;
	/** Settles when the stream stops; rejects on a fatal error (e.g. FilterLogEvents denied). */
	readonly done: Promise<void>;
	/** FilterLogEvents reads (polls, backfills, sweeps) in flight: 0 when everything asked for was read. */
	readonly readsInFlight: number;
	stop(): Promise<void>;
}

/**
 * StartLiveTail takes at most 100 log stream name prefixes: one per interface, so its streams
 * under every name AWS gives them (core/flow-log-streams.ts) come in one session.
 */
export const MAX_LIVE_TAIL_STREAMS = 100;

// The codes that mean "Live Tail is not available here", as opposed to "try again".
const UNAVAILABLE = new Set(['UnknownOperationException', 'UnknownOperation', 'InvalidAction', 'NotImplemented', 'UnsupportedOperation', 'UnsupportedOperationException']);

/** An answer that is not AWS-shaped at all (an HTML 404 page from moto or a proxy). */
function notAws(error: unknown): boolean {
	return errorCode(error) === 'SyntaxError' || (error as {$response?: {statusCode?: number}})?.$response?.statusCode === 404;
}

export function liveTailUnavailable(error: unknown): boolean {
	const status = httpStatus(error);
	return isDenied(error) || UNAVAILABLE.has(errorCode(error)) || notAws(error) || status === 404 || status === 405 || status === 501;
}

const NOT_IMPLEMENTED = 'this endpoint does not implement StartLiveTail (the CloudWatch Logs Live Tail operation)';

function notImplemented(error: unknown): boolean {
	return notAws(error) || (UNAVAILABLE.has(errorCode(error)) && !isDenied(error)) || [404, 405, 501].includes(httpStatus(error) ?? 0);
}

/**
 * One line naming the missing operation, never a JSON parser's complaint about an HTML page: the
 * error that ends `--mode live-tail`, so it says which modes work instead.
 */
function liveTailError(error: unknown): Error {
	if (notImplemented(error)) return new AwsCallError(`${NOT_IMPLEMENTED}; use --mode polling or --mode auto`, 'LiveTailUnavailable', null, error);
	return explainAwsError(error, 'logs', 'StartLiveTail');
}

/** Why Live Tail failed, as the status shows it while the stream polls instead (auto mode: no advice on modes). */
function liveTailFailure(error: unknown): string {
	return notImplemented(error) ? NOT_IMPLEMENTED : explainAwsError(error, 'logs', 'StartLiveTail').message;
}

function denied(error: unknown): boolean {
	return isDenied(error) || (error instanceof AwsCallError && error.permission !== null);
}

type RawEvent = {logStreamName?: string; timestamp?: number; message?: string; ingestionTime?: number; eventId?: string};

class Stream implements RejectStream {
	readonly status: RejectStreamStatus;
	readonly done: Promise<void>;
	private readonly controller = sharedAbortController();
	private readonly dedupe = new EventDedupe();
	private readonly lateKeys = new LateKeys();
	private readonly parse: (line: string) => FlowRecord | null;
	private readonly now: () => number;
	private readonly bucket: TokenBucket;
	private readonly config: StreamMachineConfig & {since: number; startedAt: number};
	/** CloudWatch Logs' clock minus this machine's, fixed once the first response said (server-clock.ts). */
	private offset: number | null = null;
	private machine: StreamMachineState = initialStreamState();
	private arn: string | undefined;
	private session: AbortController | null = null;
	private timer: NodeJS.Timeout | null = null;
	private readonly tasks = new Set<Promise<void>>();
	private readonly reads = new Set<string>();
	private lastLiveTailError: unknown = null;
	/** The interfaces' flow-log stream names: FilterLogEvents reads exactly these. */
	private readonly streamNames: string[];
	private readonly streamSet: ReadonlySet<string>;
	private finish!: (error?: Error) => void;
	private releaseConsole: () => void = () => undefined;

	constructor(private readonly options: RejectStreamOptions) {
		if (options.eniIds.length > MAX_LIVE_TAIL_STREAMS) throw new RangeError(`a reject stream watches at most ${MAX_LIVE_TAIL_STREAMS} network interfaces (got ${options.eniIds.length}); start several`);
		this.now = options.now ?? Date.now;
		this.parse = createFlowLineParser(options.format ?? DEFAULT_FLOW_FORMAT);
		this.bucket = options.bucket ?? sharedBucket(options.logs);
		trackServerClock(options.logs);
		this.arn = options.logGroupArn;
		this.streamNames = flowLogStreamNamesOf(options.eniIds);
		this.streamSet = new Set(this.streamNames);
		const startedAt = this.now();
		const windowMs = options.windowMs ?? lateWindowMs(600);
		this.config = {
			mode: options.mode ?? 'auto',
			windowMs,
			marginMs: 10_000,
			since: options.since ?? startedAt,
			startedAt,
			pollIntervalMs: options.pollIntervalMs ?? 3000,
			sweepIntervalMs: options.sweepIntervalMs ?? 60_000,
			maxLiveTailFailures: options.maxLiveTailFailures ?? 3,
			liveTailRetryMs: options.liveTailRetryMs ?? 5 * 60_000,
			deepMs: options.deepMs ?? 2 * 60 * 60_000,
			deepSweepIntervalMs: options.deepSweepIntervalMs ?? 10 * 60_000,
			arnKnown: Boolean(options.logGroupArn),
		};
		this.status = {mode: 'starting', logGroupName: options.logGroupName, connected: false, reconnecting: false, sampled: false, sampledUpdates: 0, lastError: null, reconnects: 0, malformed: 0, fallbackReason: null, windowMs, late: 0};
		this.done = new Promise<void>((resolve, reject) => {
			this.finish = (error) => (error ? reject(error) : resolve());
		});
		// Callers that only call stop() must not see an unhandled rejection.
		this.done.catch(() => undefined);
		if (options.eniIds.length === 0) {
			this.status.mode = 'stopped';
			this.finish(new Error('no network interfaces to watch'));
			return;
		}
		this.releaseConsole = options.logger ? guardConsole(options.logger) : () => undefined;
		if (options.signal?.aborted) {
			void this.stop();
			return;
		}
		options.signal?.addEventListener('abort', () => void this.stop(), {once: true});
		this.dispatch({type: 'start', now: startedAt});
	}

	/**
	 * The machine runs on the service's clock: its instants are compared with event and ingestion
	 * stamps. The first offset a response gives is kept (one frame for the whole stream), and the
	 * start and `since` move with it: a machine clock 30 s ahead otherwise skipped every record
	 * ingested in the first 30 s as history, and read each gap 30 s too late.
	 */
	private serverNow(): number {
		if (this.offset === null) {
			const offset = serverClockOffset(this.options.logs);
			if (offset !== null) {
				this.offset = offset;
				this.config.since += offset;
				// The estimate is good to about a second (the header's resolution, the latency): the
				// start moves a second earlier still, so nothing ingested after it is taken for history.
				this.config.startedAt += offset === 0 ? 0 : offset - 1000;
			}
		}
		return this.now() + (this.offset ?? 0);
	}

	private get signal(): AbortSignal {
		return this.controller.signal;
	}

	private publish(change: Partial<RejectStreamStatus> = {}): void {
		const machine = this.machine;
		Object.assign(this.status, streamModeOf(machine), {reconnects: machine.reconnects, fallbackReason: machine.fallbackReason, lastError: machine.lastError}, change);
		this.options.onStatus?.({...this.status});
	}

	private dispatch(input: StreamInput): void {
		if (this.signal.aborted && input.type !== 'stop') return;
		const before = this.machine.phase;
		const {state, commands} = step(this.machine, input, this.config);
		this.machine = state;
		if (state.phase !== before || commands.length > 0 || input.type !== 'session-update') this.publish();
		for (const command of commands) this.execute(command);
	}

	private track(task: Promise<void>): void {
		const tracked = task.catch((error: unknown) => this.options.logger?.warn('reject stream task failed:', (error as Error)?.message)).finally(() => this.tasks.delete(tracked));
		this.tasks.add(tracked);
	}

	private execute(command: StreamCommand): void {
		switch (command.type) {
			case 'resolve-arn':
				this.track(this.resolveArn());
				return;
			case 'open-session':
				this.track(this.runSession());
				return;
			case 'read':
				this.track(this.read(command));
				return;
			case 'wait':
				this.wait(command.ms);
				return;
			case 'wait-backoff':
				this.wait(backoffDelay(command.attempt, this.options.backoff));
				return;
			case 'close-session':
				this.session?.abort();
				return;
			case 'fail': {
				const error = command.reason === 'live-tail-unavailable' ? liveTailError(this.lastLiveTailError) : this.lastFatal ?? new Error(command.message);
				void this.shutdown(error);
				return;
			}
		}
	}

	private lastFatal: Error | null = null;

	private wait(ms: number): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = setTimeout(() => {
			this.timer = null;
			this.dispatch({type: 'timer', now: this.serverNow()});
		}, ms);
	}

	private async resolveArn(): Promise<void> {
		try {
			this.arn = await resolveLogGroupArn(this.options.logs, this.options.logGroupName, this.signal);
			this.dispatch({type: 'arn-resolved', now: this.serverNow()});
		} catch (error) {
			if (this.signal.aborted) return;
			this.lastFatal = explainAwsError(error, 'logs', 'DescribeLogGroups');
			this.dispatch({type: 'arn-failed', now: this.serverNow(), denied: denied(error), message: (error as Error).message});
		}
	}

	private async runSession(): Promise<void> {
		const session = new AbortController();
		this.session = session;
		let connected = false;
		let ended: StreamInput | null = null;
		try {
			const response = await this.options.logs.send(
				// Prefixes, one per interface: 100 interfaces per session whatever suffix their streams carry;
				// an event of a longer id that merely starts the same is dropped in accept().
				new (logsSdk().StartLiveTailCommand)({logGroupIdentifiers: [this.arn!], logStreamNamePrefixes: this.options.eniIds, logEventFilterPattern: this.filterPattern()}),
				{abortSignal: session.signal},
			);
			for await (const item of response.responseStream ?? []) {
				if (item.sessionStart) {
					connected = true;
					this.dispatch({type: 'session-started', now: this.serverNow()});
				} else if (item.sessionUpdate) {
					if (item.sessionUpdate.sessionMetadata?.sampled) this.publish({sampled: true, sampledUpdates: this.status.sampledUpdates + 1});
					this.handleBatch(item.sessionUpdate.sessionResults ?? [], 'live-tail');
					this.dispatch({type: 'session-update', now: this.serverNow()});
					this.prune();
				} else if (item.SessionTimeoutException) {
					ended = {type: 'session-ended', now: this.serverNow(), reason: 'timeout', message: `session timed out: ${item.SessionTimeoutException.message ?? 'SessionTimeoutException'}`};
					break;
				} else if (item.SessionStreamingException) {
					ended = {type: 'session-ended', now: this.serverNow(), reason: 'interrupted', message: `session interrupted: ${item.SessionStreamingException.message ?? 'SessionStreamingException'}`};
					break;
				}
			}
			if (this.signal.aborted) return;
			if (ended) this.dispatch(ended);
			else if (connected) this.dispatch({type: 'session-ended', now: this.serverNow(), reason: 'closed', message: 'Live Tail connection closed'});
			else this.dispatch({type: 'connect-failed', now: this.serverNow(), unavailable: false, message: 'the Live Tail stream ended before the session started'});
		} catch (error) {
			if (this.signal.aborted) return;
			this.options.logger?.warn('StartLiveTail failed:', errorCode(error), (error as Error)?.message);
			this.lastLiveTailError = error;
			const text = liveTailFailure(error);
			if (connected) this.dispatch({type: 'session-ended', now: this.serverNow(), reason: 'closed', message: text});
			else this.dispatch({type: 'connect-failed', now: this.serverNow(), unavailable: liveTailUnavailable(error), message: text});
		} finally {
			session.abort();
			if (this.session === session) this.session = null;
		}
	}

	private get records(): 'rejects' | 'others' | 'all' {
		return this.options.records ?? (this.options.all ? 'all' : 'rejects');
	}

	/**
	 * Filtered at the source, so Live Tail's 500 events a second are spent on the wanted records.
	 * Term patterns: `?a ?b` matches events with any of the terms; a flow record's action is
	 * ACCEPT or REJECT and its log-status OK, NODATA or SKIPDATA, so "not a REJECT" is an ACCEPT
	 * or a record without data (checked again after parsing).
	 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
	 */
	private filterPattern(): string | undefined {
		const records = this.records;
		return records === 'all' ? undefined : records === 'rejects' ? 'REJECT' : '?ACCEPT ?NODATA ?SKIPDATA';
	}

	private async read(command: Extract<StreamCommand, {type: 'read'}>): Promise<void> {
		const id = `${command.kind}:${command.from}:${Math.random()}`;
		if (command.kind === 'poll') this.prune();
		this.reads.add(id);
		try {
			if (command.retry > 0) await sleep(backoffDelay(command.retry - 1, this.options.backoff), this.signal);
			if (this.signal.aborted) return;
			for await (const page of filterLogEvents(this.options.logs, {
				logGroupName: this.options.logGroupName,
				logStreamNames: this.streamNames,
				startTime: command.deep?.from ?? command.from,
				// FilterLogEvents' endTime is inclusive; the machine's `to` is not.
				endTime: command.to === null ? undefined : command.to - 1,
				filterPattern: this.filterPattern(),
				bucket: this.bucket,
				signal: this.signal,
			})) {
				this.handleBatch(page, command.kind, command.deep ? {below: command.from, ingestedAfter: command.deep.ingestedAfter} : undefined);
			}
			this.reads.delete(id);
			if (!this.signal.aborted) this.dispatch({type: 'read-done', now: this.serverNow(), kind: command.kind});
		} catch (error) {
			this.reads.delete(id);
			if (this.signal.aborted) return;
			const explained = explainAwsError(error, 'logs', 'FilterLogEvents');
			if (denied(error)) this.lastFatal = explained;
			this.dispatch({type: 'read-failed', now: this.serverNow(), kind: command.kind, denied: denied(error), message: `${command.kind === 'poll' ? '' : `${command.kind} failed: `}${explained.message}`});
		} finally {
			this.reads.delete(id);
		}
	}

	/**
	 * One delivery batch (a Live Tail update or a FilterLogEvents page), in event-time order: Live
	 * Tail interleaves streams as they are ingested, and a piped tail should read like a log.
	 */
	private handleBatch(events: RawEvent[], source: RejectEvent['source'], deep?: {below: number; ingestedAfter: number}): void {
		if (this.signal.aborted) return;
		// The response that brought these said the service's time: fix the frame before classifying.
		this.serverNow();
		const sorted = events.length > 1 ? [...events].sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0)) : events;
		const fresh: RejectEvent[] = [];
		let malformed = 0;
		let late = 0;
		for (const event of sorted) {
			const outcome = this.accept(event, source, deep);
			if (outcome === 'malformed') malformed++;
			else if (outcome) {
				fresh.push(outcome);
				if (outcome.late) late++;
			}
		}
		// The counts first, once per batch: a reader of the status sees them with the events.
		if (malformed > 0 || late > 0) this.publish({malformed: this.status.malformed + malformed, late: this.status.late + late});
		if (fresh.length === 0) return;
		if (this.options.onEvents) {
			this.options.onEvents(fresh);
			return;
		}
		for (const event of fresh) {
			// onEvent may stop the stream (tail's --max-events): nothing after that is delivered.
			if (this.signal.aborted) return;
			this.options.onEvent?.(event);
		}
	}

	/** The event to deliver, 'malformed', or null (a duplicate, history, not a REJECT). */
	private accept(event: RawEvent, source: RejectEvent['source'], deep?: {below: number; ingestedAfter: number}): RejectEvent | 'malformed' | null {
		if (event.timestamp === undefined || event.message === undefined) return null;
		const arrival = classifyArrival({timestamp: event.timestamp, ingestionTime: event.ingestionTime}, this.config);
		if (arrival === 'history-skip') return null;
		// The deep part of a sweep: only records later than the window, ingested since the last deep
		// read. Anything on time down there was read by an earlier poll or backfill.
		const inDeep = deep !== undefined && event.timestamp < deep.below;
		if (inDeep && (arrival !== 'late' || event.ingestionTime === undefined || event.ingestionTime <= deep.ingestedAfter)) return null;
		const logStreamName = event.logStreamName ?? '';
		if (event.logStreamName !== undefined && !this.streamSet.has(logStreamName)) return null;
		const messageText = event.message.endsWith('\n') ? event.message.slice(0, -1) : event.message;
		const key = {logStreamName, timestamp: event.timestamp, message: messageText, eventId: event.eventId};
		if (!this.dedupe.accept(key)) return null;
		// Late records also pass a ledger of their own: a deep read finds them below the de-duplicator's floor.
		if ((arrival === 'late' || source === 'sweep') && !this.lateKeys.add(key)) return null;
		const record = this.parse(messageText);
		if (!record) return 'malformed';
		const records = this.records;
		if (records !== 'all' && (record.action === 'REJECT') !== (records === 'rejects')) return null;
		// A sweep only finds what the window's polls missed: those were late by definition.
		const late = arrival === 'late' || source === 'sweep';
		return {record, message: messageText, logStreamName, timestamp: event.timestamp, ingestionTime: event.ingestionTime, eventId: event.eventId, source, late};
	}

	/**
	 * Keeps the de-duplicator bounded by the window. Only safe between reads: a read in flight may
	 * still return events from before the new floor, which would then look new again.
	 */
	private prune(): void {
		if (this.reads.size === 0) this.dedupe.prune(retainFrom(this.machine, this.config, this.serverNow()));
	}

	get readsInFlight(): number {
		return this.reads.size;
	}

	/** Dedupe entries held now (tests and the soak check that memory stays bounded). */
	get dedupeSize(): number {
		return this.dedupe.keys;
	}

	private async shutdown(error?: Error): Promise<void> {
		if (!this.signal.aborted) this.controller.abort();
		if (this.machine.phase !== 'stopped' && this.machine.phase !== 'failed') this.machine = step(this.machine, {type: 'stop'}, this.config).state;
		this.session?.abort();
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
		this.releaseConsole();
		this.releaseConsole = () => undefined;
		this.publish({mode: 'stopped', connected: false, reconnecting: false});
		this.finish(error);
	}

	async stop(): Promise<void> {
		if (!this.signal.aborted) await this.shutdown();
		await this.done.catch(() => undefined);
	}
}

export function startRejectStream(options: RejectStreamOptions): RejectStream {
	return new Stream(options);
}

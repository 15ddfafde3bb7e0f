// Live REJECT records for one or more ENIs that share a flow log group. Live Tail first
// (StartLiveTail on the group, restricted to the ENIs' log streams and a REJECT filter); when a
// session ends or the connection drops it reconnects with backoff and backfills the gap with
// FilterLogEvents, and every event passes one de-duplicator so nothing is shown twice. When Live
// Tail is denied or unavailable (no logs:StartLiveTail, LocalStack-like endpoints, moto) it falls
// back to FilterLogEvents polling under the 5 requests/s quota, and says which mode it is in.
import {type CloudWatchLogsClient, type LiveTailSessionLogEvent, StartLiveTailCommand} from '@aws-sdk/client-cloudwatch-logs';
import {createFlowLineParser} from '../core/flow-parser.js';
import {DEFAULT_FLOW_FORMAT} from '../core/flow-format.js';
import type {FlowRecord} from '../core/types.js';
import {backoffDelay, type BackoffOptions, sleep} from './backoff.js';
import {errorCode, explainAwsError, httpStatus, isDenied} from './errors.js';
import {EventDedupe} from './event-dedupe.js';
import {filterLogEvents, resolveLogGroupArn} from './log-events.js';
import {guardConsole, type DebugLogger} from './sdk-logger.js';
import {sharedBucket, type TokenBucket} from './token-bucket.js';

export type StreamMode = 'starting' | 'live-tail' | 'polling' | 'stopped';
export type EventSource = 'live-tail' | 'backfill' | 'poll';

export interface RejectEvent {
	record: FlowRecord;
	message: string;
	logStreamName: string;
	/** The CloudWatch Logs event timestamp (ms). */
	timestamp: number;
	ingestionTime?: number;
	eventId?: string;
	source: EventSource;
}

export interface RejectStreamStatus {
	mode: StreamMode;
	logGroupName: string;
	connected: boolean;
	reconnecting: boolean;
	/** Live Tail said it sampled the last update (more than 500 events/s matched). */
	sampled: boolean;
	lastError: string | null;
	reconnects: number;
	/** Messages that did not parse with the flow log's format (counted, never silently dropped). */
	malformed: number;
	/** Why the stream is polling instead of live-tailing. */
	fallbackReason: string | null;
}

export interface RejectStreamOptions {
	logs: CloudWatchLogsClient;
	logGroupName: string;
	/** Skips DescribeLogGroups when known. */
	logGroupArn?: string;
	eniIds: string[];
	/** The flow log's LogFormat (default: the v2 default format). */
	format?: string;
	/** Every record, not only REJECT. */
	all?: boolean;
	/** Start of history to read first (ms); default: now (only new records). */
	since?: number;
	mode?: 'auto' | 'live-tail' | 'polling';
	pollIntervalMs?: number;
	/**
	 * How far before the newest event seen a backfill or poll starts (default 5 min): flow log
	 * streams deliver minutes late and out of order, so "after the last timestamp" misses events.
	 */
	lookbackMs?: number;
	backoff?: BackoffOptions;
	/** Failed Live Tail attempts without ever connecting before falling back to polling. */
	maxLiveTailFailures?: number;
	bucket?: TokenBucket;
	logger?: DebugLogger;
	onEvent: (event: RejectEvent) => void;
	onStatus?: (status: RejectStreamStatus) => void;
	/** Stops the stream when aborted (same as stop()). */
	signal?: AbortSignal;
	now?: () => number;
}

export interface RejectStream {
	readonly status: RejectStreamStatus;
	/** Settles when the stream stops; rejects on a fatal error (e.g. FilterLogEvents denied). */
	readonly done: Promise<void>;
	stop(): Promise<void>;
}

/** StartLiveTail (and FilterLogEvents) take at most 100 log stream names. */
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

function message(error: unknown): string {
	if (notAws(error)) return 'the endpoint does not implement StartLiveTail (it answered with something that is not an AWS response)';
	return explainAwsError(error, 'logs', 'StartLiveTail').message;
}

class Stream implements RejectStream {
	readonly status: RejectStreamStatus;
	readonly done: Promise<void>;
	private readonly controller = new AbortController();
	private readonly dedupe = new EventDedupe();
	private readonly parse: (line: string) => FlowRecord | null;
	private readonly now: () => number;
	private readonly bucket: TokenBucket;
	private readonly lookback: number;
	private readonly floor: number;
	private lastEventTimestamp: number | null = null;
	private session: AbortController | null = null;
	private readonly backfills = new Set<Promise<void>>();

	constructor(private readonly options: RejectStreamOptions) {
		if (options.eniIds.length > MAX_LIVE_TAIL_STREAMS) throw new RangeError(`a reject stream watches at most ${MAX_LIVE_TAIL_STREAMS} network interfaces (got ${options.eniIds.length}); start several`);
		this.now = options.now ?? Date.now;
		this.parse = createFlowLineParser(options.format ?? DEFAULT_FLOW_FORMAT);
		this.bucket = options.bucket ?? sharedBucket(options.logs);
		this.lookback = options.lookbackMs ?? 300_000;
		// Without `since`, start a lookback early: flow log records are stamped minutes before they
		// are delivered, so "from now" would miss the first ones a poll or backfill could find.
		this.floor = options.since ?? this.now() - this.lookback;
		this.status = {mode: 'starting', logGroupName: options.logGroupName, connected: false, reconnecting: false, sampled: false, lastError: null, reconnects: 0, malformed: 0, fallbackReason: null};
		if (options.signal?.aborted) this.controller.abort();
		options.signal?.addEventListener('abort', () => void this.stop(), {once: true});
		this.done = this.run();
		// Callers that only call stop() must not see an unhandled rejection.
		this.done.catch(() => undefined);
	}

	private get signal(): AbortSignal {
		return this.controller.signal;
	}

	private update(change: Partial<RejectStreamStatus>): void {
		Object.assign(this.status, change);
		this.options.onStatus?.({...this.status});
	}

	/** Where a backfill or poll starts: just before the newest event seen, never before `since`. */
	private resumeFrom(): number {
		const newest = Math.max(this.floor, this.lastEventTimestamp ?? this.floor);
		return Math.max(this.floor, newest - this.lookback);
	}

	private handle(event: {logStreamName?: string; timestamp?: number; message?: string; ingestionTime?: number; eventId?: string}, source: EventSource): void {
		if (this.signal.aborted || event.timestamp === undefined || event.message === undefined) return;
		const logStreamName = event.logStreamName ?? '';
		const messageText = event.message.replace(/\n$/, '');
		if (!this.dedupe.accept({logStreamName, timestamp: event.timestamp, message: messageText, eventId: event.eventId})) return;
		if (this.lastEventTimestamp === null || event.timestamp > this.lastEventTimestamp) this.lastEventTimestamp = event.timestamp;
		const record = this.parse(messageText);
		if (!record) {
			this.update({malformed: this.status.malformed + 1});
			return;
		}
		if (!this.options.all && record.action !== 'REJECT') return;
		this.options.onEvent({record, message: messageText, logStreamName, timestamp: event.timestamp, ingestionTime: event.ingestionTime, eventId: event.eventId, source});
	}

	/**
	 * Keeps the de-duplicator bounded. Only safe between reads: a read in flight may still return
	 * events from before the new floor, which would then look new again.
	 */
	private prune(): void {
		if (this.backfills.size === 0) this.dedupe.prune(this.resumeFrom());
	}

	private filterPattern(): string | undefined {
		return this.options.all ? undefined : 'REJECT';
	}

	private async readRange(startTime: number, source: EventSource): Promise<void> {
		if (source === 'poll') this.prune();
		for await (const page of filterLogEvents(this.options.logs, {
			logGroupName: this.options.logGroupName,
			logStreamNames: this.options.eniIds,
			startTime,
			filterPattern: this.filterPattern(),
			bucket: this.bucket,
			signal: this.signal,
		})) {
			for (const event of page) this.handle(event, source);
		}
	}

	private backfill(startTime: number): void {
		const task = this.readRange(startTime, 'backfill')
			.catch((error) => {
				if (!this.signal.aborted) this.update({lastError: `backfill failed: ${explainAwsError(error, 'logs', 'FilterLogEvents').message}`});
			})
			.finally(() => this.backfills.delete(task));
		this.backfills.add(task);
	}

	private async run(): Promise<void> {
		const release = this.options.logger ? guardConsole(this.options.logger) : () => undefined;
		try {
			if (this.options.eniIds.length === 0) throw new Error('no network interfaces to watch');
			if ((this.options.mode ?? 'auto') !== 'polling') {
				const fellBack = await this.liveTail();
				if (!fellBack) return;
			} else {
				this.update({fallbackReason: null});
			}
			await this.poll();
		} finally {
			await Promise.allSettled([...this.backfills]);
			release();
			this.update({mode: 'stopped', connected: false, reconnecting: false});
		}
	}

	/** Returns true when Live Tail is unavailable and the caller should poll instead. */
	private async liveTail(): Promise<boolean> {
		let arn = this.options.logGroupArn;
		if (!arn) {
			try {
				arn = await resolveLogGroupArn(this.options.logs, this.options.logGroupName, this.signal);
			} catch (error) {
				if (this.signal.aborted) return false;
				if (!isDenied(error) || this.options.mode === 'live-tail') throw error;
				this.update({fallbackReason: `cannot look up the log group's ARN (${(error as Error).message})`});
				return true;
			}
		}
		let attempt = 0;
		let failuresBeforeConnect = 0;
		let everConnected = false;
		let backfillFrom: number | null = this.options.since ?? null;
		const maxFailures = this.options.maxLiveTailFailures ?? 3;
		while (!this.signal.aborted) {
			let connected = false;
			let immediate = false;
			let ended: string | null = null;
			this.session = new AbortController();
			const onStop = () => this.session?.abort();
			this.signal.addEventListener('abort', onStop, {once: true});
			try {
				const response = await this.options.logs.send(
					new StartLiveTailCommand({
						logGroupIdentifiers: [arn],
						logStreamNames: this.options.eniIds,
						logEventFilterPattern: this.filterPattern(),
					}),
					{abortSignal: this.session.signal},
				);
				for await (const item of response.responseStream ?? []) {
					if (item.sessionStart) {
						connected = everConnected = true;
						attempt = 0;
						failuresBeforeConnect = 0;
						this.update({mode: 'live-tail', connected: true, reconnecting: false, fallbackReason: null});
						// Started after (re)connecting, so the gap up to now is covered from both sides.
						if (backfillFrom !== null) this.backfill(backfillFrom);
						backfillFrom = null;
					} else if (item.sessionUpdate) {
						const sampled = Boolean(item.sessionUpdate.sessionMetadata?.sampled);
						if (sampled !== this.status.sampled) this.update({sampled});
						for (const event of item.sessionUpdate.sessionResults ?? []) this.handle(event as LiveTailSessionLogEvent, 'live-tail');
						this.prune();
					} else if (item.SessionTimeoutException) {
						// The normal end of a session (3 h): start the next one at once.
						immediate = true;
						ended = `session timed out: ${item.SessionTimeoutException.message ?? 'SessionTimeoutException'}`;
						break;
					} else if (item.SessionStreamingException) {
						ended = `session interrupted: ${item.SessionStreamingException.message ?? 'SessionStreamingException'}`;
						break;
					}
				}
				// An endpoint that answers with an empty stream must count as a failure, or it would
				// be retried forever instead of falling back to polling.
				if (!connected && !this.signal.aborted && !ended) throw Object.assign(new Error('the Live Tail stream ended before the session started'), {name: 'LiveTailNoSession'});
				if (!this.signal.aborted) this.update({lastError: ended ?? 'Live Tail connection closed'});
			} catch (error) {
				if (this.signal.aborted) break;
				this.options.logger?.warn('StartLiveTail failed:', errorCode(error), (error as Error)?.message);
				if (!connected) failuresBeforeConnect++;
				const unavailable = liveTailUnavailable(error) && !everConnected;
				if (this.options.mode !== 'live-tail' && (unavailable || (!everConnected && failuresBeforeConnect >= maxFailures))) {
					this.update({connected: false, fallbackReason: message(error), lastError: message(error)});
					return true;
				}
				if (this.options.mode === 'live-tail' && liveTailUnavailable(error) && !everConnected) throw explainAwsError(error, 'logs', 'StartLiveTail');
				this.update({lastError: message(error)});
			} finally {
				this.signal.removeEventListener('abort', onStop);
				this.session.abort();
				this.session = null;
			}
			if (this.signal.aborted) break;
			// The gap starts where the last event was seen (or where watching began).
			if (everConnected) backfillFrom ??= this.resumeFrom();
			this.update({connected: false, reconnecting: true, reconnects: this.status.reconnects + (everConnected ? 1 : 0)});
			if (!immediate) await sleep(backoffDelay(attempt++, this.options.backoff), this.signal);
		}
		return false;
	}

	private async poll(): Promise<void> {
		const interval = this.options.pollIntervalMs ?? 3000;
		this.update({mode: 'polling', connected: true, reconnecting: false});
		let attempt = 0;
		while (!this.signal.aborted) {
			const started = this.now();
			try {
				await this.readRange(this.resumeFrom(), 'poll');
				attempt = 0;
				if (this.status.reconnecting) this.update({reconnecting: false, connected: true});
			} catch (error) {
				if (this.signal.aborted) break;
				if (isDenied(error)) throw explainAwsError(error, 'logs', 'FilterLogEvents');
				this.update({lastError: explainAwsError(error, 'logs', 'FilterLogEvents').message, reconnecting: true, connected: false});
				await sleep(backoffDelay(attempt++, this.options.backoff), this.signal);
				continue;
			}
			await sleep(Math.max(0, interval - (this.now() - started)), this.signal);
		}
	}

	async stop(): Promise<void> {
		this.controller.abort();
		this.session?.abort();
		await this.done.catch(() => undefined);
	}
}

export function startRejectStream(options: RejectStreamOptions): RejectStream {
	return new Stream(options);
}

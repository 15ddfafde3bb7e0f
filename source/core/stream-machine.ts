// The reject stream's reconnect logic as a pure state machine: states and transitions are data,
// `step(state, input)` returns the next state and the commands for the I/O driver
// (source/aws/reject-stream.ts) to run. Tests drive it input by input, with no clock or network.
//
// Coverage is what keeps it exactly-once under late delivery. Flow log records reach CloudWatch
// Logs after their aggregation interval plus a delivery delay, stamped with their own (old) event
// time, and FilterLogEvents can only select by event time. So `coveredAt` is an instant before
// which every record ingested with a delay of at most `windowMs` has been read (by a poll, a
// backfill, or Live Tail, which pushes every record at ingestion). The next read starts at
// `coveredAt − window − margin`: anything ingested since `coveredAt` with an on-time delay has an
// event time after that. A record later than the window can only be found by looking below that
// start; a "sweep" of one more window below it finds those and the driver reports them as late.
// Below that, a "deep" part of a sweep (after a Live Tail gap, and now and then while polling)
// reads `deepMs` further down and keeps only records ingested since the previous deep read and
// later than the window: what was ingested while nobody was listening, however old its stamp.
// Consecutive deep reads chain by ingestion time, so each such record is found once. Being
// chained, they need not follow every gap: at most one runs per `deepSweepIntervalMs`, and the
// gaps in between are *owed* (the event-time range below their sweeps) and read by the next one
// — after the next gap's backfill, or on a timer while Live Tail is connected. A flapping
// connection then reads the deep range once per interval instead of once per reconnect, and a
// record ingested in any gap is still found: the owed range keeps the lowest gap's floor.
// AWS: https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html (delivery delays),
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html

export type StreamModeOption = 'auto' | 'live-tail' | 'polling';

export type StreamPhase =
	| 'idle'
	/** DescribeLogGroups for the group's ARN (StartLiveTail takes ARNs). */
	| 'resolving-arn'
	/** StartLiveTail sent, no sessionStart yet. */
	| 'connecting'
	/** A Live Tail session is delivering. */
	| 'live'
	/** Waiting before the next StartLiveTail. */
	| 'backoff'
	/** A FilterLogEvents poll (or the sweep after it) is in flight. */
	| 'polling'
	/** Between polls (or backing off after a failed poll). */
	| 'poll-wait'
	| 'stopped'
	| 'failed';

export type ReadKind = 'poll' | 'backfill' | 'sweep';

export interface StreamMachineConfig {
	mode: StreamModeOption;
	/** The late-delivery window: the flow log's aggregation interval plus a delivery allowance. */
	windowMs: number;
	/** Slack for clock skew and FilterLogEvents' search lag, added below every read. */
	marginMs: number;
	/** Oldest event time the user asked for (ms). */
	since: number;
	/** When watching began (ms): records ingested before it and older than `since` are history nobody asked for. */
	startedAt: number;
	pollIntervalMs: number;
	/** How often polling also sweeps the window below its reads for records later than the window. */
	sweepIntervalMs: number;
	/** Failed Live Tail attempts without ever connecting before falling back to polling (auto mode). */
	maxLiveTailFailures: number;
	/** After falling back on transient failures, try Live Tail again this often (0: never). */
	liveTailRetryMs: number;
	/** How far below a sweep the deep part reads (0: no deep reads). */
	deepMs: number;
	/** While polling, how often a sweep carries the deep part. */
	deepSweepIntervalMs: number;
	/** The ARN is already known: skip DescribeLogGroups. */
	arnKnown: boolean;
}

export interface StreamMachineState {
	phase: StreamPhase;
	/** Every record ingested before this instant with a delay within the window has been read. */
	coveredAt: number | null;
	/** When the last Live Tail update (or sessionStart) arrived: a gap starts there. */
	lastDeliveryAt: number | null;
	/** The start of the most recent poll or backfill read: sweeps look below it. */
	lastReadFrom: number | null;
	connectedOnce: boolean;
	failuresBeforeConnect: number;
	/** Consecutive failures, for the backoff delay. */
	attempt: number;
	reconnects: number;
	/** A backfill (or its sweep) in flight, running alongside a Live Tail session. */
	backfill: {kind: 'backfill' | 'sweep'; from: number; to: number | null; attempt: number; afterGap: boolean} | null;
	/** The backfill waiting (backfillPendingFrom) follows a gap: its sweep reads deep. */
	backfillPendingAfterGap: boolean;
	/** When the last deep read that succeeded began: the next one keeps records ingested after it. */
	lastDeepAt: number | null;
	/** When the deep read in flight began. */
	deepStartedAt: number | null;
	/** While polling: when the next sweep carries the deep part. */
	nextDeepAt: number | null;
	/**
	 * Gaps whose deep part has not been read yet: late records ingested in them have event times
	 * below `to` (the newest such gap's sweep floor), and within `deepMs` below `from` (the oldest's).
	 */
	deepOwed: {from: number; to: number} | null;
	/** What the deep read in flight covers: owed again if it fails. */
	deepInFlight: {from: number; to: number} | null;
	/** A gap found while a backfill was in flight: read it when that one finishes. */
	backfillPendingFrom: number | null;
	nextSweepAt: number | null;
	/** When the poll in flight began: on success everything ingested before it is covered. */
	pollStartedAt: number | null;
	/** In polling after transient Live Tail failures: when to try Live Tail again. */
	liveTailRetryAt: number | null;
	fallbackReason: string | null;
	lastError: string | null;
}

export type StreamInput =
	| {type: 'start'; now: number}
	| {type: 'arn-resolved'; now: number}
	| {type: 'arn-failed'; now: number; denied: boolean; message: string}
	| {type: 'session-started'; now: number}
	| {type: 'session-update'; now: number}
	| {type: 'session-ended'; now: number; reason: 'timeout' | 'interrupted' | 'closed'; message: string}
	| {type: 'connect-failed'; now: number; unavailable: boolean; message: string}
	| {type: 'read-done'; now: number; kind: ReadKind}
	| {type: 'read-failed'; now: number; kind: ReadKind; denied: boolean; message: string}
	/** The wait the machine asked for is over. */
	| {type: 'timer'; now: number}
	| {type: 'stop'};

export type StreamCommand =
	| {type: 'resolve-arn'}
	| {type: 'open-session'}
	/**
	 * Read FilterLogEvents from `from` (to `to`, exclusive, when set); `retry` > 0: back off first.
	 * `deep` (sweeps only): also read from `deep.from` up to `from`, keeping only records ingested
	 * after `deep.ingestedAfter` and later than the window.
	 */
	| {type: 'read'; kind: ReadKind; from: number; to: number | null; retry: number; deep?: DeepRead}
	/** Wait `ms`, or a backoff delay for attempt `backoff`, then send `timer`. */
	| {type: 'wait'; ms: number}
	| {type: 'wait-backoff'; attempt: number}
	| {type: 'close-session'}
	| {type: 'fail'; message: string; reason: 'live-tail-unavailable' | 'denied'};

export interface DeepRead {
	from: number;
	ingestedAfter: number;
}

export interface Step {
	state: StreamMachineState;
	commands: StreamCommand[];
}

export function initialStreamState(): StreamMachineState {
	return {
		phase: 'idle',
		coveredAt: null,
		lastDeliveryAt: null,
		lastReadFrom: null,
		connectedOnce: false,
		failuresBeforeConnect: 0,
		attempt: 0,
		reconnects: 0,
		backfill: null,
		backfillPendingFrom: null,
		backfillPendingAfterGap: false,
		lastDeepAt: null,
		deepStartedAt: null,
		nextDeepAt: null,
		deepOwed: null,
		deepInFlight: null,
		nextSweepAt: null,
		pollStartedAt: null,
		liveTailRetryAt: null,
		fallbackReason: null,
		lastError: null,
	};
}

/** Where the next gap read starts: the first one reaches back to `since` (and a window before the start). */
export function readStart(state: StreamMachineState, config: StreamMachineConfig, gapFrom: number | null = state.coveredAt): number {
	if (gapFrom === null) return Math.min(config.since, config.startedAt - config.windowMs - config.marginMs);
	return gapFrom - config.windowMs - config.marginMs;
}

/**
 * The oldest event time a future read may still start at: the de-duplicator must remember
 * everything from there on (and may forget what is older, which bounds it by about two windows).
 */
export function retainFrom(state: StreamMachineState, config: StreamMachineConfig, now: number): number {
	const starts = [readStart(state, config, state.coveredAt ?? (state.connectedOnce ? now : null))];
	if (state.lastDeliveryAt !== null && state.phase !== 'live') starts.push(readStart(state, config, state.lastDeliveryAt));
	if (state.backfill) starts.push(state.backfill.from);
	if (state.backfillPendingFrom !== null) starts.push(state.backfillPendingFrom);
	// Sweeps read one window below a read's start.
	return Math.min(...starts) - config.windowMs;
}

export type ArrivalClass = 'history-skip' | 'on-time' | 'late';

/**
 * How a record read or pushed now relates to the window: older than `since` and ingested before
 * watching began is history nobody asked for; ingested more than a window after its event time is
 * late (a poll could not have seen it in time; Live Tail still delivers it).
 */
export function classifyArrival(event: {timestamp: number; ingestionTime?: number}, config: Pick<StreamMachineConfig, 'since' | 'startedAt' | 'windowMs' | 'marginMs'>): ArrivalClass {
	const ingested = event.ingestionTime;
	if (event.timestamp < config.since && (ingested === undefined || ingested < config.startedAt)) return 'history-skip';
	if (ingested !== undefined && ingested - event.timestamp > config.windowMs) return 'late';
	return 'on-time';
}

const FAILED_SWEEP_NOTE = 'the sweep for records later than the window failed';

/** The pure transition function. */
export function step(state: StreamMachineState, input: StreamInput, config: StreamMachineConfig): Step {
	if (state.phase === 'stopped' || state.phase === 'failed') return {state, commands: []};
	const next: StreamMachineState = {...state};
	const commands: StreamCommand[] = [];
	const startPolling = (now: number, reason: string | null, retryLiveTail: boolean) => {
		next.phase = 'polling';
		next.fallbackReason = reason;
		next.attempt = 0;
		next.liveTailRetryAt = retryLiveTail && config.liveTailRetryMs > 0 ? now + config.liveTailRetryMs : null;
		next.nextSweepAt ??= now + config.sweepIntervalMs;
		const from = readStart(next, config, next.coveredAt ?? (next.lastDeliveryAt ?? null));
		next.lastReadFrom = from;
		next.pollStartedAt = now;
		commands.push({type: 'read', kind: 'poll', from, to: null, retry: 0});
	};
	const connect = () => {
		next.phase = 'connecting';
		commands.push({type: 'open-session'});
	};
	const gapFrom = (): number | null => next.lastDeliveryAt ?? next.coveredAt;

	switch (input.type) {
		case 'stop':
			next.phase = 'stopped';
			commands.push({type: 'close-session'});
			return {state: next, commands};

		case 'start':
			if (config.mode === 'polling') startPolling(input.now, null, false);
			else if (config.arnKnown) connect();
			else {
				next.phase = 'resolving-arn';
				commands.push({type: 'resolve-arn'});
			}
			return {state: next, commands};

		case 'arn-resolved':
			if (state.phase === 'resolving-arn') connect();
			return {state: next, commands};

		case 'arn-failed':
			if (state.phase !== 'resolving-arn') return {state, commands};
			if (input.denied && config.mode === 'auto') {
				startPolling(input.now, `cannot look up the log group's ARN (${input.message})`, false);
			} else {
				next.phase = 'failed';
				next.lastError = input.message;
				commands.push({type: 'fail', message: input.message, reason: 'denied'});
			}
			return {state: next, commands};

		case 'session-started': {
			if (state.phase !== 'connecting') return {state, commands};
			next.phase = 'live';
			next.liveTailRetryAt = null;
			next.fallbackReason = null;
			next.failuresBeforeConnect = 0;
			next.attempt = 0;
			if (state.connectedOnce) next.reconnects++;
			next.connectedOnce = true;
			// Live Tail covers what is ingested from now on; the gap before it is read back.
			const afterGap = gapFrom() !== null;
			const from = readStart(next, config, gapFrom());
			next.lastDeliveryAt = input.now;
			next.coveredAt = null;
			if (next.backfill) {
				next.backfillPendingFrom = Math.min(next.backfillPendingFrom ?? from, from);
				next.backfillPendingAfterGap ||= afterGap;
			} else {
				next.backfill = {kind: 'backfill', from, to: null, attempt: 0, afterGap};
				commands.push({type: 'read', kind: 'backfill', from, to: null, retry: 0});
			}
			return {state: next, commands};
		}

		case 'session-update':
			if (state.phase === 'live') next.lastDeliveryAt = input.now;
			return {state: next, commands};

		case 'session-ended':
			if (state.phase !== 'live' && state.phase !== 'connecting') return {state, commands};
			next.lastError = input.message;
			if (state.phase === 'connecting') {
				// An empty answer is a failed attempt, or an endpoint without sessions would be retried forever.
				return step(state, {type: 'connect-failed', now: input.now, unavailable: false, message: input.message}, config);
			}
			if (input.reason === 'timeout') {
				// The normal end of a session (3 h): the next one starts at once.
				connect();
			} else {
				next.phase = 'backoff';
				commands.push({type: 'wait-backoff', attempt: next.attempt++});
			}
			return {state: next, commands};

		case 'connect-failed': {
			if (state.phase !== 'connecting') return {state, commands};
			next.lastError = input.message;
			next.failuresBeforeConnect++;
			const neverConnected = !state.connectedOnce;
			if (input.unavailable && neverConnected) {
				if (config.mode === 'live-tail') {
					next.phase = 'failed';
					commands.push({type: 'fail', message: input.message, reason: 'live-tail-unavailable'});
				} else {
					// Denied or not implemented: polling for good, retrying would fail the same way.
					startPolling(input.now, input.message, false);
				}
				return {state: next, commands};
			}
			if (config.mode === 'auto' && neverConnected && next.failuresBeforeConnect >= config.maxLiveTailFailures) {
				startPolling(input.now, input.message, true);
				return {state: next, commands};
			}
			next.phase = 'backoff';
			commands.push({type: 'wait-backoff', attempt: next.attempt++});
			return {state: next, commands};
		}

		case 'timer':
			if (state.phase === 'live') {
				// The owed deep read, once the interval since the last one has passed (none in flight).
				if (next.deepOwed && !next.backfill && next.deepStartedAt === null) {
					if (deepDue(next, input.now, config)) {
						const at = next.deepOwed.to;
						next.backfill = {kind: 'sweep', from: at, to: at, attempt: 0, afterGap: false};
						commands.push(sweepRead(next, at, at, true, input.now, config));
					} else commands.push({type: 'wait', ms: deepDueAt(next, config) - input.now});
				}
			} else if (state.phase === 'backoff') connect();
			else if (state.phase === 'poll-wait') {
				if (state.liveTailRetryAt !== null && input.now >= state.liveTailRetryAt) {
					// Transient failures made us poll: Live Tail may work again. Polling coverage carries over.
					next.failuresBeforeConnect = 0;
					next.lastDeliveryAt = null;
					if (config.arnKnown || state.connectedOnce) connect();
					else {
						next.phase = 'resolving-arn';
						commands.push({type: 'resolve-arn'});
					}
				} else {
					next.phase = 'polling';
					const from = readStart(next, config);
					next.lastReadFrom = from;
					commands.push({type: 'read', kind: 'poll', from, to: null, retry: 0});
					next.pollStartedAt = input.now;
				}
			}
			return {state: next, commands};

		case 'read-done':
			return readDone(state, next, commands, input, config);

		case 'read-failed':
			return readFailed(state, next, commands, input, config);
	}
}

function readDone(state: StreamMachineState, next: StreamMachineState, commands: StreamCommand[], input: Extract<StreamInput, {type: 'read-done'}>, config: StreamMachineConfig): Step {
	if (input.kind === 'sweep') finishDeep(next, true);
	if (input.kind === 'poll' && state.phase === 'polling') {
		next.coveredAt = state.pollStartedAt ?? input.now;
		next.pollStartedAt = null;
		next.attempt = 0;
		if (state.lastError && !state.lastError.startsWith(FAILED_SWEEP_NOTE)) next.lastError = null;
		const floor = next.lastReadFrom === null ? null : sweepFloor(next.lastReadFrom, config);
		if (next.nextSweepAt !== null && input.now >= next.nextSweepAt && floor !== null && next.lastReadFrom !== null && floor < next.lastReadFrom) {
			next.nextSweepAt = input.now + config.sweepIntervalMs;
			next.nextDeepAt ??= config.startedAt + config.deepSweepIntervalMs;
			const deep = input.now >= next.nextDeepAt;
			if (deep) next.nextDeepAt = input.now + config.deepSweepIntervalMs;
			commands.push(sweepRead(next, floor, next.lastReadFrom, deep, input.now, config));
			return {state: next, commands};
		}
		next.phase = 'poll-wait';
		commands.push({type: 'wait', ms: config.pollIntervalMs});
		return {state: next, commands};
	}
	if (input.kind === 'sweep' && state.phase === 'polling') {
		next.phase = 'poll-wait';
		commands.push({type: 'wait', ms: config.pollIntervalMs});
		return {state: next, commands};
	}
	if (state.backfill && state.backfill.kind === input.kind) {
		const done = state.backfill;
		next.backfill = null;
		if (done.kind === 'backfill') {
			next.lastReadFrom = done.from;
			// After the gap, look one window further down for records that arrived later than the window.
			const floor = sweepFloor(done.from, config);
			if (done.afterGap && config.deepMs > 0) owe(next, floor);
			if (floor < done.from) {
				const deep = next.deepOwed !== null && next.deepStartedAt === null && deepDue(next, input.now, config);
				next.backfill = {kind: 'sweep', from: floor, to: done.from, attempt: 0, afterGap: done.afterGap};
				commands.push(sweepRead(next, floor, done.from, deep, input.now, config));
				// Not due yet: a timer reads it while connected (a new gap first would carry it itself).
				if (next.deepOwed && state.phase === 'live') commands.push({type: 'wait', ms: Math.max(0, deepDueAt(next, config) - input.now)});
				return {state: next, commands};
			}
		}
		startPendingBackfill(next, commands);
		// Gaps owed while that deep read ran: read them when the interval allows.
		if (!next.backfill && next.deepOwed && state.phase === 'live') commands.push({type: 'wait', ms: Math.max(0, deepDueAt(next, config) - input.now)});
	}
	return {state: next, commands};
}

/** A sweep read of [from, to), with the deep part below it when asked for (and enabled). */
function sweepRead(next: StreamMachineState, from: number, to: number, deep: boolean, now: number, config: StreamMachineConfig): StreamCommand {
	if (!deep || config.deepMs <= 0) return {type: 'read', kind: 'sweep', from, to, retry: 0};
	next.deepStartedAt = now;
	// Everything owed goes with it: the oldest owed gap's floor bounds how deep it reads.
	next.deepInFlight = next.deepOwed ?? {from, to: from};
	next.deepOwed = null;
	// The margin covers clock skew between this machine and the service's ingestion stamps.
	const ingestedAfter = (next.lastDeepAt ?? config.startedAt) - config.marginMs;
	return {type: 'read', kind: 'sweep', from, to, retry: 0, deep: {from: Math.min(from, next.deepInFlight.from) - config.deepMs, ingestedAfter}};
}

/** A gap's late records below `floor` are owed to the next deep read. */
function owe(next: StreamMachineState, floor: number): void {
	next.deepOwed = next.deepOwed ? {from: Math.min(next.deepOwed.from, floor), to: Math.max(next.deepOwed.to, floor)} : {from: floor, to: floor};
}

/** When another deep read may start: one per deep interval, counted from the last that succeeded. */
function deepDueAt(state: StreamMachineState, config: StreamMachineConfig): number {
	return state.lastDeepAt === null ? Number.NEGATIVE_INFINITY : state.lastDeepAt + config.deepSweepIntervalMs;
}

function deepDue(state: StreamMachineState, now: number, config: StreamMachineConfig): boolean {
	return now >= deepDueAt(state, config);
}

/** A deep read that succeeded moves the chain on; a failed one leaves it (and what it covered) for the next. */
function finishDeep(next: StreamMachineState, succeeded: boolean): void {
	if (next.deepStartedAt === null) return;
	if (succeeded) next.lastDeepAt = next.deepStartedAt;
	else if (next.deepInFlight) {
		const failed = next.deepInFlight;
		next.deepOwed = next.deepOwed ? {from: Math.min(next.deepOwed.from, failed.from), to: Math.max(next.deepOwed.to, failed.to)} : failed;
	}
	next.deepStartedAt = null;
	next.deepInFlight = null;
}

/** A gap found while another backfill was in flight is read once that one is done. */
function startPendingBackfill(next: StreamMachineState, commands: StreamCommand[]): void {
	if (next.backfillPendingFrom === null) return;
	const from = next.backfillPendingFrom;
	next.backfill = {kind: 'backfill', from, to: null, attempt: 0, afterGap: next.backfillPendingAfterGap};
	next.backfillPendingFrom = null;
	next.backfillPendingAfterGap = false;
	commands.push({type: 'read', kind: 'backfill', from, to: null, retry: 0});
}

/**
 * A sweep goes one window below a read's start. Below the history the user asked for it still
 * matters: a record stamped before `since` but ingested after watching began is a late arrival
 * (classifyArrival skips the rest as history).
 */
function sweepFloor(from: number, config: StreamMachineConfig): number {
	return from - config.windowMs;
}

function readFailed(state: StreamMachineState, next: StreamMachineState, commands: StreamCommand[], input: Extract<StreamInput, {type: 'read-failed'}>, config: StreamMachineConfig): Step {
	if (input.denied && input.kind !== 'sweep') {
		next.phase = 'failed';
		next.lastError = input.message;
		commands.push({type: 'fail', message: input.message, reason: 'denied'});
		return {state: next, commands};
	}
	if (input.kind === 'sweep') {
		finishDeep(next, false);
		next.lastError = `${FAILED_SWEEP_NOTE}: ${input.message}`;
		if (state.phase === 'polling') {
			next.phase = 'poll-wait';
			commands.push({type: 'wait', ms: config.pollIntervalMs});
		} else if (state.backfill?.kind === 'sweep') {
			next.backfill = null;
			startPendingBackfill(next, commands);
			// A failed deep read is owed again: retried after one deep interval, not at once.
			if (!next.backfill && next.deepOwed && state.phase === 'live') commands.push({type: 'wait', ms: config.deepSweepIntervalMs});
		}
		return {state: next, commands};
	}
	next.lastError = input.message;
	if (input.kind === 'poll' && state.phase === 'polling') {
		// coveredAt stays: the retry reads the same gap.
		next.pollStartedAt = null;
		next.phase = 'poll-wait';
		commands.push({type: 'wait-backoff', attempt: next.attempt++});
		return {state: next, commands};
	}
	if (input.kind === 'backfill' && state.backfill?.kind === 'backfill') {
		// The gap is still unread: try it again (it never shrinks, so nothing in it is lost).
		const attempt = state.backfill.attempt + 1;
		const from = Math.min(state.backfill.from, next.backfillPendingFrom ?? state.backfill.from);
		next.backfill = {kind: 'backfill', from, to: null, attempt, afterGap: state.backfill.afterGap || next.backfillPendingAfterGap};
		next.backfillPendingFrom = null;
		next.backfillPendingAfterGap = false;
		commands.push({type: 'read', kind: 'backfill', from, to: null, retry: attempt});
	}
	return {state: next, commands};
}

/** What the stream shows: mode, connection and reconnecting, derived from the phase. */
export function streamModeOf(state: StreamMachineState): {mode: 'starting' | 'live-tail' | 'polling' | 'stopped'; connected: boolean; reconnecting: boolean} {
	switch (state.phase) {
		case 'idle':
		case 'resolving-arn':
			return {mode: 'starting', connected: false, reconnecting: false};
		case 'connecting':
		case 'backoff':
			return state.connectedOnce || state.coveredAt !== null ? {mode: state.coveredAt !== null && !state.connectedOnce ? 'polling' : 'live-tail', connected: false, reconnecting: true} : {mode: 'starting', connected: false, reconnecting: state.failuresBeforeConnect > 0};
		case 'live':
			return {mode: 'live-tail', connected: true, reconnecting: false};
		case 'polling':
		case 'poll-wait':
			return {mode: 'polling', connected: state.attempt === 0, reconnecting: state.attempt > 0};
		case 'stopped':
		case 'failed':
			return {mode: 'stopped', connected: false, reconnecting: false};
	}
}

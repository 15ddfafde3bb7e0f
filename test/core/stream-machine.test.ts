import {describe, expect, it} from 'vitest';
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
} from '../../source/core/stream-machine.js';

const MIN = 60_000;
const T0 = 1_800_000_000_000;
const WINDOW = 25 * MIN;
const MARGIN = 10_000;

function config(overrides: Partial<StreamMachineConfig> = {}): StreamMachineConfig {
	return {mode: 'auto', windowMs: WINDOW, marginMs: MARGIN, since: T0 - 10 * MIN, startedAt: T0, pollIntervalMs: 3000, sweepIntervalMs: MIN, maxLiveTailFailures: 3, liveTailRetryMs: 5 * MIN, arnKnown: true, deepMs: 0, deepSweepIntervalMs: 10 * MIN, ...overrides};
}

/** Drives the machine through `inputs`, keeping every step's commands. */
function drive(cfg: StreamMachineConfig, inputs: StreamInput[], from: StreamMachineState = initialStreamState()) {
	let state = from;
	const log: StreamCommand[][] = [];
	for (const input of inputs) {
		const next = step(state, input, cfg);
		state = next.state;
		log.push(next.commands);
	}
	return {state, log, last: log.at(-1) ?? []};
}

describe('reject stream state machine', () => {
	it('connects, and on sessionStart backfills from since (history) back to a window before the start', () => {
		const cfg = config();
		const {state, log} = drive(cfg, [{type: 'start', now: T0}, {type: 'session-started', now: T0 + 500}]);
		expect(log[0]).toEqual([{type: 'open-session'}]);
		// since is 10 min back, the window 25: the first read reaches the older of the two.
		expect(log[1]).toEqual([{type: 'read', kind: 'backfill', from: T0 - WINDOW - MARGIN, to: null, retry: 0}]);
		expect(state.phase).toBe('live');
		expect(streamModeOf(state)).toEqual({mode: 'live-tail', connected: true, reconnecting: false});
	});

	it('resolves the ARN first when it is not known', () => {
		const {log, state} = drive(config({arnKnown: false}), [{type: 'start', now: T0}]);
		expect(log[0]).toEqual([{type: 'resolve-arn'}]);
		expect(state.phase).toBe('resolving-arn');
		expect(drive(config({arnKnown: false}), [{type: 'arn-resolved', now: T0}], state).last).toEqual([{type: 'open-session'}]);
	});

	it('after a cut, reconnects with backoff and backfills from the last delivery minus the window, then sweeps one window below', () => {
		const cfg = config();
		const cut = T0 + 30 * MIN;
		const {state, log} = drive(cfg, [
			{type: 'start', now: T0},
			{type: 'session-started', now: T0},
			{type: 'read-done', now: T0 + 1000, kind: 'backfill'},
			{type: 'read-done', now: T0 + 2000, kind: 'sweep'},
			{type: 'session-update', now: cut},
			{type: 'session-ended', now: cut + 500, reason: 'closed', message: 'Live Tail connection closed'},
			{type: 'timer', now: cut + 1500},
			{type: 'session-started', now: cut + 2000},
			{type: 'read-done', now: cut + 3000, kind: 'backfill'},
		]);
		// The first backfill finished: the sweep goes one window under it, but not below what was asked.
		// Below the first backfill too: a record stamped before `since` but ingested now is a late arrival.
		expect(log[2]).toEqual([{type: 'read', kind: 'sweep', from: T0 - 2 * WINDOW - MARGIN, to: T0 - WINDOW - MARGIN, retry: 0}]);
		expect(log[5]).toEqual([{type: 'wait-backoff', attempt: 0}]);
		expect(log[6]).toEqual([{type: 'open-session'}]);
		expect(log[7]).toEqual([{type: 'read', kind: 'backfill', from: cut - WINDOW - MARGIN, to: null, retry: 0}]);
		expect(log[8]).toEqual([{type: 'read', kind: 'sweep', from: cut - 2 * WINDOW - MARGIN, to: cut - WINDOW - MARGIN, retry: 0}]);
		expect(state.reconnects).toBe(1);
	});

	it('after a gap the sweep reads deep: records ingested since the last deep read, however old, chained deep read to deep read', () => {
		const DEEP = 120 * MIN;
		const cfg = config({deepMs: DEEP});
		const cut1 = T0 + 30 * MIN;
		const cut2 = T0 + 60 * MIN;
		const {log, state} = drive(cfg, [
			{type: 'start', now: T0},
			{type: 'session-started', now: T0},
			{type: 'read-done', now: T0 + 1000, kind: 'backfill'},
			// 2: the first connect has no gap: no deep part.
			{type: 'read-done', now: T0 + 2000, kind: 'sweep'},
			{type: 'session-update', now: cut1},
			{type: 'session-ended', now: cut1 + 500, reason: 'closed', message: 'cut'},
			{type: 'timer', now: cut1 + 1500},
			{type: 'session-started', now: cut1 + 2000},
			{type: 'read-done', now: cut1 + 3000, kind: 'backfill'},
			// 8: the deep sweep after the first gap keeps what was ingested since watching began.
			{type: 'read-failed', now: cut1 + 4000, kind: 'sweep', denied: false, message: '503'},
			{type: 'session-update', now: cut2},
			{type: 'session-ended', now: cut2 + 500, reason: 'interrupted', message: 'cut'},
			{type: 'timer', now: cut2 + 1500},
			{type: 'session-started', now: cut2 + 2000},
			{type: 'read-done', now: cut2 + 3000, kind: 'backfill'},
			// 14: that deep read failed, so the next one starts its chain at the same place, and
			// reaches down from the first gap's floor too (what it owed is owed still).
			{type: 'read-done', now: cut2 + 4000, kind: 'sweep'},
		]);
		expect(log[9]).toEqual([{type: 'wait', ms: cfg.deepSweepIntervalMs}]);
		expect(log[2]).toEqual([{type: 'read', kind: 'sweep', from: T0 - 2 * WINDOW - MARGIN, to: T0 - WINDOW - MARGIN, retry: 0}]);
		const floor1 = cut1 - 2 * WINDOW - MARGIN;
		expect(log[8]).toEqual([{type: 'read', kind: 'sweep', from: floor1, to: cut1 - WINDOW - MARGIN, retry: 0, deep: {from: floor1 - DEEP, ingestedAfter: T0 - MARGIN}}]);
		const floor2 = cut2 - 2 * WINDOW - MARGIN;
		expect(log[14]).toEqual([{type: 'read', kind: 'sweep', from: floor2, to: cut2 - WINDOW - MARGIN, retry: 0, deep: {from: floor1 - DEEP, ingestedAfter: T0 - MARGIN}}]);
		// It succeeded: the chain moves to when it began.
		expect(state.lastDeepAt).toBe(cut2 + 3000);
		expect(state.deepStartedAt).toBeNull();
	});

	it('a flapping connection reads deep once per deep interval: the gaps between are owed, then read together on a timer', () => {
		const DEEP = 120 * MIN;
		const cfg = config({deepMs: DEEP, deepSweepIntervalMs: 10 * MIN});
		const inputs: StreamInput[] = [{type: 'start', now: T0}, {type: 'session-started', now: T0}, {type: 'read-done', now: T0 + 100, kind: 'backfill'}, {type: 'read-done', now: T0 + 200, kind: 'sweep'}];
		// A cut every minute for five minutes, each reconnecting at once.
		const cuts = [1, 2, 3, 4, 5].map((minute) => T0 + minute * MIN);
		for (const cut of cuts) {
			inputs.push(
				{type: 'session-update', now: cut},
				{type: 'session-ended', now: cut + 100, reason: 'closed', message: 'cut'},
				{type: 'timer', now: cut + 200},
				{type: 'session-started', now: cut + 300},
				{type: 'read-done', now: cut + 400, kind: 'backfill'},
				{type: 'read-done', now: cut + 500, kind: 'sweep'},
			);
		}
		const {state, log} = drive(cfg, inputs);
		const sweeps = log.flat().filter((command): command is Extract<StreamCommand, {type: 'read'}> => command.type === 'read' && command.kind === 'sweep');
		const floor = (cut: number) => cut - 2 * WINDOW - MARGIN;
		// One deep read (after the first gap), not five.
		expect(sweeps.map((command) => command.deep ?? null)).toEqual([null, {from: floor(cuts[0]!) - DEEP, ingestedAfter: T0 - MARGIN}, null, null, null, null]);
		expect(state.deepOwed).toEqual({from: floor(cuts[1]!), to: floor(cuts[4]!)});
		// The last sweep asked for a timer until the interval since that deep read is over.
		expect(log.at(-1)).toEqual([{type: 'wait', ms: cuts[0]! + 400 + 10 * MIN - (cuts[4]! + 500)}]);
		// The timer reads everything owed in one deep read: from the oldest gap's floor, up to the newest's.
		const due = cuts[0]! + 400 + 10 * MIN;
		const early = step(state, {type: 'timer', now: due - 1}, cfg);
		expect(early.commands).toEqual([{type: 'wait', ms: 1}]);
		const owed = step(state, {type: 'timer', now: due}, cfg);
		expect(owed.commands).toEqual([{type: 'read', kind: 'sweep', from: floor(cuts[4]!), to: floor(cuts[4]!), retry: 0, deep: {from: floor(cuts[1]!) - DEEP, ingestedAfter: cuts[0]! + 400 - MARGIN}}]);
		const done = step(owed.state, {type: 'read-done', now: due + 100, kind: 'sweep'}, cfg);
		expect(done.state).toMatchObject({deepOwed: null, deepInFlight: null, lastDeepAt: due, backfill: null});
		expect(done.commands).toEqual([]);
	});

	it('while polling, the sweep reads deep once per deep interval, each from where the last one began', () => {
		const DEEP = 120 * MIN;
		const cfg = config({mode: 'polling', deepMs: DEEP, deepSweepIntervalMs: 2 * MIN, sweepIntervalMs: MIN});
		const inputs: StreamInput[] = [{type: 'start', now: T0}];
		for (let minute = 1; minute <= 4; minute++) {
			inputs.push({type: 'read-done', now: T0 + (minute - 1) * MIN + 100, kind: 'poll'}, {type: 'timer', now: T0 + minute * MIN}, {type: 'read-done', now: T0 + minute * MIN + 100, kind: 'poll'}, {type: 'read-done', now: T0 + minute * MIN + 200, kind: 'sweep'}, {type: 'timer', now: T0 + minute * MIN + 300});
		}
		const {log} = drive(cfg, inputs);
		const sweeps = log.flat().filter((command): command is Extract<StreamCommand, {type: 'read'}> => command.type === 'read' && command.kind === 'sweep');
		expect(sweeps.map((command) => command.deep?.ingestedAfter ?? null)).toEqual([null, T0 - MARGIN, null, T0 + 2 * MIN + 100 - MARGIN]);
		for (const sweep of sweeps) if (sweep.deep) expect(sweep.deep.from).toBe(sweep.from - DEEP);
	});

	it('starts the next session at once after a session timeout (no backoff)', () => {
		const {last, state} = drive(config(), [
			{type: 'start', now: T0},
			{type: 'session-started', now: T0},
			{type: 'session-ended', now: T0 + 3 * 3600_000, reason: 'timeout', message: 'session timed out'},
		]);
		expect(last).toEqual([{type: 'open-session'}]);
		expect(state.phase).toBe('connecting');
	});

	it('falls back to polling for good when Live Tail is unavailable, reading the window then waiting', () => {
		const cfg = config();
		const {state, log} = drive(cfg, [
			{type: 'start', now: T0},
			{type: 'connect-failed', now: T0 + 100, unavailable: true, message: 'logs:StartLiveTail denied'},
			{type: 'read-done', now: T0 + 400, kind: 'poll'},
			{type: 'timer', now: T0 + 3400},
		]);
		expect(log[1]).toEqual([{type: 'read', kind: 'poll', from: T0 - WINDOW - MARGIN, to: null, retry: 0}]);
		expect(log[2]).toEqual([{type: 'wait', ms: 3000}]);
		// The second poll starts a window (and margin) before the first poll began: anything ingested
		// since then with an on-time delay has an event time after that.
		expect(log[3]).toEqual([{type: 'read', kind: 'poll', from: T0 + 100 - WINDOW - MARGIN, to: null, retry: 0}]);
		expect(state.fallbackReason).toBe('logs:StartLiveTail denied');
		expect(state.liveTailRetryAt).toBeNull();
		expect(streamModeOf(state).mode).toBe('polling');
	});

	it('fails with the missing operation when Live Tail is forced and unavailable', () => {
		const {last, state} = drive(config({mode: 'live-tail'}), [
			{type: 'start', now: T0},
			{type: 'connect-failed', now: T0, unavailable: true, message: 'this endpoint does not implement StartLiveTail'},
		]);
		expect(last).toEqual([{type: 'fail', message: 'this endpoint does not implement StartLiveTail', reason: 'live-tail-unavailable'}]);
		expect(state.phase).toBe('failed');
		expect(step(state, {type: 'timer', now: T0}, config()).commands).toEqual([]);
	});

	it('after transient failures polls, then retries Live Tail when liveTailRetryMs has passed, keeping poll coverage', () => {
		const cfg = config();
		const fail = (now: number): StreamInput => ({type: 'connect-failed', now, unavailable: false, message: 'ECONNRESET'});
		const {state, log} = drive(cfg, [
			{type: 'start', now: T0},
			fail(T0),
			{type: 'timer', now: T0 + 1},
			fail(T0 + 2),
			{type: 'timer', now: T0 + 3},
			fail(T0 + 4),
			{type: 'read-done', now: T0 + 10, kind: 'poll'},
			{type: 'timer', now: T0 + 5 * MIN + 4},
			{type: 'session-started', now: T0 + 5 * MIN + 5},
		]);
		expect(log[5]?.[0]).toMatchObject({type: 'read', kind: 'poll'});
		expect(log[7]).toEqual([{type: 'open-session'}]);
		// The backfill starts from the last poll's coverage (when it began), a window back.
		expect(log[8]).toEqual([{type: 'read', kind: 'backfill', from: T0 + 4 - WINDOW - MARGIN, to: null, retry: 0}]);
		expect(state.phase).toBe('live');
	});

	it('retries a failed poll from the same gap with backoff, and fails on a denied poll', () => {
		const cfg = config({mode: 'polling'});
		const {log, state} = drive(cfg, [
			{type: 'start', now: T0},
			{type: 'read-done', now: T0 + 100, kind: 'poll'},
			{type: 'timer', now: T0 + 3000},
			{type: 'read-failed', now: T0 + 3100, kind: 'poll', denied: false, message: 'ThrottlingException'},
			{type: 'timer', now: T0 + 4000},
		]);
		expect(log[3]).toEqual([{type: 'wait-backoff', attempt: 0}]);
		expect(streamModeOf(drive(cfg, [{type: 'start', now: T0}, {type: 'read-done', now: T0, kind: 'poll'}, {type: 'timer', now: T0}, {type: 'read-failed', now: T0, kind: 'poll', denied: false, message: 'x'}]).state).reconnecting).toBe(true);
		expect(log[4]).toEqual([{type: 'read', kind: 'poll', from: T0 - WINDOW - MARGIN, to: null, retry: 0}]);
		const denied = step(state, {type: 'read-failed', now: T0 + 5000, kind: 'poll', denied: true, message: 'logs:FilterLogEvents denied'}, cfg);
		expect(denied.commands).toEqual([{type: 'fail', message: 'logs:FilterLogEvents denied', reason: 'denied'}]);
	});

	it('sweeps below the polled window once per sweep interval', () => {
		const cfg = config({mode: 'polling'});
		const {log} = drive(cfg, [
			{type: 'start', now: T0},
			{type: 'read-done', now: T0 + 100, kind: 'poll'},
			{type: 'timer', now: T0 + 30_000},
			{type: 'read-done', now: T0 + 30_100, kind: 'poll'},
			{type: 'timer', now: T0 + MIN},
			{type: 'read-done', now: T0 + MIN + 100, kind: 'poll'},
			{type: 'read-done', now: T0 + MIN + 200, kind: 'sweep'},
		]);
		expect(log[1]).toEqual([{type: 'wait', ms: 3000}]);
		expect(log[3]).toEqual([{type: 'wait', ms: 3000}]);
		// One window below the poll's start (which began a window before the previous poll).
		expect(log[5]).toEqual([{type: 'read', kind: 'sweep', from: T0 + 30_000 - 2 * WINDOW - MARGIN, to: T0 + 30_000 - WINDOW - MARGIN, retry: 0}]);
		expect(log[6]).toEqual([{type: 'wait', ms: 3000}]);
	});

	it('retries a failed backfill over the same gap, so the gap is never dropped', () => {
		const {last, state} = drive(config(), [
			{type: 'start', now: T0},
			{type: 'session-started', now: T0},
			{type: 'read-failed', now: T0 + 10, kind: 'backfill', denied: false, message: 'backfill failed: 503'},
		]);
		expect(last).toEqual([{type: 'read', kind: 'backfill', from: T0 - WINDOW - MARGIN, to: null, retry: 1}]);
		expect(state.lastError).toBe('backfill failed: 503');
	});

	it('keeps a second gap found during a backfill and reads it afterwards', () => {
		const {log} = drive(config(), [
			{type: 'start', now: T0},
			{type: 'session-started', now: T0},
			{type: 'session-ended', now: T0 + MIN, reason: 'timeout', message: 't'},
			{type: 'session-started', now: T0 + MIN + 1},
			{type: 'read-done', now: T0 + MIN + 2, kind: 'backfill'},
			{type: 'read-done', now: T0 + MIN + 3, kind: 'sweep'},
		]);
		expect(log[3]).toEqual([]);
		// The first backfill is followed by its sweep, then the gap found meanwhile.
		expect(log[4]).toEqual([{type: 'read', kind: 'sweep', from: T0 - 2 * WINDOW - MARGIN, to: T0 - WINDOW - MARGIN, retry: 0}]);
		expect(log[5]).toEqual([{type: 'read', kind: 'backfill', from: T0 - WINDOW - MARGIN, to: null, retry: 0}]);
	});

	it('stops from any phase and ignores everything afterwards', () => {
		const {state, last} = drive(config(), [{type: 'start', now: T0}, {type: 'session-started', now: T0}, {type: 'stop'}]);
		expect(last).toEqual([{type: 'close-session'}]);
		expect(state.phase).toBe('stopped');
		expect(step(state, {type: 'session-update', now: T0}, config()).commands).toEqual([]);
	});

	it('retains dedupe memory from two windows (plus margin) back while live, and from the gap while reconnecting', () => {
		const cfg = config();
		const live = drive(cfg, [{type: 'start', now: T0}, {type: 'session-started', now: T0}, {type: 'read-done', now: T0, kind: 'backfill'}, {type: 'read-done', now: T0, kind: 'sweep'}]).state;
		const now = T0 + 60 * MIN;
		expect(retainFrom(live, cfg, now)).toBe(now - 2 * WINDOW - MARGIN);
		const cut = drive(cfg, [{type: 'session-update', now: T0 + 30 * MIN}, {type: 'session-ended', now: T0 + 30 * MIN, reason: 'closed', message: 'x'}], live).state;
		expect(retainFrom(cut, cfg, now)).toBe(T0 + 30 * MIN - 2 * WINDOW - MARGIN);
	});
});

describe('classifyArrival', () => {
	const cfg = config({windowMs: 15 * MIN});
	it('skips history older than since that was ingested before watching began', () => {
		expect(classifyArrival({timestamp: T0 - 20 * MIN, ingestionTime: T0 - 1}, cfg)).toBe('history-skip');
		// Ingested after the start, it is a late arrival, not history.
		expect(classifyArrival({timestamp: T0 - 20 * MIN, ingestionTime: T0 + 1}, cfg)).toBe('late');
	});
	it('calls a record late when its ingestion came more than the window after its event time', () => {
		expect(classifyArrival({timestamp: T0, ingestionTime: T0 + 15 * MIN}, cfg)).toBe('on-time');
		expect(classifyArrival({timestamp: T0, ingestionTime: T0 + 15 * MIN + 1}, cfg)).toBe('late');
		expect(classifyArrival({timestamp: T0}, cfg)).toBe('on-time');
	});
});

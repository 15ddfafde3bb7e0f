// Fault injection against the lab with the real CloudWatch Logs SDK client: records delivered
// late (inside and beyond the late-delivery window), streams delivered out of order, Live Tail
// cut every few updates, sessions timing out, throttling, 5xx and a lab restart — alone and
// combined. Every record emitted is accounted for: received exactly once when it arrived within
// the window; received, flagged late and counted when it arrived later but the API can reveal it
// (Live Tail pushes it; a sweep finds it one window further down; a deep sweep, after a Live Tail
// gap or now and then while polling, finds what was ingested meanwhile down to its reach).
// Lateness is made with event times in the past (ingested now, stamped minutes ago), so no test
// waits for a real delivery delay.
import {afterEach, describe, expect, it} from 'vitest';
import {startRejectStream, type RejectEvent, type RejectStream, type RejectStreamOptions} from '../../source/aws/reject-stream.js';
import {createDebugLogger} from '../../source/aws/sdk-logger.js';
import type {FaultKnobs, LabOptions} from '../../source/lab/lab.js';
import {systemClock} from '../../source/lab/clock.js';
import {flowLine} from './flow-lines.js';
import {labWithClients, type LabFixture, waitUntil} from './lab-clients.js';

const GROUP = '/vpc/flow-logs/shop-prod';
const ENIS = ['eni-0f1e2d3c4b5a69788', 'eni-01a2b3c4d5e6f7081'];
const SOURCE = '192.0.2.251';
const WINDOW = 60_000;

let fixture: LabFixture | null = null;
let stream: RejectStream | null = null;
afterEach(async () => {
	await stream?.stop();
	stream = null;
	await fixture?.close();
	fixture = null;
});

const waitFor = (condition: () => boolean, what: () => string, timeoutMs = 30_000) => waitUntil(condition, what, timeoutMs);

interface Emitted {
	port: number;
	/** How long after its event time the record is ingested. */
	delayMs: number;
}

/** One run: a lab with faults, a stream on two ENIs, and a ledger of what was emitted and received. */
async function harness(labOptions: LabOptions, streamOptions: Partial<RejectStreamOptions>, skewMs = 0) {
	const requests: string[] = [];
	// `skewMs`: AWS's clock (the lab's: ingestion stamps, and the records' own times) runs this far ahead of this machine's.
	const clock = skewMs === 0 ? {} : {clock: {now: () => Date.now() + skewMs, every: systemClock.every}};
	fixture = await labWithClients({liveTailUpdateMs: 50, ...clock, ...labOptions, log: (line) => requests.push(line)});
	const lab = fixture.lab;
	const format = lab.state.logs.groups.get(GROUP)!.flowFormat!;
	const received: RejectEvent[] = [];
	stream = startRejectStream({
		logs: fixture.clients.logs,
		logGroupName: GROUP,
		eniIds: ENIS,
		format,
		windowMs: WINDOW,
		since: Date.now(),
		pollIntervalMs: 100,
		sweepIntervalMs: 300,
		backoff: {baseMs: 30, maxMs: 200},
		logger: createDebugLogger(null),
		onEvent: (event) => {
			if (event.record.srcAddr === SOURCE) received.push(event);
		},
		...streamOptions,
	});
	const emitted: Emitted[] = [];
	let nextPort = 30000;
	const live = stream;
	return {
		lab,
		received,
		emitted,
		requests,
		stream: live,
		/** Ingests records now, each stamped `delayMs` in the past, alternating ENIs newest-first (out of order). */
		emit(delays: number[]) {
			const now = Date.now() + skewMs;
			const batch = delays.map((delayMs) => ({port: nextPort++, delayMs}));
			batch.reverse();
			for (const [index, item] of batch.entries()) {
				const eni = ENIS[index % 2]!;
				lab.appendFlowRecords(eni, [flowLine(format, {eni, src: SOURCE, dst: '10.20.1.10', srcPort: item.port, dstPort: 22, action: 'REJECT', start: Math.floor((now - item.delayMs) / 1000)})]);
				emitted.push(item);
			}
		},
		ports: () => received.map((event) => event.record.srcPort as number),
		/** Waits until every expected port arrived, then for a sentinel emitted afterwards (later duplicates would precede it). */
		async settle(expected: number[]) {
			const missing = () => expected.filter((port) => !received.some((event) => event.record.srcPort === port));
			await waitFor(() => missing().length === 0, () => `ports ${missing().join(',')} (status ${JSON.stringify(live.status)})`);
			const sentinel = nextPort;
			const reads = requests.filter((line) => line.includes('FilterLogEvents')).length;
			this.emit([0]);
			await waitFor(() => received.some((event) => event.record.srcPort === sentinel), () => 'the sentinel record');
			// Polls and backfills re-read the window: let two more complete after the sentinel.
			if (live.status.mode === 'polling') await waitFor(() => requests.filter((line) => line.includes('FilterLogEvents')).length >= reads + 3, () => 'two more polls');
		},
	};
}

type Harness = Awaited<ReturnType<typeof harness>>;

/** Every emitted port once; late ones (delay beyond the window) flagged and counted. */
function expectExactlyOnce(h: Harness, expected: Emitted[]): void {
	const ports = h.ports();
	const duplicates = ports.filter((port, index) => ports.indexOf(port) !== index);
	expect(duplicates, 'duplicates').toEqual([]);
	expect([...ports].sort()).toEqual(expect.arrayContaining(expected.map((item) => item.port).sort()));
	const late = expected.filter((item) => item.delayMs > WINDOW).map((item) => item.port).sort();
	expect(h.received.filter((event) => event.late).map((event) => event.record.srcPort).sort()).toEqual(late);
	expect(h.stream.status.late).toBe(late.length);
}

const ON_TIME = [0, 1000, 5000];
const LATE_INSIDE = [30_000, 45_000, 55_000];
const LATE_BEYOND = [75_000, 95_000];

async function feed(h: Harness, rounds: number, delays: number[], between: () => Promise<void>): Promise<void> {
	for (let round = 0; round < rounds; round++) {
		h.emit(delays);
		await between();
	}
}

/** Waits for the lab to have served `n` more requests of a kind: progress without a fixed sleep. */
function afterRequests(h: Harness, kind: string, n: number) {
	return async () => {
		const start = h.requests.filter((line) => line.includes(kind)).length;
		await waitFor(() => h.requests.filter((line) => line.includes(kind)).length >= start + n, () => `${n} ${kind} request(s)`);
	};
}

function labWith(faults: Partial<FaultKnobs>, extra: LabOptions = {}): LabOptions {
	return {faults, ...extra};
}

// Retries under throttling and 5xx take real (SDK and stream) backoff time: up to ~15 s a scenario here.
describe('reject stream under faults: exactly once inside the window, late ones found and counted', {timeout: 45_000}, () => {
	it('Live Tail cut every 3 updates, late records inside and beyond the window, streams out of order', async () => {
		const h = await harness(labWith({cutLiveTailAfterUpdates: 3}), {});
		await waitFor(() => h.stream.status.connected, () => 'Live Tail');
		await feed(h, 6, [...ON_TIME, ...LATE_INSIDE, ...LATE_BEYOND], afterRequests(h, 'StartLiveTail', 1));
		// Live Tail pushes a record at ingestion whatever its event time: even 10 minutes late.
		h.emit([10 * 60_000]);
		await h.settle(h.emitted.map((item) => item.port));
		expect(h.stream.status.reconnects).toBeGreaterThan(2);
		expectExactlyOnce(h, h.emitted.slice(0, -1));
	});

	it('sessions timing out every 0.4 s: the next starts at once, the gaps are backfilled', async () => {
		const h = await harness(labWith({}, {liveTailSessionSeconds: 0.4}), {});
		await waitFor(() => h.stream.status.connected, () => 'Live Tail');
		await feed(h, 5, [...ON_TIME, ...LATE_INSIDE], afterRequests(h, 'StartLiveTail', 1));
		await h.settle(h.emitted.map((item) => item.port));
		expectExactlyOnce(h, h.emitted.slice(0, -1));
	});

	it('polling (Live Tail denied) through throttling and 5xx: late-beyond records are found by the sweep', async () => {
		const h = await harness(labWith({denyLiveTail: true, throttleEveryNth: 3, serverErrorEveryNth: 5}), {});
		await waitFor(() => h.stream.status.mode === 'polling', () => 'polling');
		await feed(h, 4, [...ON_TIME, ...LATE_INSIDE, ...LATE_BEYOND], afterRequests(h, 'FilterLogEvents', 3));
		await h.settle(h.emitted.map((item) => item.port));
		expect(h.received.some((event) => event.source === 'sweep')).toBe(true);
		expectExactlyOnce(h, h.emitted.slice(0, -1));
	});

	it('polling: the deep sweep finds records later than the sweep reaches, once; past the deep reach they stay unread', async () => {
		const h = await harness(labWith({denyLiveTail: true}), {deepMs: 30 * 60_000, deepSweepIntervalMs: 300});
		await waitFor(() => h.stream.status.mode === 'polling', () => 'polling');
		h.emit([0, 10 * 60_000, 3 * 60 * 60_000]);
		const port = (delayMs: number) => h.emitted.find((item) => item.delayMs === delayMs)!.port;
		const [onTime, tenMinutes, threeHours] = [port(0), port(10 * 60_000), port(3 * 60 * 60_000)];
		await h.settle([onTime, tenMinutes]);
		// Let two more deep sweeps run after it was found: it must not come again.
		await afterRequests(h, 'FilterLogEvents', 8)();
		expect(h.ports().filter((port) => port === tenMinutes)).toHaveLength(1);
		expect(h.received.find((event) => event.record.srcPort === tenMinutes)?.late).toBe(true);
		expect(h.stream.status.late).toBe(1);
		// Three hours is past the deep reach (30 min here): FilterLogEvents selects by event time only.
		expect(h.ports()).not.toContain(threeHours);
		expect(h.ports().filter((port) => port === onTime)).toHaveLength(1);
	});

	it('Live Tail cut, then records far later than the window ingested while disconnected: the deep sweep after the backfill finds and counts them', async () => {
		const h = await harness({}, {});
		await waitFor(() => h.stream.status.connected, () => 'Live Tail');
		h.emit(ON_TIME);
		await h.settle(h.emitted.map((item) => item.port));
		const before = h.emitted.length;
		await h.lab.restart(300);
		// Ingested while nobody listens, stamped 10 and 45 minutes ago (window 60 s): the backfill
		// (a window back) and its sweep (one more) cannot see them; the deep part (2 h) can.
		h.emit([10 * 60_000, 45 * 60_000, 0]);
		await waitFor(() => h.stream.status.connected && h.stream.status.reconnects > 0, () => 'reconnected');
		const gap = h.emitted.slice(before);
		await h.settle(gap.map((item) => item.port));
		const late = h.received.filter((event) => event.late);
		expect(late.map((event) => event.record.srcPort).sort()).toEqual(gap.filter((item) => item.delayMs > WINDOW).map((item) => item.port).sort());
		expect(late.every((event) => event.source === 'sweep')).toBe(true);
		expect(h.stream.status.late).toBe(2);
		expectExactlyOnce(h, h.emitted.slice(0, -1));
	});

	it('a flapping connection: gaps inside the deep interval are owed, and the next deep read (on its timer) finds what they hid, once', async () => {
		const h = await harness({}, {deepSweepIntervalMs: 4000});
		await waitFor(() => h.stream.status.connected, () => 'Live Tail');
		// First gap: its deep read is due at once (the chain starts there).
		await h.lab.restart(100);
		h.emit([10 * 60_000]);
		await waitFor(() => h.stream.status.connected && h.stream.status.reconnects === 1, () => 'reconnected once');
		await h.settle(h.emitted.map((item) => item.port));
		// Second gap right after: a record 45 minutes late ingested in it is below the backfill and
		// its sweep, and the deep interval has not passed; the owed deep read on the timer finds it.
		await h.lab.restart(100);
		h.emit([45 * 60_000, 0]);
		await waitFor(() => h.stream.status.connected && h.stream.status.reconnects === 2, () => 'reconnected twice');
		await h.settle(h.emitted.map((item) => item.port));
		expect(h.received.filter((event) => event.late).map((event) => event.source)).toEqual(['sweep', 'sweep']);
		expectExactlyOnce(h, h.emitted.slice(0, -1));
	});

	for (const skewMs of [30_000, -30_000]) {
		it(`AWS's clock ${skewMs > 0 ? 'ahead of' : 'behind'} this machine's by ${Math.abs(skewMs) / 1000} s: cuts and late records still arrive exactly once`, async () => {
			const h = await harness(labWith({cutLiveTailAfterUpdates: 4}), {deepSweepIntervalMs: 1000}, skewMs);
			await waitFor(() => h.stream.status.connected, () => 'Live Tail');
			await feed(h, 4, [...ON_TIME, ...LATE_INSIDE, ...LATE_BEYOND, 10 * 60_000], afterRequests(h, 'StartLiveTail', 1));
			await h.lab.restart(200);
			h.emit([...ON_TIME, ...LATE_INSIDE, ...LATE_BEYOND, 10 * 60_000]);
			await waitFor(() => h.stream.status.connected, () => 'reconnected');
			await h.settle(h.emitted.map((item) => item.port));
			expectExactlyOnce(h, h.emitted.slice(0, -1));
		});
	}

	it('a lab restart mid-stream (every connection dropped, nothing listening for a while)', async () => {
		const h = await harness({}, {});
		await waitFor(() => h.stream.status.connected, () => 'Live Tail');
		h.emit([...ON_TIME, ...LATE_INSIDE]);
		await h.lab.restart(300);
		// Records ingested while sgtui was disconnected: only the backfill can bring them.
		h.emit([...ON_TIME, ...LATE_INSIDE, ...LATE_BEYOND]);
		await waitFor(() => h.stream.status.connected && h.stream.status.reconnects > 0, () => 'reconnected');
		h.emit(ON_TIME);
		await h.settle(h.emitted.map((item) => item.port));
		expect(h.received.some((event) => event.source === 'backfill')).toBe(true);
		expectExactlyOnce(h, h.emitted.slice(0, -1));
	});

	it('everything at once: cuts, session timeouts, throttling, 5xx and late records', async () => {
		const h = await harness(labWith({cutLiveTailAfterUpdates: 4, throttleEveryNth: 4, serverErrorEveryNth: 7}, {liveTailSessionSeconds: 0.7}), {});
		await waitFor(() => h.stream.status.connected, () => 'Live Tail');
		await feed(h, 6, [...ON_TIME, ...LATE_INSIDE, ...LATE_BEYOND], afterRequests(h, 'StartLiveTail', 1));
		await h.settle(h.emitted.map((item) => item.port));
		expectExactlyOnce(h, h.emitted.slice(0, -1));
	});
});

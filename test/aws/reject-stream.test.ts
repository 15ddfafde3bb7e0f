import {DescribeLogGroupsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {afterEach, describe, expect, it} from 'vitest';
import {startRejectStream, type RejectEvent, type RejectStream, type RejectStreamOptions, type RejectStreamStatus} from '../../source/aws/reject-stream.js';
import {createDebugLogger} from '../../source/aws/sdk-logger.js';
import {flowLine} from './flow-lines.js';
import {labWithClients, type LabFixture, waitUntil} from './lab-clients.js';

const ENI = 'eni-0f1e2d3c4b5a69788';
const OTHER_ENI = 'eni-01a2b3c4d5e6f7081';
const GROUP = '/vpc/flow-logs/shop-prod';
// Not used by the demo snapshot or the simulator, so only this test's records carry it.
const TEST_SOURCE = '192.0.2.250';

let fixture: LabFixture | null = null;
let stream: RejectStream | null = null;
afterEach(async () => {
	await stream?.stop();
	stream = null;
	await fixture?.close();
	fixture = null;
});

function formatOf(f: LabFixture): string {
	const format = f.lab.state.logs.groups.get(GROUP)?.flowFormat;
	if (!format) throw new Error('the demo log group has no flow format');
	return format;
}

const waitFor = (condition: () => boolean, timeoutMs = 10_000, what: string | (() => string) = 'condition') => waitUntil(condition, what, timeoutMs);

function collect(f: LabFixture, options: Partial<RejectStreamOptions> = {}) {
	const events: RejectEvent[] = [];
	const statuses: RejectStreamStatus[] = [];
	stream = startRejectStream({
		logs: f.clients.logs,
		logGroupName: GROUP,
		eniIds: [ENI],
		format: formatOf(f),
		onEvent: (event) => events.push(event),
		onStatus: (status) => statuses.push(status),
		backoff: {baseMs: 50, maxMs: 200},
		logger: createDebugLogger(null),
		...options,
	});
	return {events, statuses};
}

/** Appends one REJECT per call with a unique source port, so every record can be accounted for. */
function feeder(f: LabFixture) {
	let port = 40000;
	const sent: number[] = [];
	return {
		sent,
		push(action: 'ACCEPT' | 'REJECT' = 'REJECT', eni = ENI) {
			const srcPort = port++;
			f.lab.appendFlowRecords(eni, [flowLine(formatOf(f), {eni, src: TEST_SOURCE, dst: '10.20.1.10', srcPort, dstPort: 22, action, start: Math.floor(Date.now() / 1000)})]);
			if (action === 'REJECT' && eni === ENI) sent.push(srcPort);
			return srcPort;
		},
	};
}

/**
 * Proves the stream processed everything before this point, instead of sleeping and hoping: a
 * sentinel REJECT pushed now has arrived, and no FilterLogEvents read (which could still bring a
 * duplicate) is in flight. Returns the sentinel's port (it is in feed.sent).
 */
async function processedPast(feed: ReturnType<typeof feeder>, events: RejectEvent[]): Promise<number> {
	const sentinel = feed.push('REJECT');
	await waitFor(() => ports(events).includes(sentinel) && stream!.readsInFlight === 0, 15_000, () => `the sentinel ${sentinel} and no read in flight (${JSON.stringify(stream!.status)}, ${stream!.readsInFlight} reads)`);
	return sentinel;
}

function ports(events: RejectEvent[]): number[] {
	return events.filter((event) => event.record.srcAddr === TEST_SOURCE).map((event) => event.record.srcPort as number);
}

describe('reject stream (Live Tail against the lab)', () => {
	it("records: 'others' streams every record but the REJECTs (what a view adds beside its REJECT stream), each once", async () => {
		fixture = await labWithClients({liveTailUpdateMs: 50});
		const feed = feeder(fixture);
		const {events} = collect(fixture, {records: 'others'});
		await waitFor(() => stream!.status.connected, 10_000, 'Live Tail');
		const accepts = [feed.push('ACCEPT'), feed.push('ACCEPT')];
		feed.push('REJECT');
		accepts.push(feed.push('ACCEPT'));
		// A sentinel ACCEPT after everything: a REJECT let through would have come before it.
		const sentinel = feed.push('ACCEPT');
		await waitFor(() => ports(events).includes(sentinel) && stream!.readsInFlight === 0, 10_000, 'the sentinel ACCEPT');
		expect(ports(events).sort()).toEqual([...accepts, sentinel].sort());
		expect(events.every((event) => event.record.action === 'ACCEPT')).toBe(true);
	});

	it('streams parsed REJECTs of the chosen ENI only and says it is live-tailing', async () => {
		const reads: string[] = [];
		fixture = await labWithClients({liveTailUpdateMs: 100, log: (line) => line.includes('FilterLogEvents') && reads.push(line)});
		const {events, statuses} = collect(fixture);
		// Connected, and the start's backfill (a window back) and its sweep done: what follows comes through Live Tail.
		await waitFor(() => statuses.some((s) => s.mode === 'live-tail' && s.connected) && reads.length >= 2, 10_000, 'live tail');
		const feed = feeder(fixture);
		feed.push('REJECT');
		feed.push('ACCEPT');
		feed.push('REJECT', OTHER_ENI);
		feed.push('REJECT');
		await waitFor(() => ports(events).length >= 2, 10_000, 'two rejects');
		await processedPast(feed, events);
		expect(ports(events)).toEqual(feed.sent);
		const first = events.find((event) => event.record.srcAddr === TEST_SOURCE)!;
		expect(first.record).toMatchObject({interfaceId: ENI, srcAddr: TEST_SOURCE, dstPort: 22, protocol: 6, action: 'REJECT'});
		expect(first.source).toBe('live-tail');
		expect(first.eventId).toBeUndefined();
		expect(first.late).toBe(false);
	});

	it('reconnects after cut streams, backfills the gap and never emits an event twice', async () => {
		fixture = await labWithClients({liveTailUpdateMs: 50});
		fixture.lab.faults.cutLiveTailAfterUpdates = 3;
		const {events, statuses} = collect(fixture, {windowMs: 60_000});
		await waitFor(() => statuses.some((s) => s.connected), 10_000, 'first session');
		const feed = feeder(fixture);
		for (let index = 0; index < 40; index++) {
			feed.push('REJECT');
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
		await waitFor(() => new Set(ports(events)).size >= feed.sent.length, 15_000, () => `every reject (missing ${feed.sent.filter((p) => !ports(events).includes(p)).join(',')}; ${JSON.stringify(stream!.status)})`);
		// Cuts off, so the backfills can finish; then a sentinel proves everything before it was processed.
		fixture.lab.faults.cutLiveTailAfterUpdates = 0;
		await processedPast(feed, events);
		expect(stream!.status.reconnects).toBeGreaterThan(0);
		expect(ports(events).sort()).toEqual([...feed.sent].sort());
		expect(events.some((event) => event.source === 'backfill')).toBe(true);
	});

	it('starts the next session at once when a session times out, without duplicates', async () => {
		fixture = await labWithClients({liveTailUpdateMs: 50, liveTailSessionSeconds: 0.4});
		const {events, statuses} = collect(fixture, {windowMs: 60_000});
		await waitFor(() => statuses.some((s) => s.connected), 10_000, 'first session');
		const feed = feeder(fixture);
		for (let index = 0; index < 30; index++) {
			feed.push('REJECT');
			await new Promise((resolve) => setTimeout(resolve, 40));
		}
		await waitFor(() => new Set(ports(events)).size >= feed.sent.length, 15_000, 'every reject');
		// Long sessions from now on, so the backfills can finish; then the sentinel.
		fixture.lab.faults.liveTailSessionSeconds = 3600;
		await processedPast(feed, events);
		expect(statuses.some((s) => /timed out/.test(s.lastError ?? ''))).toBe(true);
		expect(ports(events).sort()).toEqual([...feed.sent].sort());
	});

	it('shows recent history first (--since) and then live records, each once', async () => {
		fixture = await labWithClients({liveTailUpdateMs: 100});
		const feed = feeder(fixture);
		const before = [feed.push('REJECT'), feed.push('REJECT')];
		const {events, statuses} = collect(fixture, {since: Date.now() - 5 * 60_000});
		await waitFor(() => ports(events).length >= 2 && statuses.some((s) => s.connected), 10_000, 'backfill');
		feed.push('REJECT');
		await waitFor(() => ports(events).length >= 3, 10_000, 'live record');
		await processedPast(feed, events);
		expect(ports(events).slice(0, 2).sort()).toEqual(before.sort());
		expect(ports(events).sort()).toEqual([...feed.sent].sort());
	});

	it('falls back to FilterLogEvents polling when StartLiveTail is denied, under 5 requests/s', async () => {
		const calls: number[] = [];
		fixture = await labWithClients({log: (line) => line.includes('FilterLogEvents') && calls.push(Date.now())});
		fixture.lab.faults.denyLiveTail = true;
		const {events, statuses} = collect(fixture, {pollIntervalMs: 100, windowMs: 60_000});
		await waitFor(() => statuses.some((s) => s.mode === 'polling'), 10_000, 'polling mode');
		const polling = statuses.find((s) => s.mode === 'polling')!;
		expect(polling.fallbackReason).toMatch(/logs:StartLiveTail denied/);
		const feed = feeder(fixture);
		feed.push('REJECT');
		feed.push('ACCEPT');
		feed.push('REJECT');
		await waitFor(() => ports(events).length >= 2, 10_000, 'polled rejects');
		// Keep polling: the overlap re-reads the same events, which must stay hidden. Four more
		// polls after the sentinel arrived each re-read all of them.
		await processedPast(feed, events);
		const polled = calls.length;
		await waitFor(() => calls.length >= polled + 4 && stream!.readsInFlight === 0, 10_000, 'four more polls');
		expect(ports(events)).toEqual(feed.sent);
		expect(events.every((event) => event.source === 'poll' && event.eventId)).toBe(true);
		// A 100 ms poll interval asks for 10/s; the token bucket holds every 1 s window to ≤ 5.
		for (const at of calls) expect(calls.filter((other) => other >= at && other < at + 1000).length).toBeLessThanOrEqual(5);
		expect(calls.length).toBeGreaterThan(4);
	});

	it('keeps streaming through throttling and server errors (adaptive retries)', async () => {
		fixture = await labWithClients({liveTailUpdateMs: 100, faults: {throttleEveryNth: 2}});
		const {events, statuses} = collect(fixture, {since: Date.now() - 60_000});
		await waitFor(() => statuses.some((s) => s.connected), 15_000, 'connected despite throttling');
		fixture.lab.faults.throttleEveryNth = 0;
		fixture.lab.faults.serverErrorEveryNth = 2;
		const feed = feeder(fixture);
		feed.push('REJECT');
		await waitFor(() => ports(events).length >= 1, 15_000, 'a record');
		expect(ports(events)).toEqual(feed.sent);
	});

	it('says when Live Tail sampled an update (more than 500 matching events at once)', async () => {
		fixture = await labWithClients({liveTailUpdateMs: 300});
		const {events, statuses} = collect(fixture);
		await waitFor(() => statuses.some((s) => s.connected), 10_000, 'session');
		const format = formatOf(fixture);
		const now = Math.floor(Date.now() / 1000);
		fixture.lab.appendFlowRecords(ENI, Array.from({length: 700}, (_, n) => flowLine(format, {eni: ENI, src: TEST_SOURCE, dst: '10.20.1.10', srcPort: 20000 + n, dstPort: 22, action: 'REJECT', start: now})));
		await waitFor(() => statuses.some((s) => s.sampled), 10_000, 'sampled flag');
		expect(stream!.status.mode).toBe('live-tail');
		// A quiet update afterwards (one record, not sampled) must not clear it: what was counted
		// before is still a lower bound. The record arriving proves that update was processed.
		fixture.lab.appendFlowRecords(ENI, [flowLine(format, {eni: ENI, src: TEST_SOURCE, dst: '10.20.1.10', srcPort: 40000, dstPort: 2222, action: 'REJECT', start: now})]);
		await waitFor(() => events.some((event) => event.record.dstPort === 2222), 10_000, 'the record after the burst');
		expect(stream!.status.sampled).toBe(true);
		expect(stream!.status.sampledUpdates).toBeGreaterThanOrEqual(1);
	});

	it('stops cleanly through an AbortSignal, closing the Live Tail connection', async () => {
		const requests: string[] = [];
		fixture = await labWithClients({liveTailUpdateMs: 100, log: (line) => requests.push(line)});
		const controller = new AbortController();
		const {statuses} = collect(fixture, {signal: controller.signal});
		await waitFor(() => statuses.some((s) => s.connected), 10_000, 'session');
		controller.abort();
		await stream!.done;
		expect(stream!.status.mode).toBe('stopped');
		expect(stream!.status.connected).toBe(false);
		// Nothing keeps running: the next request the lab sees after the stop is our own sentinel call.
		const after = requests.length;
		await fixture.clients.logs.send(new DescribeLogGroupsCommand({logGroupNamePrefix: GROUP}));
		await waitFor(() => requests.length > after, 5000, 'the sentinel request');
		expect(requests.slice(after).map((line) => /DescribeLogGroups/.test(line))).toEqual([true]);
		expect(stream!.readsInFlight).toBe(0);
	});

	it('hands each delivery batch over in event-time order (a piped tail reads like a log)', async () => {
		const reads: string[] = [];
		fixture = await labWithClients({liveTailUpdateMs: 300, log: (line) => line.includes('FilterLogEvents') && reads.push(line)});
		const {events, statuses} = collect(fixture, {eniIds: [ENI, OTHER_ENI]});
		// Connected, and the start's backfill and its sweep done: what follows comes through Live Tail.
		await waitFor(() => statuses.some((s) => s.connected) && reads.length >= 2, 10_000, 'session and backfill');
		const format = formatOf(fixture);
		const now = Math.floor(Date.now() / 1000);
		// Ingested newest first across two streams, in the same tick: one Live Tail update.
		fixture.lab.appendFlowRecords(OTHER_ENI, [flowLine(format, {eni: OTHER_ENI, src: TEST_SOURCE, dst: '10.20.1.11', srcPort: 45003, dstPort: 22, action: 'REJECT', start: now})]);
		fixture.lab.appendFlowRecords(ENI, [flowLine(format, {eni: ENI, src: TEST_SOURCE, dst: '10.20.1.10', srcPort: 45002, dstPort: 22, action: 'REJECT', start: now - 20})]);
		fixture.lab.appendFlowRecords(OTHER_ENI, [flowLine(format, {eni: OTHER_ENI, src: TEST_SOURCE, dst: '10.20.1.11', srcPort: 45001, dstPort: 22, action: 'REJECT', start: now - 40})]);
		await waitFor(() => ports(events).length >= 3, 10_000, 'three rejects');
		expect(ports(events)).toEqual([45001, 45002, 45003]);
		expect(events.filter((event) => event.record.srcAddr === TEST_SOURCE).every((event) => event.source === 'live-tail')).toBe(true);
	});

	it('with onEvents, hands a Live Tail update over as one call, in event-time order, each record once', async () => {
		const reads: string[] = [];
		fixture = await labWithClients({liveTailUpdateMs: 300, log: (line) => line.includes('FilterLogEvents') && reads.push(line)});
		const batches: RejectEvent[][] = [];
		const all: RejectEvent[] = [];
		const statuses: RejectStreamStatus[] = [];
		stream = startRejectStream({
			logs: fixture.clients.logs, logGroupName: GROUP, eniIds: [ENI], format: formatOf(fixture), logger: createDebugLogger(null),
			onEvents: (events) => {
				batches.push(events);
				all.push(...events);
			},
			onStatus: (status) => statuses.push(status),
		});
		await waitFor(() => statuses.some((s) => s.connected) && reads.length >= 2, 10_000, 'session and backfill');
		const format = formatOf(fixture);
		const now = Math.floor(Date.now() / 1000);
		// Appended in one tick, newest first (46004 is the newest): one Live Tail update of five records.
		const lines = [4, 3, 2, 1, 0].map((n) => flowLine(format, {eni: ENI, src: TEST_SOURCE, dst: '10.20.1.10', srcPort: 46000 + n, dstPort: 22, action: 'REJECT', start: now - 10 * (4 - n)}));
		fixture.lab.appendFlowRecords(ENI, lines);
		const ours = () => batches.map((batch) => batch.filter((event) => event.record.srcAddr === TEST_SOURCE)).filter((batch) => batch.length > 0);
		await waitFor(() => ours().flat().length >= 5, 10_000, 'five rejects');
		expect(ours()).toHaveLength(1);
		expect(ports(ours()[0]!)).toEqual([46000, 46001, 46002, 46003, 46004]);
		// Nothing comes twice, even once a read overlaps what Live Tail delivered.
		const feed = feeder(fixture);
		await processedPast(feed, all);
		expect(new Set(ports(all)).size).toBe(ports(all).length);
	});

	it('refuses more log streams than one Live Tail session takes', () => {
		expect(() => startRejectStream({logs: null as never, logGroupName: GROUP, eniIds: Array.from({length: 101}, (_, n) => `eni-${n}`), onEvent: () => undefined})).toThrow('a reject stream watches at most 100 network interfaces (got 101); start several');
	});

	it('reports a denied StartLiveTail with the missing permission when Live Tail is forced', async () => {
		fixture = await labWithClients();
		fixture.lab.faults.denyLiveTail = true;
		collect(fixture, {mode: 'live-tail'});
		await expect(stream!.done).rejects.toThrow('logs:StartLiveTail denied');
	});
});

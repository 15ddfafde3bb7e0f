import {describe, expect, it} from 'vitest';
import {createDeliveryQueue} from '../../source/lab/delivery.js';
import {DEFAULT_FAULTS} from '../../source/lab/faults.js';
import {LogStore} from '../../source/lab/log-store.js';
import {ManualClock} from '../support/manual-clock.js';

const T0 = 1_800_000_000_000; // on a minute boundary

function rig(seed = 7, faults = {...DEFAULT_FAULTS}) {
	const clock = new ManualClock(T0);
	const store = new LogStore(() => clock.now());
	const ingested: Array<{stream: string; timestamp: number; ingestionTime: number; message: string}> = [];
	store.onAppend(({stream, events}) => ingested.push(...events.map((event) => ({stream: stream.name, timestamp: event.timestamp, ingestionTime: event.ingestionTime, message: event.message}))));
	const queue = createDeliveryQueue(store, {mode: 'realistic', seed}, faults, clock);
	return {
		queue,
		ingested,
		faults,
		/** Advances the clock; the queue's own flush timer (every 250 ms) ingests what falls due. */
		advance(ms: number) {
			clock.advance(ms);
		},
	};
}

function submitMinute(r: ReturnType<typeof rig>, streams: string[], perStream: number) {
	for (const stream of streams) {
		r.queue.submit('/flow', stream, Array.from({length: perStream}, (_, n) => ({timestamp: T0 + n * 100, message: `${stream} ${n}`})), 60);
	}
}

describe('lab delivery like AWS (aggregation interval, seeded delay, stragglers)', () => {
	it('holds records until their interval ends, then delivers each ENI batch 20–120 s later', () => {
		const r = rig();
		submitMinute(r, ['eni-a', 'eni-b', 'eni-c'], 5);
		r.advance(60_000);
		expect(r.ingested).toEqual([]);
		r.advance(120_000);
		const onTime = r.ingested.filter((event) => event.ingestionTime - T0 <= 180_000);
		expect(onTime.length).toBeGreaterThanOrEqual(13);
		for (const event of onTime) {
			const delay = event.ingestionTime - (T0 + 60_000);
			expect(delay).toBeGreaterThanOrEqual(20_000);
			expect(delay).toBeLessThanOrEqual(121_000);
			// The event keeps its own time: it is old when it arrives.
			expect(event.ingestionTime - event.timestamp).toBeGreaterThan(60_000);
		}
	});

	it('interleaves streams out of order and lets a few records straggle minutes late', () => {
		const r = rig(11);
		const streams = Array.from({length: 20}, (_, n) => `eni-${String(n).padStart(2, '0')}`);
		submitMinute(r, streams, 20);
		r.advance(20 * 60_000);
		expect(r.ingested).toHaveLength(400);
		const arrival = [...new Set(r.ingested.map((event) => event.stream))];
		expect(arrival).not.toEqual([...arrival].sort());
		const stragglers = r.ingested.filter((event) => event.ingestionTime - T0 > 60_000 + 120_000 + 1000);
		expect(stragglers.length).toBeGreaterThan(0);
		expect(stragglers.length).toBeLessThan(40);
		for (const event of stragglers) expect(event.ingestionTime - T0).toBeGreaterThanOrEqual(60_000 + 20_000 + 180_000);
	});

	it('replays the same deliveries for the same seed, and different ones for another', () => {
		const times = (seed: number) => {
			const r = rig(seed);
			submitMinute(r, ['eni-a', 'eni-b', 'eni-c', 'eni-d'], 10);
			r.advance(15 * 60_000);
			return r.ingested.map((event) => `${event.message}@${event.ingestionTime}`);
		};
		expect(times(5)).toEqual(times(5));
		expect(times(5)).not.toEqual(times(6));
	});

	it('a late burst knob holds the next N records back by the given delay', () => {
		const r = rig(3, {...DEFAULT_FAULTS, lateBurstRecords: 2, lateBurstDelayMs: 30 * 60_000});
		submitMinute(r, ['eni-a'], 5);
		expect(r.faults.lateBurstRecords).toBe(0);
		r.advance(20 * 60_000);
		const late = r.ingested.filter((event) => event.ingestionTime - T0 >= 30 * 60_000);
		expect(r.ingested.length - late.length).toBeLessThanOrEqual(3);
		r.advance(15 * 60_000);
		expect(r.ingested).toHaveLength(5);
		expect(r.ingested.filter((event) => event.ingestionTime - T0 >= 30 * 60_000)).toHaveLength(2);
	});

	it('fast mode ingests at once', () => {
		const clock = new ManualClock(T0);
		const store = new LogStore(() => clock.now());
		const queue = createDeliveryQueue(store, {mode: 'fast'}, {...DEFAULT_FAULTS}, clock, false);
		queue.submit('/flow', 'eni-a', [{timestamp: T0 - 5000, message: 'x'}], 600);
		expect(store.groups.get('/flow')?.streams.get('eni-a')?.events).toHaveLength(1);
		expect(queue.pending).toBe(0);
	});
});

import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {insertInOrder, LogStore, type LogEvent} from '../../source/lab/log-store.js';

const event = (timestamp: number, seq: number): LogEvent => ({timestamp, ingestionTime: 0, message: `${timestamp}/${seq}`, eventId: String(seq), seq});

describe('log store ordering', () => {
	it('property: inserting batches keeps the stream as a full sort by (timestamp, arrival) would', () => {
		fc.assert(fc.property(fc.array(fc.array(fc.integer({min: 0, max: 50}), {maxLength: 30}), {maxLength: 12}), (batches) => {
			const stream: LogEvent[] = [];
			const everything: LogEvent[] = [];
			let seq = 0;
			for (const timestamps of batches) {
				const batch = timestamps.map((timestamp) => event(timestamp, ++seq));
				insertInOrder(stream, batch);
				everything.push(...batch);
			}
			// The reference: a plain sort of everything, ties broken by arrival.
			const expected = everything.map((e) => [e.timestamp, e.seq]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
			expect(stream.map((e) => [e.timestamp, e.seq])).toEqual(expected);
		}));
	});

	it('takes a batch far bigger than the call stack allows as arguments (a flood in one tick)', () => {
		const store = new LogStore(() => 1_764_300_000_000);
		const items = Array.from({length: 400_000}, (_, i) => ({timestamp: 1_764_300_000_000 - (i % 1000), message: `m${i}`}));
		const seen: number[] = [];
		store.onAppend(({events}) => seen.push(events.length));
		store.append('g', 's', items);
		store.append('g', 's', items.slice(0, 10));
		const events = store.groups.get('g')!.streams.get('s')!.events;
		expect(events).toHaveLength(400_010);
		expect(seen).toEqual([400_000, 10]);
		expect(events.findIndex((e, i) => i > 0 && events[i - 1]!.timestamp > e.timestamp)).toBe(-1);
	});
});

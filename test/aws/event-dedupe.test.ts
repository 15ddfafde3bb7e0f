import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {EventDedupe} from '../../source/aws/event-dedupe.js';

const event = (timestamp: number, message: string, eventId?: string, logStreamName = 'eni-1') => ({logStreamName, timestamp, message, eventId});

describe('EventDedupe', () => {
	it('hides a backfilled copy of an event Live Tail already showed, and the reverse', () => {
		const dedupe = new EventDedupe();
		expect(dedupe.accept(event(1000, 'a'))).toBe(true);
		expect(dedupe.accept(event(1000, 'a', 'id-1'))).toBe(false);
		expect(dedupe.accept(event(2000, 'b', 'id-2'))).toBe(true);
		expect(dedupe.accept(event(2000, 'b'))).toBe(false);
	});

	it('keeps two identical records at one timestamp as two events', () => {
		const dedupe = new EventDedupe();
		expect(dedupe.accept(event(1000, 'same'))).toBe(true);
		expect(dedupe.accept(event(1000, 'same'))).toBe(true);
		// FilterLogEvents then lists both (two eventIds): both are already shown.
		expect(dedupe.accept(event(1000, 'same', 'x'))).toBe(false);
		expect(dedupe.accept(event(1000, 'same', 'y'))).toBe(false);
		// A third one is new.
		expect(dedupe.accept(event(1000, 'same', 'z'))).toBe(true);
	});

	it('counts exactly past what a packed count holds (1,023 identical records at one timestamp)', () => {
		const dedupe = new EventDedupe();
		for (let n = 0; n < 1100; n++) expect(dedupe.accept(event(1000, 'same'))).toBe(true);
		for (let n = 0; n < 1100; n++) expect(dedupe.accept(event(1000, 'same', `id-${n}`))).toBe(false);
		expect(dedupe.accept(event(1000, 'same', 'id-1100'))).toBe(true);
		expect(dedupe.keys).toBe(1);
	});

	it('recognizes re-listed events by eventId across overlapping polls', () => {
		const dedupe = new EventDedupe();
		expect(dedupe.accept(event(1000, 'a', 'id-1'))).toBe(true);
		expect(dedupe.accept(event(1000, 'a', 'id-1'))).toBe(false);
	});

	it('distinguishes streams with the same message and timestamp', () => {
		const dedupe = new EventDedupe();
		expect(dedupe.accept(event(1000, 'a', undefined, 'eni-1'))).toBe(true);
		expect(dedupe.accept(event(1000, 'a', undefined, 'eni-2'))).toBe(true);
	});

	it('forgets what is before the prune floor and treats late first deliveries as new', () => {
		const dedupe = new EventDedupe();
		dedupe.accept(event(1000, 'old'));
		dedupe.accept(event(5000, 'new'));
		dedupe.prune(3000);
		expect(dedupe.keys).toBe(1);
		expect(dedupe.accept(event(2000, 'late'))).toBe(true);
		expect(dedupe.accept(event(5000, 'new', 'id'))).toBe(false);
	});

	it('emits each event exactly once whatever the interleaving of live and listed copies (property)', () => {
		const arbitraryEvents = fc.uniqueArray(fc.record({timestamp: fc.integer({min: 0, max: 5}), message: fc.constantFrom('a', 'b'), n: fc.integer({min: 0, max: 3})}), {selector: (e) => `${e.timestamp}/${e.message}/${e.n}`, maxLength: 20});
		fc.assert(
			fc.property(arbitraryEvents, fc.array(fc.boolean(), {minLength: 40, maxLength: 40}), fc.array(fc.nat(), {minLength: 80, maxLength: 80}), (events, liveSeen, order) => {
				// Each real event is delivered by Live Tail (maybe) and listed by FilterLogEvents (always, maybe twice).
				const deliveries = events.flatMap((e, index) => {
					const copies = [{...e, eventId: `id-${index}`}, {...e, eventId: `id-${index}`}];
					if (liveSeen[index]) copies.push({...e, eventId: undefined as unknown as string});
					return copies;
				});
				const shuffled = deliveries.map((d, i) => ({d, k: order[i % order.length]! + i / 1000})).sort((x, y) => x.k - y.k).map((x) => x.d);
				const dedupe = new EventDedupe();
				let emitted = 0;
				for (const d of shuffled) if (dedupe.accept({logStreamName: 'eni', timestamp: d.timestamp, message: d.message, eventId: d.eventId})) emitted++;
				expect(emitted).toBe(events.length);
			}),
		);
	});
});

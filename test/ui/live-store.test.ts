import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {LiveStore, sparkline} from '../../source/ui/live-store.js';
import type {FlowRecord} from '../../source/core/types.js';

const record = (overrides: Partial<FlowRecord>): FlowRecord => ({
	interfaceId: 'eni-1', srcAddr: '198.51.100.7', dstAddr: '10.0.0.5', srcPort: 40000, dstPort: 443, protocol: 6,
	packets: 1, bytes: 60, start: 1_700_000_000, end: 1_700_000_030, action: 'REJECT', logStatus: 'OK', ...overrides,
});

describe('LiveStore', () => {
	it('aggregates by (source, port, protocol, action) with counts and first/last seen', () => {
		const store = new LiveStore();
		store.push([record({}), record({start: 1_700_000_100, end: 1_700_000_160}), record({srcAddr: '203.0.113.9', dstPort: 22})]);
		store.push([record({action: 'ACCEPT'})]);
		const snapshot = store.snapshot();
		expect(snapshot.totals).toEqual({received: 4, rejects: 3, accepts: 1, evicted: 0});
		expect(snapshot.aggregates.map((row) => [row.srcAddr, row.dstPort, row.action, row.count])).toEqual([
			['198.51.100.7', 443, 'REJECT', 2],
			['198.51.100.7', 443, 'ACCEPT', 1],
			['203.0.113.9', 22, 'REJECT', 1],
		]);
		expect(snapshot.aggregates[0]!.firstSeen).toBe(1_700_000_000);
		expect(snapshot.aggregates[0]!.lastSeen).toBe(1_700_000_160);
	});

	it('merges spellings of one IPv6 peer into one row, in RFC 5952 form, and knows the ENI by any spelling', () => {
		const store = new LiveStore({ownAddresses: ['2001:DB8:0:0::5']});
		store.push([
			record({srcAddr: '2001:0DB8:0:0::7', dstAddr: '2001:db8::5', protocol: 6}),
			record({srcAddr: '2001:db8::7', dstAddr: '2001:db8:0::5'}),
			record({srcAddr: '2001:db8::5', srcPort: 443, dstAddr: '2001:DB8::7', dstPort: 40000}),
		]);
		const rows = store.snapshot().aggregates.map((row) => [row.direction, row.srcAddr, row.dstPort, row.count]);
		expect(rows).toEqual([['in', '2001:db8::7', 443, 2], ['reply', '2001:db8::7', 443, 1]]);
	});

	it('keeps only the newest raw records in its ring buffer but counts every record', () => {
		const store = new LiveStore({capacity: 3});
		store.push([1, 2, 3, 4, 5].map((n) => record({srcPort: n})));
		const snapshot = store.snapshot();
		expect(snapshot.records.map((entry) => entry.record.srcPort)).toEqual([5, 4, 3]);
		expect(snapshot.totals.evicted).toBe(2);
		expect(snapshot.aggregates[0]!.count).toBe(5);
	});

	it('changes version only on change, and caches the snapshot between changes', () => {
		const store = new LiveStore();
		const first = store.snapshot();
		expect(store.snapshot()).toBe(first);
		store.push([]);
		expect(store.snapshot()).toBe(first);
		store.push([record({})]);
		expect(store.snapshot()).not.toBe(first);
		store.clear();
		expect(store.snapshot().aggregates).toEqual([]);
		expect(store.snapshot().totals.received).toBe(0);
	});

	it('buckets the trend on the records\' own clock, newest bucket last', () => {
		const store = new LiveStore({trendBuckets: 4, bucketSeconds: 60});
		const base = 1_700_000_040; // bucket boundary at 1_700_000_040 (multiple of 60)
		store.push([record({end: base}), record({end: base + 60}), record({end: base + 60}), record({end: base + 180})]);
		expect(store.snapshot().aggregates[0]!.trend).toEqual([1, 2, 0, 1]);
	});

	it('draws a sparkline scaled to the largest bucket', () => {
		expect(sparkline([0, 1, 2, 4])).toBe(' ▂▄█');
		expect(sparkline([0, 0])).toBe('  ');
	});
});

describe('LiveStore directions', () => {
	it('groups replies and outbound traffic by the peer, so a dropped return path reads as one row', () => {
		const store = new LiveStore({ownAddresses: ['10.0.0.5']});
		store.push([
			record({srcAddr: '198.51.100.7', dstAddr: '10.0.0.5', srcPort: 40001, dstPort: 22, action: 'ACCEPT'}),
			record({srcAddr: '10.0.0.5', dstAddr: '198.51.100.7', srcPort: 22, dstPort: 40001}),
			record({srcAddr: '10.0.0.5', dstAddr: '198.51.100.7', srcPort: 22, dstPort: 40002}),
			record({srcAddr: '10.0.0.5', dstAddr: '52.218.1.1', srcPort: 50000, dstPort: 443, action: 'ACCEPT'}),
		]);
		const rows = store.snapshot().aggregates.map((row) => [row.direction, row.srcAddr, row.dstPort, row.action, row.count]);
		expect(rows).toEqual([
			['reply', '198.51.100.7', 22, 'REJECT', 2],
			['in', '198.51.100.7', 22, 'ACCEPT', 1],
			['out', '52.218.1.1', 443, 'ACCEPT', 1],
		]);
	});
});

describe('LiveStore bounded for long sessions', () => {
	it('keeps at most maxAggregates groups and folds the smaller ones into others with an exact count', () => {
		const store = new LiveStore({maxAggregates: 10});
		// One busy peer, then 100 one-off peers (a scan): the busy one must survive, totals must add up.
		store.push(Array.from({length: 50}, () => record({srcAddr: '198.51.100.7'})));
		store.push(Array.from({length: 100}, (_, n) => record({srcAddr: `203.0.113.${n}`})));
		const snapshot = store.snapshot();
		expect(snapshot.aggregates.length).toBeLessThanOrEqual(10);
		expect(snapshot.aggregates[0]).toMatchObject({srcAddr: '198.51.100.7', count: 50});
		const shown = snapshot.aggregates.reduce((sum, row) => sum + row.count, 0);
		expect(shown + snapshot.others.count).toBe(150);
		expect(snapshot.others.groups).toBe(101 - snapshot.aggregates.length);
		store.clear();
		expect(store.snapshot().others).toEqual({groups: 0, count: 0});
	});
});

describe('LiveStore when ACCEPTs are hidden again and the interval becomes known', () => {
	const arbitraryRecords = fc.array(fc.record({action: fc.constantFrom('REJECT', 'ACCEPT', null), peer: fc.integer({min: 1, max: 6}), minute: fc.integer({min: 0, max: 30})}), {maxLength: 60});
	const toRecord = (entry: {action: 'REJECT' | 'ACCEPT' | null; peer: number; minute: number}) =>
		record({action: entry.action, logStatus: entry.action ? 'OK' : 'NODATA', srcAddr: `198.51.100.${entry.peer}`, start: 1_700_000_000 + entry.minute * 60, end: 1_700_000_030 + entry.minute * 60});

	it('dropNonRejects leaves exactly what a store fed only the REJECTs holds', () => {
		fc.assert(fc.property(arbitraryRecords, fc.integer({min: 1, max: 8}), (entries, capacity) => {
			const mixed = new LiveStore({capacity, now: () => 0});
			const reference = new LiveStore({capacity: 1000, now: () => 0});
			const records = entries.map(toRecord);
			for (const one of records) mixed.push([one]);
			const before = mixed.snapshot();
			const ringRejects = before.records.filter((entry) => entry.record.action === 'REJECT').map((entry) => entry.record);
			reference.push(records.filter((one) => one.action === 'REJECT'));
			mixed.dropNonRejects();
			const got = mixed.snapshot();
			const want = reference.snapshot();
			const withoutTrend = (rows: typeof got.aggregates) => rows.map(({trend: _trend, ...row}) => row);
			expect(withoutTrend(got.aggregates)).toEqual(withoutTrend(want.aggregates));
			// Trends still end at the newest bucket seen (time went on, whatever the action): unchanged.
			expect(got.aggregates.map((row) => row.trend)).toEqual(before.aggregates.filter((row) => row.action === 'REJECT').map((row) => row.trend));
			expect(got.records.map((entry) => entry.record)).toEqual(ringRejects);
			expect(got.totals).toEqual({received: want.totals.rejects, rejects: want.totals.rejects, accepts: 0, evicted: want.totals.rejects - ringRejects.length});
			// The ring keeps working after the drop: new records go on top, the oldest go first.
			mixed.push([record({srcPort: 1})]);
			expect(mixed.snapshot().records[0]!.record.srcPort).toBe(1);
			expect(mixed.snapshot().records.length).toBe(Math.min(capacity, ringRejects.length + 1));
		}));
	});

	it('setBucketSeconds merges 60 s trend buckets into 600 s ones exactly', () => {
		fc.assert(fc.property(arbitraryRecords, (entries) => {
			const records = entries.map(toRecord);
			const early = new LiveStore({bucketSeconds: 60, now: () => 0});
			early.push(records);
			early.setBucketSeconds(600);
			const known = new LiveStore({bucketSeconds: 600, now: () => 0});
			known.push(records);
			expect(early.snapshot().aggregates).toEqual(known.snapshot().aggregates);
		}));
	});
});

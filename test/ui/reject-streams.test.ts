// The pool's policy for when a stream no longer on screen stops (source/ui/reject-streams.ts):
// kept while its interface is on the navigation stack, stopped when another interface's stream
// opens, after the linger otherwise, and never more than the cap. The services here only count
// subscriptions (what the policy decides); the streams themselves are tested against the lab.
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {eniIdsOnStack, RejectStreamPool} from '../../source/ui/reject-streams.js';
import type {RecordSelection, SgtuiServices} from '../../source/ui/services.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';

function counting() {
	const live = new Map<string, number>();
	const key = (eniId: string, records: RecordSelection) => `${eniId}:${records}`;
	const services = {
		subscribeRejects(eniIds: string[], options: {records: RecordSelection}) {
			const id = key(eniIds[0]!, options.records);
			live.set(id, (live.get(id) ?? 0) + 1);
			let stopped = false;
			return {stop: () => {
				if (!stopped) live.set(id, live.get(id)! - 1);
				stopped = true;
			}};
		},
	} as unknown as SgtuiServices;
	return {services, running: () => [...live].filter(([, count]) => count > 0).map(([id, count]) => (count === 1 ? id : `${id}×${count}`)).sort()};
}

const SETUP = {bucketSeconds: 60, ownAddresses: []};

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('RejectStreamPool', () => {
	it('keeps an interface on the stack running while its screen is gone, and one subscription for every holder', () => {
		const {services, running} = counting();
		const pool = new RejectStreamPool(services, {lingerMs: 1000});
		pool.retain(['eni-a']);
		const screen = pool.open('eni-a', SETUP);
		const wizard = pool.open('eni-a', SETUP);
		expect(running()).toEqual(['eni-a:rejects']);
		screen();
		wizard();
		vi.advanceTimersByTime(60_000);
		expect(running()).toEqual(['eni-a:rejects']);
		// Off the stack and not shown: it lingers, then stops.
		pool.retain([]);
		vi.advanceTimersByTime(999);
		expect(running()).toEqual(['eni-a:rejects']);
		vi.advanceTimersByTime(1);
		expect(running()).toEqual([]);
	});

	it('stops the one left behind when another interface opens, and caps idle streams', () => {
		const {services, running} = counting();
		const pool = new RejectStreamPool(services, {lingerMs: 1000, maxStreams: 2});
		pool.open('eni-a', SETUP)();
		expect(running()).toEqual(['eni-a:rejects']);
		const b = pool.open('eni-b', SETUP);
		expect(running()).toEqual(['eni-b:rejects']);
		b();
		// On the stack (e.g. under wizards) several may be kept, but never more than the cap.
		pool.retain(['eni-b', 'eni-c', 'eni-d']);
		pool.open('eni-c', SETUP)();
		pool.open('eni-d', SETUP);
		expect(running()).toEqual(['eni-c:rejects', 'eni-d:rejects']);
	});

	it('a adds a second subscription and takes it away again; the REJECT one is never restarted', () => {
		const {services, running} = counting();
		const pool = new RejectStreamPool(services);
		pool.open('eni-a', SETUP);
		const store = pool.get('eni-a')!.store;
		pool.setAll('eni-a', true);
		expect(running()).toEqual(['eni-a:others', 'eni-a:rejects']);
		expect(pool.get('eni-a')).toMatchObject({all: true, store});
		pool.setAll('eni-a', false);
		expect(running()).toEqual(['eni-a:rejects']);
		expect(pool.get('eni-a')).toMatchObject({all: false, store});
		pool.close();
		expect(running()).toEqual([]);
	});

	it('counts a wizard on an instance as its interfaces', async () => {
		const inventory = await new SnapshotServices({dir: 'demo/snapshot'}).loadInventory(() => undefined);
		const eni = inventory.networkInterfaces.find((candidate) => candidate.instanceId)!;
		expect(eniIdsOnStack([{kind: 'inventory', filter: ''}, {kind: 'wizard', target: eni.instanceId!}], inventory)).toContain(eni.id);
		expect(eniIdsOnStack([{kind: 'eni', eniId: 'eni-x', tab: 'rules'}, {kind: 'wizard', target: null}], inventory)).toEqual(['eni-x']);
	});
});

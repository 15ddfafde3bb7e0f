// A screen's handle on its interface's live reject stream (reject-streams.ts keeps the streams
// above the screens), in two parts so that only what draws the records re-renders with them:
// useRejectEntry holds the stream and changes only when `a` toggles ACCEPTs (the interface
// screen uses it, so a flood never re-renders the screen around other tabs); useRejectView
// samples the store at a bounded frame rate (the Rejects tab, the wizard's steps 5–6).
import {useEffect, useMemo, useState, useSyncExternalStore} from 'react';
import {useAppState} from './app-context.js';
import {useRemembered} from './view-memory.js';
import {LiveStore, type LiveSnapshot} from './live-store.js';
import {useSampled} from './use-sampled.js';
import type {RejectStreamEntry, StreamSetup} from './reject-streams.js';

export interface RejectStream {
	snapshot: LiveSnapshot;
	store: LiveStore;
	paused: boolean;
	all: boolean;
	setPaused(paused: boolean): void;
	setAll(all: boolean): void;
	clear(): void;
}

/** The interface's stream (null for none), running while this component is mounted and beyond (see the pool's policy). */
export function useRejectEntry(eniId: string | null, setup: StreamSetup): RejectStreamEntry | null {
	const {rejectStreams: pool} = useAppState();
	const current = useSyncExternalStore(pool.subscribe, () => (eniId ? pool.get(eniId) ?? null : null));
	// The first render of a new interface starts its stream; the effect holds it.
	const entry = eniId ? current ?? pool.ensure(eniId, setup) : null;
	if (entry) entry.store.setBucketSeconds(setup.bucketSeconds);
	const own = setup.ownAddresses.join(',');
	const {bucketSeconds} = setup;
	useEffect(() => {
		if (!eniId) return;
		return pool.open(eniId, {bucketSeconds, ownAddresses: own ? own.split(',') : []});
		// The bucket size is applied above; a new one must not re-open the stream.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [pool, eniId, own]);
	return entry;
}

const EMPTY = new LiveStore();

/** Draws the entry's store at `fps` (frozen while paused); `memory` keeps `p` across screen changes. */
export function useRejectView(entry: RejectStreamEntry | null, options: {fps?: number; memory?: string} = {}): RejectStream {
	const {rejectStreams: pool} = useAppState();
	const [paused, setPaused] = useRemembered(options.memory ? `${options.memory}:paused` : null, false);
	const store = entry?.store ?? EMPTY;
	// Each `c` draws at once, paused or not.
	const [clears, setClears] = useState(0);
	const resync = useMemo(() => ({entry, clears}), [entry, clears]);
	const snapshot = useSampled(store, options.fps ?? 10, paused, resync);
	return {
		snapshot,
		store,
		paused,
		all: entry?.all ?? false,
		setPaused,
		setAll: (all) => entry && pool.setAll(entry.eniId, all),
		clear: () => {
			store.clear();
			setClears((count) => count + 1);
		},
	};
}

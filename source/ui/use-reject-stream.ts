// Connects a LiveStore to the services' reject stream for a set of ENIs and draws it at a bounded
// frame rate. Toggling ACCEPTs restarts the subscription (the filter is applied at the source).
import {useEffect, useMemo} from 'react';
import {useRemembered} from './view-memory.js';
import {LiveStore, type LiveSnapshot} from './live-store.js';
import {useSampled} from './use-sampled.js';
import type {SgtuiServices} from './services.js';

export interface RejectStream {
	snapshot: LiveSnapshot;
	store: LiveStore;
	paused: boolean;
	all: boolean;
	setPaused(paused: boolean): void;
	setAll(all: boolean): void;
	clear(): void;
}

export function useRejectStream(services: SgtuiServices, eniIds: readonly string[], options: {fps?: number; bucketSeconds?: number; initialAll?: boolean; ownAddresses?: readonly string[]; memory?: string} = {}): RejectStream {
	const key = eniIds.join(',');
	// With `memory` the toggles are kept above the view: `a` still means ACCEPTs too after a tab
	// switch or a trip into the wizard and back.
	const [all, setAll] = useRemembered(options.memory ? `${options.memory}:all` : null, options.initialAll ?? false);
	const [paused, setPaused] = useRemembered(options.memory ? `${options.memory}:paused` : null, false);
	const own = (options.ownAddresses ?? []).join(',');
	// Keyed by the joined lists, not the arrays: callers pass fresh arrays on every render. A new
	// target or filter starts an empty store, hence `key` and `all`.
	// eslint-disable-next-line react-hooks/exhaustive-deps
	const store = useMemo(() => new LiveStore({bucketSeconds: options.bucketSeconds ?? 60, ownAddresses: own ? own.split(',') : []}), [key, all, options.bucketSeconds, own]);
	useEffect(() => {
		if (key === '') return;
		const subscription = services.subscribeRejects(key.split(','), {all}, {
			onRecords: (records) => store.push(records),
			onStatus: (status) => store.setStatus(status),
		});
		return () => subscription.stop();
	}, [services, store, key, all]);
	const snapshot = useSampled(store, options.fps ?? 10, paused);
	return {snapshot, store, paused, all, setPaused, setAll, clear: () => store.clear()};
}

// Draws an external store at a bounded frame rate: a timer compares the store's version with the
// last one drawn and takes a snapshot only when something changed (and not while paused).
import {useEffect, useRef, useState} from 'react';

export interface Sampleable<T> {
	version: number;
	snapshot(): T;
}

/**
 * `resync`: a new value draws at once, paused or not (a toggle that changed what the store holds,
 * or `c` clearing it: a paused view that kept showing the cleared records would look like c failed).
 */
export function useSampled<T>(store: Sampleable<T>, fps = 10, paused = false, resync?: unknown): T {
	const [value, setValue] = useState(() => store.snapshot());
	const synced = useRef(resync);
	useEffect(() => {
		const resynced = !Object.is(synced.current, resync);
		synced.current = resync;
		if (paused) {
			if (resynced) setValue(store.snapshot());
			return;
		}
		let drawn = -1;
		const tick = () => {
			if (store.version === drawn) return;
			drawn = store.version;
			setValue(store.snapshot());
		};
		tick();
		const timer = setInterval(tick, Math.max(10, Math.round(1000 / fps)));
		return () => clearInterval(timer);
	}, [store, fps, paused, resync]);
	return value;
}

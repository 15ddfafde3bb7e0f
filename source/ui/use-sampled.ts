// Draws an external store at a bounded frame rate: a timer compares the store's version with the
// last one drawn and takes a snapshot only when something changed (and not while paused).
import {useEffect, useState} from 'react';

export interface Sampleable<T> {
	version: number;
	snapshot(): T;
}

/** `resync`: a new value draws at once (e.g. a toggle that changed what the store holds). */
export function useSampled<T>(store: Sampleable<T>, fps = 10, paused = false, resync?: unknown): T {
	const [value, setValue] = useState(() => store.snapshot());
	useEffect(() => {
		if (paused) return;
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

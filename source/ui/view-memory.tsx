// What a screen was showing when it went away: its selection, filter and toggles, by view. Screens
// unmount when the wizard or a drill-down is pushed over them and tabs unmount on a tab switch; this
// store lives above them (in the app), so `esc` back and a tab switch find everything as it was.
import React, {createContext, useCallback, useContext, useMemo, useRef, useState, useSyncExternalStore} from 'react';

export class ViewMemory {
	private readonly values = new Map<string, unknown>();
	private readonly listeners = new Set<() => void>();
	has(key: string): boolean {
		return this.values.has(key);
	}
	get(key: string): unknown {
		return this.values.get(key);
	}
	set(key: string, value: unknown): void {
		if (Object.is(this.values.get(key), value)) return;
		this.values.set(key, value);
		for (const listener of this.listeners) listener();
	}
	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};
}

const MemoryContext = createContext<ViewMemory | null>(null);

export function ViewMemoryProvider({children}: {children: React.ReactNode}) {
	const memory = useMemo(() => new ViewMemory(), []);
	return <MemoryContext.Provider value={memory}>{children}</MemoryContext.Provider>;
}

export type SetRemembered<T> = (next: T | ((previous: T) => T)) => void;

/**
 * useState that outlives the component: the value is kept under `key` (e.g. "eni-0abc:rules:filter")
 * for the app's lifetime. A null key is plain component state.
 */
export function useRemembered<T>(key: string | null, initial: T): [T, SetRemembered<T>] {
	const context = useContext(MemoryContext);
	// Outside the app (a component rendered alone in a test) the memory is the component's own.
	const [own] = useState(() => new ViewMemory());
	const memory = key === null ? own : context ?? own;
	const slot = key ?? '';
	const initialRef = useRef(initial);
	const stored = useSyncExternalStore(memory.subscribe, () => memory.get(slot));
	const value = memory.has(slot) ? (stored as T) : initial;
	const set = useCallback<SetRemembered<T>>((next) => {
		const previous = (memory.has(slot) ? memory.get(slot) : initialRef.current) as T;
		memory.set(slot, typeof next === 'function' ? (next as (previous: T) => T)(previous) : next);
	}, [memory, slot]);
	return [value, set];
}

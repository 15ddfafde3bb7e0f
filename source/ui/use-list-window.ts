// Adapts the list reducer to a component whose row count and height change under it (filtering,
// live rows, terminal resize): the window is re-normalized on every render, never stale.
// With `keys` the selection is an item, not a position: when a live list re-sorts (Rejects groups
// re-order as counts change) the cursor stays on the same group. With `memory` the selection is
// kept above the component, so esc back from a drill-down or the wizard finds it where it was.
import {useCallback, useLayoutEffect, useRef} from 'react';
import {listReducer, normalizeWindow, type ListAction, type ListWindow} from './list-window.js';
import {useRemembered} from './view-memory.js';

interface Position {
	/** The selected item's key, when the list has keys. */
	key: string | null;
	/** The selected index: the fallback when the key is gone (filtered out, evicted). */
	selected: number;
	from: number;
}

const START: Position = {key: null, selected: 0, from: 0};

export interface ListWindowOptions {
	/** One key per row, in display order. */
	keys?: readonly string[];
	/** Where the selection is remembered (view memory key). */
	memory?: string;
}

/** The selected index: the remembered key's current place, else the remembered index. */
export function selectedIndex(position: Position, keys: readonly string[] | undefined): number {
	if (keys && position.key !== null) {
		const found = keys.indexOf(position.key);
		if (found >= 0) return found;
	}
	return position.selected;
}

/** The window, its actions, and a selection by key (the list's rows may not be drawn yet: a filter just typed). */
export function useListWindow(count: number, height: number, options: ListWindowOptions = {}): [ListWindow, (action: ListAction) => void, (key: string) => void] {
	const [position, setPosition] = useRemembered<Position>(options.memory ?? null, START);
	const window = normalizeWindow({selected: selectedIndex(position, options.keys), from: position.from, count, height});
	const latest = useRef({window, keys: options.keys});
	// Updated on commit, before any key reaches this list, so `act` always sees the rendered rows.
	useLayoutEffect(() => {
		latest.current = {window, keys: options.keys};
	});
	const act = useCallback((action: ListAction) => {
		const next = listReducer(latest.current.window, action);
		setPosition({key: latest.current.keys?.[next.selected] ?? null, selected: next.selected, from: next.from});
	}, [setPosition]);
	// The index is a fallback for when the key is not among the rows: the first one.
	const selectKey = useCallback((key: string) => setPosition({key, selected: 0, from: 0}), [setPosition]);
	return [window, act, selectKey];
}

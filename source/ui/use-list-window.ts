// Adapts the list reducer to a component whose row count and height change under it (filtering,
// live rows, terminal resize): the window is re-normalized on every render, never stale.
import {useCallback, useLayoutEffect, useReducer, useRef} from 'react';
import {initialWindow, listReducer, normalizeWindow, type ListAction, type ListWindow} from './list-window.js';

export function useListWindow(count: number, height: number): [ListWindow, (action: ListAction) => void] {
	const [state, dispatch] = useReducer(listReducer, undefined, () => initialWindow(count, height));
	const size = useRef({count, height});
	// Updated on commit, before any key reaches this list, so `act` always sees the rendered size.
	useLayoutEffect(() => {
		size.current = {count, height};
	});
	const act = useCallback((action: ListAction) => {
		dispatch({type: 'count', count: size.current.count});
		dispatch({type: 'resize', height: size.current.height});
		dispatch(action);
	}, []);
	return [normalizeWindow({...state, count, height}), act];
}

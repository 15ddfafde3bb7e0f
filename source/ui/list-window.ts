// Selection in a long list plus the window of rows that is visible, as a typed reducer (the
// Shopify cli-kit model): components render rows[from, to) only, and the window follows the
// selection so the selected row is always on screen.
export interface ListWindow {
	selected: number;
	/** First visible row. */
	from: number;
	/** Visible rows (the region's height). */
	height: number;
	count: number;
}

export type ListAction =
	| {type: 'up' | 'down' | 'pageUp' | 'pageDown' | 'top' | 'bottom'}
	| {type: 'select'; index: number}
	| {type: 'resize'; height: number}
	| {type: 'count'; count: number};

export function initialWindow(count = 0, height = 10): ListWindow {
	return normalizeWindow({selected: 0, from: 0, height: Math.max(1, height), count});
}

export function normalizeWindow(state: ListWindow): ListWindow {
	const count = Math.max(0, state.count);
	const height = Math.max(1, state.height);
	const selected = count === 0 ? 0 : Math.min(Math.max(0, state.selected), count - 1);
	let from = Math.max(0, Math.min(state.from, Math.max(0, count - height)));
	if (selected < from) from = selected;
	if (selected >= from + height) from = selected - height + 1;
	return {selected, from, height, count};
}

export function listReducer(state: ListWindow, action: ListAction): ListWindow {
	switch (action.type) {
		case 'up': return normalizeWindow({...state, selected: state.selected - 1});
		case 'down': return normalizeWindow({...state, selected: state.selected + 1});
		case 'pageUp': return normalizeWindow({...state, selected: state.selected - state.height, from: state.from - state.height});
		case 'pageDown': return normalizeWindow({...state, selected: state.selected + state.height, from: state.from + state.height});
		case 'top': return normalizeWindow({...state, selected: 0, from: 0});
		case 'bottom': return normalizeWindow({...state, selected: state.count - 1, from: state.count});
		case 'select': return normalizeWindow({...state, selected: action.index});
		case 'resize': return normalizeWindow({...state, height: action.height});
		case 'count': return normalizeWindow({...state, count: action.count});
	}
}

/** Index range [from, to) of the rows to draw. */
export function visibleRange(state: ListWindow): {from: number; to: number} {
	return {from: state.from, to: Math.min(state.count, state.from + state.height)};
}

/** Maps a list key command to a reducer action (null for commands lists don't handle). */
export function listActionFor(command: string | null): ListAction | null {
	switch (command) {
		case 'list.up': return {type: 'up'};
		case 'list.down': return {type: 'down'};
		case 'list.pageUp': return {type: 'pageUp'};
		case 'list.pageDown': return {type: 'pageDown'};
		case 'list.top': return {type: 'top'};
		case 'list.bottom': return {type: 'bottom'};
		default: return null;
	}
}

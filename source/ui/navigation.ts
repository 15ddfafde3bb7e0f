// The screen stack as a typed reducer: breadcrumbs are the stack, esc pops it, the palette and
// drill-downs push onto it. Overlays (help, palette) sit above whatever screen is on top.
import type {WizardPrefill} from './wizard-state.js';

export type EniTab = 'rules' | 'listeners' | 'rejects' | 'flowlogs';
export const ENI_TABS: readonly EniTab[] = ['rules', 'listeners', 'rejects', 'flowlogs'];
export const ENI_TAB_TITLES: Record<EniTab, string> = {rules: 'Rules', listeners: 'Listeners', rejects: 'Rejects', flowlogs: 'Flow logs'};

export type View =
	| {kind: 'inventory'; filter: string}
	| {kind: 'eni'; eniId: string; tab: EniTab}
	| {kind: 'wizard'; target: string | null; prefill?: WizardPrefill | null}
	| {kind: 'audit'};

export type Overlay = 'help' | 'palette' | null;

export interface NavState {
	stack: View[];
	overlay: Overlay;
}

export type NavAction =
	| {type: 'push'; view: View}
	| {type: 'pop'}
	/** The palette's jumps: straight from the inventory to the view, not stacked on the current one. */
	| {type: 'jump'; view: View}
	| {type: 'home'}
	| {type: 'tab'; tab: EniTab}
	| {type: 'cycleTab'; delta: 1 | -1}
	| {type: 'filter'; filter: string}
	/** Typing into the filter: relative to the current text, so keys in quick succession never clobber each other. */
	| {type: 'filterType'; text: string}
	| {type: 'filterErase'}
	| {type: 'overlay'; overlay: Overlay};

export function initialNav(): NavState {
	return {stack: [{kind: 'inventory', filter: ''}], overlay: null};
}

export function currentView(state: NavState): View {
	return state.stack[state.stack.length - 1]!;
}

function replaceTop(state: NavState, view: View): NavState {
	return {...state, stack: [...state.stack.slice(0, -1), view]};
}

export function navReducer(state: NavState, action: NavAction): NavState {
	const top = currentView(state);
	switch (action.type) {
		case 'push': {
			// Re-opening the view that is already on top replaces it instead of stacking duplicates.
			if (top.kind === action.view.kind && JSON.stringify(top) === JSON.stringify(action.view)) return {...state, overlay: null};
			return {stack: [...state.stack, action.view], overlay: null};
		}
		case 'pop':
			if (state.overlay) return {...state, overlay: null};
			if (state.stack.length === 1) return state;
			return {...state, stack: state.stack.slice(0, -1)};
		case 'jump':
			// An inventory view (:sg's filter) is the root itself: not "Inventory › Inventory /sg-…".
			return {stack: action.view.kind === 'inventory' ? [action.view] : [state.stack[0]!, action.view], overlay: null};
		case 'home':
			return {stack: [state.stack[0]!], overlay: null};
		case 'tab':
			return top.kind === 'eni' ? replaceTop(state, {...top, tab: action.tab}) : state;
		case 'cycleTab': {
			if (top.kind !== 'eni') return state;
			const index = ENI_TABS.indexOf(top.tab);
			const next = ENI_TABS[(index + action.delta + ENI_TABS.length) % ENI_TABS.length]!;
			return replaceTop(state, {...top, tab: next});
		}
		case 'filter':
			return top.kind === 'inventory' ? replaceTop(state, {...top, filter: action.filter}) : state;
		case 'filterType':
			return top.kind === 'inventory' ? replaceTop(state, {...top, filter: top.filter + action.text}) : state;
		case 'filterErase':
			return top.kind === 'inventory' ? replaceTop(state, {...top, filter: top.filter.slice(0, -1)}) : state;
		case 'overlay':
			return {...state, overlay: action.overlay};
	}
}

/** Breadcrumb labels, root first; `describeEni` names an ENI for humans. */
export function breadcrumbs(state: NavState, describeEni: (eniId: string) => string): string[] {
	return state.stack.map((view) => {
		switch (view.kind) {
			case 'inventory': return view.filter ? `Inventory /${view.filter}` : 'Inventory';
			case 'eni': return `${describeEni(view.eniId)} › ${ENI_TAB_TITLES[view.tab]}`;
			case 'wizard': return view.target ? `Wizard ${view.target}` : 'Wizard';
			case 'audit': return 'Audit';
		}
	});
}

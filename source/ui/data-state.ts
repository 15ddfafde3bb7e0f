// The evidence the UI holds, as a reducer: inventory load state, listener captures per instance,
// audit findings, and the banner. Each piece fails on its own: a failed probe marks only its host.
import type {HostCapture, Inventory} from '../core/types.js';
import type {AuditFinding} from './services.js';
import type {Tone} from './theme.js';

export type InventoryState =
	| {status: 'loading'; progress: string}
	| {status: 'ready'; inventory: Inventory; loadedAt: number}
	| {status: 'error'; message: string};

export type HostState =
	| {status: 'probing'}
	| {status: 'ready'; capture: HostCapture; notes: string[]}
	| {status: 'error'; message: string};

export interface Banner {
	tone: Tone;
	text: string;
	/** A palette command's complaint: the next command that succeeds takes it away. */
	from?: 'palette';
}

export interface DataState {
	inventory: InventoryState;
	hosts: Record<string, HostState>;
	findings: AuditFinding[];
	banner: Banner | null;
	/**
	 * The mode's standing notice (the demo: how to reach its lab from the AWS CLI). Kept apart
	 * from `banner`: it shows whenever no message does, so a message (an error, a copy) covers it
	 * only until dismissed. esc on the notice itself hides it; help shows it again.
	 */
	notice: {text: string; hidden: boolean} | null;
	/**
	 * What the last inventory load could not read (a denied permission), one line each. Kept
	 * apart from `banner`: it stays on screen until a load succeeds without it, and esc does not
	 * hide it, because every view of the affected part is "unknown" meanwhile.
	 */
	loadWarnings: string[];
}

export type DataAction =
	| {type: 'loading'; progress: string}
	| {type: 'loaded'; inventory: Inventory; at: number; warnings?: string[]}
	| {type: 'loadFailed'; message: string}
	| {type: 'host'; instanceId: string; state: HostState}
	| {type: 'findings'; findings: AuditFinding[]}
	| {type: 'banner'; banner: Banner | null}
	/** A command ran: a complaint about an earlier one no longer applies. */
	| {type: 'commandRan'}
	| {type: 'hideNotice'};

export function initialData(hosts: Record<string, HostCapture> = {}, notice?: string): DataState {
	const known: Record<string, HostState> = {};
	for (const [id, capture] of Object.entries(hosts)) known[id] = {status: 'ready', capture, notes: []};
	return {inventory: {status: 'loading', progress: 'starting'}, hosts: known, findings: [], banner: null, notice: notice ? {text: notice, hidden: false} : null, loadWarnings: []};
}

/** What the banner row shows: a message, else the notice (also while help is open, where it is otherwise hidden). */
export function shownBanner(state: DataState, helpOpen = false): Banner | null {
	if (state.banner) return state.banner;
	if (state.notice && (!state.notice.hidden || helpOpen)) return {tone: 'info', text: state.notice.text};
	return null;
}

export function dataReducer(state: DataState, action: DataAction): DataState {
	switch (action.type) {
		case 'loading':
			// A refresh keeps showing the old inventory; only the first load shows progress.
			if (state.inventory.status === 'ready') return state;
			return {...state, inventory: {status: 'loading', progress: action.progress}};
		case 'loaded':
			return {...state, inventory: {status: 'ready', inventory: action.inventory, loadedAt: action.at}, loadWarnings: action.warnings ?? []};
		case 'loadFailed':
			if (state.inventory.status === 'ready') return {...state, banner: {tone: 'bad', text: `Refresh failed: ${action.message}`}};
			return {...state, inventory: {status: 'error', message: action.message}};
		case 'host':
			return {...state, hosts: {...state.hosts, [action.instanceId]: action.state}};
		case 'findings':
			return {...state, findings: action.findings};
		case 'banner':
			return {...state, banner: action.banner};
		case 'commandRan':
			return state.banner?.from === 'palette' ? {...state, banner: null} : state;
		case 'hideNotice':
			return state.notice ? {...state, notice: {...state.notice, hidden: true}} : state;
	}
}

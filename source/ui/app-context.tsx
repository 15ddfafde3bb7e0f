// Two contexts, as in gemini-cli: state (what to draw) and actions (what can be done). Components
// read evidence and navigation from here; all I/O goes through the services behind the actions.
import React, {createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState} from 'react';
import {dataReducer, initialData, type Banner, type DataState} from './data-state.js';
import type {HostCapture} from '../core/types.js';
import {initialNav, navReducer, type NavAction, type NavState} from './navigation.js';
import type {ProbePrompts, SgtuiServices} from './services.js';
import {eniIdsOnStack, RejectStreamPool} from './reject-streams.js';
import type {Clipboard} from './clipboard.js';
import {errorLine} from '../core/display-text.js';
import type {CheckFocus} from './check-focus.js';

export type PendingPrompt =
	| {kind: 'hostKey'; host: string; fingerprint: string; keyType: string; knownHostsFile: string; resolve: (yes: boolean) => void}
	| {kind: 'passphrase'; keyPath: string; resolve: (value: string | null) => void}
	| {kind: 'dial'; target: string; address: string; resolve: (yes: boolean) => void};

export interface AppState {
	/** The system clipboard from the app; null in tests (then OSC 52 goes to ink's stdout). */
	clipboard: Clipboard | null;
	data: DataState;
	nav: NavState;
	prompt: PendingPrompt | null;
	services: SgtuiServices;
	/** The wizard's current or last check: the lists mark the rows that concern it. */
	checkFocus: CheckFocus | null;
	/** The live reject streams, one per interface, outliving the screens that show them. */
	rejectStreams: RejectStreamPool;
}

export interface AppActions {
	navigate(action: NavAction): void;
	refresh(): void;
	probe(instanceId: string, force?: boolean): void;
	setBanner(banner: Banner | null): void;
	/** A palette command succeeded: its earlier complaint goes. */
	commandRan(): void;
	hideNotice(): void;
	setCheckFocus(focus: CheckFocus | null): void;
	quit(): void;
}

const StateContext = createContext<AppState | null>(null);
const ActionsContext = createContext<AppActions | null>(null);

export interface AppProviderProps {
	services: SgtuiServices;
	onQuit: () => void;
	clipboard?: Clipboard | null;
	children: React.ReactNode;
}

export function AppProvider({services, onQuit, clipboard = null, children}: AppProviderProps) {
	const [data, dispatchData] = useReducer(dataReducer, undefined, () => initialData(services.knownHosts(), services.mode.notice));
	const [nav, navigate] = useReducer(navReducer, undefined, initialNav);
	const [prompt, setPrompt] = useState<PendingPrompt | null>(null);
	const [checkFocus, setCheckFocus] = useState<CheckFocus | null>(null);
	const dataRef = useRef(data);
	useLayoutEffect(() => {
		dataRef.current = data;
	});
	const loadSeq = useRef(0);
	const probeRef = useRef<(instanceId: string) => void>(() => {});
	// Captures as they arrive, outside React: probes finishing in the same tick all reach the audit.
	const captures = useRef<Record<string, HostCapture>>({});

	const load = useCallback(() => {
		const seq = ++loadSeq.current;
		dispatchData({type: 'loading', progress: 'loading inventory'});
		services.loadInventory((progress) => {
			if (seq === loadSeq.current) dispatchData({type: 'loading', progress});
		}).then(
			(inventory) => {
				if (seq !== loadSeq.current) return;
				dispatchData({type: 'loaded', inventory, at: Date.now(), warnings: services.inventoryWarnings?.() ?? []});
				// Background probes only where every host is local (the demo's lab), never against live AWS.
				if (services.mode.probeOnLoad && !services.mode.probeOff && services.mode.kind !== 'aws') {
					for (const instance of inventory.instances) if (instance.state === 'running') probeRef.current(instance.id);
				}
				const known = services.knownHosts();
				Object.assign(captures.current, known);
				for (const [instanceId, capture] of Object.entries(known)) {
					dispatchData({type: 'host', instanceId, state: {status: 'ready', capture, notes: ['Saved capture, not a live probe.']}});
				}
				try {
					dispatchData({type: 'findings', findings: services.audit(inventory, {...captures.current})});
				} catch (error) {
					dispatchData({type: 'banner', banner: {tone: 'warn', text: `Audit failed: ${errorLine(error)}`}});
				}
			},
			(error: unknown) => {
				if (seq === loadSeq.current) dispatchData({type: 'loadFailed', message: errorLine(error)});
			},
		);
	}, [services]);

	useEffect(load, [load]);

	// Probes run concurrently, their questions are asked one at a time, in order.
	const promptQueue = useRef<PendingPrompt[]>([]);
	const prompts = useMemo<ProbePrompts>(() => {
		const ask = (pending: PendingPrompt) => {
			promptQueue.current.push(pending);
			if (promptQueue.current.length === 1) setPrompt(pending);
		};
		const next = () => {
			promptQueue.current.shift();
			setPrompt(promptQueue.current[0] ?? null);
		};
		return {
			confirmHostKey: (question) => new Promise<boolean>((resolve) => {
				ask({kind: 'hostKey', ...question, resolve: (yes) => { next(); resolve(yes); }});
			}),
			passphrase: (question) => new Promise<string | null>((resolve) => {
				ask({kind: 'passphrase', keyPath: question.keyPath, resolve: (value) => { next(); resolve(value); }});
			}),
			confirmDial: (question) => new Promise<boolean>((resolve) => {
				ask({kind: 'dial', ...question, resolve: (yes) => { next(); resolve(yes); }});
			}),
		};
	}, []);

	const probe = useCallback((instanceId: string, force = false) => {
		const current = dataRef.current.hosts[instanceId];
		if (!force && current && current.status !== 'error') return;
		if (current?.status === 'probing') return;
		if (services.mode.probeOff) {
			dispatchData({type: 'host', instanceId, state: {status: 'error', message: services.mode.probeOff}});
			return;
		}
		dispatchData({type: 'host', instanceId, state: {status: 'probing'}});
		services.probeHost(instanceId, prompts).then(
			(outcome) => {
				dispatchData({type: 'host', instanceId, state: outcome.ok ? {status: 'ready', capture: outcome.capture, notes: outcome.notes} : {status: 'error', message: outcome.reason}});
				const inventory = dataRef.current.inventory;
				if (outcome.ok) captures.current[instanceId] = outcome.capture;
				if (outcome.ok && inventory.status === 'ready') {
					try {
						dispatchData({type: 'findings', findings: services.audit(inventory.inventory, {...captures.current})});
					} catch {
						// The audit banner from the load already says the audit is unavailable.
					}
				}
			},
			(error: unknown) => dispatchData({type: 'host', instanceId, state: {status: 'error', message: errorLine(error)}}),
		);
	}, [services, prompts]);

	useLayoutEffect(() => {
		probeRef.current = probe;
	});
	const actions = useMemo<AppActions>(() => ({
		navigate,
		refresh: load,
		probe,
		setBanner: (banner) => dispatchData({type: 'banner', banner}),
		commandRan: () => dispatchData({type: 'commandRan'}),
		hideNotice: () => dispatchData({type: 'hideNotice'}),
		setCheckFocus: (focus) => setCheckFocus((current) => (JSON.stringify(current) === JSON.stringify(focus) ? current : focus)),
		quit: onQuit,
	}), [load, probe, onQuit]);

	const rejectStreams = useMemo(() => new RejectStreamPool(services), [services]);
	useEffect(() => () => rejectStreams.close(), [rejectStreams]);
	const inventory = data.inventory.status === 'ready' ? data.inventory.inventory : null;
	useEffect(() => rejectStreams.retain(eniIdsOnStack(nav.stack, inventory)), [rejectStreams, nav.stack, inventory]);

	const state = useMemo<AppState>(() => ({clipboard, data, nav, prompt, services, checkFocus, rejectStreams}), [clipboard, data, nav, prompt, services, checkFocus, rejectStreams]);
	return (
		<ActionsContext.Provider value={actions}>
			<StateContext.Provider value={state}>{children}</StateContext.Provider>
		</ActionsContext.Provider>
	);
}

export function useAppState(): AppState {
	const state = useContext(StateContext);
	if (!state) throw new Error('useAppState outside AppProvider');
	return state;
}

export function useAppActions(): AppActions {
	const actions = useContext(ActionsContext);
	if (!actions) throw new Error('useAppActions outside AppProvider');
	return actions;
}

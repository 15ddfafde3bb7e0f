// The one place that owns useInput. Components register handlers with a priority; each key goes to
// the handlers from the highest priority down, and a handler that returns true stops it there.
// Without this every active useInput would see every key (typing "q" in a filter would quit).
import React, {createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState} from 'react';
import type {EventEmitter} from 'node:events';
import {useInput, useStdin, type Key} from 'ink';
import {withoutInvisible} from '../core/display-text.js';
import {keyName} from './key-bindings.js';
import {isUnnamedEscapeSequence} from './key-sequences.js';

export const PRIORITY = {
	overlay: 100,
	prompt: 90,
	palette: 80,
	input: 60,
	/** A tab inside a screen: its row-specific keys (w on a Rejects row) come before the screen's. */
	tab: 45,
	screen: 40,
	global: 0,
} as const;

/**
 * How a key reached us: typed on its own, or as part of a run of characters that arrived in one
 * read (a paste, tmux send-keys). A pasted run is first offered whole as name `paste`; a handler
 * that takes it (a text field) gets it as ONE edit. Keys split out of a paste nobody took carry
 * `pasted`, so a `q` inside pasted text never quits.
 */
export interface KeyOrigin {
	pasted: boolean;
}

export type KeyHandler = (name: string, input: string, key: Key, origin: KeyOrigin) => boolean | void;

/**
 * A pasted run split at its control characters (return, tab, backspace, any C0 or DEL), each kept
 * as its own part between the runs of text. One native split rather than a loop over the
 * characters: a 3,000-character paste arrives on a cold code path (bench/typing.mjs).
 */
const CONTROL_CHAR = /([\u0000-\u001F\u007F])/;

function charKey(char: string, base: Key): Key {
	return {
		...base,
		return: char === '\r' || char === '\n',
		tab: char === '\t',
		backspace: char === '\u007F' || char === '\b',
		shift: /[A-Z]/.test(char),
	};
}

type QueueItem = {kind: 'key'; input: string; key: Key; pasted: boolean} | {kind: 'text'; text: string; key: Key};

interface Entry {
	priority: number;
	order: number;
	handler: {current: KeyHandler};
}

interface Dispatcher {
	register(entry: Entry): () => void;
	nextOrder(): number;
}

const DispatcherContext = createContext<Dispatcher | null>(null);

export function KeyDispatcherProvider({children}: {children: React.ReactNode}) {
	const entries = useRef<Entry[]>([]);
	const order = useRef(0);
	const dispatcher = useMemo<Dispatcher>(() => ({
		register(entry) {
			entries.current.push(entry);
			return () => {
				entries.current = entries.current.filter((candidate) => candidate !== entry);
			};
		},
		nextOrder: () => ++order.current,
	}), []);

	const offer = useCallback((name: string, input: string, key: Key, origin: KeyOrigin): boolean => {
		// Later registrations win within a priority: the innermost, newest view is on top.
		const ordered = [...entries.current].sort((a, b) => b.priority - a.priority || b.order - a.order);
		for (const entry of ordered) {
			if (entry.handler.current(name, input, key, origin) === true) return true;
		}
		return false;
	}, []);
	// Keys wait in one FIFO, and a run of characters ("G\r", a paste, tmux send-keys) is split
	// into single keys. The next key is routed only after React committed everything the previous
	// one changed (e.g. "/" opening the filter and registering its handler): each key bumps `turn`
	// in the same batch as its own updates, and the effect of that commit routes the next key.
	const queue = useRef<QueueItem[]>([]);
	const draining = useRef(false);
	const [turn, setTurn] = useState(0);
	const routeNext = useCallback(() => {
		const item = queue.current.shift();
		if (!item) {
			draining.current = false;
			return;
		}
		if (item.kind === 'text') {
			// The whole run first (one edit for a text field); if nobody takes it, its first
			// character is a key and the rest is offered again after that key's commit (":" opens
			// the palette, which then takes "wizard i-0abc" in one go).
			if (!offer('paste', item.text, item.key, {pasted: true})) {
				const [first = '', ...rest] = [...item.text];
				if (rest.length > 0) queue.current.unshift({kind: 'text', text: rest.join(''), key: item.key});
				offer(keyName(first, charKey(first, item.key)), first, charKey(first, item.key), {pasted: true});
			}
		} else {
			offer(keyName(item.input, item.key), item.input, item.key, {pasted: item.pasted});
		}
		setTurn((value) => value + 1);
	}, [offer]);
	useEffect(() => {
		if (!draining.current) return;
		const timer = setTimeout(routeNext, 0);
		return () => clearTimeout(timer);
	}, [turn, routeNext]);
	// ink's own input events, before its useInput parses them: see key-sequences.ts.
	const {internal_eventEmitter: inkInput} = useStdin();
	useLayoutEffect(() => dropUnnamedSequences(inkInput), [inkInput]);
	const onInput = useCallback((typed: string, key: Key) => {
		// Invisible characters are no text for a field; a key made only of them is no key.
		const input = typed.includes('\u001B') ? typed : withoutInvisible(typed);
		if (typed !== '' && input === '') return;
		if (input.length > 1 && !key.ctrl && !key.meta && !input.includes('\u001B')) {
			// Runs of text stay together; control characters between them ("8443\r") are keys.
			input.split(CONTROL_CHAR).forEach((part, index) => {
				if (index % 2 === 1) queue.current.push({kind: 'key', input: part === '\r' || part === '\n' ? '' : part, key: charKey(part, key), pasted: true});
				else if (part.length > 1) queue.current.push({kind: 'text', text: part, key});
				else if (part) queue.current.push({kind: 'key', input: part, key: charKey(part, key), pasted: true});
			});
		} else {
			queue.current.push({kind: 'key', input, key, pasted: false});
		}
		if (draining.current) return;
		draining.current = true;
		routeNext();
	}, [routeNext]);
	useInput(onInput);

	return <DispatcherContext.Provider value={dispatcher}>{children}</DispatcherContext.Provider>;
}

/** Makes ink's input emitter drop the escape sequences ink cannot name; returns the undo. */
function dropUnnamedSequences(emitter: EventEmitter): () => void {
	const emit = emitter.emit.bind(emitter);
	emitter.emit = (event: string | symbol, ...args: unknown[]): boolean => {
		if (event === 'input' && typeof args[0] === 'string' && isUnnamedEscapeSequence(args[0])) return false;
		return emit(event, ...args);
	};
	return () => {
		// The own property set above goes: the prototype's emit shows again.
		delete (emitter as Partial<EventEmitter>).emit;
	};
}

/** Registers a key handler while `active`; the latest `handler` closure is always the one called. */
export function useKeyHandler(priority: number, handler: KeyHandler, active = true): void {
	const dispatcher = useContext(DispatcherContext);
	if (!dispatcher) throw new Error('useKeyHandler outside KeyDispatcherProvider');
	const ref = useRef(handler);
	useLayoutEffect(() => {
		ref.current = handler;
	});
	// A layout effect registers during the commit, so a key that arrives right after the frame
	// that showed this view already reaches it.
	useLayoutEffect(() => {
		if (!active) return;
		return dispatcher.register({priority, order: dispatcher.nextOrder(), handler: ref});
	}, [dispatcher, priority, active]);
}

// The one place that owns useInput. Components register handlers with a priority; each key goes to
// the handlers from the highest priority down, and a handler that returns true stops it there.
// Without this every active useInput would see every key (typing "q" in a filter would quit).
import React, {createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState} from 'react';
import {useInput, type Key} from 'ink';
import {keyName} from './key-bindings.js';

export const PRIORITY = {
	overlay: 100,
	prompt: 90,
	palette: 80,
	input: 60,
	screen: 40,
	global: 0,
} as const;

export type KeyHandler = (name: string, input: string, key: Key) => boolean | void;

function charKey(char: string, base: Key): Key {
	return {
		...base,
		return: char === '\r' || char === '\n',
		tab: char === '\t',
		backspace: char === '\u007F' || char === '\b',
		shift: /[A-Z]/.test(char),
	};
}

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

	const dispatchOne = useCallback((input: string, key: Key) => {
		const name = keyName(input, key);
		// Later registrations win within a priority: the innermost, newest view is on top.
		const ordered = [...entries.current].sort((a, b) => b.priority - a.priority || b.order - a.order);
		for (const entry of ordered) {
			if (entry.handler.current(name, input, key) === true) return;
		}
	}, []);
	// Keys wait in one FIFO, and a run of characters ("G\r", a paste, tmux send-keys) is split
	// into single keys. The next key is routed only after React committed everything the previous
	// one changed (e.g. "/" opening the filter and registering its handler): each key bumps `turn`
	// in the same batch as its own updates, and the effect of that commit routes the next key.
	const queue = useRef<Array<[string, Key]>>([]);
	const draining = useRef(false);
	const [turn, setTurn] = useState(0);
	const routeNext = useCallback(() => {
		const item = queue.current.shift();
		if (!item) {
			draining.current = false;
			return;
		}
		dispatchOne(item[0], item[1]);
		setTurn((value) => value + 1);
	}, [dispatchOne]);
	useEffect(() => {
		if (!draining.current) return;
		const timer = setTimeout(routeNext, 0);
		return () => clearTimeout(timer);
	}, [turn, routeNext]);
	const onInput = useCallback((input: string, key: Key) => {
		if (input.length > 1 && !key.ctrl && !key.meta && !input.includes('\u001B')) {
			for (const char of input) queue.current.push([char === '\r' || char === '\n' ? '' : char, charKey(char, key)]);
		} else {
			queue.current.push([input, key]);
		}
		if (draining.current) return;
		draining.current = true;
		routeNext();
	}, [routeNext]);
	useInput(onInput);

	return <DispatcherContext.Provider value={dispatcher}>{children}</DispatcherContext.Provider>;
}

/** Registers a key handler while `active`; the latest `handler` closure is always the one called. */
export function useKeyHandler(priority: number, handler: KeyHandler, active = true): void {
	const dispatcher = useContext(DispatcherContext);
	if (!dispatcher) throw new Error('useKeyHandler outside KeyDispatcherProvider');
	const ref = useRef(handler);
	ref.current = handler;
	// A layout effect registers during the commit, so a key that arrives right after the frame
	// that showed this view already reaches it.
	useLayoutEffect(() => {
		if (!active) return;
		return dispatcher.register({priority, order: dispatcher.nextOrder(), handler: ref});
	}, [dispatcher, priority, active]);
}

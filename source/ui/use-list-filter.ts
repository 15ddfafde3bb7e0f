// `/` on a list: a one-line filter that takes every printable key as text (digits included, so
// "8443" filters instead of switching tabs) until enter keeps it or esc clears it. Only the list
// movement keys get through to the list underneath, so the selection can follow while typing.
import {useState} from 'react';
import {typedText} from '../core/display-text.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {commandFor} from './key-bindings.js';
import {useRemembered} from './view-memory.js';

/** Long enough for any id, address or name; a paste beyond it is cut here, not kept whole. */
export const FILTER_MAX = 120;

const PASS_THROUGH = new Set(['up', 'down', 'pageup', 'pagedown']);

export interface FilterEdits {
	type(text: string): void;
	erase(): void;
	clear(): void;
	done(): void;
}

/** The filter's keys while it is being edited: modal, everything else is text. */
export function useFilterKeys(editing: boolean, edits: FilterEdits): void {
	useKeyHandler(PRIORITY.input, (name, input, key) => {
		if (PASS_THROUGH.has(name)) return false;
		const command = commandFor(name, ['filter']);
		if (command === 'filter.cancel') edits.clear();
		else if (command === 'filter.accept') edits.done();
		else if (command === 'filter.erase') edits.erase();
		else if (!key.ctrl && !key.meta && !key.tab) {
			const text = typedText(input);
			if (text) edits.type(text);
		}
		return true;
	}, editing);
}

export interface ListFilter {
	text: string;
	editing: boolean;
	open(): void;
	clear(): void;
}

/** A list's filter, remembered under `memory` (it survives tab switches and esc back). */
export function useListFilter(memory: string, active: boolean, onChange?: () => void): ListFilter {
	const [text, setText] = useRemembered(`${memory}:filter`, '');
	const [editing, setEditing] = useState(false);
	useFilterKeys(active && editing, {
		type: (added) => {
			setText((value) => (value + added).slice(0, FILTER_MAX));
			onChange?.();
		},
		erase: () => setText((value) => value.slice(0, -1)),
		clear: () => {
			setText('');
			setEditing(false);
		},
		done: () => setEditing(false),
	});
	return {text, editing, open: () => setEditing(true), clear: () => setText('')};
}

/** True when every word of the filter occurs (case-insensitively) in one of the row's texts. */
export function matchesFilter(filter: string, texts: readonly (string | null | undefined)[]): boolean {
	const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
	if (words.length === 0) return true;
	const haystack = texts.filter(Boolean).join(' ').toLowerCase();
	return words.every((word) => haystack.includes(word));
}

// Copying a fix: the app's clipboard (OSC 52 plus tmux's paste buffer), or — without one, in
// tests — the OSC 52 sequence straight to ink's stdout. The wizard and the audit share it.
import {useStdout} from 'ink';
import {useAppState} from './app-context.js';
import {clipboardSequence} from '../core/display-text.js';
import type {CopyOutcome} from './clipboard.js';

export function useCopyText(): (text: string) => Promise<CopyOutcome> {
	const {clipboard} = useAppState();
	const {write} = useStdout();
	return (text: string) => {
		if (clipboard) return clipboard.copy(text);
		write(clipboardSequence(text));
		return Promise.resolve({via: ['the terminal (OSC 52)'], note: null});
	};
}

/** The one-line status of a copy, as the wizard and the audit show it. */
export function copyStatus(outcome: CopyOutcome): {tone: 'good' | 'warn'; text: string} {
	return {tone: outcome.note && outcome.via.length < 2 ? 'warn' : 'good', text: `${outcome.via.length ? `✓ copied to ${outcome.via.join(' and ')}` : '✗ not copied'}${outcome.note ? ` · ${outcome.note}` : ''}`};
}

// The fix, whole, in a view built for copying: the full width (no rail), each command broken only
// between words with shell continuations (shell-lines.ts), each problem's summary as a `#` comment
// so the block pastes into a shell as it is. ↑/↓ scroll when it is taller than the screen.
import {useState} from 'react';
import {Box, Text} from 'ink';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {keyHint, type CommandId} from './key-bindings.js';
import {shellLines} from './shell-lines.js';
import {color} from './theme.js';

export interface FixItem {
	summary: string;
	/** Absent when the fix is not a command (bind the service, start it): the summary says it all. */
	command?: string;
	/** A way out that is right only under the condition its summary states: commented out in a file. */
	conditional?: boolean;
}

/** Prose as `# ` comment lines of at most `width`, broken between words. */
function commentLines(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '#';
	for (const word of text.split(' ')) {
		if (line.length + 1 + word.length > width && line !== '#') {
			lines.push(line);
			line = '#';
		}
		line += ` ${word}`;
	}
	lines.push(line);
	return lines;
}

/**
 * Every line of the view, and of the file `f` writes (the same text, except that a conditional
 * item's commands are commented out there: running the file must never take the "only if" way).
 */
export function fixScriptLines(items: readonly FixItem[], width: number, forFile = false): string[] {
	// Steps are numbered; a conditional alternative is not a step after them, so it is headed
	// "Otherwise:" as `sgtui audit` prints it, never "2.".
	let step = 0;
	return items.flatMap((item, index) => [
		...(index > 0 ? [''] : []),
		...commentLines(`${item.conditional ? 'Otherwise:' : `${++step}.`} ${item.summary}`, width),
		...(item.command ? item.command.split('\n').flatMap((command) => shellLines(command, width)).map((line) => (forFile && item.conditional ? `# ${line}` : line)) : []),
	]);
}

export interface FixViewProps {
	items: readonly FixItem[];
	status: {tone: 'good' | 'warn' | 'bad'; text: string} | null;
	width: number;
	height: number;
	active: boolean;
	onClose: () => void;
	/** The copy and write keys of the screen that opened it (the wizard's by default). */
	keys?: {copy: CommandId; write: CommandId};
	/** Where esc goes. */
	backLabel?: string;
}

export function FixView({items, status, width, height, active, onClose, keys = {copy: 'wizard.copy', write: 'wizard.writeFix'}, backLabel = 'back to the verdict'}: FixViewProps) {
	const [offset, setOffset] = useState(0);
	const lines = fixScriptLines(items, width);
	const room = Math.max(1, height - 3);
	const top = Math.min(offset, Math.max(0, lines.length - room));
	useKeyHandler(PRIORITY.input, (name) => {
		if (name === 'esc' || name === 'v') onClose();
		else if (name === 'up' || name === 'k') setOffset(Math.max(0, top - 1));
		else if (name === 'down' || name === 'j') setOffset(Math.min(Math.max(0, lines.length - room), top + 1));
		else return false;
		return true;
	}, active);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold wrap="truncate">The fix, whole — select with the mouse, or {keyHint(keys.copy, 'copy')} · {keyHint(keys.write, 'write to a file')}</Text>
			<Box flexDirection="column" height={room} overflow="hidden">
				{lines.slice(top, top + room).map((line, index) => (
					<Text key={top + index} color={line.startsWith('#') ? color.muted : color.accent}>{line || ' '}</Text>
				))}
			</Box>
			<Text color={status ? color[status.tone] : color.muted} wrap="truncate">{status ? status.text : ' '}</Text>
			<Text color={color.muted} wrap="truncate">{lines.length > room ? `↑/↓ scroll (${top + 1}–${Math.min(lines.length, top + room)} of ${lines.length}) · ` : ''}esc {backLabel}</Text>
		</Box>
	);
}

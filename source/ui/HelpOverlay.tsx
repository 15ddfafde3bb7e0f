// `?`: the keys that work on the current screen (screen-keys.ts), generated from the bindings
// table and grouped by its scopes. Laid out in two columns when the terminal is wide enough, and
// cut (saying so) when it is too short.
// Not ink-table (issue 15): at 80×24 the keys are longer than the screen and scroll line by line,
// in two columns when wide; ink-table draws each table whole and spends a border line between
// every row, which would double the help's height and leave nothing to scroll by.
import {useState} from 'react';
import {Box, Text} from 'ink';
import {BINDINGS, SCOPE_TITLES, formatKeys, type CommandId, type Scope} from './key-bindings.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {isCommand} from './key-bindings.js';
import {color} from './theme.js';
import {fit} from './format.js';

export interface HelpOverlayProps {
	/** The commands that work on the screen under the help. */
	commands: readonly CommandId[];
	width: number;
	height: number;
	onClose: () => void;
}

type Line = {kind: 'title'; text: string} | {kind: 'binding'; keys: string; text: string} | {kind: 'gap'};

/** One section per scope that has a command on this screen, in the table's order. */
export function helpSections(commands: readonly CommandId[]): Array<{scope: Scope; rows: Array<(typeof BINDINGS)[number]>}> {
	const wanted = new Set<string>(commands);
	// The screen's own keys first, then the ones that work everywhere, the palette's last.
	const rank = (scope: Scope) => (scope === 'palette' ? 2 : scope === 'global' ? 1 : 0);
	const scopes = (Object.keys(SCOPE_TITLES) as Scope[]).sort((a, b) => rank(a) - rank(b));
	return scopes.flatMap((scope) => {
		const rows = BINDINGS.filter((binding) => binding.scope === scope && wanted.has(binding.command));
		return rows.length ? [{scope, rows}] : [];
	});
}

function helpLines(commands: readonly CommandId[]): Line[][] {
	return helpSections(commands).map(({scope, rows}) => {
		const lines: Line[] = [
			{kind: 'title', text: SCOPE_TITLES[scope]},
			...rows.map((row): Line => ({kind: 'binding', keys: formatKeys(row.keys), text: row.description})),
			{kind: 'gap'},
		];
		return lines;
	});
}

function LineView({line, width, keyWidth}: {line: Line; width: number; keyWidth: number}) {
	if (line.kind === 'gap') return <Text> </Text>;
	if (line.kind === 'title') return <Text bold color={color.accent}>{fit(line.text, width)}</Text>;
	return (
		<Text wrap="truncate">
			<Text color={color.warn}>{fit(line.keys, keyWidth)}</Text>
			<Text> {fit(line.text, width - keyWidth - 1)}</Text>
		</Text>
	);
}

function keyWidthOf(lines: Line[], width: number): number {
	const longest = Math.max(0, ...lines.map((line) => (line.kind === 'binding' ? line.keys.length : 0)));
	return Math.min(longest + 2, Math.floor(width * 0.45));
}

export function HelpOverlay({commands, width, height, onClose}: HelpOverlayProps) {
	const [offset, setOffset] = useState(0);
	const sections = helpLines(commands);
	const twoColumns = width >= 100;
	const inner = height - 2;
	const columnWidth = twoColumns ? Math.floor((width - 6) / 2) : width - 4;
	const columns: Line[][] = twoColumns ? [[], []] : [[]];
	for (const section of sections) {
		// Fill the shorter column so both stay about the same height.
		const target = columns.reduce((short, column) => (column.length < short.length ? column : short));
		target.push(...section);
	}
	const longest = Math.max(...columns.map((column) => column.length));
	const room = inner - 1;
	const overflow = longest > room;
	const maxOffset = Math.max(0, longest - room);
	const top = Math.min(offset, maxOffset);
	const press = (name: string): boolean => {
		if (isCommand('help.close', name)) {
			onClose();
			return false;
		}
		// More keys than lines (80×24): j/k scroll them.
		if (isCommand('help.scroll', name)) setOffset((value) => Math.max(0, Math.min(maxOffset, Math.min(value, maxOffset) + (name === 'j' || name === 'down' ? 1 : -1))));
		return true;
	};
	useKeyHandler(PRIORITY.overlay, (name, input) => {
		// Keys that arrived in one read (a held j, tmux send-keys) come as one "paste": each is a key
		// here; taken whole, the run did nothing. Nothing after a closing key is help's.
		if (name === 'paste') {
			for (const char of input) if (!press(char)) break;
		} else press(name);
		// Help is modal: nothing underneath reacts while it is open.
		return true;
	});
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={color.accent} width={width} height={height} paddingX={1}>
			<Box flexDirection="row" height={inner - 1} overflow="hidden">
				{columns.map((column, index) => (
					<Box key={index} flexDirection="column" width={columnWidth} marginRight={index === 0 && twoColumns ? 2 : 0}>
						{column.slice(top, top + room).map((line, row) => <LineView key={row} line={line} width={columnWidth} keyWidth={keyWidthOf(column, columnWidth)} />)}
					</Box>
				))}
			</Box>
			<Text color={color.muted} wrap="truncate">{overflow ? `${top + 1}–${Math.min(longest, top + room)} of ${longest} lines · j/k scroll · ` : ''}esc / ? closes help</Text>
		</Box>
	);
}

// `?`: the key bindings for the current view, generated from the bindings table. Laid out in two
// columns when the terminal is wide enough, and cut (saying so) when it is too short.
import {Box, Text} from 'ink';
import {BINDINGS, SCOPE_TITLES, formatKeys, type Scope} from './key-bindings.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {isCommand} from './key-bindings.js';
import {color} from './theme.js';
import {fit} from './format.js';

export interface HelpOverlayProps {
	scopes: Scope[];
	width: number;
	height: number;
	onClose: () => void;
}

type Line = {kind: 'title'; text: string} | {kind: 'binding'; keys: string; text: string} | {kind: 'gap'};

function helpLines(scopes: Scope[]): Line[][] {
	return scopes.map((scope) => {
		const rows = BINDINGS.filter((binding) => binding.scope === scope);
		return [
			{kind: 'title', text: SCOPE_TITLES[scope]} as Line,
			...rows.map((row) => ({kind: 'binding', keys: formatKeys(row.keys), text: row.description}) as Line),
			{kind: 'gap'} as Line,
		];
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

export function HelpOverlay({scopes, width, height, onClose}: HelpOverlayProps) {
	useKeyHandler(PRIORITY.overlay, (name) => {
		if (isCommand('help.close', name)) onClose();
		// Help is modal: nothing underneath reacts while it is open.
		return true;
	});
	const sections = helpLines(scopes);
	const twoColumns = width >= 100;
	const inner = height - 2;
	const columnWidth = twoColumns ? Math.floor((width - 6) / 2) : width - 4;
	const columns: Line[][] = twoColumns ? [[], []] : [[]];
	for (const section of sections) {
		// Fill the shorter column so both stay about the same height.
		const target = columns.reduce((short, column) => (column.length < short.length ? column : short));
		target.push(...section);
	}
	const overflow = columns.some((column) => column.length > inner - 1);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={color.accent} width={width} height={height} paddingX={1}>
			<Box flexDirection="row" height={inner - 1} overflow="hidden">
				{columns.map((column, index) => (
					<Box key={index} flexDirection="column" width={columnWidth} marginRight={index === 0 && twoColumns ? 2 : 0}>
						{column.slice(0, inner - 1).map((line, row) => <LineView key={row} line={line} width={columnWidth} keyWidth={keyWidthOf(column, columnWidth)} />)}
					</Box>
				))}
			</Box>
			<Text color={color.muted} wrap="truncate">{overflow ? 'More keys than fit: enlarge the terminal to see all. ' : ''}esc / ? closes help</Text>
		</Box>
	);
}

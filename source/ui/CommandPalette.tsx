// `:` — a one-line command input with suggestions above it (k9s command mode).
import {useMemo, useState} from 'react';
import {Box, Text} from 'ink';
import {typedText} from '../core/display-text.js';
import {InputCursor} from './InputCursor.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {isCommand} from './key-bindings.js';
import {paletteSuggestions, parsePalette, type PaletteCommand} from './palette-commands.js';
import {completionsFor, paletteTargets, type Completion} from './palette-completion.js';
import {useAppState} from './app-context.js';
import {color} from './theme.js';
import {fit, packItems, truncateWords} from './format.js';
import stringWidth from 'string-width';

export interface CommandPaletteProps {
	width: number;
	onRun: (command: PaletteCommand) => void;
	onClose: () => void;
}

export function CommandPalette({width, onRun, onClose}: CommandPaletteProps) {
	const {data} = useAppState();
	const [text, setText] = useState('');
	const [error, setError] = useState<string | null>(null);
	// Repeated tabs cycle through one set of matches; any other key starts a new set.
	const [cycle, setCycle] = useState<(Completion & {index: number}) | null>(null);
	const inventory = data.inventory.status === 'ready' ? data.inventory.inventory : null;
	const targets = useMemo(() => (inventory ? paletteTargets(inventory) : []), [inventory]);
	const complete = () => {
		if (cycle && cycle.options.length > 1 && text === cycle.head + cycle.options[cycle.index]) {
			const index = (cycle.index + 1) % cycle.options.length;
			setCycle({...cycle, index});
			setText(cycle.head + cycle.options[index]);
			return;
		}
		const found = completionsFor(text, targets);
		if (found.options.length === 0) return;
		setCycle({...found, index: 0});
		setText(found.head + found.options[0]);
	};
	useKeyHandler(PRIORITY.palette, (name, input, key) => {
		if (isCommand('palette.cancel', name)) onClose();
		else if (isCommand('palette.run', name)) {
			const parsed = parsePalette(text);
			if (parsed.ok) onRun(parsed.command);
			else setError(parsed.error);
		} else if (isCommand('palette.complete', name)) complete();
		else if (name === 'backspace') {
			setText((value) => value.slice(0, -1));
			setCycle(null);
		} else if (!key.ctrl && !key.meta && typedText(input)) {
			setText((value) => value + typedText(input));
			setError(null);
			setCycle(null);
		}
		return true;
	});
	const suggestions = paletteSuggestions(text).slice(0, 3);
	const cycling = cycle && cycle.options.length > 1 && text === cycle.head + cycle.options[cycle.index] ? cycle : null;
	return (
		<Box flexDirection="column" width={width}>
			{error ? <Text color={color.bad} wrap="truncate">{truncateWords(`✗ ${error}`, width)}</Text> : cycling ? (
				<Text color={color.muted} wrap="truncate">
					tab {cycling.index + 1} of {cycling.options.length}: {cycling.options.slice(cycling.index, cycling.index + 6).map((option) => option.trim()).join('  ')}{cycling.options.length > cycling.index + 6 ? '  …' : ''}
				</Text>
			) : (
				<Text color={color.muted} wrap="truncate">
					{suggestionLine(suggestions, width)}
				</Text>
			)}
			<Text wrap="truncate">
				<Text color={color.accent} bold>:</Text>
				{/* The end, where the cursor is, when the command is wider than the line (a long paste). */}
				<Text>{stringWidth(text) > width - 3 ? `…${text.slice(-(width - 4))}` : text}</Text>
				<InputCursor />
			</Text>
		</Box>
	);
}

/**
 * The suggestions that fit whole: in aligned columns when all do (wide terminals), else each as
 * "usage description" joined by " · " for as many as fit (80 columns: two, not one and a half).
 */
function suggestionLine(suggestions: ReadonlyArray<{usage: string; description: string}>, width: number): string {
	if (!suggestions.length) return 'no matching command';
	const aligned = suggestions.map((spec) => `${fit(spec.usage, 22)}${spec.description}`).join('   ');
	if (stringWidth(aligned) <= width) return aligned;
	return packItems(suggestions.map((spec) => `${spec.usage} ${spec.description}`), width)[0] ?? '';
}

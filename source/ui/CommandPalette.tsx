// `:` — a one-line command input with suggestions above it (k9s command mode).
import {useState} from 'react';
import {Box, Text} from 'ink';
import {InputCursor} from './InputCursor.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {isCommand} from './key-bindings.js';
import {completePalette, paletteSuggestions, parsePalette, type PaletteCommand} from './palette-commands.js';
import {color} from './theme.js';
import {fit} from './format.js';

export interface CommandPaletteProps {
	width: number;
	onRun: (command: PaletteCommand) => void;
	onClose: () => void;
}

export function CommandPalette({width, onRun, onClose}: CommandPaletteProps) {
	const [text, setText] = useState('');
	const [error, setError] = useState<string | null>(null);
	useKeyHandler(PRIORITY.palette, (name, input, key) => {
		if (isCommand('palette.cancel', name)) onClose();
		else if (isCommand('palette.run', name)) {
			const parsed = parsePalette(text);
			if (parsed.ok) onRun(parsed.command);
			else setError(parsed.error);
		} else if (isCommand('palette.complete', name)) setText(completePalette(text));
		else if (name === 'backspace') setText((value) => value.slice(0, -1));
		else if (!key.ctrl && !key.meta && input && !/[\r\n]/.test(input)) {
			setText((value) => value + input);
			setError(null);
		}
		return true;
	});
	const suggestions = paletteSuggestions(text).slice(0, 3);
	return (
		<Box flexDirection="column" width={width}>
			{error ? <Text color={color.bad} wrap="truncate">✗ {error}</Text> : (
				<Text color={color.muted} wrap="truncate">
					{suggestions.map((spec) => `${fit(spec.usage, 22)}${spec.description}`).join('   ') || 'no matching command'}
				</Text>
			)}
			<Text wrap="truncate">
				<Text color={color.accent} bold>:</Text>
				<Text>{text}</Text>
				<InputCursor />
			</Text>
		</Box>
	);
}

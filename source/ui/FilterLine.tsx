// The `/filter` line under a list: the text with an input cursor while editing, a reminder after.
import {Text} from 'ink';
import {InputCursor} from './InputCursor.js';
import {color} from './theme.js';

export function FilterLine({text, editing, shown, total}: {text: string; editing: boolean; shown?: number; total?: number}) {
	return (
		<Text wrap="truncate">
			<Text color={color.accent} bold>/</Text>
			<Text>{text}</Text>
			{editing ? <InputCursor /> : null}
			<Text color={color.muted}>
				{shown !== undefined && total !== undefined && text ? `  ${shown} of ${total} match` : ''}
				{editing ? '  (enter keeps, esc clears)' : '  (/ edits, esc clears)'}
			</Text>
		</Text>
	);
}

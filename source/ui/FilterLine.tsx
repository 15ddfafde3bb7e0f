// The `/filter` line under a list: the text with an input cursor while editing, a reminder after.
import {Text} from 'ink';
import {InputCursor} from './InputCursor.js';
import {color} from './theme.js';
import {truncate} from './format.js';

const FILTER_SHOWN = 48;

/** A filter quoted in a "nothing matches" line: a long paste would wrap it over the rows below. */
export function quotedFilter(text: string): string {
	return `"${truncate(text, 24)}"`;
}

export function FilterLine({text, editing, shown, total}: {text: string; editing: boolean; shown?: number; total?: number}) {
	return (
		<Text wrap="truncate">
			<Text color={color.accent} bold>/</Text>
			{/* The end, where the cursor is, when a long filter (a paste) would push it off the line. */}
			<Text>{text.length > FILTER_SHOWN ? `…${text.slice(-(FILTER_SHOWN - 1))}` : text}</Text>
			{editing ? <InputCursor /> : null}
			<Text color={color.muted}>
				{shown !== undefined && total !== undefined && text ? `  ${shown} of ${total} match` : ''}
				{editing ? '  (enter keeps, esc clears)' : '  (/ edits, esc clears)'}
			</Text>
		</Text>
	);
}

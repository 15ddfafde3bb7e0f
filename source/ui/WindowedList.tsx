// A list that draws only the rows in its window: the inventory, rule tables and the live rejects
// can be thousands of rows long and the frame stays exactly `height` lines.
import React from 'react';
import {Box, Text} from 'ink';
import {visibleRange, type ListWindow} from './list-window.js';
import {color, symbol} from './theme.js';
import {FOCUS_MARK} from './check-focus.js';

export interface WindowedListProps<T> {
	items: readonly T[];
	window: ListWindow;
	/** One line per row; `selected` is only true when the list has focus. */
	renderRow: (item: T, index: number, selected: boolean) => React.ReactNode;
	rowKey: (item: T, index: number) => string;
	emptyText?: string;
	focused?: boolean;
	/** Rows the wizard's check concerns: marked in the pointer column (a character, seen without colour). */
	marked?: (item: T) => boolean;
}

export function WindowedList<T>({items, window, renderRow, rowKey, emptyText = 'Nothing to show.', focused = true, marked}: WindowedListProps<T>) {
	if (items.length === 0) {
		// Wrapped under itself, not back at the margin (a lone "delay." on the next line read as cut).
		return (
			<Box paddingLeft={2}>
				<Text color={color.muted} wrap="wrap">{emptyText}</Text>
			</Box>
		);
	}
	const {from, to} = visibleRange(window);
	const rows: React.ReactNode[] = [];
	for (let index = from; index < to; index++) {
		const selected = focused && index === window.selected;
		const mark = marked?.(items[index]!) ?? false;
		rows.push(
			<Box key={rowKey(items[index]!, index)} height={1} overflow="hidden">
				{/* Never shrunk: a row wider than the screen would squeeze the pointer out (flex-shrink). */}
				<Box flexShrink={0} width={2}>
					<Text color={selected ? color.accent : undefined} bold={selected}>{selected ? symbol.pointer : ' '}</Text>
					<Text color={color.accent} bold>{mark ? FOCUS_MARK : ' '}</Text>
				</Box>
				<Box flexGrow={1} overflow="hidden">{renderRow(items[index]!, index, selected)}</Box>
			</Box>,
		);
	}
	return <Box flexDirection="column">{rows}</Box>;
}

/** "12–24 of 240" for a list's title line. */
export function windowLabel(window: ListWindow): string {
	if (window.count === 0) return '0 rows';
	const {from, to} = visibleRange(window);
	return `${from + 1}–${to} of ${window.count}`;
}

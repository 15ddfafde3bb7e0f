// ink-table for the small static tables (the Flow logs tab), through sgtui's own rules: every cell
// passes the display sanitizer, columns are sized by content with the same cut rules as the live
// tables (columns.ts: addresses, ids and ports never cut, names shrink first, whole columns go
// last), and the frame is drawn in the muted colour so NO_COLOR still leaves a readable grid.
// ink-table sizes columns by String.length, so cells arrive already cut and padded to their
// fitted terminal width; it only draws. Live and long lists keep the windowed list instead: ink-table
// renders every row and has no window or selection.
import {Text} from 'ink';
import {Table} from 'ink-table';
import {display} from '../core/display-text.js';
import {fitCell, fitColumns, type Column, type FittedColumn} from './columns.js';
import {color} from './theme.js';

const PADDING = 1;

export interface StaticTableProps<T> {
	columns: readonly Column<T>[];
	rows: readonly T[];
	width: number;
}

/** The borders and padding ink-table adds around n columns, beyond fitColumns' one-cell gaps. */
function chrome(count: number): number {
	return count * 2 * PADDING + (count + 1) - Math.max(0, count - 1);
}

/**
 * fitColumns with ink-table's borders and padding, which depend on how many columns are kept: a
 * dropped column frees its own border and padding too, which may be just what another needs.
 */
function fitWithChrome<T>(columns: readonly Column<T>[], width: number, rows: readonly T[]): FittedColumn<T>[] {
	for (let count = columns.length; count > 1; count--) {
		const fitted = fitColumns(columns, Math.max(1, width - chrome(count)), rows);
		if (fitted.length === count) return fitted;
		if (fitted.length > count) {
			// More fit than the borders were counted for: keep the `count` most important.
			const top = [...columns].sort((a, b) => b.priority - a.priority).slice(0, count);
			return fitColumns(columns.filter((column) => top.includes(column)), Math.max(1, width - chrome(count)), rows);
		}
	}
	return fitColumns(columns, Math.max(1, width - chrome(1)), rows);
}

export function StaticTable<T>({columns, rows, width}: StaticTableProps<T>) {
	const safe = columns.map((column) => ({...column, text: (row: T) => display(column.text(row)), title: display(column.title)}));
	const fitted = fitWithChrome(safe, width, rows);
	// ink-table keys rows by column title; the fitted titles are unique because ids are.
	const data = rows.map((row) => Object.fromEntries(fitted.map((column) => [fitCell({...column, align: 'left'}, column.title), fitCell(column, column.text(row), row)])));
	const headers = fitted.map((column) => fitCell({...column, align: 'left'}, column.title));
	return (
		<Table
			data={data}
			columns={headers}
			padding={PADDING}
			header={({children}) => <Text bold color={color.accent}>{children}</Text>}
			cell={({children}) => <Text>{children}</Text>}
			skeleton={({children}) => <Text color={color.muted}>{children}</Text>}
		/>
	);
}

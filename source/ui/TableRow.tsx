// One line of a column table (or its header): each cell padded to its fitted width.
import {Text} from 'ink';
import {fit} from './format.js';
import {color} from './theme.js';
import {fitCell, type FittedColumn} from './columns.js';

export function TableHeader<T>({columns}: {columns: readonly FittedColumn<T>[]}) {
	return (
		<Text bold color={color.muted} wrap="truncate">
			{'  '}{columns.map((column) => fit(column.title, column.fitted, column.align)).join(' ')}
		</Text>
	);
}

export function TableRow<T>({columns, row, selected = false}: {columns: readonly FittedColumn<T>[]; row: T; selected?: boolean}) {
	return (
		<Text wrap="truncate" bold={selected}>
			{columns.map((column, index) => (
				<Text key={column.id} color={column.color?.(row)}>
					{index > 0 ? ' ' : ''}{fitCell(column, column.text(row), row)}
				</Text>
			))}
		</Text>
	);
}

// Plain-text tables for the non-UI commands (ports, flows, check, audit). No ink, no React: these
// commands must start fast and print clean text into pipes and files. Every cell is data: it is
// sanitized for display and capped in width here, so no caller can forget.
import {capCell, display} from '../core/display-text.js';

export interface TableOptions {
	/** Bold the header row. Pass `useColor(process.stdout)`: never colour a pipe or a file. */
	color?: boolean;
	/** Put before every line (e.g. two spaces to sit under a heading). */
	indent?: string;
	/** Columns to right-align (numbers read better that way), by index. */
	alignRight?: number[];
}

/** The widest a cell may be: a 1 MB process name must not size a column (or allocate its padding). */
export const MAX_CELL = 120;

const ANSI = /\u001B\[[0-9;]*m/g;
const BOLD = '\u001B[1m';
const RESET = '\u001B[22m';

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: {isTTY?: boolean}): boolean {
	return Boolean(stream.isTTY) && !process.env['NO_COLOR'];
}

/** Wraps text in bold when colour is on. */
export function bold(text: string, color: boolean): string {
	return color ? `${BOLD}${text}${RESET}` : text;
}

const PRINTABLE_ASCII = /^[\u0020-\u007E]*$/;

function visibleLength(text: string): number {
	// Most cells (addresses, ports, counts, times) are printable ASCII: one character a column,
	// without building an array of code points (`flows` prints thousands of rows).
	return PRINTABLE_ASCII.test(text) ? text.length : [...text.replace(ANSI, '')].length;
}

/**
 * Aligns columns with two spaces between them. Cells are sanitized (a newline inside a cell
 * becomes a space, so one row stays one line; any other control shows escaped) and capped at
 * MAX_CELL; the last column is not padded.
 */
export function formatTable(headers: string[], rows: string[][], options: TableOptions = {}): string {
	const {color = false, indent = '', alignRight = []} = options;
	const clean = (cell: string | undefined) =>
		cell !== undefined && cell.length <= MAX_CELL && PRINTABLE_ASCII.test(cell) ? cell : capCell(display(capCell(cell ?? '', MAX_CELL * 2).replace(/[\r\n]+/g, ' ')), MAX_CELL);
	const all = [headers.map(clean), ...rows.map((row) => headers.map((_, index) => clean(row[index])))];
	const lengths = all.map((row) => row.map(visibleLength));
	const widths = headers.map((_, column) => lengths.reduce((widest, row) => Math.max(widest, row[column]!), 0));

	const lines = all.map((row, rowIndex) => {
		const cells = row.map((cell, column) => {
			const padding = ' '.repeat(widths[column]! - lengths[rowIndex]![column]!);
			if (alignRight.includes(column)) {
				return padding + cell;
			}

			return column === row.length - 1 ? cell : cell + padding;
		});
		const line = indent + cells.join('  ').trimEnd();
		return rowIndex === 0 ? bold(line, color) : line;
	});

	return lines.join('\n');
}

// Column layout for tables drawn line by line, sized by their content: a column is as wide as its
// widest cell. Addresses, ports, CIDRs, ids and commands are never cut — when the terminal is too
// narrow, names and free text shrink first (with an ellipsis), lists lose whole items, and only
// then whole columns go, lowest priority first.
import stringWidth from 'string-width';
import {truncateText} from './format.js';

/**
 * How a cell may be cut when room runs out.
 * - never: addresses, ports, CIDRs, ids, commands: the column is dropped whole rather than cut.
 * - shrink: names and free text: shrinks first, down to `width`, with an ellipsis.
 * - list: comma-separated items (CIDRs): shrinks down to `width`, cut only between items ("…+2").
 */
export type CutRule = 'never' | 'shrink' | 'list';

export interface Column<T> {
	id: string;
	title: string;
	/** The least width: the floor of a shrinking column, and the minimum of any other. */
	width: number;
	cut?: CutRule;
	/** Most a shrink/list column takes even when its content is wider (the rest of a long note). */
	max?: number;
	/** Takes the width left over. */
	grow?: boolean;
	/**
	 * Every cell is exactly `width` wide (clock times, sparklines): never measured. A live table
	 * sizes its columns on every frame, and measuring 1,000 sparklines (not ASCII, so string-width
	 * segments them) was most of a Rejects frame during a flood (bench/flood.mjs, CPU profile).
	 */
	fixed?: boolean;
	/** Higher survives longer when space runs out. */
	priority: number;
	align?: 'left' | 'right';
	text: (row: T) => string;
	/** Said instead of `text` when that does not fit ("nginx" for "nginx/2201": no half PIDs). */
	short?: (row: T) => string;
	color?: (row: T) => string | undefined;
}

export interface FittedColumn<T> extends Column<T> {
	fitted: number;
}

const GAP = 1;

function contentWidth<T>(column: Column<T>, rows: readonly T[]): number {
	let widest = stringWidth(column.title);
	if (column.fixed) return Math.max(column.width, widest);
	for (const row of rows) widest = Math.max(widest, stringWidth(column.text(row)));
	const natural = Math.max(column.width, widest);
	return column.cut && column.cut !== 'never' && column.max ? Math.min(natural, Math.max(column.width, column.max)) : natural;
}

/** Widths for `total` columns of terminal: content-sized, shrinkable columns first, then drops. */
export function fitColumns<T>(columns: readonly Column<T>[], total: number, rows: readonly T[] = []): FittedColumn<T>[] {
	const natural = new Map(columns.map((column) => [column, contentWidth(column, rows)]));
	let kept = [...columns];
	for (;;) {
		const widths = new Map(kept.map((column) => [column, natural.get(column) ?? column.width]));
		const need = () => [...widths.values()].reduce((sum, width) => sum + width, 0) + GAP * Math.max(0, kept.length - 1);
		// Shrink the widest shrinkable column one cell at a time: the cut spreads over names evenly.
		let excess = need() - total;
		while (excess > 0) {
			const candidates = kept.filter((column) => column.cut === 'shrink' || column.cut === 'list').filter((column) => (widths.get(column) ?? 0) > column.width);
			if (candidates.length === 0) break;
			const widest = candidates.reduce((a, b) => ((widths.get(b) ?? 0) > (widths.get(a) ?? 0) ? b : a));
			widths.set(widest, (widths.get(widest) ?? 0) - 1);
			excess--;
		}
		if (need() <= total || kept.length === 1) {
			const spare = Math.max(0, total - need());
			const growers = kept.filter((column) => column.grow);
			return kept.map((column) => {
				let fitted = widths.get(column) ?? column.width;
				if (column.grow && growers.length > 0) fitted += Math.floor(spare / growers.length);
				return {...column, fitted: Math.min(fitted, Math.max(1, total))};
			});
		}
		const lowest = kept.reduce((low, column) => (column.priority < low.priority ? column : low));
		kept = kept.filter((column) => column !== lowest);
	}
}

/** "10.0.0.0/16, 10.1.0.0/16, …+2": whole items only, the count of the rest said. */
export function truncateList(text: string, width: number): string {
	if (stringWidth(text) <= width) return text;
	const items = text.split(', ');
	for (let keep = items.length - 1; keep >= 1; keep--) {
		const candidate = `${items.slice(0, keep).join(', ')}, …+${items.length - keep}`;
		if (stringWidth(candidate) <= width) return candidate;
	}
	return stringWidth(`…+${items.length}`) <= width && items.length > 1 ? `…+${items.length}` : truncateText(text, width);
}

/** A cell padded (or cut, by the column's rule) to its fitted width. */
export function fitCell<T>(column: FittedColumn<T>, text: string, row?: T): string {
	const width = column.fitted;
	if (stringWidth(text) > width && column.short && row !== undefined) text = column.short(row);
	const value = stringWidth(text) <= width ? text : column.cut === 'list' ? truncateList(text, width) : truncateText(text, width);
	const gap = ' '.repeat(Math.max(0, width - stringWidth(value)));
	return column.align === 'right' ? gap + value : value + gap;
}

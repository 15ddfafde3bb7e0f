// Column layout for tables drawn line by line: fixed widths, one column that grows, and columns
// that are dropped (lowest priority first) when the terminal is too narrow for all of them.
export interface Column<T> {
	id: string;
	title: string;
	width: number;
	/** Takes the width left over (at least `width`). */
	grow?: boolean;
	/** Higher survives longer when space runs out. */
	priority: number;
	align?: 'left' | 'right';
	text: (row: T) => string;
	color?: (row: T) => string | undefined;
}

export interface FittedColumn<T> extends Column<T> {
	fitted: number;
}

const GAP = 1;

export function fitColumns<T>(columns: readonly Column<T>[], total: number): FittedColumn<T>[] {
	let kept = [...columns];
	const need = (list: readonly Column<T>[]) => list.reduce((sum, column) => sum + column.width, 0) + GAP * Math.max(0, list.length - 1);
	while (kept.length > 1 && need(kept) > total) {
		const lowest = kept.reduce((low, column) => (column.priority < low.priority ? column : low));
		kept = kept.filter((column) => column !== lowest);
	}
	const spare = Math.max(0, total - need(kept));
	const growers = kept.filter((column) => column.grow);
	return kept.map((column) => {
		let fitted = column.width;
		if (column.grow && growers.length > 0) fitted += Math.floor(spare / growers.length);
		return {...column, fitted: Math.min(fitted, Math.max(1, total))};
	});
}

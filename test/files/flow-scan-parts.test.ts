// The pieces of the parallel flows scan that the end-to-end comparisons (flow-file.test.ts, the
// built CLI in test/cli/flows.test.ts) don't pin down on their own: how a file is cut into ranges,
// and a child's tuple table travelling back to its parent as typed arrays.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {FlowSummary} from '../../source/core/flow-summary.js';
import {rangeEnds} from '../../source/files/flow-summarize.js';
import {FlowTupleTable} from '../../source/files/flow-tuple-table.js';

describe('rangeEnds (guided split of a file into ranges)', () => {
	it('covers the file in increasing ends, full-size ranges first, shrinking at the tail', () => {
		fc.assert(
			fc.property(fc.double({min: 0, max: 300, noNaN: true}), fc.integer({min: 2, max: 4}), fc.integer({min: 16, max: 1 << 24}), (files, threads, rangeBytes) => {
				// Up to 300 full ranges' worth: a realistic file, in rangeBytes units.
				const total = Math.max(1, Math.floor(files * rangeBytes));
				const ends = rangeEnds(total, threads, rangeBytes);
				expect(ends.at(-1)).toBe(total);
				const sizes = ends.map((end, index) => end - (index === 0 ? 0 : ends[index - 1]!));
				const smallest = Math.floor(rangeBytes / 8);
				for (const [index, size] of sizes.entries()) {
					expect(size).toBeGreaterThan(0);
					expect(size).toBeLessThanOrEqual(rangeBytes);
					// Only the very last range may be below the floor (what was left).
					if (index < sizes.length - 1) expect(size).toBeGreaterThanOrEqual(smallest);
					// Never growing again once shrinking started.
					if (index > 0) expect(size).toBeLessThanOrEqual(sizes[index - 1]!);
				}
			}),
		);
	});

	it('217 MB on 2 processes: 16 MiB ranges, then ranges of a few MiB to finish together', () => {
		const MiB = 1 << 20;
		const ends = rangeEnds(217 * MiB, 2, 16 * MiB);
		const sizes = ends.map((end, index) => (end - (index === 0 ? 0 : ends[index - 1]!)) / MiB);
		expect(sizes.slice(0, 10)).toEqual(Array.from({length: 10}, () => 16));
		expect(sizes.at(-1)).toBeLessThanOrEqual(2);
		// Not a flood of tiny ranges either (each costs an open and a message).
		expect(sizes.length).toBeLessThan(30);
	});
});

describe('FlowTupleTable snapshot → merge', () => {
	const bytes = (text: string) => Buffer.from(text, 'latin1');
	/** [source, port, protocol, action code, start, end] */
	type Tuple = [string, number, number, number, number, number];
	const tuple = fc.tuple(
		fc.constantFrom('198.51.100.7', '203.0.113.9', '10.0.1.15', '2001:db8::1', '-', ''),
		fc.constantFrom(-1, 0, 22, 3389, 65535),
		fc.constantFrom(-1, 1, 6, 17),
		fc.integer({min: 0, max: 11}),
		fc.constantFrom(-1, 1764300000, 1764300042),
		fc.constantFrom(-1, 1764300060, 1764300099),
	);
	const fill = (table: FlowTupleTable, tuples: Tuple[]) => {
		for (const [source, port, protocol, action, start, end] of tuples) {
			const buf = bytes(`xx${source}yy`);
			table.add(buf, 2, 2 + source.length, port, protocol, action, start, end);
		}
	};
	const rows = (table: FlowTupleTable) => {
		const summary = new FlowSummary({actions: 'all'});
		table.flushInto(summary);
		return summary.rows();
	};

	it('merging a snapshot of one part counts the same as scanning both parts into one table', () => {
		fc.assert(
			fc.property(fc.array(tuple, {maxLength: 200}), fc.array(tuple, {maxLength: 200}), (mine, theirs) => {
				const one = new FlowTupleTable();
				fill(one, [...mine, ...theirs]);
				const parent = new FlowTupleTable();
				const child = new FlowTupleTable();
				fill(parent, mine);
				fill(child, theirs);
				// Through structured clone, as over the IPC channel.
				parent.merge(structuredClone(child.snapshot()));
				expect(rows(parent)).toEqual(rows(one));
			}),
		);
	});

	it('keeps counting past its first size (the table grows)', () => {
		const table = new FlowTupleTable();
		const many: Tuple[] = Array.from({length: 20_000}, (_, index) => [`10.${index >> 8}.${index & 255}.1`, 22, 6, 2, 1764300000 + index, 1764300060 + index]);
		fill(table, many);
		fill(table, many.slice(0, 10));
		const out = rows(table);
		expect(out).toHaveLength(20_000);
		expect(out.slice(0, 10).every((row) => row.count === 2)).toBe(true);
		expect(out.reduce((sum, row) => sum + row.count, 0)).toBe(20_010);
	});
});

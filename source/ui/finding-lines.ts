// The inventory's audit findings in the rows a short inventory leaves: every finding gets a row
// first (most severe first), then rows left over let findings wrap, in the same order, so a
// sentence is read whole where there is room instead of being cut beside empty rows.
import {truncateWords, wrapWords} from './format.js';

/** Lines for each of the first min(messages, rows) messages, at most `rows` lines in all. */
export function findingLines(messages: readonly string[], rows: number, width: number): string[][] {
	const count = Math.min(messages.length, Math.max(0, rows));
	// A word wider than the column (a long ARN) cannot wrap: that message keeps one cut line.
	const wrapped = messages.slice(0, count).map((message) => wrapWords(message, width) ?? [message]);
	const take = wrapped.map(() => 1);
	let left = rows - count;
	for (let index = 0; index < count && left > 0; index++) {
		const extra = Math.min(wrapped[index]!.length - 1, left);
		take[index]! += extra;
		left -= extra;
	}
	return wrapped.map((lines, index) => {
		const keep = take[index]!;
		if (keep >= lines.length) return lines;
		// The last row kept says the rest, cut between words.
		return [...lines.slice(0, keep - 1), truncateWords(lines.slice(keep - 1).join(' '), width)];
	});
}

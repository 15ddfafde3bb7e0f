// The message shown below the minimum size must itself fit: the longest wording whose lines,
// wrapped between words, fit the width and whose line count fits the height.
import {wrapWords} from './format.js';

export function tooSmallLines(columns: number, rows: number, need: {columns: number; rows: number}): string[] {
	const size = `${columns}×${rows}`;
	const min = `${need.columns}×${need.rows}`;
	const wordings: string[][] = [
		[`Terminal too small: ${size}.`, `sgtui needs ${min}.`, 'Enlarge it (nothing is lost), or q quits.'],
		[`Too small: ${size}, needs ${min}.`, 'Enlarge it, or q quits.'],
		[`Too small: ${size}, needs ${min}.`],
		[`Needs ${min}.`],
		[min],
	];
	const height = Math.max(1, rows - 1);
	for (const wording of wordings) {
		const wrapped = wording.map((text) => wrapWords(text, Math.max(1, columns)));
		if (wrapped.some((lines) => lines === null)) continue;
		const lines = wrapped.flatMap((part) => part ?? []);
		if (lines.length <= height) return lines;
	}
	// Narrower than "80×24": nothing readable fits; the size alone, cut to the width.
	return [min.slice(0, Math.max(1, columns))];
}

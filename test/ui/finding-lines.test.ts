import fc from 'fast-check';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {findingLines} from '../../source/ui/finding-lines.js';

describe('findingLines', () => {
	it('one row each first, then the spare rows wrap findings in order; the last row kept is cut between words', () => {
		const long = 'FTP open to the whole internet: anyone can try passwords on port 21';
		expect(findingLines([long, 'short one', long], 3, 20)).toEqual([['FTP open to the …'], ['short one'], ['FTP open to the …']]);
		expect(findingLines([long, 'short one', long], 5, 20)).toEqual([['FTP open to the', 'whole internet:', 'anyone can try …'], ['short one'], ['FTP open to the …']]);
		expect(findingLines([long], 9, 20)).toEqual([['FTP open to the', 'whole internet:', 'anyone can try', 'passwords on port 21']]);
		// More findings than rows: only as many as fit.
		expect(findingLines(['a', 'b', 'c'], 2, 20)).toEqual([['a'], ['b']]);
		expect(findingLines(['a'], 0, 20)).toEqual([]);
	});

	it('never more lines than rows, none wider than the column, and every word kept in order up to a cut', () => {
		const word = fc.stringMatching(/^[a-z0-9:/.-]{1,12}$/);
		const message = fc.array(word, {minLength: 1, maxLength: 20}).map((words) => words.join(' '));
		fc.assert(fc.property(fc.array(message, {maxLength: 8}), fc.integer({min: 0, max: 20}), fc.integer({min: 12, max: 70}), (messages, rows, width) => {
			const laid = findingLines(messages, rows, width);
			expect(laid.length).toBe(Math.min(messages.length, rows));
			expect(laid.flat().length).toBeLessThanOrEqual(rows);
			laid.forEach((lines, index) => {
				for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(width);
				const text = lines.join(' ');
				if (text.endsWith('…')) expect(messages[index]!.startsWith(text.slice(0, -1).trimEnd())).toBe(true);
				else expect(text).toBe(messages[index]);
			});
		}));
	});
});

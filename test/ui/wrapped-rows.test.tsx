// The rows a wrapped line takes, as computed for layout (format.ts wrappedRows), against ink
// itself drawing the same text: a height that disagrees by one row pushes the frame past the
// terminal or leaves a gap.
import fc from 'fast-check';
import {Box, Text, renderToString} from 'ink';
import {describe, expect, it} from 'vitest';
import {wordWrap, wrappedRows} from '../../source/ui/format.js';

/** The rows ink draws `text` in, `width` columns wide: the lines before a sentinel line. */
function inkLines(text: string, width: number): string[] {
	const out = renderToString(
		<Box flexDirection="column">
			<Box width={width}><Text wrap="wrap">{text}</Text></Box>
			<Text>END-OF-TEXT</Text>
		</Box>,
		{columns: 200},
	);
	const lines = out.split('\n');
	return lines.slice(0, lines.findIndex((line) => line.startsWith('END-OF-TEXT')));
}

function inkRows(text: string, width: number): number {
	return inkLines(text, width).length;
}

const word = fc.oneof(
	fc.stringMatching(/^[a-z0-9.:/~_-]{1,12}$/),
	// Ids and paths longer than a narrow row, broken by cells.
	fc.stringMatching(/^[a-z0-9/._-]{13,60}$/),
	fc.constantFrom('', '✗', '→', '·', '…', '漢字'),
);

describe('wrappedRows', () => {
	it('matches the rows ink draws, for words, long ids, double spaces and wide characters', () => {
		fc.assert(fc.property(fc.array(word, {minLength: 1, maxLength: 25}), fc.integer({min: 4, max: 60}), (words, width) => {
			const text = words.join(' ');
			expect(wrappedRows(text, width)).toBe(inkRows(text, width));
		}), {numRuns: 300});
	});
});

describe('wordWrap', () => {
	it('is drawn by ink in the rows it counts, every row starting at the left edge, no word lost', () => {
		const solid = fc.oneof(fc.stringMatching(/^[a-z0-9.:/~_-]{1,12}$/), fc.constantFrom('✗', '→', '·', '…', '漢字'));
		fc.assert(fc.property(fc.array(solid, {minLength: 1, maxLength: 25}), fc.integer({min: 12, max: 60}), (words, width) => {
			const text = words.join(' ');
			const wrapped = wordWrap(text, width);
			const lines = inkLines(wrapped.text, width);
			expect(lines).toHaveLength(wrapped.rows);
			for (const line of lines) expect(line, line).not.toMatch(/^ /);
			expect(lines.map((line) => line.trimEnd()).join(' ')).toBe(text);
		}), {numRuns: 300});
	});
});

// The rows a wrapped line takes, as computed for layout (format.ts wrappedRows), against ink
// itself drawing the same text: a height that disagrees by one row pushes the frame past the
// terminal or leaves a gap.
import fc from 'fast-check';
import {Box, Text, renderToString} from 'ink';
import {describe, expect, it} from 'vitest';
import {wrappedRows} from '../../source/ui/format.js';

/** Rows ink draws `text` in, `width` columns wide: the lines before a sentinel line. */
function inkRows(text: string, width: number): number {
	const out = renderToString(
		<Box flexDirection="column">
			<Box width={width}><Text wrap="wrap">{text}</Text></Box>
			<Text>END-OF-TEXT</Text>
		</Box>,
		{columns: 200},
	);
	return out.split('\n').findIndex((line) => line.startsWith('END-OF-TEXT'));
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

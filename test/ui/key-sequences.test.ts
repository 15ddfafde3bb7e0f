// The dispatcher's filter against ink's own key parser: every sequence that would make ink's
// useInput throw (a ctrl modifier on a key it cannot name) is dropped, and no key ink names is.
// ink's parser is imported from its build by path: it is not exported, and this test is what
// notices when an ink upgrade changes it.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import parseKeypress from '../../node_modules/ink/build/parse-keypress.js';
import {isUnnamedEscapeSequence} from '../../source/ui/key-sequences.js';

type Keypress = {name?: string; ctrl: boolean; isKittyProtocol?: boolean};
const parse = parseKeypress as (input: string) => Keypress;

const csi = fc
	.tuple(
		fc.constantFrom('\u001b[', '\u001bO', '\u001b[[', '\u001b\u001b['),
		fc.array(fc.integer({min: 0, max: 300}), {maxLength: 3}),
		fc.constantFrom(...'ABCDEFGHJKPQRSZabcdefmnux~^$'.split('')),
	)
	.map(([intro, params, final]) => `${intro}${params.join(';')}${final}`);

describe('isUnnamedEscapeSequence', () => {
	it('drops what crashes ink and keeps every key ink names (property, against ink itself)', () => {
		fc.assert(
			fc.property(csi, (sequence) => {
				const key = parse(sequence);
				const crashes = !key.isKittyProtocol && key.ctrl && key.name === undefined;
				if (crashes) expect(isUnnamedEscapeSequence(sequence)).toBe(true);
				if (key.name) expect(isUnnamedEscapeSequence(sequence)).toBe(false);
			}),
			{numRuns: 2000},
		);
	});

	it('keeps the keys sgtui binds, drops colours and screen controls', () => {
		for (const key of ['\u001b[A', '\u001b[1;5B', '\u001b[5~', '\u001b[6~', '\u001b[H', '\u001b[F', '\u001b[Z', '\u001b[3~', '\u001b', 'q', '\r']) {
			expect(isUnnamedEscapeSequence(key), JSON.stringify(key)).toBe(false);
		}
		for (const sequence of ['\u001b[31m', '\u001b[0m', '\u001b[2J', '\u001b[1;5J', '\u001b[99;5~', '\u001b[200~']) {
			expect(isUnnamedEscapeSequence(sequence), JSON.stringify(sequence)).toBe(true);
		}
	});
});

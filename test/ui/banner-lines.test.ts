import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {bannerLines} from '../../source/ui/banner-lines.js';

describe('banner lines', () => {
	it('one line when it fits, two when it needs them, and never wider than the frame', () => {
		expect(bannerLines('✓ copied', 80)).toEqual(['✓ copied']);
		const grammar = '✗ eni "eni-nope" is not a network interface id (eni-…): the prefix, a dash, then 8 or 17 lowercase hex digits';
		const lines = bannerLines(grammar, 80);
		expect(lines).toHaveLength(2);
		expect(lines.join(' ')).toBe(grammar);
		for (const line of lines) expect(stringWidth(line)).toBeLessThan(80);
	});

	it('past two lines the rest is cut between words; one unbreakable word is cut with …', () => {
		const long = Array.from({length: 40}, (_, index) => `word${index}`).join(' ');
		const lines = bannerLines(long, 40);
		expect(lines).toHaveLength(2);
		expect(lines[1]).toMatch(/ …$/);
		expect(bannerLines('x'.repeat(100), 40)).toEqual([`${'x'.repeat(38)}…`]);
	});
});

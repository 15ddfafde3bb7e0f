import {describe, expect, it} from 'vitest';
import {truncateText} from '../../source/ui/format.js';

describe('truncateText', () => {
	it('cuts free text before the word it would split, keeps a cut that lands on a word end, and a lone word keeps its start', () => {
		expect(truncateText('100 allow 0.0.0.0/0', 12)).toBe('100 allow …');
		expect(truncateText('✓ open to those sources', 15)).toBe('✓ open to …');
		expect(truncateText('✓ open to those sources', 16)).toBe('✓ open to those…');
		expect(truncateText('· loopback only (local use)', 16)).toBe('· loopback only…');
		expect(truncateText('systemd-resolve/1641', 12)).toBe('systemd-res…');
		expect(truncateText('short', 12)).toBe('short');
	});
});

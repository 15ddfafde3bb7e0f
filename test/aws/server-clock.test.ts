import {describe, expect, it} from 'vitest';
import {offsetFromDate, SKEW_NOISE_MS} from '../../source/aws/server-clock.js';

describe('the service clock offset from a Date header', () => {
	const at = Date.UTC(2026, 11, 1, 6, 0, 0, 250);
	it('reads the header as the middle of its second, and calls under two seconds noise', () => {
		expect(offsetFromDate(new Date(at + 30_000).toUTCString(), at)).toBe(Math.floor((at + 30_000) / 1000) * 1000 + 500 - at);
		expect(offsetFromDate(new Date(at - 30_000).toUTCString(), at)).toBe(Math.floor((at - 30_000) / 1000) * 1000 + 500 - at);
		expect(offsetFromDate(new Date(at + SKEW_NOISE_MS - 1000).toUTCString(), at)).toBe(0);
	});
	it('has nothing to say without a usable header', () => {
		expect(offsetFromDate(undefined, at)).toBeNull();
		expect(offsetFromDate('not a date', at)).toBeNull();
	});
});

import {describe, expect, it} from 'vitest';
import {backoffDelay, sleep} from '../../source/aws/backoff.js';
import {TokenBucket} from '../../source/aws/token-bucket.js';

describe('backoffDelay', () => {
	it('doubles from the base, jittered within the upper half, and caps', () => {
		expect(backoffDelay(0, {baseMs: 1000}, () => 0)).toBe(500);
		expect(backoffDelay(0, {baseMs: 1000}, () => 1)).toBe(1000);
		expect(backoffDelay(3, {baseMs: 1000}, () => 1)).toBe(8000);
		expect(backoffDelay(10, {baseMs: 1000, maxMs: 30_000}, () => 1)).toBe(30_000);
		expect(backoffDelay(10, {baseMs: 1000, maxMs: 30_000}, () => 0)).toBe(15_000);
		expect(backoffDelay(1000, {}, () => 0.5)).toBeLessThanOrEqual(30_000);
	});
});

describe('sleep', () => {
	it('ends early without throwing when aborted', async () => {
		const controller = new AbortController();
		const started = Date.now();
		setTimeout(() => controller.abort(), 20);
		await sleep(5000, controller.signal);
		expect(Date.now() - started).toBeLessThan(1000);
	});
});

describe('TokenBucket', () => {
	it('never allows more than 5 takes in any one-second window at the default 4/s', () => {
		let now = 0;
		const bucket = new TokenBucket(4, 1, () => now);
		const taken: number[] = [];
		for (now = 0; now < 10_000; now += 10) {
			while (bucket.tryTake() === 0) taken.push(now);
		}
		for (const at of taken) expect(taken.filter((t) => t >= at && t < at + 1000).length).toBeLessThanOrEqual(5);
		expect(taken.length).toBeGreaterThanOrEqual(39);
	});

	it('says how long to wait for the next token', () => {
		const bucket = new TokenBucket(4, 1, () => 0);
		expect(bucket.tryTake()).toBe(0);
		expect(bucket.tryTake()).toBe(250);
	});

	it('serves waiting callers in order', async () => {
		const bucket = new TokenBucket(50, 1);
		const order: number[] = [];
		await Promise.all([1, 2, 3].map((n) => bucket.take().then(() => order.push(n))));
		expect(order).toEqual([1, 2, 3]);
	});
});

// FilterLogEvents is limited to 5 requests/s per account and region, and that quota can't be
// raised: every sgtui poll and backfill draws from one bucket per Logs client, so several
// streams together stay under it. Rate 4/s with a burst of 1 means no one-second window ever
// holds more than 5 requests (the burst plus four refills).
import {sleep} from './backoff.js';

export class TokenBucket {
	private tokens: number;
	private last: number;
	private queue: Promise<void> = Promise.resolve();

	constructor(
		readonly ratePerSecond = 4,
		readonly capacity = 1,
		private readonly now: () => number = Date.now,
	) {
		this.tokens = capacity;
		this.last = now();
	}

	private refill(): void {
		const now = this.now();
		this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
		this.last = now;
	}

	/** Milliseconds until a token is free (0 = now); takes it when free. */
	tryTake(): number {
		this.refill();
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return 0;
		}
		return Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
	}

	/** Waits for a token; callers are served in order. */
	take(signal?: AbortSignal): Promise<void> {
		const turn = this.queue.then(async () => {
			for (;;) {
				if (signal?.aborted) return;
				const wait = this.tryTake();
				if (wait === 0) return;
				await sleep(wait, signal);
			}
		});
		this.queue = turn.catch(() => undefined);
		return turn;
	}
}

const buckets = new WeakMap<object, TokenBucket>();

/** The bucket shared by everything using this Logs client. */
export function sharedBucket(client: object): TokenBucket {
	let bucket = buckets.get(client);
	if (!bucket) {
		bucket = new TokenBucket();
		buckets.set(client, bucket);
	}
	return bucket;
}

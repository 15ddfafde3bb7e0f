// Reconnect delays: exponential with full jitter (AWS's recommendation), capped, so many sgtui
// instances reconnecting after a regional blip don't stampede.

export interface BackoffOptions {
	baseMs?: number;
	maxMs?: number;
}

/** Delay before retry `attempt` (0-based): uniform in [base·2^attempt / 2, base·2^attempt], capped. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
	const base = options.baseMs ?? 1000;
	const max = options.maxMs ?? 30_000;
	const ceiling = Math.min(max, base * 2 ** Math.max(0, Math.min(attempt, 30)));
	return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal?.aborted) return resolve();
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		}
		signal?.addEventListener('abort', done, {once: true});
	});
}

// The lab's time: what "now" is and how its timers fire. The system clock in production; tests
// pass a manual clock (test/support/manual-clock.ts) and advance it, so rates and windows are
// checked exactly instead of against the wall clock of a loaded machine.

export interface Clock {
	now(): number;
	/** Calls `callback` every `ms` until the returned function is called. Never keeps the process alive. */
	every(ms: number, callback: () => void): () => void;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	every(ms, callback) {
		const timer = setInterval(callback, ms);
		timer.unref();
		return () => clearInterval(timer);
	},
};

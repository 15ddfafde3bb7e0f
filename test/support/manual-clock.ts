// A clock that moves only when a test says so: the lab's timers fire from advance(), in due
// order, so "20 attempts a second" or "the quota frees after exactly 1 s" are checked exactly.
import type {Clock} from '../../source/lab/clock.js';

interface Repeating {
	due: number;
	ms: number;
	callback: () => void;
	cancelled: boolean;
}

export class ManualClock implements Clock {
	private current: number;
	private readonly timers: Repeating[] = [];

	constructor(start = Date.UTC(2026, 0, 1)) {
		this.current = start;
	}

	now(): number {
		return this.current;
	}

	every(ms: number, callback: () => void): () => void {
		if (!(ms > 0)) throw new Error(`ManualClock.every: interval must be positive, got ${ms}`);
		const timer: Repeating = {due: this.current + ms, ms, callback, cancelled: false};
		this.timers.push(timer);
		return () => {
			timer.cancelled = true;
		};
	}

	/** Timers still running. */
	get pending(): number {
		return this.timers.filter((timer) => !timer.cancelled).length;
	}

	/** Moves time forward by `ms`, firing every timer that falls due on the way, at its due time. */
	advance(ms: number): void {
		const end = this.current + ms;
		for (;;) {
			const next = this.timers.filter((timer) => !timer.cancelled && timer.due <= end).sort((a, b) => a.due - b.due)[0];
			if (!next) break;
			this.current = next.due;
			next.due += next.ms;
			next.callback();
		}
		this.current = end;
	}
}

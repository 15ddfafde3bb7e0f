// How the lab hands flow records to its CloudWatch Logs store, like AWS does: a record is
// published at the end of its aggregation interval (60 or 600 s) and ingested after a delivery
// delay, with an occasional straggler minutes late; each ENI's batch has its own delay, so
// streams arrive out of order with one another, stamped with their own (old) event time.
// AWS: https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html#flow-logs-limitations
// ("... can take several minutes to be delivered"), and the aggregation interval in
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html#flow-logs-aggregation-interval
// The randomness is seeded, so a run can be replayed; "fast" delivers at once (tests).
import type {Clock} from './clock.js';
import type {FaultKnobs} from './faults.js';
import type {LogStore} from './log-store.js';

export interface DeliveryOptions {
	/** 'realistic' (the demo and `sgtui lab`): interval + delay; 'fast': at once (tests). */
	mode: 'realistic' | 'fast';
	seed?: number;
	/** Delay after the interval ends, per ENI batch (default 20–120 s). */
	delayMs?: [number, number];
	/** Fraction of records that straggle (default 0.02). */
	stragglerRate?: number;
	/** A straggler's extra delay (default 3–10 min). */
	stragglerMs?: [number, number];
}

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface Pending {
	due: number;
	group: string;
	stream: string;
	timestamp: number;
	message: string;
}

export interface DeliveryQueue {
	readonly random: () => number;
	/** Queues records of one ENI; `intervalSeconds` is the flow log's MaxAggregationInterval. */
	submit: (group: string, stream: string, items: Array<{timestamp: number; message: string}>, intervalSeconds: number) => void;
	/** Ingests everything due by now (in due order, so streams interleave); returns how many. */
	flush(): number;
	/** Records queued but not yet ingested. */
	readonly pending: number;
	stop(): void;
}

export function createDeliveryQueue(store: LogStore, options: DeliveryOptions, faults: FaultKnobs, clock: Clock, timers = true): DeliveryQueue {
	const now = () => clock.now();
	const random = seededRandom(options.seed ?? 1);
	const between = ([min, max]: [number, number]) => min + random() * (max - min);
	const batchDelay = new Map<string, number>();
	let queue: Pending[] = [];

	const flush = (): number => {
		const t = now();
		if (queue.length === 0) return 0;
		const due = queue.filter((item) => item.due <= t).sort((a, b) => a.due - b.due);
		if (due.length === 0) return 0;
		queue = queue.filter((item) => item.due > t);
		// One append per run of the same stream, in due order: one PutLogEvents-like batch each.
		let start = 0;
		for (let index = 1; index <= due.length; index++) {
			const head = due[start]!;
			const item = due[index];
			if (item && item.group === head.group && item.stream === head.stream) continue;
			store.append(head.group, head.stream, due.slice(start, index).map(({timestamp, message}) => ({timestamp, message})));
			start = index;
		}
		for (const [key, until] of batchDelay) if (until < t) batchDelay.delete(key);
		return due.length;
	};

	const submit = (group: string, stream: string, items: Array<{timestamp: number; message: string}>, intervalSeconds: number) => {
		const t = now();
		const realistic = options.mode === 'realistic';
		for (const item of items) {
			let due = t;
			if (realistic) {
				const interval = Math.max(1, intervalSeconds) * 1000;
				const windowEnd = (Math.floor(item.timestamp / interval) + 1) * interval;
				const key = `${group}\u0000${stream}\u0000${windowEnd}`;
				let delay = batchDelay.get(key);
				if (delay === undefined) {
					delay = between(options.delayMs ?? [20_000, 120_000]);
					batchDelay.set(key, delay);
				}
				due = Math.max(windowEnd, t) + delay;
				if (random() < (options.stragglerRate ?? 0.02)) due += between(options.stragglerMs ?? [180_000, 600_000]);
			}
			// Fault knob: the next N records are held back this much longer (a late burst).
			if (faults.lateBurstRecords > 0) {
				faults.lateBurstRecords--;
				due += faults.lateBurstDelayMs;
			}
			queue.push({due, group, stream, timestamp: item.timestamp, message: item.message});
		}
		if (!realistic) flush();
	};

	const cancel = timers ? clock.every(250, flush) : null;
	return {
		random,
		submit,
		flush,
		get pending() {
			return queue.length;
		},
		stop() {
			cancel?.();
		},
	};
}

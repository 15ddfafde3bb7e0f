// De-duplication across Live Tail and FilterLogEvents. Live Tail events carry no eventId, so
// the only identity both sources share is (log stream, timestamp, message). Two identical flow
// records in one stream at one timestamp are possible, so this is a multiset: each source's
// occurrences of a key are counted, and an event is new only when its source has now seen a key
// more times than has been emitted. FilterLogEvents re-reads (overlapping polls, backfills) are
// recognized by eventId first. The (stream, message) part of a key is held as a SHA-1 digest:
// the de-duplicator holds two late-delivery windows of records, and a 28-character digest instead
// of a 150-character message keeps a long session's memory small (a collision needs 2^80 work).
import {createHash} from 'node:crypto';

export interface DedupeEvent {
	logStreamName: string;
	timestamp: number;
	message: string;
	/** FilterLogEvents' eventId; absent for Live Tail. */
	eventId?: string;
}

interface KeyCounts {
	emitted: number;
	live: number;
	listed: number;
}

export class EventDedupe {
	private readonly byTimestamp = new Map<number, Map<string, KeyCounts>>();
	private readonly eventIds = new Map<string, number>();
	private floor = -Infinity;
	private size = 0;

	/**
	 * Records `event` and says whether it is new. Callers never re-read before the pruning floor,
	 * so an event older than it can only be a late first delivery: new, and not worth recording.
	 */
	accept(event: DedupeEvent): boolean {
		if (event.timestamp < this.floor) return true;
		if (event.eventId !== undefined) {
			if (this.eventIds.has(event.eventId)) return false;
			this.eventIds.set(event.eventId, event.timestamp);
		}
		let keys = this.byTimestamp.get(event.timestamp);
		if (!keys) {
			keys = new Map();
			this.byTimestamp.set(event.timestamp, keys);
		}
		const key = createHash('sha1').update(event.logStreamName).update('\u0000').update(event.message).digest('base64');
		let counts = keys.get(key);
		if (!counts) {
			counts = {emitted: 0, live: 0, listed: 0};
			keys.set(key, counts);
			this.size++;
		}
		const seen = event.eventId === undefined ? ++counts.live : ++counts.listed;
		if (seen <= counts.emitted) return false;
		counts.emitted = seen;
		return true;
	}

	/** Forgets everything before `timestamp`; later reads must not start before it. */
	prune(timestamp: number): void {
		if (timestamp <= this.floor) return;
		this.floor = timestamp;
		for (const [time, keys] of this.byTimestamp) {
			if (time < timestamp) {
				this.size -= keys.size;
				this.byTimestamp.delete(time);
			}
		}
		for (const [id, time] of this.eventIds) if (time < timestamp) this.eventIds.delete(id);
	}

	get pruneFloor(): number {
		return this.floor;
	}

	get keys(): number {
		return this.size;
	}
}

/**
 * The records delivered late (later than the window), remembered apart from the window-bounded
 * de-duplicator: a deep sweep reads far below its floor, where it has forgotten everything. Late
 * records are few; the oldest are forgotten past `capacity`, which bounds memory.
 */
export class LateKeys {
	private readonly keys = new Set<string>();

	constructor(private readonly capacity = 50_000) {}

	/** Records the event and says whether it was new. */
	add(event: DedupeEvent): boolean {
		const key = createHash('sha1').update(event.logStreamName).update('\u0000').update(String(event.timestamp)).update('\u0000').update(event.message).digest('base64');
		if (this.keys.has(key)) return false;
		this.keys.add(key);
		if (this.keys.size > this.capacity) this.keys.delete(this.keys.values().next().value!);
		return true;
	}

	get size(): number {
		return this.keys.size;
	}
}

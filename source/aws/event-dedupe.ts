// De-duplication across Live Tail and FilterLogEvents. Live Tail events carry no eventId, so
// the only identity both sources share is (log stream, timestamp, message). Two identical flow
// records in one stream at one timestamp are possible, so this is a multiset: each source's
// occurrences of a key are counted, and an event is new only when its source has now seen a key
// more times than has been emitted. FilterLogEvents re-reads (overlapping polls, backfills) are
// recognized by eventId first. The (stream, message) part of a key is held as a SHA-1 digest:
// the de-duplicator holds two late-delivery windows of records, and a 20-character digest instead
// of a 150-character message keeps a long session's memory small (a collision needs 2^80 work);
// the counts per key are packed (below).
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

// A key's three counts packed into one small integer (a V8 Smi: no object per key), 10 bits each.
// The de-duplicator holds two windows of Live Tail's up to 500 events a second (~1.5 million keys
// in a long flood), so its per-key size is the TUI's memory: 125 bytes a key with an object of
// counts and a base64 key, about 80 packed. A key seen 1,023 times by one source (identical
// records at one millisecond in one stream) keeps an object instead, so no count ever saturates.
const BITS = 10;
const LIMIT = (1 << BITS) - 1;

function unpack(entry: number | KeyCounts | undefined): KeyCounts {
	if (entry === undefined) return {emitted: 0, live: 0, listed: 0};
	if (typeof entry !== 'number') return entry;
	return {emitted: entry & LIMIT, live: (entry >> BITS) & LIMIT, listed: (entry >> (2 * BITS)) & LIMIT};
}

function pack(counts: KeyCounts): number | KeyCounts {
	if (counts.emitted >= LIMIT || counts.live >= LIMIT || counts.listed >= LIMIT) return counts;
	return counts.emitted | (counts.live << BITS) | (counts.listed << (2 * BITS));
}

export class EventDedupe {
	private readonly byTimestamp = new Map<number, Map<string, number | KeyCounts>>();
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
		// The digest's 20 bytes as a 20-character one-byte string ('binary' is latin1): the smallest key.
		const key = createHash('sha1').update(event.logStreamName).update('\u0000').update(event.message).digest('binary');
		const entry = keys.get(key);
		if (entry === undefined) this.size++;
		const counts = unpack(entry);
		const seen = event.eventId === undefined ? ++counts.live : ++counts.listed;
		const fresh = seen > counts.emitted;
		if (fresh) counts.emitted = seen;
		keys.set(key, pack(counts));
		return fresh;
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

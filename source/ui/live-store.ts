// The live flow-record store, outside React. A stream may deliver hundreds of records a second;
// pushing each into React state would re-render per record and same-tick updates would clobber
// each other. The stream writes here, the UI samples `snapshot()` at a bounded frame rate.
// Raw records live in a capped ring buffer; aggregates by (direction, peer, service port,
// protocol, action) — the direction and peer from core's flow-direction, shared with the CLI —
// keep counts, first/last seen and a per-bucket trend for the sparkline. (core's FlowSummary has
// no trend buckets, hence this small aggregator of its own.)
import {canonicalAddress} from '../core/cidr.js';
import {classifyFlowDirection, type FlowDirection, flowPeer} from '../core/flow-direction.js';
import type {FlowRecord} from '../core/types.js';
import type {FlowSummaryRow} from '../core/flow-summary.js';
import type {StreamStatus} from './services.js';

export interface LiveRecord {
	seq: number;
	receivedAt: number;
	record: FlowRecord;
}

export type {FlowDirection} from '../core/flow-direction.js';

export interface LiveAggregate extends FlowSummaryRow {
	key: string;
	direction: FlowDirection;
	/** Counts per trend bucket, oldest first, ending at the store's newest bucket. */
	trend: number[];
}

export interface LiveTotals {
	received: number;
	rejects: number;
	accepts: number;
	/** Raw records that fell out of the ring buffer (still counted in the aggregates). */
	evicted: number;
}

export interface LiveSnapshot {
	version: number;
	/** Newest first. */
	records: LiveRecord[];
	aggregates: LiveAggregate[];
	/** Groups folded away to keep the store bounded, and their records (exact). */
	others: {groups: number; count: number};
	totals: LiveTotals;
	/** The REJECT stream's state. */
	status: StreamStatus;
	/** The second stream's (every record but REJECTs) while ACCEPTs are shown, else null. */
	othersStatus: StreamStatus | null;
}

export interface LiveStoreOptions {
	capacity?: number;
	trendBuckets?: number;
	bucketSeconds?: number;
	now?: () => number;
	/** The ENI's own addresses: records from them are replies or outbound traffic, grouped by the peer. */
	ownAddresses?: Iterable<string>;
	/**
	 * At most this many aggregates (default 1000): a long session with ever new peers must stay
	 * flat. Past it the smaller half is folded into `others`, whose count stays exact.
	 */
	maxAggregates?: number;
}

interface AggregateState {
	row: Omit<LiveAggregate, 'trend'>;
	buckets: Map<number, number>;
}

/** Trend buckets per group: the sparkline's width in characters. */
export const TREND_BUCKETS = 12;

const IDLE: StreamStatus = {mode: 'none', state: 'idle', sampled: false, message: null};

export class LiveStore {
	readonly capacity: number;
	readonly trendBuckets: number;
	private bucketSize: number;
	private ring: (LiveRecord | undefined)[];
	private head = 0;
	private size = 0;
	private seq = 0;
	private aggregates = new Map<string, AggregateState>();
	private others = {groups: 0, count: 0};
	/** The REJECT part of `others` and of evicted records: what stays when the non-REJECTs go. */
	private othersRejects = {groups: 0, count: 0};
	private evictedRejects = 0;
	readonly maxAggregates: number;
	private newestBucket = Number.NEGATIVE_INFINITY;
	private totals: LiveTotals = {received: 0, rejects: 0, accepts: 0, evicted: 0};
	private status: StreamStatus = IDLE;
	private othersStatus: StreamStatus | null = null;
	private cached: LiveSnapshot | null = null;
	private readonly now: () => number;
	private readonly own: ReadonlySet<string>;
	version = 0;

	constructor(options: LiveStoreOptions = {}) {
		this.capacity = options.capacity ?? 2000;
		this.trendBuckets = options.trendBuckets ?? TREND_BUCKETS;
		this.bucketSize = options.bucketSeconds ?? 60;
		this.now = options.now ?? Date.now;
		this.own = new Set([...(options.ownAddresses ?? [])].map(canonicalAddress));
		this.maxAggregates = Math.max(2, options.maxAggregates ?? 1000);
		this.ring = new Array<LiveRecord | undefined>(this.capacity);
	}

	push(records: readonly FlowRecord[]): void {
		if (records.length === 0) return;
		const receivedAt = this.now();
		for (const record of records) {
			this.totals.received++;
			if (record.action === 'REJECT') this.totals.rejects++;
			else if (record.action === 'ACCEPT') this.totals.accepts++;
			if (this.size === this.capacity) {
				this.totals.evicted++;
				if (this.ring[this.head]?.record.action === 'REJECT') this.evictedRejects++;
			} else this.size++;
			this.ring[this.head] = {seq: ++this.seq, receivedAt, record};
			this.head = (this.head + 1) % this.capacity;
			this.aggregate(record, receivedAt);
		}
		this.touch();
	}

	setStatus(status: StreamStatus): void {
		this.status = status;
		this.touch();
	}

	/** The non-REJECT stream's state (null: not running). */
	setOthersStatus(status: StreamStatus | null): void {
		this.othersStatus = status;
		this.touch();
	}

	get bucketSeconds(): number {
		return this.bucketSize;
	}

	/**
	 * The trend's bucket size once the flow log's aggregation interval is known (the store may
	 * already hold records). Buckets merge exactly into a multiple (60 s into 600 s); into a
	 * smaller size each old bucket's count goes to the new bucket holding its start.
	 */
	setBucketSeconds(seconds: number): void {
		if (seconds === this.bucketSize || !(seconds > 0)) return;
		const old = this.bucketSize;
		this.bucketSize = seconds;
		this.newestBucket = Number.NEGATIVE_INFINITY;
		for (const state of this.aggregates.values()) {
			const merged = new Map<number, number>();
			for (const [bucket, count] of state.buckets) {
				const next = Math.floor((bucket * old) / seconds);
				merged.set(next, (merged.get(next) ?? 0) + count);
				if (next > this.newestBucket) this.newestBucket = next;
			}
			state.buckets = merged;
		}
		this.touch();
	}

	/**
	 * Forgets every record that is not a REJECT (ACCEPTs are being hidden and their stream
	 * stopped): the REJECTs, their groups and counts stay exactly as they were.
	 */
	dropNonRejects(): void {
		const kept: LiveRecord[] = [];
		for (let index = this.size; index >= 1; index--) {
			const entry = this.ring[(this.head - index + this.capacity) % this.capacity]!;
			if (entry.record.action === 'REJECT') kept.push(entry);
		}
		this.ring = new Array<LiveRecord | undefined>(this.capacity);
		kept.forEach((entry, index) => (this.ring[index] = entry));
		this.size = kept.length;
		this.head = kept.length % this.capacity;
		for (const [key, state] of this.aggregates) if (state.row.action !== 'REJECT') this.aggregates.delete(key);
		this.others = {...this.othersRejects};
		this.totals = {received: this.totals.rejects, rejects: this.totals.rejects, accepts: 0, evicted: this.evictedRejects};
		this.touch();
	}

	clear(): void {
		this.ring = new Array<LiveRecord | undefined>(this.capacity);
		this.head = 0;
		this.size = 0;
		this.aggregates.clear();
		this.others = {groups: 0, count: 0};
		this.othersRejects = {groups: 0, count: 0};
		this.evictedRejects = 0;
		this.newestBucket = Number.NEGATIVE_INFINITY;
		this.totals = {received: 0, rejects: 0, accepts: 0, evicted: 0};
		this.touch();
	}

	/** A consistent copy for drawing; cached until the next change. */
	snapshot(): LiveSnapshot {
		if (this.cached && this.cached.version === this.version) return this.cached;
		const records: LiveRecord[] = [];
		for (let index = 1; index <= this.size; index++) {
			records.push(this.ring[(this.head - index + this.capacity) % this.capacity]!);
		}
		const aggregates = [...this.aggregates.values()].map((state) => ({...state.row, trend: this.trendOf(state)}));
		aggregates.sort((a, b) => b.count - a.count || (b.lastSeen ?? 0) - (a.lastSeen ?? 0) || a.key.localeCompare(b.key));
		this.cached = {version: this.version, records, aggregates, others: {...this.others}, totals: {...this.totals}, status: this.status, othersStatus: this.othersStatus};
		return this.cached;
	}

	private touch(): void {
		this.version++;
	}

	private aggregate(record: FlowRecord, receivedAt: number): void {
		const direction = classifyFlowDirection(record, this.own);
		const {peer, port: dstPort} = flowPeer(record, direction);
		// One row per IPv6 peer however it is spelled (RFC 5952), as `flows` groups them.
		const srcAddr = peer === null ? null : canonicalAddress(peer);
		const protocol = record.protocol ?? null;
		const action = record.action ?? null;
		const key = `${direction}|${srcAddr ?? '-'}|${dstPort ?? '-'}|${protocol ?? '-'}|${action ?? '-'}`;
		let state = this.aggregates.get(key);
		if (!state) {
			if (this.aggregates.size >= this.maxAggregates) this.fold();
			state = {row: {key, direction, srcAddr, dstPort, protocol, action, count: 0, firstSeen: null, lastSeen: null}, buckets: new Map()};
			this.aggregates.set(key, state);
		}
		const row = state.row;
		row.count++;
		const start = record.start ?? null;
		const end = record.end ?? start;
		if (start !== null && (row.firstSeen === null || start < row.firstSeen)) row.firstSeen = start;
		if (end !== null && (row.lastSeen === null || end > row.lastSeen)) row.lastSeen = end;
		// The trend follows the records' own clock (replayed records are old), else arrival time.
		const time = end ?? Math.floor(receivedAt / 1000);
		const bucket = Math.floor(time / this.bucketSize);
		state.buckets.set(bucket, (state.buckets.get(bucket) ?? 0) + 1);
		if (bucket > this.newestBucket) this.newestBucket = bucket;
		if (state.buckets.size > this.trendBuckets * 2) {
			for (const old of state.buckets.keys()) {
				if (old <= this.newestBucket - this.trendBuckets) state.buckets.delete(old);
			}
		}
	}

	/** Folds the smaller half (fewest records, then least recent) into `others`: amortized O(1) per new group. */
	private fold(): void {
		const states = [...this.aggregates.values()].sort((a, b) => a.row.count - b.row.count || (a.row.lastSeen ?? 0) - (b.row.lastSeen ?? 0));
		for (const state of states.slice(0, states.length - Math.floor(this.maxAggregates / 2))) {
			this.aggregates.delete(state.row.key);
			this.others.groups++;
			this.others.count += state.row.count;
			if (state.row.action === 'REJECT') {
				this.othersRejects.groups++;
				this.othersRejects.count += state.row.count;
			}
		}
	}

	private trendOf(state: AggregateState): number[] {
		const trend: number[] = [];
		for (let index = this.trendBuckets - 1; index >= 0; index--) {
			trend.push(state.buckets.get(this.newestBucket - index) ?? 0);
		}
		return trend;
	}
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** A one-line rate trend; empty buckets are a space-like low bar so the shape stays readable. */
export function sparkline(values: readonly number[]): string {
	const max = Math.max(0, ...values);
	if (max === 0) return ' '.repeat(values.length);
	return values.map((value) => (value === 0 ? ' ' : SPARKS[Math.min(SPARKS.length - 1, Math.ceil((value / max) * SPARKS.length) - 1)])).join('');
}

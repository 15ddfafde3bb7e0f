// Counts (source bytes, port, protocol, action) tuples straight from a Buffer: an open-addressing
// hash table whose keys are the source address's bytes, so a line that repeats a known tuple costs
// a hash and a compare — no string, no Map. Strings are made once per distinct tuple, on flush.
import {FLOW_DIRECTIONS} from '../core/flow-direction.js';
import type {FlowAction} from '../core/types.js';
import type {FlowSummary} from '../core/flow-summary.js';

const EMPTY = -1;
const ACTIONS: Array<FlowAction | null> = [null, 'ACCEPT', 'REJECT'];

/**
 * A table's tuples as typed arrays, one entry per index: what a scanning child sends its parent
 * (structured clone copies typed arrays as bytes — no object, no string per tuple on either side).
 */
export interface TupleTableSnapshot {
	keys: Uint8Array;
	keyStart: Int32Array;
	keyLength: Int32Array;
	ports: Int32Array;
	protocols: Int32Array;
	actions: Uint8Array;
	counts: Float64Array;
	firsts: Float64Array;
	lasts: Float64Array;
}

export class FlowTupleTable {
	// Sized for 8,192 tuples from the start (~0.5 MB): growing is a code path V8 first meets in
	// optimized code, which it then throws away (a fresh scanning process paid ~0.1 s of slow
	// scanning for each time the table grew during its first megabytes).
	private slots = new Int32Array(1 << 14).fill(EMPTY);
	private mask = (1 << 14) - 1;
	private size = 0;
	private keys = new Uint8Array(1 << 17);
	private keysUsed = 0;
	private keyStart = new Int32Array(1 << 13);
	private keyLength = new Int32Array(1 << 13);
	private hashes = new Int32Array(1 << 13);
	/** port, protocol: -1 for null; action: index into ACTIONS + 3 × directionCode. */
	private ports = new Int32Array(1 << 13);
	private protocols = new Int32Array(1 << 13);
	private actions = new Uint8Array(1 << 13);
	private counts = new Float64Array(1 << 13);
	/** NaN when no record of the tuple had a time. */
	private firsts = new Float64Array(1 << 13);
	private lasts = new Float64Array(1 << 13);

	/**
	 * Adds one record. `port`/`protocol`/`start`/`end` are -1 for null and must be below 2^31
	 * (the scanner sends bigger numbers down the ordinary path). `action` indexes ACTIONS, plus
	 * 3 × directionCode(direction) when the summary groups by direction (then the "source" bytes
	 * are the peer's and `port` the service port).
	 */
	add(buf: Uint8Array, srcStart: number, srcEnd: number, port: number, protocol: number, action: number, start: number, end: number, count = 1): void {
		let hash = (Math.imul(port + 1, 0x9e3779b1) ^ Math.imul(protocol + 1, 0x85ebca6b) ^ action) | 0;
		for (let i = srcStart; i < srcEnd; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
		hash ^= hash >>> 15;
		const length = srcEnd - srcStart;
		let slot = hash & this.mask;
		for (;;) {
			const entry = this.slots[slot]!;
			if (entry === EMPTY) break;
			if (this.hashes[entry] === hash && this.ports[entry] === port && this.protocols[entry] === protocol && this.actions[entry] === action && this.keyLength[entry] === length && this.sameKey(entry, buf, srcStart, length)) {
				this.counts[entry]! += count;
				if (start >= 0 && !(this.firsts[entry]! <= start)) this.firsts[entry] = start;
				if (end >= 0 && !(this.lasts[entry]! >= end)) this.lasts[entry] = end;
				return;
			}
			slot = (slot + 1) & this.mask;
		}
		const entry = this.insert(slot, hash, buf, srcStart, length);
		this.ports[entry] = port;
		this.protocols[entry] = protocol;
		this.actions[entry] = action;
		this.counts[entry] = count;
		this.firsts[entry] = start >= 0 ? start : Number.NaN;
		this.lasts[entry] = end >= 0 ? end : Number.NaN;
	}

	/** Copies of the live part of the table (see TupleTableSnapshot). */
	snapshot(): TupleTableSnapshot {
		const size = this.size;
		return {
			keys: this.keys.slice(0, this.keysUsed),
			keyStart: this.keyStart.slice(0, size),
			keyLength: this.keyLength.slice(0, size),
			ports: this.ports.slice(0, size),
			protocols: this.protocols.slice(0, size),
			actions: this.actions.slice(0, size),
			counts: this.counts.slice(0, size),
			firsts: this.firsts.slice(0, size),
			lasts: this.lasts.slice(0, size),
		};
	}

	/** Adds another table's tuples (a child's snapshot) to this one. */
	merge(other: TupleTableSnapshot): void {
		for (let entry = 0; entry < other.keyStart.length; entry++) {
			const start = other.keyStart[entry]!;
			// NaN (no time) is passed as -1, "none", like the scanner's missing times.
			const first = other.firsts[entry]!;
			const last = other.lasts[entry]!;
			this.add(other.keys, start, start + other.keyLength[entry]!, other.ports[entry]!, other.protocols[entry]!, other.actions[entry]!, Number.isNaN(first) ? -1 : first, Number.isNaN(last) ? -1 : last, other.counts[entry]);
		}
	}

	/** Moves every tuple into the summary and empties the table. */
	flushInto(summary: FlowSummary): void {
		const decoder = Buffer.from(this.keys.buffer, this.keys.byteOffset, this.keysUsed);
		for (let entry = 0; entry < this.size; entry++) {
			const start = this.keyStart[entry]!;
			const length = this.keyLength[entry]!;
			const src = length === 0 || (length === 1 && this.keys[start] === 45) ? null : decoder.toString('latin1', start, start + length);
			const number = (value: number) => (value < 0 || Number.isNaN(value) ? null : value);
			const code = this.actions[entry]!;
			const direction = code < 3 ? undefined : FLOW_DIRECTIONS[Math.floor(code / 3) - 1];
			summary.addTuple(src, number(this.ports[entry]!), number(this.protocols[entry]!), ACTIONS[code % 3]!, number(this.firsts[entry]!), number(this.lasts[entry]!), this.counts[entry], direction);
		}
		this.slots.fill(EMPTY);
		this.size = 0;
		this.keysUsed = 0;
	}

	private sameKey(entry: number, buf: Uint8Array, start: number, length: number): boolean {
		const keys = this.keys;
		const at = this.keyStart[entry]!;
		for (let i = 0; i < length; i++) if (keys[at + i] !== buf[start + i]) return false;
		return true;
	}

	private insert(slot: number, hash: number, buf: Uint8Array, start: number, length: number): number {
		const entry = this.size++;
		if (entry >= this.hashes.length) this.growEntries();
		if (this.keysUsed + length > this.keys.length) {
			const keys = new Uint8Array(Math.max(this.keys.length * 2, this.keysUsed + length));
			keys.set(this.keys.subarray(0, this.keysUsed));
			this.keys = keys;
		}
		this.keys.set(buf.subarray(start, start + length), this.keysUsed);
		this.keyStart[entry] = this.keysUsed;
		this.keyLength[entry] = length;
		this.keysUsed += length;
		this.hashes[entry] = hash;
		this.slots[slot] = entry;
		if (this.size * 2 > this.slots.length) this.rehash();
		return entry;
	}

	private growEntries(): void {
		const grow = <T extends Int32Array | Float64Array | Uint8Array>(array: T): T => {
			const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
			bigger.set(array);
			return bigger;
		};
		this.keyStart = grow(this.keyStart);
		this.keyLength = grow(this.keyLength);
		this.hashes = grow(this.hashes);
		this.ports = grow(this.ports);
		this.protocols = grow(this.protocols);
		this.actions = grow(this.actions);
		this.counts = grow(this.counts);
		this.firsts = grow(this.firsts);
		this.lasts = grow(this.lasts);
	}

	private rehash(): void {
		const slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
		const mask = slots.length - 1;
		for (let entry = 0; entry < this.size; entry++) {
			let slot = this.hashes[entry]! & mask;
			while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
			slots[slot] = entry;
		}
		this.slots = slots;
		this.mask = mask;
	}
}

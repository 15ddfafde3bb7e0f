// The fast path behind `sgtui flows` (summary mode): scans flow log bytes in place — no string per
// line, no record object, no split — validating every column exactly as the record parser would
// and decoding only the columns the summary needs. Any line it is not sure about (the first line,
// which may be a header; anything malformed; non-ASCII; numbers too long for exact arithmetic)
// is decoded and handed to the shared FlowLineClassifier, so both paths count the same lines the
// same way (test/files/flow-file.test.ts compares them).
import type {FlowAction} from '../core/types.js';
import type {FlowField} from '../core/flow-format.js';
import {directionFrom, FLOW_DIRECTIONS, leftInterface} from '../core/flow-direction.js';
import {FlowLineClassifier} from '../core/flow-lines.js';
import {directionCode, FlowSummary} from '../core/flow-summary.js';
import {FlowTupleTable} from './flow-tuple-table.js';

const STRING = 0;
const NUMBER = 1;
const ACTION = 2;
const STATUS = 3;

const SPACE = 32;
const DASH = 45;
const NEWLINE = 10;
const CR = 13;
const INT32_MAX = 0x7fffffff;
const SLICE_BYTES = 64 * 1024;

/** Digits beyond this may round differently from Number(text): let the parser decide. */
const MAX_FAST_DIGITS = 15;

export class FlowByteScanner {
	readonly classifier: FlowLineClassifier;
	readonly summary: FlowSummary;
	private readonly tuples: FlowTupleTable;
	private kinds = new Uint8Array(0);
	private count = 0;
	private starts = new Int32Array(0);
	private ends = new Int32Array(0);
	private numbers = new Float64Array(0);
	/** Per column, the largest valid number (the field's max); a line with more goes to the parser. */
	private maxes = new Float64Array(0);
	private srcIndex = -1;
	private dstIndex = -1;
	private srcPortIndex = -1;
	private flowDirectionIndex = -1;
	private portIndex = -1;
	private protocolIndex = -1;
	private actionIndex = -1;
	private statusIndex = -1;
	private startIndex = -1;
	private endIndex = -1;
	/** NDJSON mode (emitJson): the text of the wanted records scanned since the last take. */
	private json: JsonOutput | null = null;
	/** Per column, as bytes: `{"key":` for the first, `,"key":` after; null when the fast path can't build the JSON. */
	private jsonKeys: Buffer[] | null = null;
	private jsonKeyBytes = 0;

	/** `tuples` may be shared by the scanners of one thread's ranges; finish() flushes it. */
	constructor(summary: FlowSummary, classifier: FlowLineClassifier, tuples = new FlowTupleTable()) {
		this.summary = summary;
		this.tuples = tuples;
		this.classifier = classifier;
		this.plan(classifier.fields);
		classifier.onFormatChange = (fields) => this.plan(fields);
	}

	private plan(fields: readonly FlowField[]): void {
		this.count = fields.length;
		this.kinds = new Uint8Array(fields.map((field) => (field.kind === 'number' ? NUMBER : field.kind === 'action' ? ACTION : field.kind === 'log-status' ? STATUS : STRING)));
		this.starts = new Int32Array(this.count);
		this.ends = new Int32Array(this.count);
		this.numbers = new Float64Array(this.count);
		this.maxes = new Float64Array(fields.map((field) => field.max ?? Number.MAX_SAFE_INTEGER));
		const index = (name: string) => fields.findIndex((field) => field.name === name);
		this.srcIndex = index('srcaddr');
		this.dstIndex = index('dstaddr');
		this.srcPortIndex = index('srcport');
		this.flowDirectionIndex = index('flow-direction');
		this.portIndex = index('dstport');
		this.protocolIndex = index('protocol');
		this.actionIndex = index('action');
		this.statusIndex = index('log-status');
		this.startIndex = index('start');
		this.endIndex = index('end');
		// A format naming a field twice makes one key (the last value wins) in the parser's
		// record; let the parser and JSON.stringify handle such oddities.
		const keys = fields.map((field) => field.key);
		const plain = new Set(keys).size === keys.length && !keys.includes('__proto__');
		this.jsonKeys = plain ? keys.map((key, column) => Buffer.from(`${column === 0 ? '{' : ','}${JSON.stringify(key)}:`, 'utf8')) : null;
		this.jsonKeyBytes = this.jsonKeys?.reduce((sum, key) => sum + key.length, 0) ?? 0;
	}

	/**
	 * Switches the scanner to NDJSON: each wanted record (REJECTs, or every record with `all`)
	 * becomes the same line `JSON.stringify(record)` gives for the parser's record, built from the
	 * bytes; takeJson() hands the text over. Tuples are not counted in this mode.
	 */
	emitJson(all: boolean): void {
		this.json = new JsonOutput(all);
	}

	/** The NDJSON bytes scanned since the last call (a fresh buffer: the caller may keep it). */
	takeJson(): Buffer {
		return this.json ? this.json.take() : Buffer.alloc(0);
	}

	/**
	 * Scans whole lines in buf[start, end). Every line must end with \n (the reader guarantees it,
	 * adding one after a last line that lacks it): the inner loops stop on it without bounds checks.
	 */
	scan(buf: Buffer, start: number, end: number): void {
		// In slices of whole lines, a call each. While V8 warms up, the optimized code of the line
		// loop is thrown away a few times (a branch taken for the first time); a call that was
		// running it then finishes its slice in the interpreter, ~10× slower. Over 1 MiB reads,
		// that cost a fresh process ~0.1 s; over 64 KiB slices the next call picks up the newly
		// optimized code.
		for (let at = start; at < end; ) {
			let until = at + SLICE_BYTES >= end ? end : buf.lastIndexOf(NEWLINE, at + SLICE_BYTES) + 1;
			if (until <= at) until = end;
			this.scanLines(buf, at, until);
			at = until;
		}
	}

	private scanLines(buf: Buffer, start: number, end: number): void {
		let {kinds, starts, ends, numbers, maxes, count} = this;
		let pending = this.classifier.expectingHeader;
		let i = start;
		let c: number;
		while (i < end) {
			const lineStart = i;
			let column = 0;
			if (!pending && buf[i]! < 128) {
				for (;;) {
					const fieldStart = i;
					if (kinds[column] === NUMBER) {
						let value = 0;
						while ((c = buf[i]!) >= 48 && c <= 57) {
							value = value * 10 + (c - 48);
							i++;
						}
						if (i === fieldStart) {
							if (c !== DASH) break;
							c = buf[++i]!;
							value = -1;
						} else if (i - fieldStart > MAX_FAST_DIGITS || value > maxes[column]!) {
							break;
						}
						numbers[column] = value;
					} else {
						while ((c = buf[i]!) > SPACE) i++;
						if (i === fieldStart) break;
					}
					starts[column] = fieldStart;
					ends[column] = i;
					column++;
					if (c === SPACE && column < count) {
						i++;
						continue;
					}
					if (column === count && buf[i - 1]! < 128) {
						if (c === NEWLINE) column = -1;
						// CRLF (files that went through Windows): the parser trims the CR too.
						else if (c === CR && buf[i + 1] === NEWLINE) {
							i++;
							column = -1;
						}
					}
					break;
				}
			}
			if (column === -1 && this.record(buf)) {
				i++;
				continue;
			}
			// Not a plain record: let the shared rules decide (header, blank, malformed, odd spacing).
			let newline = buf.indexOf(NEWLINE, lineStart);
			if (newline === -1 || newline >= end) newline = end;
			this.slow(buf, lineStart, newline);
			i = newline + 1;
			pending = this.classifier.expectingHeader;
			({kinds, starts, ends, numbers, maxes, count} = this);
		}
	}

	/** A line longer than the reader holds in memory: counted, never parsed. */
	overlong(): void {
		this.classifier.countLine();
		this.classifier.countMalformed();
		this.summary.addMalformed(this.classifier.stats.lines);
	}

	private slow(buf: Buffer, start: number, end: number): void {
		const outcome = this.classifier.next(buf.toString('utf8', start, end));
		if (outcome === 'malformed') {
			this.summary.addMalformed(this.classifier.stats.lines);
		} else if (typeof outcome === 'object') {
			if (this.json) {
				if (this.json.all || outcome.action === 'REJECT') this.json.writeText(JSON.stringify(outcome) + '\n');
			} else {
				this.summary.add(outcome);
			}
		}
	}

	/** Checks the enum columns of a line the scan split cleanly and counts it; false = not valid. */
	private record(buf: Buffer): boolean {
		const {starts, ends} = this;
		let action: FlowAction | null = null;
		if (this.actionIndex >= 0) {
			const s = starts[this.actionIndex]!;
			const length = ends[this.actionIndex]! - s;
			if (length === 6 && buf[s] === 82 && buf[s + 1] === 69 && buf[s + 2] === 74 && buf[s + 3] === 69 && buf[s + 4] === 67 && buf[s + 5] === 84) action = 'REJECT';
			else if (length === 6 && buf[s] === 65 && buf[s + 1] === 67 && buf[s + 2] === 67 && buf[s + 3] === 69 && buf[s + 4] === 80 && buf[s + 5] === 84) action = 'ACCEPT';
			else if (!(length === 1 && buf[s] === DASH)) return false;
		}
		let status: string | null = null;
		if (this.statusIndex >= 0) {
			const s = starts[this.statusIndex]!;
			const length = ends[this.statusIndex]! - s;
			if (length === 2 && buf[s] === 79 && buf[s + 1] === 75) status = 'OK';
			else if (length === 6 && buf.toString('latin1', s, s + 6) === 'NODATA') status = 'NODATA';
			else if (length === 8 && buf.toString('latin1', s, s + 8) === 'SKIPDATA') status = 'SKIPDATA';
			else if (!(length === 1 && buf[s] === DASH)) return false;
		}
		const summary = this.summary;
		if (this.json) return this.recordJson(buf, action, status);
		const wanted = action === 'REJECT' || summary.actions === 'all';
		// The tuple's "source" column and port: the peer and service port when grouping by direction.
		let peerIndex = this.srcIndex;
		let portIndex = this.portIndex;
		let directionPart = 0;
		if (wanted && summary.byDirection) {
			// Non-ASCII addresses: the parser decodes UTF-8, so let it (they are compared as text).
			if (!this.ascii(buf, this.srcIndex) || !this.ascii(buf, this.dstIndex)) return false;
			const own = summary.eniAddresses;
			const left = leftInterface(
				this.text(buf, this.flowDirectionIndex),
				own.size > 0 ? this.text(buf, this.srcIndex) : null,
				own.size > 0 ? this.text(buf, this.dstIndex) : null,
				own,
			);
			const direction = directionFrom(left, this.number(this.srcPortIndex), this.number(this.portIndex));
			if (direction !== 'in') peerIndex = this.dstIndex;
			if (direction === 'reply') portIndex = this.srcPortIndex;
			directionPart = directionCode(direction) * 3;
		}
		let srcStart = 0;
		let srcEnd = 0;
		if (wanted && peerIndex >= 0) {
			srcStart = starts[peerIndex]!;
			srcEnd = ends[peerIndex]!;
			// Non-ASCII: the parser decodes UTF-8, so let it.
			for (let i = srcStart; i < srcEnd; i++) if (buf[i]! >= 128) return false;
		}
		this.classifier.countLine();
		this.classifier.countRecord(status);
		summary.countRecord(action, status);
		if (wanted) {
			const port = portIndex < 0 ? -1 : this.numbers[portIndex]!;
			const protocol = this.protocolIndex < 0 ? -1 : this.numbers[this.protocolIndex]!;
			const start = this.startIndex < 0 ? -1 : this.numbers[this.startIndex]!;
			const end = this.endIndex < 0 ? -1 : this.numbers[this.endIndex]!;
			if (port <= INT32_MAX && protocol <= INT32_MAX) {
				this.tuples.add(buf, srcStart, srcEnd, port, protocol, (action === null ? 0 : action === 'ACCEPT' ? 1 : 2) + directionPart, start, end);
			} else {
				const direction = directionPart === 0 ? undefined : FLOW_DIRECTIONS[directionPart / 3 - 1];
				summary.addTuple(this.text(buf, peerIndex), this.number(portIndex), this.number(this.protocolIndex), action, this.number(this.startIndex), this.number(this.endIndex), 1, direction);
			}
		}
		return true;
	}

	/**
	 * NDJSON mode's record(): copies the line's bytes between the keys. False (the parser and
	 * JSON.stringify decide) for what needs more than a copy: text JSON would escape, non-ASCII,
	 * numbers with leading zeros (Number("007") is 7).
	 */
	private recordJson(buf: Buffer, action: FlowAction | null, status: string | null): boolean {
		const json = this.json!;
		if (json.all || action === 'REJECT') {
			const keys = this.jsonKeys;
			if (!keys) return false;
			const {kinds, starts, ends, count} = this;
			const lineBytes = ends[count - 1]! - starts[0]!;
			const out = json.reserve(this.jsonKeyBytes + lineBytes + 4 * count + 4);
			let at = json.used;
			for (let column = 0; column < count; column++) {
				const s = starts[column]!;
				const e = ends[column]!;
				const key = keys[column]!;
				key.copy(out, at);
				at += key.length;
				if (e - s === 1 && buf[s] === DASH) {
					at = writeNull(out, at);
				} else if (kinds[column] === NUMBER) {
					if (buf[s] === 48 && e - s > 1) return false;
					at += buf.copy(out, at, s, e);
				} else {
					// Quotes, backslashes and non-ASCII need JSON's escaping or UTF-8 decoding.
					for (let i = s; i < e; i++) {
						const c = buf[i]!;
						if (c >= 127 || c === 34 || c === 92) return false;
					}
					out[at++] = 34;
					at += buf.copy(out, at, s, e);
					out[at++] = 34;
				}
			}
			out[at++] = 125;
			out[at++] = NEWLINE;
			json.used = at;
		}
		this.classifier.countLine();
		this.classifier.countRecord(status);
		this.summary.countRecord(action, status);
		return true;
	}

	/** Hands the counted tuples to the summary: call when the input is done. */
	finish(): void {
		this.tuples.flushInto(this.summary);
	}

	private ascii(buf: Buffer, column: number): boolean {
		if (column < 0) return true;
		for (let i = this.starts[column]!; i < this.ends[column]!; i++) if (buf[i]! >= 128) return false;
		return true;
	}

	private text(buf: Buffer, column: number): string | null {
		if (column < 0) return null;
		const s = this.starts[column]!;
		const e = this.ends[column]!;
		return e - s === 1 && buf[s] === DASH ? null : buf.toString('latin1', s, e);
	}

	private number(column: number): number | null {
		if (column < 0) return null;
		const value = this.numbers[column]!;
		return value < 0 ? null : value;
	}
}

function writeNull(out: Buffer, at: number): number {
	out[at] = 110;
	out[at + 1] = 117;
	out[at + 2] = 108;
	out[at + 3] = 108;
	return at + 4;
}

/** A growing output buffer for NDJSON: lines are copied in, take() hands the bytes over. */
class JsonOutput {
	used = 0;
	private out = Buffer.allocUnsafe(1 << 18);
	constructor(readonly all: boolean) {}

	/** The buffer, with room for `bytes` more after `used`. */
	reserve(bytes: number): Buffer {
		if (this.used + bytes > this.out.length) {
			const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.used + bytes));
			this.out.copy(bigger, 0, 0, this.used);
			this.out = bigger;
		}
		return this.out;
	}

	writeText(text: string): void {
		const out = this.reserve(Buffer.byteLength(text));
		this.used += out.write(text, this.used);
	}

	take(): Buffer {
		const taken = this.out.subarray(0, this.used);
		this.out = Buffer.allocUnsafe(Math.max(1 << 16, this.out.length));
		this.used = 0;
		return taken;
	}
}

// Streaming reader for flow log files: a path or '-' for stdin, gzip detected by its magic bytes
// (not the file name), memory bounded by the chunk size whatever the file size. Two ways in:
//   - openFlowFile / readFlowBatches: every record as a FlowRecord (NDJSON, the TUI, the engine);
//   - scanFlowRange: the bytes straight into a FlowByteScanner (see flow-summarize.ts).
import {open, stat} from 'node:fs/promises';
import type {FlowRecord} from '../core/types.js';
import {EvidenceError} from '../core/evidence-error.js';
import type {FlowField} from '../core/flow-format.js';
import {FlowLineClassifier, type FlowReadStats} from '../core/flow-lines.js';
import {FlowSummary} from '../core/flow-summary.js';
import {FlowByteScanner} from './flow-scan.js';
import {errorLine} from '../core/display-text.js';
import {startsWithGzipMagic} from './gzip-magic.js';

export type {FlowReadStats} from '../core/flow-lines.js';

/**
 * No flow-log line comes near this (a v5 record with every field is under 1 KiB): a longer one
 * means the input is not a flow log (/dev/zero, a binary, an endless line), and reading stops with
 * an error naming it instead of scanning on for ever.
 */
export const MAX_LINE_BYTES = 1 << 20;
const CHUNK_BYTES = 1 << 20;
const NEWLINE = 10;

export interface FlowFileOptions {
	/** LogFormat string or fields; default: the file's header line if any, else the v2 format. */
	format?: string | readonly FlowField[] | null;
	/** Called as raw (possibly compressed) bytes are read; total is null for stdin. */
	onProgress?: (bytesRead: number, totalBytes: number | null) => void;
}

export interface ByteRange {
	start: number;
	/** Exclusive. */
	end: number;
}

/** A run of whole lines in buf[start, end), or a line too long to keep. */
type LineBlock = {buf: Buffer; start: number; end: number} | 'overlong';

function describeError(path: string, error: unknown): EvidenceError {
	const code = (error as NodeJS.ErrnoException | null)?.code;
	const name = path === '-' ? 'stdin' : path;
	if (code === 'ENOENT') return new EvidenceError(`cannot read ${name}: no such file`);
	if (code === 'EISDIR') return new EvidenceError(`cannot read ${name}: it is a directory`);
	if (code === 'EACCES') return new EvidenceError(`cannot read ${name}: permission denied`);
	if (code?.startsWith('Z_') || (error instanceof Error && /header check|unexpected end of file|invalid/i.test(error.message))) {
		return new EvidenceError(`cannot read ${name}: corrupt gzip data (${errorLine(error)})`);
	}
	return new EvidenceError(`cannot read ${name}: ${errorLine(error)}`);
}

/** Bytes of stdin as they come. */
async function* stdinChunks(onBytes: (count: number) => void): AsyncGenerator<Buffer> {
	for await (const chunk of process.stdin) {
		onBytes((chunk as Buffer).length);
		yield chunk as Buffer;
	}
}

/**
 * Read buffers kept between reads: a process scanning range after range of a big file reuses the
 * same two instead of leaving two dead MiB per range for the GC to find (V8 collects them late,
 * and the process tree's peak RSS grew with the file: 187 MB at 20M records before this).
 */
const spareChunks: Buffer[] = [];

/**
 * Bytes of a file (or a byte range of it), reading the next chunk while the caller scans this one.
 * With `reuse`, two buffers take turns — the caller must be done with a chunk before asking for
 * the next (the line scanners are; zlib is not, so gzip input gets fresh buffers).
 */
async function* fileChunks(path: string, range: ByteRange | null, reuse: boolean, onBytes: (count: number) => void): AsyncGenerator<Buffer> {
	const handle = await open(path, 'r');
	let pending: Promise<unknown> | null = null;
	const spare: Buffer[] = [];
	try {
		let position = range?.start ?? 0;
		const end = range?.end ?? Number.POSITIVE_INFINITY;
		if (reuse) spare.push(spareChunks.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES), spareChunks.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES));
		let turn = 0;
		const readNext = () => {
			const buffer = reuse ? spare[turn++ % 2]! : Buffer.allocUnsafe(CHUNK_BYTES);
			const start = position;
			const length = Math.min(CHUNK_BYTES, end - position);
			position += length;
			return handle.read(buffer, 0, length, start).then(({bytesRead}) => ({bytesRead, buffer, start, length}));
		};
		let inFlight = position < end ? readNext() : null;
		pending = inFlight;
		while (inFlight) {
			const {bytesRead, buffer, start, length} = await inFlight;
			inFlight = null;
			if (bytesRead === 0) break;
			if (bytesRead < length) {
				// Short read (end of file, or a file that shrank): continue from what was really read.
				position = start + bytesRead;
			}
			onBytes(bytesRead);
			if (position < end) inFlight = readNext();
			pending = inFlight;
			yield buffer.subarray(0, bytesRead);
		}
	} finally {
		// Let an in-flight read finish before closing the handle under it.
		await pending?.catch(() => {});
		await handle.close();
		spareChunks.push(...spare);
	}
}

export async function isGzipFile(path: string): Promise<boolean> {
	const head = await readHead(path, 2);
	return startsWithGzipMagic(head);
}

/** Decompresses when the data starts with gzip's magic bytes (1f 8b), whatever the file is called. */
async function* decodedChunks(raw: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
	const first = await raw.next();
	if (first.done) return;
	const head = first.value;
	if (!startsWithGzipMagic(head)) {
		yield head;
		yield* raw;
		return;
	}
	// Loaded only for gzip input: plain files (and the scan workers) start faster without them.
	const [{createGunzip}, {Readable}, {pipeline}] = await Promise.all([import('node:zlib'), import('node:stream'), import('node:stream/promises')]);
	const gunzip = createGunzip({chunkSize: 256 * 1024});
	const input = Readable.from((async function* () {
		yield head;
		yield* raw;
	})(), {objectMode: false});
	const done = pipeline(input, gunzip);
	// pipeline rejects too when gunzip fails; the iteration below reports the same error.
	done.catch(() => {});
	for await (const chunk of gunzip) yield chunk as Buffer;
	await done;
}

/**
 * Flow logs are text. A stray NUL makes one malformed line; more than this many is binary data
 * (/dev/zero at once, /dev/urandom within a few KB, an image), and the read stops.
 */
export const MAX_NUL_BYTES = 16;

function notText(name: string, offset: number): EvidenceError {
	return new EvidenceError(`cannot read ${name}: binary data (NUL bytes, the ${MAX_NUL_BYTES + 1}th at byte ${offset}), not a flow log`);
}

function overlongLine(name: string): EvidenceError {
	return new EvidenceError(`cannot read ${name}: a line longer than ${MAX_LINE_BYTES / (1 << 20)} MiB, not a flow log`);
}

/**
 * Cuts chunks into blocks of whole lines, carrying a partial line over to the next chunk. Binary
 * data or an endless line ends the read with an EvidenceError (exit 2), within the first MiB.
 */
async function* lineBlocks(chunks: AsyncIterable<Buffer>, name: string, counts: ReadCounts): AsyncGenerator<LineBlock> {
	let carry: Buffer | null = null;
	let offset = 0;
	for await (const chunk of chunks) {
		for (let nul = chunk.indexOf(0); nul !== -1; nul = chunk.indexOf(0, nul + 1)) {
			if (++counts.nuls > MAX_NUL_BYTES) throw notText(name, offset + nul);
		}
		offset += chunk.length;
		let pos = 0;
		if (carry) {
			const newline = chunk.indexOf(NEWLINE);
			if (newline === -1) {
				carry = Buffer.concat([carry, chunk]);
				if (carry.length > MAX_LINE_BYTES) throw overlongLine(name);
				continue;
			}
			const line = Buffer.concat([carry, chunk.subarray(0, newline + 1)]);
			carry = null;
			if (line.length > MAX_LINE_BYTES) throw overlongLine(name);
			yield {buf: line, start: 0, end: line.length};
			pos = newline + 1;
		}
		const last = chunk.lastIndexOf(NEWLINE);
		if (last >= pos) {
			yield {buf: chunk, start: pos, end: last + 1};
			pos = last + 1;
		}
		if (pos < chunk.length) {
			// Copy, so the big chunk isn't kept alive by a few trailing bytes.
			carry = Buffer.from(chunk.subarray(pos));
			if (carry.length > MAX_LINE_BYTES) throw overlongLine(name);
		}
	}
	if (carry && carry.length > 0) {
		// The scanners rely on every line ending with a newline.
		const line = Buffer.concat([carry, Buffer.from('\n')]);
		yield {buf: line, start: 0, end: line.length};
	}
}

/** What a read counted besides lines: NUL bytes (the limit is on the whole file, so ranges report theirs). */
export interface ReadCounts {
	nuls: number;
}

async function* blocksOf(path: string, range: ByteRange | null, onBytes: (count: number) => void, counts: ReadCounts = {nuls: 0}): AsyncGenerator<LineBlock> {
	if (path === '-') {
		yield* lineBlocks(decodedChunks(stdinChunks(onBytes)), 'stdin', counts);
		return;
	}
	// A byte range is only ever asked of a plain file (the parallel scan checks).
	const gzip = range === null && (await isGzipFile(path));
	const raw = fileChunks(path, range, !gzip, onBytes);
	yield* lineBlocks(gzip ? decodedChunks(raw) : raw, range ? `${path} (bytes ${range.start}–${range.end})` : path, counts);
}

export async function fileSize(path: string): Promise<number | null> {
	if (path === '-') return null;
	try {
		const info = await stat(path);
		if (info.isDirectory()) throw Object.assign(new Error('is a directory'), {code: 'EISDIR'});
		return info.isFile() ? info.size : null;
	} catch (error) {
		throw describeError(path, error);
	}
}

export function progressReporter(options: FlowFileOptions, total: number | null): (count: number) => void {
	let read = 0;
	const onProgress = options.onProgress;
	return onProgress
		? (count) => {
				read += count;
				onProgress(read, total);
			}
		: () => {};
}

/**
 * Reads records in batches (one batch per chunk of input): the cheap way to consume a big file.
 * `stats` is filled in as the batches go by.
 */
export function readFlowBatches(path: string, options: FlowFileOptions = {}): {batches: AsyncIterable<FlowRecord[]>; stats: FlowReadStats} {
	const classifier = new FlowLineClassifier(options.format ?? null);
	async function* batches(): AsyncGenerator<FlowRecord[]> {
		const onBytes = progressReporter(options, await fileSize(path));
		try {
			for await (const block of blocksOf(path, null, onBytes)) {
				if (block === 'overlong') {
					classifier.countLine();
					classifier.countMalformed();
					continue;
				}
				const {buf, end} = block;
				const records: FlowRecord[] = [];
				let pos = block.start;
				while (pos < end) {
					let newline = buf.indexOf(NEWLINE, pos);
					if (newline === -1 || newline > end) newline = end;
					const outcome = classifier.next(buf.toString('utf8', pos, newline));
					if (typeof outcome === 'object') records.push(outcome);
					pos = newline + 1;
				}
				if (records.length > 0) yield records;
			}
		} catch (error) {
			throw error instanceof EvidenceError ? error : describeError(path, error);
		}
	}
	return {batches: batches(), stats: classifier.stats};
}

/** Every record of a flow log file, streamed; `stats` is filled in as you iterate. */
export function openFlowFile(path: string, options: FlowFileOptions = {}): {records: AsyncIterable<FlowRecord>; stats: FlowReadStats} {
	const {batches, stats} = readFlowBatches(path, options);
	async function* records(): AsyncGenerator<FlowRecord> {
		for await (const batch of batches) yield* batch;
	}
	return {records: records(), stats};
}

/** Scans a whole file (or range) in this thread; `counts` is filled in as it goes. */
export async function scanFlowRange(path: string, scanner: FlowByteScanner, range: ByteRange | null, onBytes: (count: number) => void, counts: ReadCounts = {nuls: 0}): Promise<void> {
	try {
		for await (const block of blocksOf(path, range, onBytes, counts)) {
			if (block === 'overlong') scanner.overlong();
			else scanner.scan(block.buf, block.start, block.end);
		}
	} catch (error) {
		throw error instanceof EvidenceError ? error : describeError(path, error);
	}
}

export async function readHead(path: string, length: number): Promise<Buffer> {
	const handle = await open(path, 'r');
	try {
		const buf = Buffer.alloc(length);
		const {bytesRead} = await handle.read(buf, 0, length, 0);
		return buf.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
}

/**
 * The NDJSON path of `sgtui flows --json`: wanted records (REJECTs, or all) as JSON lines, straight
 * from the bytes (FlowByteScanner.emitJson), handed to `write` one input chunk at a time. `write`
 * resolving false (the reader went away) stops the read. Returns the stats of what was read.
 */
export async function scanFlowJson(path: string, options: FlowFileOptions & {all: boolean}, write: (bytes: Buffer) => Promise<boolean>): Promise<FlowReadStats> {
	const classifier = new FlowLineClassifier(options.format ?? null);
	const scanner = new FlowByteScanner(new FlowSummary({actions: options.all ? 'all' : 'reject'}), classifier);
	scanner.emitJson(options.all);
	const onBytes = progressReporter(options, await fileSize(path));
	try {
		for await (const block of blocksOf(path, null, onBytes)) {
			if (block === 'overlong') scanner.overlong();
			else scanner.scan(block.buf, block.start, block.end);
			const bytes = scanner.takeJson();
			if (bytes.length > 0 && !(await write(bytes))) break;
		}
	} catch (error) {
		throw error instanceof EvidenceError ? error : describeError(path, error);
	}
	return classifier.stats;
}

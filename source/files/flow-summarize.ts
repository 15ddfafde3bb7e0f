// `sgtui flows`' summary path: the REJECT summary straight from the bytes (FlowByteScanner),
// split over worker threads by byte range for large uncompressed files.
import {open} from 'node:fs/promises';
import type {Worker} from 'node:worker_threads';
import {EvidenceError} from '../core/evidence-error.js';
import {type FlowField, toFields} from '../core/flow-format.js';
import {FlowLineClassifier, type FlowReadStats} from '../core/flow-lines.js';
import {FlowSummary, type FlowSummaryOptions} from '../core/flow-summary.js';
import {type ByteRange, type FlowFileOptions, fileSize, isGzipFile, MAX_NUL_BYTES, progressReporter, readHead, scanFlowRange} from './flow-file.js';
import {FlowByteScanner} from './flow-scan.js';
import {FlowTupleTable, type TupleTableSnapshot} from './flow-tuple-table.js';
import {exitedThreads, idleCores, PARALLEL_MIN_BYTES_PER_THREAD, scanThreadsAvailable, stopScanThreads, takeScanThreads} from './flow-scan-threads.js';

const NEWLINE = 10;

export interface FlowFileSummary {
	summary: FlowSummary;
	stats: FlowReadStats;
	/** How many threads scanned the file (1 = sequential). */
	threads: number;
}

export interface SummarizeOptions extends FlowFileOptions, FlowSummaryOptions {
	/** Upper bound on scanning threads; default: available cores (max 4). 1 scans in this thread only. */
	threads?: number;
	/** Smallest share of the file worth a thread (default 16 MiB; tests lower it). */
	minBytesPerThread?: number;
}

/** Summarizes the REJECTs (or all actions) of a flow log file, from the bytes. */
export async function summarizeFlowFile(path: string, options: SummarizeOptions = {}): Promise<FlowFileSummary> {
	const total = await fileSize(path);
	const threads = Math.max(1, Math.min(options.threads ?? idleCores(), total === null ? 1 : Math.floor(total / (options.minBytesPerThread ?? PARALLEL_MIN_BYTES_PER_THREAD))));
	if (threads > 1 && total !== null) {
		const parallel = await summarizeInParallel(path, total, threads, options);
		if (parallel) return parallel;
	}
	const summary = new FlowSummary({actions: options.actions, byDirection: options.byDirection, eniAddresses: options.eniAddresses});
	const classifier = new FlowLineClassifier(options.format ?? null);
	const scanner = new FlowByteScanner(summary, classifier);
	await scanFlowRange(path, scanner, null, progressReporter(options, total));
	scanner.finish();
	return {summary, stats: classifier.stats, threads: 1};
}


/**
 * Where ranges should end: `rangeBytes` each while plenty is left, then smaller and smaller
 * (guided scheduling), so the processes taking them from one queue finish close together instead
 * of one scanning a last big range while the others wait. Never below 1/8 of `rangeBytes`.
 */
export function rangeEnds(total: number, threads: number, rangeBytes: number): number[] {
	const ends: number[] = [];
	const smallest = Math.max(1, Math.floor(rangeBytes / 8));
	for (let at = 0; at < total; ) {
		const size = Math.max(smallest, Math.min(rangeBytes, Math.ceil((total - at) / (2 * threads))));
		at = Math.min(total, at + size);
		ends.push(at);
	}
	return ends;
}

/** Offsets just after a newline at or after each target, so every range holds whole lines. */
async function splitPoints(path: string, total: number, targets: number[]): Promise<number[]> {
	const points = [0];
	const handle = await open(path, 'r');
	try {
		const probe = Buffer.alloc(64 * 1024);
		for (const target of targets.slice(0, -1)) {
			let offset = Math.max(target, points.at(-1)!);
			for (;;) {
				const {bytesRead} = await handle.read(probe, 0, probe.length, offset);
				if (bytesRead === 0) {
					offset = total;
					break;
				}
				const newline = probe.subarray(0, bytesRead).indexOf(NEWLINE);
				if (newline !== -1) {
					offset += newline + 1;
					break;
				}
				offset += bytesRead;
			}
			points.push(offset);
		}
	} finally {
		await handle.close();
	}
	points.push(total);
	return points;
}

/** One byte range to scan, by this thread or a worker. */
export interface RangeJob {
	path: string;
	range: ByteRange;
	/** The user's format for the first range; the format found at the top for the others. */
	format: FlowField[] | null;
	explicit: boolean;
	/** Every range but the first starts mid-file: no header expected on its first line. */
	midFile: boolean;
	actions: 'reject' | 'all';
	byDirection: boolean;
	eniAddresses: string[];
}

/** What scanning one range found (line numbers local to the range). */
export interface RangeResult {
	stats: FlowReadStats;
	/** Headers that changed the format: more than the top's own header means ranges disagree. */
	formatChanges: number;
	/** NUL bytes seen: the binary-data limit is on the whole file, so the parent adds them up. */
	nuls: number;
}

/**
 * Scans one range into `summary` and `tuples` (shared by all the ranges one thread scans: tuples
 * and totals add up in any order; line numbers come from the returned stats). The caller flushes
 * `tuples` into `summary` when its thread is done.
 */
export async function scanRangeJob(job: RangeJob, summary: FlowSummary, tuples: FlowTupleTable, onBytes: (count: number) => void): Promise<RangeResult> {
	const classifier = new FlowLineClassifier(job.format, {explicit: job.explicit, midFile: job.midFile});
	const scanner = new FlowByteScanner(summary, classifier, tuples);
	let formatChanges = 0;
	const replan = classifier.onFormatChange;
	classifier.onFormatChange = (fields) => {
		formatChanges++;
		replan?.(fields);
	};
	const counts = {nuls: 0};
	await scanFlowRange(job.path, scanner, job.range, onBytes, counts);
	return {stats: classifier.stats, formatChanges, nuls: counts.nuls};
}

/**
 * The format in effect after the file's first non-blank line (its header, if it has one), so
 * ranges starting mid-file parse with it. Null when the head doesn't hold a whole first line.
 */
async function formatAtTop(path: string, format: SummarizeOptions['format']): Promise<{fields: FlowField[]; fromHeader: boolean} | null> {
	const head = await readHead(path, 256 * 1024);
	const classifier = new FlowLineClassifier(format ?? null);
	let changed = false;
	classifier.onFormatChange = () => (changed = true);
	let pos = 0;
	for (;;) {
		const newline = head.indexOf(NEWLINE, pos);
		if (newline === -1) return null;
		classifier.next(head.toString('utf8', pos, newline));
		pos = newline + 1;
		if (!classifier.expectingHeader) return {fields: [...classifier.fields], fromHeader: changed};
	}
}

export type WorkerRequest = {type: 'job'; id: number; job: RangeJob} | {type: 'finish'; actions: 'reject' | 'all'; byDirection: boolean; eniAddresses: string[]};
export type WorkerReply =
	| {type: 'progress'; bytes: number}
	| {type: 'done'; id: number; result: RangeResult}
	| {type: 'summary'; totals: FlowSummary['totals']; rows: ReturnType<FlowSummary['rows']>; tuples: TupleTableSnapshot}
	| {type: 'error'; message: string};

// Ranges are small enough that a thread slowed down by other load just takes fewer of them.
const RANGE_BYTES = 16 * 1024 * 1024;

type WorkerSummary = {totals: FlowSummary['totals']; rows: ReturnType<FlowSummary['rows']>; tuples: TupleTableSnapshot};

/**
 * Splits a plain file into byte ranges at line boundaries, scanned by this thread and worker
 * threads pulling from one queue; the per-thread summaries merge, line numbers shifted range by
 * range. Returns null (the caller scans sequentially, which then says exactly what is wrong) for
 * gzip, when the workers aren't available (running from TypeScript sources), when a header
 * mid-file changes the format, when the ranges together hold more NULs than a text file may, or
 * when any range fails (a line too long, a read error, a worker that died).
 */
async function summarizeInParallel(path: string, total: number, threads: number, options: SummarizeOptions): Promise<FlowFileSummary | null> {
	if (!scanThreadsAvailable() || (await isGzipFile(path))) return null;
	const summary = new FlowSummary({actions: options.actions, byDirection: options.byDirection, eniAddresses: options.eniAddresses});
	const {actions, byDirection, eniAddresses} = summary.options;
	// Workers first (sgtui flows started them before loading this module): a worker takes a while
	// to load its modules, and this thread has work to do meanwhile.
	const workers = takeScanThreads(path, threads - 1);
	try {
		const top = await formatAtTop(path, options.format);
		if (!top) return null;
		const rangeBytes = Math.min(RANGE_BYTES, options.minBytesPerThread ?? RANGE_BYTES);
		const points = await splitPoints(path, total, rangeEnds(total, threads, rangeBytes));
		const explicit = options.format !== undefined && options.format !== null;
		const userFields = options.format === undefined || options.format === null ? null : toFields(options.format);
		const jobs: RangeJob[] = [];
		for (let index = 0; index + 1 < points.length; index++) {
			if (points[index + 1]! > points[index]!) {
				jobs.push({path, range: {start: points[index]!, end: points[index + 1]!}, format: index === 0 ? userFields : top.fields, explicit, midFile: index > 0, actions, byDirection, eniAddresses});
			}
		}
		const results = await scanJobs(jobs, workers, summary, progressReporter(options, total));
		if (!results) return null;
		if (results[0]!.formatChanges > (top.fromHeader ? 1 : 0) || results.slice(1).some((result) => result.formatChanges > 0)) return null;
		if (results.reduce((sum, result) => sum + result.nuls, 0) > MAX_NUL_BYTES) return null;
		const stats = results[0]!.stats;
		for (const result of results.slice(1)) {
			const offset = stats.lines;
			if (stats.firstMalformedLine === null && result.stats.firstMalformedLine !== null) stats.firstMalformedLine = result.stats.firstMalformedLine + offset;
			stats.lines += result.stats.lines;
			stats.records += result.stats.records;
			stats.nodata += result.stats.nodata;
			stats.skipdata += result.stats.skipdata;
			stats.malformed += result.stats.malformed;
		}
		// Tuples and counts add up in any order; the first malformed line needs the ranges' order.
		summary.totals.firstMalformedLine = stats.firstMalformedLine;
		return {summary, stats, threads};
	} finally {
		stopScanThreads(workers);
	}
}

/**
 * Runs the jobs: this thread and every worker take the next job from one queue until none is
 * left, so a thread slowed down by other load just takes fewer. Fills `summary`; null when any
 * job failed (every process stops taking jobs then).
 */
async function scanJobs(jobs: RangeJob[], workers: Worker[], summary: FlowSummary, onBytes: (count: number) => void): Promise<RangeResult[] | null> {
	const results = new Array<RangeResult>(jobs.length);
	let next = 0;
	let failed = false;
	const {actions, byDirection, eniAddresses} = summary.options;
	const take = () => (failed || next >= jobs.length ? -1 : next++);
	const feeds: Array<() => void> = [];
	const worked = workers.map((worker) => new Promise<WorkerSummary>((resolve, reject) => {
		let settled = false;
		const fail = (error: Error) => {
			failed = true;
			settled = true;
			reject(error);
		};
		const feed = () => {
			const id = take();
			if (id >= 0) worker.postMessage({type: 'job', id, job: jobs[id]!} satisfies WorkerRequest);
			else worker.postMessage({type: 'finish', actions, byDirection, eniAddresses} satisfies WorkerRequest);
		};
		feeds.push(feed);
		worker.on('message', (message: WorkerReply) => {
			if (message.type === 'progress') onBytes(message.bytes);
			else if (message.type === 'done') {
				results[message.id] = message.result;
				feed();
			} else if (message.type === 'summary') {
				settled = true;
				resolve(message);
			} else fail(new EvidenceError(message.message));
		});
		worker.on('error', fail);
		worker.on('exit', (code) => {
			if (!settled) fail(new Error(`flow scan thread exited with code ${code}`));
		});
		if (exitedThreads.has(worker)) fail(new Error('flow scan thread stopped before its first job'));
	}));
	// Don't leave an unhandled rejection behind if this process's own ranges fail first.
	for (const pending of worked) pending.catch(() => {});
	// This thread starts on the first range while the workers load; they take the next ones.
	const first = take();
	for (const feed of feeds) feed();
	const tuples = new FlowTupleTable();
	try {
		for (let id = first; id >= 0; id = take()) results[id] = await scanRangeJob(jobs[id]!, summary, tuples, onBytes);
		for (const part of await Promise.all(worked)) {
			tuples.merge(part.tuples);
			summary.merge(part);
		}
		tuples.flushInto(summary);
	} catch {
		failed = true;
		return null;
	}
	return failed ? null : results;
}

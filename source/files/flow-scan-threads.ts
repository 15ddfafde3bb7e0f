// The worker threads that scan byte ranges of a big flow log file for summarizeFlowFile, and
// starting them early: a worker takes ~30 ms to start and more to load the scanner's modules, so
// `sgtui flows` starts them as soon as it knows the input, before it loads its own scanner
// modules. Light on purpose (node built-ins and gzip-magic.ts only): it is loaded before
// everything else of `flows`.
//
// Threads, not child processes (measured 2026-12-01 on 2 cores, 2M records, interleaved A/B
// runs): the same scan took 0.99 s with a worker thread against 1.19 s with a child process
// (20M: 3.9 against 5.6 s), less CPU in all (no second node boot, no serialising the tuple table
// across a pipe), and the whole process peaked at 75 MB against ~125 MB for the process tree. An
// earlier measurement, made under heavy load, had threads slower; it did not hold on re-measuring.
import {closeSync, existsSync, openSync, readSync, statSync} from 'node:fs';
import {availableParallelism} from 'node:os';
import {fileURLToPath} from 'node:url';
import {Worker} from 'node:worker_threads';
import {startsWithGzipMagic} from './gzip-magic.js';

/** Below this many bytes per thread, starting a worker costs more than it saves. */
export const PARALLEL_MIN_BYTES_PER_THREAD = 16 * 1024 * 1024;

const WORKER_PATH = fileURLToPath(new URL('./flow-scan-worker.js', import.meta.url));

/**
 * Threads worth running (max 4): one per core. An earlier version subtracted the load average,
 * but the 1-minute average mostly measured sgtui's own previous run and left a second core idle;
 * the OS scheduler shares cores better than a stale average can predict.
 */
export function idleCores(): number {
	return Math.max(1, Math.min(4, availableParallelism()));
}

/** Whether the worker's script exists (not when running from TypeScript sources, as the tests do). */
export function scanThreadsAvailable(): boolean {
	return existsSync(WORKER_PATH);
}

/**
 * Starts `count` scanning workers. Their output is piped, never our terminal's (`stdout`/`stderr`
 * true); their errors come back as messages or as the Worker's 'error' event.
 */
export function startScanThreads(count: number): Worker[] {
	return Array.from({length: count}, () => {
		const worker = new Worker(WORKER_PATH, {stdout: true, stderr: true});
		// A prestarted worker that fails to load would otherwise raise its 'error' in this thread
		// before anyone listens; the scan learns of it from exitedThreads and falls back.
		worker.on('error', () => {});
		worker.once('exit', () => exitedThreads.add(worker));
		return worker;
	});
}

/** Workers that have already stopped: a scan must not wait for their messages. */
export const exitedThreads = new WeakSet<Worker>();

let prestarted: {path: string; workers: Worker[]} | null = null;

/**
 * Starts the workers summarizeFlowFile(path) with default options will ask for, when `path` is a
 * plain (not gzip) regular file big enough to split. Anything odd (missing file, a FIFO, no
 * permission) starts nothing: the scan itself then reports it.
 */
export function prestartScanThreads(path: string): void {
	releaseScanThreads();
	try {
		const info = statSync(path);
		if (!info.isFile()) return;
		const threads = Math.min(idleCores(), Math.floor(info.size / PARALLEL_MIN_BYTES_PER_THREAD));
		if (threads < 2 || !scanThreadsAvailable()) return;
		const head = Buffer.alloc(2);
		const fd = openSync(path, 'r');
		try {
			if (readSync(fd, head, 0, 2, 0) === 2 && startsWithGzipMagic(head)) return;
		} finally {
			closeSync(fd);
		}
		prestarted = {path, workers: startScanThreads(threads - 1)};
	} catch {
		// Not ours to report.
	}
}

/** The prestarted workers when they fit (same file, same count), else freshly started ones. */
export function takeScanThreads(path: string, count: number): Worker[] {
	const ready = prestarted;
	prestarted = null;
	if (ready && ready.path === path && ready.workers.length === count) return ready.workers;
	if (ready) stopScanThreads(ready.workers);
	return startScanThreads(count);
}

/** Stops unused prestarted workers. */
export function releaseScanThreads(): void {
	if (prestarted) stopScanThreads(prestarted.workers);
	prestarted = null;
}

export function stopScanThreads(workers: Worker[]): void {
	for (const worker of workers) void worker.terminate();
}

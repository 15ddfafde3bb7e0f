// The child processes that scan byte ranges of a big flow log file for summarizeFlowFile, and
// starting them early: a node process takes ~0.1 s to boot (more on a busy machine), so `sgtui
// flows` forks them as soon as it knows the input, before it loads its own scanner modules; by the
// time this process reaches summarizeFlowFile they are nearly ready. Light on purpose (node
// built-ins and gzip-magic.ts only): it is loaded before everything else of `flows`.
import {type ChildProcess, fork} from 'node:child_process';
import {closeSync, existsSync, openSync, readSync, statSync} from 'node:fs';
import {availableParallelism} from 'node:os';
import {fileURLToPath} from 'node:url';
import {startsWithGzipMagic} from './gzip-magic.js';

/** Below this many bytes per process, starting a child costs more than it saves. */
export const PARALLEL_MIN_BYTES_PER_THREAD = 16 * 1024 * 1024;

const WORKER_PATH = fileURLToPath(new URL('./flow-scan-worker.js', import.meta.url));

/**
 * A child's node flags (none inherited: no --inspect or heap flags of ours). A scanning child
 * allocates next to nothing per line, so a 1 MiB young generation (default: up to 16) costs no
 * time and keeps the process tree's RSS down (budget: < 150 MB at any file size).
 */
const CHILD_EXEC_ARGV = ['--max-semi-space-size=1'];

/**
 * Processes worth starting (max 4): one per core. An earlier version subtracted the load average,
 * but the 1-minute average mostly measured sgtui's own previous run and left a second core idle;
 * the OS scheduler shares cores better than a stale average can predict.
 */
export function idleCores(): number {
	return Math.max(1, Math.min(4, availableParallelism()));
}

/** Whether the children exist (not when running from TypeScript sources, as the tests do). */
export function scanChildrenAvailable(): boolean {
	return existsSync(WORKER_PATH);
}

/** Starts `count` scanning children. Their errors come back over IPC; nothing of theirs reaches the terminal. */
export function forkScanChildren(count: number): ChildProcess[] {
	return Array.from({length: count}, () => fork(WORKER_PATH, [], {stdio: ['ignore', 'ignore', 'ignore', 'ipc'], execArgv: CHILD_EXEC_ARGV, serialization: 'advanced'}));
}

let prestarted: {path: string; children: ChildProcess[]} | null = null;

/**
 * Forks the children summarizeFlowFile(path) with default options will ask for, when `path` is a
 * plain (not gzip) regular file big enough to split. Anything odd (missing file, a FIFO, no
 * permission) starts nothing: the scan itself then reports it.
 */
export function prestartScanChildren(path: string): void {
	releaseScanChildren();
	try {
		const info = statSync(path);
		if (!info.isFile()) return;
		const threads = Math.min(idleCores(), Math.floor(info.size / PARALLEL_MIN_BYTES_PER_THREAD));
		if (threads < 2 || !scanChildrenAvailable()) return;
		const head = Buffer.alloc(2);
		const fd = openSync(path, 'r');
		try {
			if (readSync(fd, head, 0, 2, 0) === 2 && startsWithGzipMagic(head)) return;
		} finally {
			closeSync(fd);
		}
		prestarted = {path, children: forkScanChildren(threads - 1)};
	} catch {
		// Not ours to report.
	}
}

/** The prestarted children when they fit (same file, same count), else freshly forked ones. */
export function takeScanChildren(path: string, count: number): ChildProcess[] {
	const ready = prestarted;
	prestarted = null;
	if (ready && ready.path === path && ready.children.length === count) return ready.children;
	if (ready) release(ready.children);
	return forkScanChildren(count);
}

/** Lets unused prestarted children go (they exit when this process disconnects). */
export function releaseScanChildren(): void {
	if (prestarted) release(prestarted.children);
	prestarted = null;
}

function release(children: ChildProcess[]): void {
	for (const child of children) if (child.connected) child.disconnect();
}

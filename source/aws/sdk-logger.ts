// The SDK must never write to the terminal: a full-screen UI would be corrupted and NDJSON output
// would stop being parseable. Everything the SDK (or StartLiveTail's known stray console.* calls)
// says goes to a debug log file instead, opened lazily so nothing is created when nothing is said.
import {appendFileSync, mkdirSync, renameSync, statSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, join} from 'node:path';
import {format} from 'node:util';

/** Same shape as the SDK's Logger interface (@smithy/types), so it can be passed as `logger`. */
export interface DebugLogger {
	debug(...content: unknown[]): void;
	info(...content: unknown[]): void;
	warn(...content: unknown[]): void;
	error(...content: unknown[]): void;
	readonly path: string | null;
}

/** $XDG_STATE_HOME/sgtui/debug.log (default ~/.local/state/sgtui/debug.log). */
export function defaultDebugLogPath(env: NodeJS.ProcessEnv = process.env): string {
	const state = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
	return join(state, 'sgtui', 'debug.log');
}

/** The SDK logs every call: keep one previous file and start afresh past this size. */
export const MAX_DEBUG_LOG_BYTES = 5 * 1024 * 1024;

function rotate(path: string): void {
	try {
		if (statSync(path).size > MAX_DEBUG_LOG_BYTES) renameSync(path, `${path}.1`);
	} catch {
		// No file yet.
	}
}

const SECRETISH = /((?:aws_)?(?:secret_?access_?key|session_?token|secretAccessKey|sessionToken)["'=:\s]+)[^\s"',}]+/gi;

/**
 * A logger appending to `path` (null: discard). Write failures are swallowed on purpose: losing
 * debug output must never break the command that is running.
 */
export function createDebugLogger(path: string | null = defaultDebugLogPath()): DebugLogger {
	let ready = false;
	const write = (level: string, content: unknown[]) => {
		if (!path) return;
		try {
			if (!ready) {
				mkdirSync(dirname(path), {recursive: true});
				rotate(path);
				ready = true;
			}
			const text = format(...content).replace(SECRETISH, '$1…');
			appendFileSync(path, `${new Date().toISOString()} ${level} ${text}\n`, {mode: 0o600});
		} catch {
			// Debug output is best effort.
		}
	};
	return {
		path,
		debug: (...content) => write('debug', content),
		info: (...content) => write('info', content),
		warn: (...content) => write('warn', content),
		error: (...content) => write('error', content),
	};
}

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace';
const METHODS: ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug', 'trace'];

let guards = 0;
let saved: Partial<Record<ConsoleMethod, (...args: unknown[]) => void>> = {};

/**
 * Routes console.* to the logger until the returned release function is called. Reference
 * counted, because several live-tail sessions may overlap; the last release restores console.
 */
export function guardConsole(logger: DebugLogger): () => void {
	if (guards === 0) {
		saved = {};
		for (const method of METHODS) {
			// eslint-disable-next-line @typescript-eslint/unbound-method -- kept only to be put back on console, never called detached
			saved[method] = console[method] as (...args: unknown[]) => void;
			console[method] = (...args: unknown[]) => logger.warn(`console.${method}:`, ...args);
		}
	}
	guards++;
	let released = false;
	return () => {
		if (released) return;
		released = true;
		guards--;
		if (guards === 0) {
			for (const method of METHODS) {
				if (saved[method]) console[method] = saved[method] as never;
			}
			saved = {};
		}
	};
}

// While the full-screen UI runs, anything written through console.* (the AWS SDK, a library's
// warning) would tear the frame. It goes to a log file instead, and comes back on exit.
import {appendFileSync, mkdirSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {format} from 'node:util';

export interface ConsoleRedirect {
	logPath: string;
	restore(): void;
}

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

export function defaultLogPath(): string {
	const base = process.env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
	return path.join(base, 'sgtui', 'tui.log');
}

export function redirectConsole(logPath = defaultLogPath()): ConsoleRedirect {
	try {
		mkdirSync(path.dirname(logPath), {recursive: true});
	} catch {
		logPath = path.join(os.tmpdir(), `sgtui-${process.pid}.log`);
	}
	// eslint-disable-next-line @typescript-eslint/unbound-method -- kept only to be put back on console, never called detached
	const saved = METHODS.map((method) => [method, console[method]] as const);
	for (const method of METHODS) {
		console[method] = (...args: unknown[]) => {
			try {
				appendFileSync(logPath, `${new Date().toISOString()} ${method} ${format(...args)}\n`, {mode: 0o600});
			} catch {
				// A log that cannot be written must not break the UI.
			}
		};
	}
	return {
		logPath,
		restore() {
			for (const [method, original] of saved) console[method] = original as never;
		},
	};
}

// A real terminal for the TUI benchmarks without node-pty: util-linux `script` allocates the pty,
// we write keys to its stdin and read the terminal's output from its stdout, timestamped as it
// arrives. Frames are found by their text (ANSI stripped), so "key → frame" is the time from
// writing the key to the first output containing what the key was meant to change.
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import stripAnsi from 'strip-ansi';

export function hasScript() {
	try {
		return spawn('script', ['--version']).pid !== undefined;
	} catch {
		return false;
	}
}

const quote = (text) => `'${String(text).replaceAll("'", "'\\''")}'`;

export class PtyApp {
	/**
	 * Starts `command` (argv) in a fresh pty of columns × rows, with `env` added. The process
	 * tree is script → sh → command; `pid()` finds the command's own pid for RSS readings.
	 */
	constructor(argv, {columns = 100, rows = 30, env = {}} = {}) {
		const inner = `stty cols ${columns} rows ${rows}; exec ${argv.map(quote).join(' ')}`;
		this.started = performance.now();
		// -q quiet, -f flush each write, -e child's exit status, output log to /dev/null.
		// CI in the environment (even empty) makes ink print only the last frame.
		const {CI: _ci, CONTINUOUS_INTEGRATION: _cci, ...inherited} = process.env;
		this.child = spawn('script', ['-qfec', inner, '/dev/null'], {stdio: ['pipe', 'pipe', 'ignore'], env: {...inherited, ...env, TERM: 'xterm-256color'}});
		this.child.stdin.on('error', () => {});
		/** Output since the last mark(), ANSI stripped lazily. */
		this.pending = '';
		this.total = 0;
		this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
		this.waiters = [];
		this.child.stdout.on('data', (chunk) => {
			const at = performance.now();
			this.pending += chunk.toString('utf8');
			this.total += chunk.length;
			// Bound memory in a long flood: only the tail can hold a frame we wait for.
			if (this.pending.length > 4_000_000) this.pending = this.pending.slice(-1_000_000);
			this.check(at);
		});
	}

	check(at) {
		if (this.waiters.length === 0) return;
		const text = stripAnsi(this.pending);
		for (const waiter of [...this.waiters]) {
			if (waiter.test(text)) {
				this.waiters.splice(this.waiters.indexOf(waiter), 1);
				clearTimeout(waiter.timer);
				waiter.resolve(at);
			}
		}
	}

	/** Forgets the output so far: the next wait looks only at what comes after. */
	mark() {
		this.pending = '';
	}

	/** Resolves with the arrival time (performance.now()) of the output that satisfied `condition`. */
	waitFor(condition, timeoutMs = 30_000) {
		const test = typeof condition === 'string' ? (text) => text.includes(condition) : condition instanceof RegExp ? (text) => condition.test(text) : condition;
		return new Promise((resolve, reject) => {
			const waiter = {test, resolve, timer: null};
			waiter.timer = setTimeout(() => {
				this.waiters.splice(this.waiters.indexOf(waiter), 1);
				reject(new Error(`timed out after ${timeoutMs} ms waiting for ${String(condition)}; last output: ${JSON.stringify(stripAnsi(this.pending).slice(-600))}`));
			}, timeoutMs);
			this.waiters.push(waiter);
			this.check(performance.now());
		});
	}

	/** Writes keys (raw bytes: '\r' Enter, '\u001b' Esc, '\u001b[B' Down) and returns the time written. */
	send(keys) {
		const at = performance.now();
		this.child.stdin.write(keys);
		return at;
	}

	/** Writes keys, then waits for the frame showing `condition`; resolves to milliseconds. */
	async keyToFrame(keys, condition, timeoutMs = 10_000) {
		this.mark();
		const sent = this.send(keys);
		const seen = await this.waitFor(condition, timeoutMs);
		return seen - sent;
	}

	/** The pid of the command itself (script's grandchild, or child when sh exec'd it). */
	pid() {
		const descendants = (pid) => {
			try {
				const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
				return children.flatMap((child) => [child, ...descendants(child)]);
			} catch {
				return [];
			}
		};
		const all = descendants(this.child.pid);
		return all.find((pid) => {
			try {
				return readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('node');
			} catch {
				return false;
			}
		}) ?? null;
	}

	async close() {
		if (this.child.exitCode === null) {
			this.child.kill('SIGTERM');
			const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
			await this.exited;
			clearTimeout(timer);
		}
	}
}

/** Resolves once no output has arrived for `quietMs`; returns the arrival time of the last output before it. */
PtyApp.prototype.settle = function settle(quietMs = 300, timeoutMs = 30_000) {
	return new Promise((resolve, reject) => {
		let last = performance.now();
		const onData = () => (last = performance.now());
		this.child.stdout.on('data', onData);
		const deadline = performance.now() + timeoutMs;
		const timer = setInterval(() => {
			const now = performance.now();
			if (now - last >= quietMs || now > deadline) {
				clearInterval(timer);
				this.child.stdout.off('data', onData);
				if (now > deadline) reject(new Error(`output never went quiet for ${quietMs} ms`));
				else resolve(last);
			}
		}, 5);
	});
};

/** Resolves with the arrival time of the next output chunk (any frame). */
PtyApp.prototype.nextOutput = function nextOutput(timeoutMs = 5000) {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			this.child.stdout.off('data', onData);
			reject(new Error('no frame'));
		}, timeoutMs);
		const onData = () => {
			clearTimeout(timer);
			this.child.stdout.off('data', onData);
			resolve(performance.now());
		};
		this.child.stdout.on('data', onData);
	});
};

/** mulberry32, the generator the flow files use: the same keys on every machine. */
export function seeded(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

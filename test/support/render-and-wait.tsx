// THE way UI tests render: ink with test streams of a chosen size (ink-testing-library's stdout
// has no rows and never resizes), and helpers that wait for a frame condition instead of sleeping.
// ink's useInput subscribes in an effect, so keys are only written once input is being listened
// to and React has had a turn to run the effects of the last frame.
import {EventEmitter} from 'node:events';
import {render as inkRender} from 'ink';
import stripAnsi from 'strip-ansi';
import type React from 'react';

class TestStdout extends EventEmitter {
	isTTY = true;
	frames: string[] = [];
	constructor(public columns: number, public rows: number) {
		super();
	}
	write = (frame: string) => {
		this.frames.push(frame);
		return true;
	};
	lastFrame = () => this.frames[this.frames.length - 1] ?? '';
}

class TestStdin extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	write = (data: string) => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};
	read = () => {
		const {data} = this;
		this.data = null;
		return data;
	};
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

const KEYS: Record<string, string> = {
	enter: '\r',
	esc: '\u001B',
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	tab: '\t',
	'shift+tab': '\u001B[Z',
	backspace: '\u007F',
	pageup: '\u001B[5~',
	pagedown: '\u001B[6~',
	home: '\u001B[H',
	end: '\u001B[F',
};

export type FrameCondition = string | RegExp | ((frame: string) => boolean);

function matches(frame: string, condition: FrameCondition): boolean {
	if (typeof condition === 'string') return frame.includes(condition);
	if (condition instanceof RegExp) return condition.test(frame);
	return condition(frame);
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface Rendered {
	/** The last frame without ANSI codes. */
	frame(): string;
	/** The last frame as written (with colours). */
	rawFrame(): string;
	stdout: TestStdout;
	stdin: TestStdin;
	waitForFrame(condition: FrameCondition, timeoutMs?: number): Promise<string>;
	/** Sends a key ('enter', 'esc', 'down', 'ctrl+a', or text) and waits for `until` when given. */
	press(key: string, until?: FrameCondition, timeoutMs?: number): Promise<string>;
	type(text: string, until?: FrameCondition): Promise<string>;
	resize(columns: number, rows: number): void;
	unmount(): void;
	exited: Promise<unknown>;
}

export function renderAndWait(tree: React.ReactElement, size: {columns?: number; rows?: number} = {}): Rendered {
	const stdout = new TestStdout(size.columns ?? 100, size.rows ?? 30);
	const stdin = new TestStdin();
	const stderr = new TestStdout(100, 30);
	const instance = inkRender(tree, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		stderr: stderr as unknown as NodeJS.WriteStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	const frame = () => stripAnsi(stdout.lastFrame());

	const waitForFrame = (condition: FrameCondition, timeoutMs = 10_000) =>
		new Promise<string>((resolve, reject) => {
			const check = () => matches(frame(), condition);
			if (check()) return resolve(frame());
			const timer = setTimeout(() => {
				stdout.off('frame', onFrame);
				reject(new Error(`timed out after ${timeoutMs} ms waiting for ${String(condition)}; last frame:\n${frame()}`));
			}, timeoutMs);
			const onFrame = () => {
				if (!check()) return;
				clearTimeout(timer);
				stdout.off('frame', onFrame);
				resolve(frame());
			};
			stdout.on('frame', onFrame);
		});
	const originalWrite = stdout.write;
	stdout.write = (data: string) => {
		const result = originalWrite(data);
		stdout.emit('frame');
		return result;
	};

	const ready = async () => {
		// Input is read once ink's App listens; effects of the latest frame run on the next turns.
		for (let attempt = 0; attempt < 200 && stdin.listenerCount('readable') === 0; attempt++) await turn();
		await turn();
		await turn();
	};

	const press = async (key: string, until?: FrameCondition, timeoutMs?: number) => {
		await ready();
		let sequence = KEYS[key];
		if (!sequence && key.startsWith('ctrl+') && key.length === 6) sequence = String.fromCharCode(key.charCodeAt(5) - 96);
		stdin.write(sequence ?? key);
		await turn();
		return until === undefined ? frame() : waitForFrame(until, timeoutMs);
	};

	const type = async (text: string, until?: FrameCondition) => {
		for (const char of text) await press(char);
		return until === undefined ? frame() : waitForFrame(until);
	};

	return {
		frame,
		rawFrame: () => stdout.lastFrame(),
		stdout,
		stdin,
		waitForFrame,
		press,
		type,
		resize(columns, rows) {
			stdout.columns = columns;
			stdout.rows = rows;
			stdout.emit('resize');
		},
		unmount: () => instance.unmount(),
		exited: instance.waitUntilExit(),
	};
}

/** Every line of a frame, for height and width assertions. */
export function frameLines(frame: string): string[] {
	return frame.replace(/\n$/, '').split('\n');
}

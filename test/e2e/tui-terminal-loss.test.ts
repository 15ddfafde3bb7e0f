// The terminal under `sgtui --demo` going away (window closed, `tmux kill-session`, an ssh session
// dropped): the UI must stop, close its lab, and leave nothing on stderr — no `write EIO` stack
// trace, no Node assertion from restoring a terminal that is gone. stderr goes to a file here, so
// it outlives the terminal and can be read afterwards.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {builtCli} from '../support/built-cli.js';
import {skipWithout} from '../support/peers.js';
import {TmuxSession} from './tmux-session.js';

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

function pidIn(dir: string, name: string): number[] {
	const file = path.join(dir, name);
	return existsSync(file) ? [Number(readFileSync(file, 'utf8'))] : [];
}

function childrenOf(pid: number): number[] {
	try {
		return execFileSync('pgrep', ['-P', String(pid)], {encoding: 'utf8'}).split('\n').filter(Boolean).map(Number);
	} catch {
		return [];
	}
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

describe.skipIf(skipWithout('tmux'))('sgtui --demo when its terminal goes away', {timeout: 120_000}, () => {
	const cleanups: Array<() => void> = [];
	beforeAll(() => void builtCli(), 300_000);
	afterEach(() => {
		for (const cleanup of cleanups.splice(0)) cleanup();
	});

	/** `sgtui --demo` in tmux under `wrapper` (a shell line with NODE for the command), waited for until `shows` (default: the inventory). */
	async function startDemo(name: string, wrapper: (node: string, files: string) => string, shows = 'win-jump'): Promise<{session: TmuxSession; files: string}> {
		const files = mkdtempSync(path.join(os.tmpdir(), 'sgtui-e2e-loss-'));
		const session = new TmuxSession(name);
		cleanups.push(() => {
			session.kill();
			// A sgtui that outlived its terminal (the failure under test) must not outlive the test.
			for (const pid of [...pidIn(files, 'pid'), ...pidIn(files, 'shell').flatMap(childrenOf)]) if (alive(pid)) process.kill(pid, 'SIGKILL');
			rmSync(files, {recursive: true, force: true, maxRetries: 10, retryDelay: 50});
		});
		session.start(`sh -c '${wrapper(`node ${builtCli()} --demo`, files)}'`, {columns: 100, rows: 30}, {XDG_STATE_HOME: files, HOME: files, TERM: 'xterm-256color'});
		await session.waitFor(shows, 60_000);
		return {session, files};
	}

	function expectQuietStderr(files: string): void {
		const stderr = readFileSync(path.join(files, 'stderr'), 'utf8');
		expect(stderr).not.toMatch(/EIO|Error|Assertion|\n\s+at |Segmentation/);
	}

	function demoStateLeft(files: string): string[] {
		const dir = path.join(files, 'sgtui', 'demo');
		return existsSync(dir) ? readdirSync(dir) : [];
	}

	// sgtui leads the terminal's session (exec), so the kernel sends it the SIGHUP. While the demo is
	// still starting, the UI unmounts before it is waited on: ink's exit promise, asked for after,
	// never settled.
	it.each([
		['hangup', 'on the hangup when the terminal closes', undefined],
		['starting', 'when the terminal closes while the demo is still starting', 'starting the demo lab'],
	] as const)('exits quietly (%s) %s', async (name, _when, shows) => {
		const {session, files} = await startDemo(name, (node, dir) => `echo $$ >${dir}/pid; exec ${node} 2>${dir}/stderr`, shows);
		const pid = Number(readFileSync(path.join(files, 'pid'), 'utf8'));
		session.kill();
		await until(() => !alive(pid), 20_000, 'sgtui to exit');
		expectQuietStderr(files);
		expect(demoStateLeft(files)).toEqual([]);
	});

	it('exits quietly, non-zero, when only its input ends (no hangup reaches it)', async () => {
		// The shell ignores the hangup and outlives the terminal, so sgtui gets no SIGHUP: only end of
		// input on stdin and EIO on writes. The shell records its exit status.
		const {session, files} = await startDemo('eof', (node, dir) => `trap "" HUP; echo $$ >${dir}/shell; ${node} 2>${dir}/stderr; echo $? >${dir}/status`);
		session.kill();
		await until(() => existsSync(path.join(files, 'status')), 20_000, 'sgtui to exit');
		expect(Number(readFileSync(path.join(files, 'status'), 'utf8'))).toBeGreaterThan(0);
		expectQuietStderr(files);
		expect(demoStateLeft(files)).toEqual([]);
	});
});

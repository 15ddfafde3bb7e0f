// `sgtui --demo` in its own tmux server, state directory and lab, as the e2e tests start it: the
// build builtCli() picked (dist/ when fresh, else one temp build of this source), HOME and
// XDG_STATE_HOME in a temp dir, and the shell kept open after exit so "EXIT=n" can be read.
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {builtCli} from '../support/built-cli.js';
import {TmuxSession} from './tmux-session.js';

export interface DemoSession {
	session: TmuxSession;
	state: string;
	/** Kills the tmux server and removes the state directory. */
	close(): void;
}

/** Starts the demo at `size` and waits until the inventory shows (win-jump). */
export async function startDemoSession(name: string, size: {columns: number; rows: number}, waitMs = 30_000): Promise<DemoSession> {
	const state = mkdtempSync(path.join(os.tmpdir(), 'sgtui-e2e-'));
	const session = new TmuxSession(name);
	const close = () => {
		session.kill();
		// sgtui may still be removing its own demo state as its terminal goes: retry ENOTEMPTY.
		rmSync(state, {recursive: true, force: true, maxRetries: 10, retryDelay: 50});
	};
	try {
		session.start(`sh -c 'node ${builtCli()} --demo; echo "EXIT=$?"; sleep 60'`, size, {XDG_STATE_HOME: state, HOME: state, TERM: 'xterm-256color'});
		await session.waitFor('win-jump', waitMs);
	} catch (error) {
		close();
		throw error;
	}
	return {session, state, close};
}

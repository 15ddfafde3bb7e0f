// A real terminal for end-to-end tests: a tmux server on its own socket, one session running a
// command, keys in with send-keys, the screen out with capture-pane. Waits poll the screen for a
// condition (a real terminal has no frame events to subscribe to).
import {execFileSync, spawnSync} from 'node:child_process';

export class TmuxSession {
	readonly socket: string;
	constructor(readonly name: string) {
		this.socket = `sgtui-test-${process.pid}-${name}`;
	}

	private tmux(args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
	}

	start(command: string, size: {columns: number; rows: number}, env: Record<string, string>): void {
		const exports = Object.entries(env).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ');
		// CI set in the environment would make ink print only the last frame: unset it.
		this.tmux(['-f', '/dev/null', 'new-session', '-d', '-s', this.name, '-x', String(size.columns), '-y', String(size.rows), `unset CI; env ${exports} ${command}`]);
		this.tmux(['set-option', '-t', this.name, 'remain-on-exit', 'on']);
	}

	screen(colors = false): string {
		return this.tmux(['capture-pane', '-t', this.name, '-p', ...(colors ? ['-e'] : [])]);
	}

	send(...keys: string[]): void {
		for (const key of keys) this.tmux(['send-keys', '-t', this.name, key]);
	}

	/** Literal text (no key-name lookup). */
	type(text: string): void {
		this.tmux(['send-keys', '-t', this.name, '-l', text]);
	}

	resize(columns: number, rows: number): void {
		this.tmux(['resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows)]);
	}

	display(format: string): string {
		return this.tmux(['display-message', '-t', this.name, '-p', format]).trim();
	}

	async waitFor(condition: string | RegExp | ((screen: string) => boolean), timeoutMs = 15_000): Promise<string> {
		const test = typeof condition === 'string' ? (s: string) => s.includes(condition) : condition instanceof RegExp ? (s: string) => condition.test(s) : condition;
		const deadline = Date.now() + timeoutMs;
		let screen = '';
		while (Date.now() < deadline) {
			screen = this.screen();
			if (test(screen)) return screen;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(condition)}; screen:\n${screen}`);
	}

	kill(): void {
		spawnSync('tmux', ['-L', this.socket, 'kill-server']);
	}
}

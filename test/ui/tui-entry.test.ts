// The `sgtui` entry point without a subcommand, as a user's shell or a CI job would run it.
import {beforeAll, describe, expect, it} from 'vitest';
import {NOT_A_TTY, wantsColor} from '../../source/app/tui.js';
import {builtCli, runCli} from '../support/built-cli.js';

describe('sgtui (the TUI entry)', () => {
	// A stale dist/ means one build for the run: do it here, not inside the first test's timeout.
	beforeAll(() => void builtCli(), 300_000);

	it('refuses to start without a terminal: one line pointing to the subcommands, exit 2', () => {
		const result = runCli(['--snapshot', 'demo/snapshot'], {input: '', timeout: 20_000});
		expect(result.status).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe(`sgtui: ${NOT_A_TTY}\n`);
		expect(result.stderr).toContain('sgtui ports | flows | check | audit');
	});

	it('keeps subcommand flags working next to the root --snapshot flag', () => {
		const result = runCli(['audit', '--snapshot', 'demo/snapshot', '--json'], {timeout: 20_000});
		expect(result.status, result.stderr).toBe(0);
		expect(() => JSON.parse(result.stdout)).not.toThrow();
	});

	it('rejects --demo with --snapshot as a usage error before touching the terminal', () => {
		const result = runCli(['--demo', '--snapshot', 'x'], {input: '', timeout: 20_000});
		expect(result.status).toBe(2);
		expect(result.stderr).toBe('sgtui: --demo and --snapshot cannot be combined (--demo already serves the bundled snapshot)\n');
	});

	it('honours NO_COLOR and --no-color', () => {
		expect(wantsColor({}, {})).toBe(true);
		expect(wantsColor({}, {NO_COLOR: '1'})).toBe(false);
		expect(wantsColor({}, {NO_COLOR: ''})).toBe(true);
		expect(wantsColor({color: false}, {})).toBe(false);
	});
});

// A mistyped subcommand (`sgtui chek i-1`) is a usage error that names the word and the nearest
// command, not commander's "too many arguments" of the root (which takes no operand: it opens the
// UI). The root itself, with or without its flags, still reaches the UI.
import {beforeAll, describe, expect, it} from 'vitest';
import {NOT_A_TTY} from '../../source/app/tui.js';
import {builtCli, runCli} from '../support/built-cli.js';

describe('sgtui <unknown command>', () => {
	beforeAll(() => void builtCli(), 300_000);

	it.each([
		['a typo of a command', ['chek', 'i-1'], `sgtui: unknown command 'chek' (did you mean 'check'?) — see sgtui --help\n`],
		['a typo followed by its options', ['chek', 'i-1', '--port', '22', '--snapshot', 'x'], `sgtui: unknown command 'chek' (did you mean 'check'?) — see sgtui --help\n`],
		['a typo after root flags', ['--no-color', 'flow'], `sgtui: unknown command 'flow' (did you mean 'flows'?) — see sgtui --help\n`],
		['a word like no command', ['frobnicate'], `sgtui: unknown command 'frobnicate' — see sgtui --help\n`],
		['a word holding a screen clear and a BiDi override', ['\u001b[2Jche\u202eck'], `sgtui: unknown command '\\x1b[2Jche\\u202eck' — see sgtui --help\n`],
	])('%s: one line, exit 2, nothing on stdout', (_, args, expected) => {
		const result = runCli(args, {input: '', timeout: 20_000});
		expect(result.stderr).toBe(expected);
		expect(result.status).toBe(2);
		expect(result.stdout).toBe('');
	});

	it.each([
		[['ports', '--inptu', 'x'], `sgtui: unknown option '--inptu' (did you mean '--input'?) (run with --help for usage)\n`],
		[['--no-colr'], `sgtui: unknown option '--no-colr' (did you mean '--no-color'?) (run with --help for usage)\n`],
		[['--demo', '-Z', 'check'], `sgtui: unknown option '-Z' (run with --help for usage)\n`],
	])('sgtui %j: an unknown option, its suggestion on the same line', (args, expected) => {
		const result = runCli(args, {input: '', timeout: 20_000});
		expect(result.stderr).toBe(expected);
		expect(result.status).toBe(2);
	});

	it.each([
		[['help'], 'Usage: sgtui [options] [command]'],
		[['help', 'check'], 'Usage: sgtui check [options]'],
		[['help', 'chek'], 'Usage: sgtui [options] [command]'],
	])('sgtui %j shows the help meant, as --help does', (args, usage) => {
		const result = runCli(args, {input: '', timeout: 20_000});
		expect(result.stdout.startsWith(usage)).toBe(true);
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
	});

	it.each([[[]], [['--demo']], [['--snapshot', 'demo/snapshot']]])('sgtui %j still opens the UI (here: refused for want of a terminal)', (args) => {
		const result = runCli(args, {input: '', timeout: 20_000});
		expect(result.stderr).toBe(`sgtui: ${NOT_A_TTY}\n`);
		expect(result.status).toBe(2);
	});
});

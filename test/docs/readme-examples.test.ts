// The README's examples, run as written: each `$ sgtui …` block runs in bash from a directory that
// looks like the repository root (demo/ and examples/ are there), with `sgtui` on PATH as the
// built CLI and `aws` as the Debian AWS CLI v2. Blocks marked `<!-- doctest: server -->` (the
// lab) start first and stay up; their printed `export` lines are the environment of the blocks
// marked `<!-- doctest: lab -->`. Output must match what the README shows, after the small
// normalisation in test/support/readme-examples.ts.
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {builtCli, root} from '../support/built-cli.js';
import {freePort} from '../support/free-port.js';
import {compareOutput, normalize, parseReadmeExamples, type DocBlock} from '../support/readme-examples.js';

const AWS_V2 = '/usr/bin/aws';
const SEPARATOR = '<<<sgtui-doctest-separator>>>';
const blocks = parseReadmeExamples(readFileSync(join(root, 'README.md'), 'utf8'));

let work = '';
let env: NodeJS.ProcessEnv = {};
const labEnv: Record<string, string> = {};
const servers: ChildProcess[] = [];

function title(block: DocBlock): string {
	return `README line ${block.line}: $ ${block.commands[0]?.command.split('\n')[0] ?? ''}`;
}

/** `export A=1 B=2   # comment` lines of a server's output, as variables. */
function exportsIn(output: string): Record<string, string> {
	const variables: Record<string, string> = {};
	for (const line of output.split('\n')) {
		const match = /^\s*export\s+([^#]*)/.exec(line);
		if (!match) continue;
		for (const pair of (match[1] ?? '').trim().split(/\s+/)) {
			const eq = pair.indexOf('=');
			if (eq > 0) variables[pair.slice(0, eq)] = pair.slice(eq + 1);
		}
	}
	return variables;
}

async function startServer(block: DocBlock): Promise<void> {
	const [first] = block.commands;
	if (!first) return;
	// The one rewrite of a command: a server's fixed `--port N` becomes a free port, so the test
	// never collides with anything else on the machine (the output's ports are normalised).
	const command = first.command.replace(/--port \d+/, `--port ${await freePort()}`);
	const child = spawn('bash', ['-c', `exec 2>&1; exec ${command}`], {cwd: work, env, detached: true, stdio: ['ignore', 'pipe', 'pipe']});
	servers.push(child);
	let output = '';
	const wanted = first.expected.slice(0, Math.max(0, first.expected.findIndex((line) => line.trim() === '...')) || first.expected.length);
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${title(block)}: no complete output in 30 s:\n${output}`)), 30_000);
		child.stdout?.on('data', (chunk: Buffer) => {
			output += chunk.toString('utf8');
			const lines = normalize(output, true).split('\n');
			if (lines.length > wanted.length && compareOutput([...wanted.map((line) => normalize(line, true)), '...'], lines) === null) {
				clearTimeout(timer);
				resolve();
			}
		});
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${title(block)}: exited ${code} before printing what the README shows:\n${output}`));
		});
	});
	Object.assign(labEnv, exportsIn(output));
}

function runBlock(block: DocBlock): string[] {
	// The separator keeps each command's exit status for the next one (`echo $?` examples).
	const script = block.commands
		.map((command) => `${command.command}\n__status=$?; printf '\\n%s\\n' '${SEPARATOR}'; (exit $__status)`)
		.join('\n');
	const result = spawnSync('bash', ['-c', `exec 2>&1\n${script}`], {
		cwd: work,
		env: block.mode === 'lab' ? {...env, ...labEnv} : env,
		encoding: 'utf8',
		timeout: 90_000,
	});
	if (result.error) throw result.error;
	return result.stdout.split(`\n${SEPARATOR}\n`).slice(0, block.commands.length);
}

beforeAll(async () => {
	work = mkdtempSync(join(tmpdir(), 'sgtui-readme-'));
	const bin = join(work, '.bin');
	mkdirSync(bin);
	const cli = builtCli();
	writeFileSync(join(bin, 'sgtui'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`);
	chmodSync(join(bin, 'sgtui'), 0o755);
	// The AWS CLI only ever talks to the lab: Debian's 2.9 ignores AWS_ENDPOINT_URL, so a README
	// example without `--endpoint-url <the lab>` would dial real AWS. The shim refuses it instead.
	if (existsSync(AWS_V2)) {
		writeFileSync(
			join(bin, 'aws'),
			[
				'#!/bin/sh',
				'prev=""; ok=""',
				'for arg in "$@"; do',
				'  if [ "$prev" = "--endpoint-url" ]; then case "$arg" in http://127.0.0.1:*) ok=1;; *) ok="";; esac; fi',
				'  prev="$arg"',
				'done',
				'[ -n "$ok" ] || { echo "doc test: aws without a loopback --endpoint-url refused" >&2; exit 97; }',
				`exec ${AWS_V2} "$@"`,
				'',
			].join('\n'),
		);
		chmodSync(join(bin, 'aws'), 0o755);
	}
	for (const dir of ['demo', 'examples']) symlinkSync(join(root, dir), join(work, dir));
	env = {
		PATH: `${bin}:${process.env['PATH'] ?? ''}`,
		HOME: join(work, '.home'),
		NO_COLOR: '1',
		LANG: 'C.UTF-8',
		TZ: 'UTC',
	};
	mkdirSync(join(work, '.home'));
	for (const block of blocks) if (block.mode === 'server') await startServer(block);
}, 120_000);

afterAll(() => {
	for (const server of servers) {
		try {
			if (server.pid) process.kill(-server.pid, 'SIGTERM');
		} catch {
			// already gone
		}
	}
	if (work) rmSync(work, {recursive: true, force: true});
});

describe('README examples', () => {
	test('the README has examples, and every skipped one says why', () => {
		expect(blocks.filter((block) => block.mode !== 'skip').length).toBeGreaterThan(5);
		for (const block of blocks.filter((candidate) => candidate.mode === 'skip')) {
			expect(block.reason, title(block)).toBeTruthy();
		}
	});

	for (const block of blocks.filter((candidate) => candidate.mode === 'run' || candidate.mode === 'lab')) {
		test(title(block), () => {
			const outputs = runBlock(block);
			const live = block.mode === 'lab';
			block.commands.forEach((command, index) => {
				const actual = normalize(outputs[index] ?? '', live).replace(/\n+$/, '').split('\n');
				const expected = command.expected.map((line) => normalize(line, live));
				const difference = compareOutput(expected, actual.length === 1 && actual[0] === '' ? [] : actual);
				expect(difference, `README line ${command.line}: $ ${command.command}`).toBeNull();
			});
		}, 120_000);
	}
});

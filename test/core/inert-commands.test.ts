// Every printed `aws …` command is pasted into a shell. Feed the fix generators hostile values
// and EXECUTE what they print with sh, against a stub `aws` first on PATH that records its argv:
// nothing but `aws` may run, and every argument must arrive exactly as given.
import {execFile} from 'node:child_process';
import {chmod, mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {naclEntryCommand, revokeIngressCommand, sgIngressCommand} from '../../source/core/fix-commands.js';
import {createFlowLogHint} from '../../source/core/flow-coverage.js';
import {shellCommand, shellQuote} from '../../source/core/shell-quote.js';
import {audit} from '../../source/core/audit.js';
import {group, inventory, rule} from '../support/inventory-builder.js';

const run = promisify(execFile);

const HOSTILE = [
	'sg-0123;id>x;#',
	'acl-`touch pwned`',
	'eni-$(touch pwned)',
	"i-'; touch pwned; '",
	'sg-"$(touch pwned)"',
	'x\ntouch pwned',
	'a && touch pwned',
	'a | touch pwned',
	'*',
	'~root',
	'--foo=$HOME',
	'${IFS}touch${IFS}pwned',
	'\\',
	"'",
	'',
	'\u001b]52;c;dG91Y2ggcHduZWQ=\u0007',
];

let dir: string;
let log: string;

beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'sgtui-inert-'));
	log = path.join(dir, 'argv.log');
	// The stub prints each argument NUL-terminated, then a record separator.
	await writeFile(path.join(dir, 'aws'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done >> "${log}"\nprintf '\\036' >> "${log}"\n`);
	await chmod(path.join(dir, 'aws'), 0o755);
});

afterAll(async () => {
	await rm(dir, {recursive: true, force: true});
});

/** Runs `command` in sh in an empty work dir; returns each aws call's argv, and what else appeared. */
async function execute(command: string): Promise<{calls: string[][]; files: string[]}> {
	const work = await mkdtemp(path.join(dir, 'work-'));
	await writeFile(log, '');
	await run('sh', ['-c', command], {cwd: work, env: {PATH: `${dir}:/usr/bin:/bin`, HOME: work}}).catch(() => undefined);
	const text = await readFile(log, 'utf8');
	const calls = text.split('\u001e').filter((record) => record !== '').map((record) => record.split('\0').slice(0, -1));
	const files = await readdir(work);
	await rm(work, {recursive: true, force: true});
	return {calls, files};
}

describe('printed commands are inert', () => {
	it('the quoting helper delivers any string as one literal argument (fuzz; seed printed on failure)', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(fc.string({unit: 'binary', maxLength: 12}).map((text) => text.replace(/\0/g, '')), {minLength: 1, maxLength: 4}), async (args) => {
				const {calls, files} = await execute(shellCommand(['aws', ...args]));
				expect(calls).toEqual([args]);
				expect(files).toEqual([]);
			}),
			{numRuns: 40},
		);
	}, 120_000);

	it.each(HOSTILE)('every fix generator, fed %j, runs only aws with that value literally', async (value) => {
		const commands: Array<[string, string]> = [
			[sgIngressCommand({groupId: value, protocol: 6, port: 22, cidrs: ['203.0.113.7/32'], description: value}), value],
			[sgIngressCommand({groupId: 'sg-0123456789abcdef0', protocol: 6, port: 22, cidrs: [], sourceGroupId: value, description: 'x', direction: 'egress'}), 'sg-0123456789abcdef0'],
			[naclEntryCommand({aclId: value, ruleNumber: 90, egress: false, protocol: 6, ports: {from: 22, to: 22}, cidr: '203.0.113.7/32'}), value],
			[revokeIngressCommand(value, rule('tcp', 22, '0.0.0.0/0')), value],
			[revokeIngressCommand('sg-0123456789abcdef0', {...rule('tcp', 22, '0.0.0.0/0'), ruleId: value}), 'sg-0123456789abcdef0'],
			[createFlowLogHint(value), value],
		];
		const unused = audit(inventory({securityGroups: [group(value, value, [])]}), {}).find((finding) => finding.fix?.command);
		if (unused?.fix?.command) commands.push([unused.fix.command, value]);
		for (const [command, expected] of commands) {
			const {calls, files} = await execute(command);
			expect(files, command).toEqual([]);
			expect(calls, command).toHaveLength(1);
			expect(calls[0]![0], command).toBe('ec2');
			expect(calls[0], command).toContain(expected);
		}
	}, 60_000);

	it('a plain id stays readable', () => {
		expect(shellQuote('sg-0123456789abcdef0')).toBe('sg-0123456789abcdef0');
		expect(shellQuote("it's")).toBe(`'it'\\''s'`);
	});
});

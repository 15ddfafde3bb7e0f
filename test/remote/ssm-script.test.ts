// The Linux Run Command script run by a real POSIX shell on this machine: the section markers,
// the end marker, the ss → netstat → /proc/net fallbacks, and output the listing parsers read.
import {execFile} from 'node:child_process';
import {mkdtemp, rm, symlink} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseListeners} from '../../source/core/listener-parser.js';
import {splitSsmSections} from '../../source/core/ssm-output.js';
import {SSM_END_SECTION, SSM_LINUX_COMMANDS, SSM_SECTION_PREFIX} from '../../source/remote/probe-commands.js';
import {skipWithout} from '../support/peers.js';

const run = promisify(execFile);
const script = SSM_LINUX_COMMANDS.join('\n');

async function runScript(env: NodeJS.ProcessEnv) {
	const {stdout} = await run('/bin/sh', ['-c', script], {env});
	const split = splitSsmSections(stdout, SSM_SECTION_PREFIX, SSM_END_SECTION);
	const listing = [...split.sections.keys()].find((name) => name.startsWith('listing '));
	return {split, listing, stdout};
}

describe('the Linux probe script in a real shell', () => {
	let bin: string;
	beforeAll(async () => {
		// A PATH with the basics but neither ss nor netstat, like a minimal container image.
		bin = await mkdtemp(join(tmpdir(), 'sgtui-minimal-bin-'));
		for (const tool of ['uname', 'id', 'cat', 'grep', 'sed']) {
			const {stdout} = await run('sh', ['-c', `command -v ${tool}`]);
			await symlink(stdout.trim(), join(bin, tool));
		}
	});
	afterAll(async () => {
		if (bin) await rm(bin, {recursive: true, force: true});
	});

	it.skipIf(skipWithout('ss'))('uses ss when it runs, ends with the end marker, and parses', async () => {
		const {split, listing} = await runScript({PATH: process.env.PATH});
		expect(split).toMatchObject({complete: true, truncated: false});
		expect(split.sections.get('os')?.trim()).toBe('Linux');
		expect(listing).toBe('listing ss -H -ltnup');
		const text = split.sections.get(listing!)!;
		if (text.trim() !== '') expect(parseListeners(text).format).toBe('ss');
		expect(split.sections.get('firewall')).toMatch(/^service firewalld /m);
	});

	it('without ss and netstat it reads /proc/net, which the proc-net parser reads', async () => {
		const {split, listing} = await runScript({PATH: bin});
		expect(split.complete).toBe(true);
		expect(listing).toBe('listing cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6');
		expect(parseListeners(split.sections.get(listing!)!).format).toBe('proc-net');
	});
});

// An ssh2 server (the lab's) whose hosts lie: one floods `ss` with more than the per-command cap,
// one names its processes with terminal escapes, one takes every command and never answers. The
// flooding and the hung host fail alone with one clear line; the others finish; nothing the hosts
// print reaches the output raw.
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {runSshPorts} from '../../source/cli/commands/ports-ssh.js';
import {UsageError} from '../../source/cli/errors.js';
import {MAX_EXEC_OUTPUT_BYTES} from '../../source/remote/ssh-connect.js';
import {startLabSshServer, writeLabSshFiles, type LabSshFiles, type LabSshServer} from '../../source/lab/ssh-hosts.js';
import {captureIo} from '../support/capture-io.js';

const FLOOD = 'i-0f100d0000000000a';
const LIAR = 'i-0bad000000000000b';
const HONEST = 'i-0600d00000000000c';
const HUNG = 'i-057a11000000000d0';
const LINE = 'tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=1,fd=3))\n';

describe('hosts that flood and lie', () => {
	let dir: string;
	let server: LabSshServer;
	let files: LabSshFiles;

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'sgtui-hostile-ssh-'));
		server = await startLabSshServer({
			hosts: {
				[FLOOD]: {os: 'linux', listingText: LINE.repeat(Math.ceil((MAX_EXEC_OUTPUT_BYTES + 1) / LINE.length))},
				[LIAR]: {os: 'linux', listingText: 'tcp LISTEN 0 128 0.0.0.0:8080 0.0.0.0:* users:(("web\u001b]52;c;aWQ=\u0007\u001b]0;owned\u0007\u202e",pid=7,fd=3))\n'},
				[HONEST]: {os: 'linux', listingText: LINE},
				[HUNG]: {os: 'linux', listingText: LINE, stalls: true},
			},
		});
		files = await writeLabSshFiles(server, [FLOOD, LIAR, HONEST, HUNG], join(dir, 'ssh'));
	});

	afterAll(async () => {
		await server?.close();
		if (dir) await rm(dir, {recursive: true, force: true});
	});

	test('the flooding host fails alone, naming the cap; the others are probed', async () => {
		const out = captureIo();
		const code = await runSshPorts({config: files.configFile, json: true}, [FLOOD, HONEST], out.io);
		const {hosts} = JSON.parse(out.stdout()) as {hosts: Array<{target: string; error: {message: string} | null; listeners: unknown[]}>};
		expect(code).not.toBe(0);
		expect(hosts[0]!.error?.message).toMatch(/printed more than 8 MB/);
		expect(hosts[1]!.error).toBeNull();
		expect(hosts[1]!.listeners).toHaveLength(1);
	}, 60_000);

	test("a host's hostile process names are shown escaped", async () => {
		const out = captureIo();
		await runSshPorts({config: files.configFile}, [LIAR], out.io);
		const text = out.stdout() + out.stderr();
		expect(text).toContain('web\\x1b]52;c;aWQ=\\x07');
		expect(text).not.toMatch(/[\u001b\u0007\u202e]/);
	}, 60_000);

	test('a host that takes the command and never answers fails alone after --command-timeout, in one line', async () => {
		const out = captureIo();
		const started = Date.now();
		const code = await runSshPorts({config: files.configFile, commandTimeout: '1s'}, [HUNG, HONEST], out.io);
		expect(Date.now() - started).toBeLessThan(15_000);
		expect(code).not.toBe(0);
		const text = out.stdout();
		const error = text.split('\n').filter((line) => line.startsWith('error: '));
		expect(error).toEqual([expect.stringMatching(new RegExp(`^error: ec2-user\\+${HUNG}@127\\.0\\.0\\.1:\\d+: \`sh -s [0-9a-f]{16}\` gave no result within 1s \\(the host took the command and never answered\\)$`))]);
		expect(text).toMatch(/hint: the host logged in but a probe command never finished/);
		expect(text).toContain('1 of 2 hosts probed, 1 failed');
		// The honest host's listener is there.
		expect(text).toMatch(/tcp {6}22 {2}0\.0\.0\.0 {2}sshd {5}1/);
	}, 60_000);

	test('the probe (JSON) names the kind; the default limit is 20s and the flag is bounded', async () => {
		const out = captureIo();
		await runSshPorts({config: files.configFile, json: true, commandTimeout: '1s'}, [HUNG], out.io);
		const {hosts} = JSON.parse(out.stdout()) as {hosts: Array<{error: {kind: string} | null}>};
		expect(hosts[0]!.error?.kind).toBe('command-timeout');
		for (const bad of ['0s', '2d', 'soon', '']) {
			await expect(runSshPorts({config: files.configFile, commandTimeout: bad}, [HONEST], captureIo().io)).rejects.toThrow(UsageError);
		}
		await expect(runSshPorts({config: files.configFile, commandTimeout: 'soon'}, [HONEST], captureIo().io)).rejects.toThrow('--command-timeout "soon" is not a duration');
	}, 60_000);

	test('a mistyped instance id is refused before anything is dialled (exit 2, naming the argument)', async () => {
		const before = server.commandCount;
		const notAnId = (target: string) => new UsageError(`TARGET "${target}" is not an instance id (i-…): the prefix, a dash, then 8 or 17 lowercase hex digits, nor an alias in ${files.configFile} (no Host entry there gives it a HostName)`);
		await expect(runSshPorts({config: files.configFile}, [HONEST, 'i-0abc'], captureIo().io)).rejects.toThrow(notAnId('i-0abc'));
		await expect(runSshPorts({config: files.configFile}, ['i-0ABCDEF0'], captureIo().io)).rejects.toThrow(notAnId('i-0ABCDEF0'));
		// Shaped like an id but no id at all: not dialled as a DNS name either, with or without a user.
		await expect(runSshPorts({config: files.configFile}, ['i-web01'], captureIo().io)).rejects.toThrow(notAnId('i-web01'));
		await expect(runSshPorts({config: files.configFile}, [`ec2-user@i-web01`], captureIo().io)).rejects.toThrow(notAnId('ec2-user@i-web01'));
		expect(server.commandCount).toBe(before);
	});

	test('a name shaped like an id that the ssh config makes an alias (a HostName) is probed', async () => {
		const aliased = join(dir, 'aliased_config');
		const lab = await readFile(files.configFile, 'utf8');
		await writeFile(aliased, [`Host i-web01`, '  HostName 127.0.0.1', `  Port ${server.port}`, `  User ${server.loginFor(HONEST)}`, lab].join('\n'));
		const out = captureIo();
		const code = await runSshPorts({config: aliased, json: true}, ['i-web01'], out.io);
		const {hosts} = JSON.parse(out.stdout()) as {hosts: Array<{target: string; error: unknown; listeners: unknown[]}>};
		expect(hosts).toEqual([expect.objectContaining({target: 'i-web01', error: null})]);
		expect(hosts[0]!.listeners).toHaveLength(1);
		expect(code).toBe(0);
	}, 60_000);
});

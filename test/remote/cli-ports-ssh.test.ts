// `sgtui ports TARGET...` as a user runs it: the built CLI against the lab's SSH server. Exit
// codes and one-line errors come from main.ts.
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {startLabSshServer, writeLabSshFiles, type LabSshFiles, type LabSshServer} from '../../source/lab/ssh-hosts.js';
import {builtCli} from '../support/built-cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function sgtui(main: string, args: string[]): Promise<{status: number | null; stdout: string; stderr: string}> {
	// Asynchronous on purpose: the lab server answering the CLI runs in this process.
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [main, ...args], {env: {...process.env, NO_COLOR: '1', HOME: tmpdir()}, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('close', (status) => resolve({status, stdout, stderr}));
	});
}

describe('sgtui ports TARGET (built CLI)', () => {
	let work: string;
	let main: string;
	let server: LabSshServer;
	let files: LabSshFiles;

	beforeAll(async () => {
		main = builtCli();
		work = await mkdtemp(join(tmpdir(), 'sgtui-cli-ssh-'));
		const listing = await readFile(join(root, 'test/fixtures/listeners/method-amazon-linux-netstat-luntp.txt'), 'utf8');
		server = await startLabSshServer({hosts: {'i-0eb00000000000001': {os: 'linux', listingText: listing}}});
		files = await writeLabSshFiles(server, ['i-0eb00000000000001'], join(work, 'lab-ssh'));
	}, 300_000);

	afterAll(async () => {
		await server?.close();
		if (work) await rm(work, {recursive: true, force: true});
	});

	test('probes a lab host and prints its table', async () => {
		expect(existsSync(main)).toBe(true);
		const result = await sgtui(main, ['ports', 'i-0eb00000000000001', '-F', files.configFile]);
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout).toContain(`== i-0eb00000000000001 — ec2-user+i-0eb00000000000001@127.0.0.1:${server.port} — linux — \`netstat -ltnup\``);
		expect(result.stdout).toMatch(/Loopback only[^\n]*\n.*PROTO.*\n\s+tcp\s+25\s+127\.0\.0\.1\s+sendmail\s+32592\n/);
	});

	test('bad input: one line on stderr, exit 2', async () => {
		for (const [args, message] of [
			[['ports', 'web;reboot'], /^sgtui: target "web;reboot": "web;reboot" is not a host name or address\n$/],
			[['ports', 'web', '--input', 'x.txt'], /^sgtui: give either TARGET\.\.\. .* not both\n$/],
			[['ports', 'web', '-F', '/nonexistent/config'], /^sgtui: ssh config \/nonexistent\/config: no such file\n$/],
		] as const) {
			const result = await sgtui(main, [...args]);
			expect(result.status).toBe(2);
			expect(result.stdout).toBe('');
			expect(result.stderr).toMatch(message);
		}
	});

	test('an unreachable host: exit 1 with the error and a hint', async () => {
		const result = await sgtui(main, ['ports', `ec2-user+i-0eb00000000000001@127.0.0.1:${server.port}`, '-F', '/dev/null', '--identity', files.identityFile]);
		expect(result.status).toBe(1);
		expect(result.stdout).toMatch(/error: .*unknown host key ssh-ed25519 SHA256:\S+ for \[127\.0\.0\.1\]:\d+; not trusted \(--accept-new records it\)\nhint: /);
	});
});

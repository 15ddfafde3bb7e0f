// The lab's ssh2 server answering the probe with captured listings: a Windows-shaped host, the
// Linux fallbacks (netstat, /proc/net), many hosts at once, and the files `sgtui lab` writes.
import {execFile} from 'node:child_process';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {createServer} from 'node:net';
import {basename, join} from 'node:path';
import SSHConfig from 'ssh-config';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {runSshPorts} from '../../source/cli/commands/ports-ssh.js';
import {parseSshTarget} from '../../source/core/ssh-target.js';
import {KeyStore} from '../../source/remote/key-store.js';
import {connectSsh} from '../../source/remote/ssh-connect.js';
import {describeState} from '../../source/remote/ssh-connect-machine.js';
import {resolveSshSettings} from '../../source/remote/ssh-settings.js';
import {assertSshToLoopback} from '../support/loopback-peers.js';
import {SSH, skipWithout} from '../support/peers.js';
import {loadLabSshHosts, type LabSshHost} from '../../source/lab/host-answers.js';
import {startLabSshServer, writeLabSshFiles, type LabSshFiles, type LabSshServer} from '../../source/lab/ssh-hosts.js';
import {captureIo} from '../support/capture-io.js';

const run = promisify(execFile);
const fixture = (name: string) => readFile(new URL(`../fixtures/listeners/${name}`, import.meta.url), 'utf8');

const TASKLIST = [
	'"System","4","Services","0","140 K"',
	'"svchost.exe","792","Services","0","11,356 K"',
	'"TermService.exe","72","Services","0","16,744 K"',
	'"ds_agent.exe","163","Services","0","24,308 K"',
].join('\r\n');

interface JsonHost {
	target: string;
	os: string;
	command: string;
	listeners: Array<{port: number; address: string; exposure: string; process: string | null; pid: number | null}>;
	firewall: {state: string; summary: string} | null;
	processNamesHidden: boolean;
	error: {kind: string; message: string} | null;
}

describe('lab SSH server', () => {
	let dir: string;
	let server: LabSshServer;
	let files: LabSshFiles;
	const hosts: Record<string, LabSshHost> = {};
	const many = Array.from({length: 50}, (_, index) => `i-0aaaa${String(index).padStart(12, '0')}`);

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'sgtui-lab-ssh-'));
		const windowsNetstat = (await fixture('method-windows-2012-netstat-nao.txt')).replace(/^C:.*\r?\n/, '');
		hosts['i-0f1d0000000000004'] = {os: 'windows', listingText: windowsNetstat, tasklistText: TASKLIST};
		hosts['i-0f1d0000000000005'] = {os: 'windows', listingText: windowsNetstat};
		hosts['i-0a0a0000000000006'] = {os: 'linux', listingText: await fixture('method-amazon-linux-netstat-luntp.txt')};
		hosts['i-0c0c0000000000007'] = {os: 'linux', listingText: await fixture('proc-net-all.txt')};
		hosts['i-0e5e0000000000008'] = {os: 'linux', listingText: 'tcp LISTEN 0 128 0.0.0.0:8080 0.0.0.0:* users:(("node",pid=4242,fd=20))\ntcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n', nonRoot: true};
		for (const [index, id] of many.entries()) {
			hosts[id] = {os: 'linux', listingText: `tcp LISTEN 0 128 0.0.0.0:${20000 + index} 0.0.0.0:* users:(("app${index}",pid=${1000 + index},fd=3))\n`};
		}
		server = await startLabSshServer({hosts});
		files = await writeLabSshFiles(server, Object.keys(hosts), join(dir, 'ssh'));
	});

	afterAll(async () => {
		await server?.close();
		if (dir) await rm(dir, {recursive: true, force: true});
	});

	async function portsJson(targets: string[], extra: Record<string, unknown> = {}): Promise<{code: number; hosts: JsonHost[]}> {
		const out = captureIo();
		const code = await runSshPorts({config: files.configFile, json: true, ...extra}, targets, out.io);
		return {code, hosts: (JSON.parse(out.stdout()) as {hosts: JsonHost[]}).hosts};
	}

	test('a Windows host: netstat -nao + tasklist, processes named, Windows Firewall profiles read', async () => {
		const {code, hosts: [host]} = await portsJson(['i-0f1d0000000000004']);
		expect(code).toBe(0);
		expect(host).toMatchObject({os: 'windows', command: 'netstat -nao + tasklist /fo csv /nh', error: null, processNamesHidden: false});
		expect(host!.listeners.find((listener) => listener.port === 3389)).toMatchObject({exposure: 'all-interfaces', pid: 72, process: 'TermService.exe'});
		expect(host!.listeners.find((listener) => listener.port === 139)).toMatchObject({address: '172.31.40.9', exposure: 'specific'});
		expect(host!.firewall).toMatchObject({state: 'active', summary: 'Windows Firewall: Domain ON, Private ON, Public ON'});
	});

	test('a Windows host without tasklist says process names are hidden', async () => {
		const {hosts: [host]} = await portsJson(['i-0f1d0000000000005']);
		expect(host).toMatchObject({os: 'windows', command: 'netstat -nao', processNamesHidden: true});
		expect(host!.listeners.find((listener) => listener.port === 3389)?.process).toBeNull();
	});

	test('Linux without ss falls back to netstat -ltnup, then to /proc/net', async () => {
		const {hosts: [amzn, proc]} = await portsJson(['i-0a0a0000000000006', 'i-0c0c0000000000007']);
		expect(amzn).toMatchObject({os: 'linux', command: 'netstat -ltnup', error: null});
		expect(amzn!.listeners.find((listener) => listener.port === 25)).toMatchObject({address: '127.0.0.1', exposure: 'loopback', process: 'sendmail'});
		expect(amzn!.firewall?.state).toBe('inactive');
		expect(proc).toMatchObject({os: 'linux', command: 'cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6', processNamesHidden: true});
		expect(proc!.listeners.length).toBeGreaterThan(0);
	});

	test('not root and sudo -n refused: the probe says process names are hidden', async () => {
		const {hosts: [host]} = await portsJson(['i-0e5e0000000000008']);
		expect(host).toMatchObject({os: 'linux', command: 'ss -H -ltnup', processNamesHidden: true, error: null});
		expect(host!.listeners.map((listener) => [listener.port, listener.process])).toEqual([[8080, 'node'], [22, null]]);
		const out = captureIo();
		await runSshPorts({config: files.configFile}, ['i-0e5e0000000000008'], out.io);
		expect(out.stdout()).toContain('process names: hidden for other users\' processes');
	});

	test('50 hosts answered concurrently, each with its own listing', async () => {
		const {code, hosts: results} = await portsJson(many, {concurrency: '25'});
		expect(code).toBe(0);
		expect(results).toHaveLength(50);
		results.forEach((host, index) => {
			expect(host.target).toBe(many[index]);
			expect(host.error).toBeNull();
			expect(host.listeners).toEqual([expect.objectContaining({port: 20000 + index, process: `app${index}`, exposure: 'all-interfaces'})]);
		});
	});

	test('plain output: a table per host, errors per host, a summary line', async () => {
		const out = captureIo();
		const code = await runSshPorts({config: files.configFile}, ['i-0a0a0000000000006', 'nobody+i-0aaa0000000000009@127.0.0.1:' + server.port], out.io);
		expect(code).toBe(1);
		const text = out.stdout();
		expect(text).toContain('== i-0a0a0000000000006 — ec2-user+i-0a0a0000000000006@127.0.0.1:');
		expect(text).toMatch(/PROTO\s+PORT\s+ADDRESS\s+PROCESS\s+PID/);
		expect(text).toContain('host firewall: no host firewall active');
		// `Host *` gives the second target the lab's key and known_hosts; its login names no host.
		expect(text).toContain('authentication failed as "nobody+i-0aaa0000000000009"');
		expect(text).toContain('1 of 2 hosts probed, 1 failed');
	});

	test('the lab\'s host key is unknown without its known_hosts file, and refused', async () => {
		const out = captureIo();
		const bare = join(dir, 'bare_config');
		await writeFile(bare, `Host *\n  IdentityFile ${files.identityFile}\n  UserKnownHostsFile ${join(dir, 'empty_known_hosts')}\n`);
		const code = await runSshPorts({config: bare}, [`ec2-user+i-0a0a0000000000006@127.0.0.1:${server.port}`], out.io);
		expect(code).toBe(1);
		expect(out.stdout()).toMatch(/error: .*unknown host key ssh-ed25519 SHA256:\S+ for \[127\.0\.0\.1\]:\d+; not trusted/);
	});

	test('the connect machine steps through config, host key, the key offered and ready against the ssh2 server; a silent port fails in connecting', async () => {
		const config = SSHConfig.parse(await readFile(files.configFile, 'utf8'));
		const env = {home: dir, localUser: 'nobody'};
		const states: string[] = [];
		const session = await connectSsh({settings: resolveSshSettings(config, parseSshTarget('i-0a0a0000000000006'), {}, env), keys: new KeyStore(null), agentSocket: null, onState: (state) => states.push(describeState(state))});
		try {
			expect(states).toEqual(['resolving-config', 'connecting(0)', 'verifying-host-key(0)', 'authenticating(0)', `authenticating(0, ${basename(files.identityFile)})`, 'ready']);
			expect((await session.exec('netstat -ltnup')).code).toBe(0);
		} finally {
			session.close();
		}
		const silent = createServer(() => undefined);
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
		try {
			states.length = 0;
			const port = (silent.address() as {port: number}).port;
			const settings = resolveSshSettings(SSHConfig.parse(`Host silent\n  HostName 127.0.0.1\n  Port ${port}\n  ConnectTimeout 1\n`), parseSshTarget('silent'), {}, env);
			await expect(connectSsh({settings, keys: new KeyStore(null), agentSocket: null, onState: (state) => states.push(describeState(state))})).rejects.toMatchObject({kind: 'timeout'});
			expect(states).toEqual(['resolving-config', 'connecting(0)', 'failed(timeout)']);
		} finally {
			silent.close();
		}
	});

	test('a port that accepts TCP but never speaks SSH times out (ConnectTimeout); one that hangs up is reported as such', async () => {
		const silent = createServer(() => undefined);
		const rude = createServer((socket) => socket.destroy());
		await Promise.all([silent, rude].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))));
		try {
			const config = join(dir, 'timeout_config');
			const port = (server: ReturnType<typeof createServer>) => (server.address() as {port: number}).port;
			await writeFile(config, `Host silent\n  HostName 127.0.0.1\n  Port ${port(silent)}\n  ConnectTimeout 1\nHost rude\n  HostName 127.0.0.1\n  Port ${port(rude)}\n`);
			const out = captureIo();
			await runSshPorts({config, json: true}, ['silent', 'rude'], out.io);
			const [slow, closed] = (JSON.parse(out.stdout()) as {hosts: JsonHost[]}).hosts;
			// The configured 1 s, not a default, and the hint for a host that never answered.
			expect(slow!.error).toMatchObject({kind: 'timeout', message: expect.stringContaining('timed out after 1s (no SSH answer')});
			expect(closed!.error?.kind).toBe('connection-lost');
		} finally {
			silent.close();
			rude.close();
		}
	});

	test('a snapshot\'s hosts/<id>.txt become lab hosts; a Windows capture\'s tasklist is answered separately', async () => {
		const snapshot = join(dir, 'snapshot');
		await mkdir(join(snapshot, 'hosts'), {recursive: true});
		await writeFile(join(snapshot, 'hosts', 'i-0f1d0000000000004.txt'), await fixture('windows-host-snapshot.txt'));
		await writeFile(join(snapshot, 'hosts', 'i-0eb00000000000001.txt'), await fixture('netstat-luntp.txt'));
		await writeFile(join(snapshot, 'hosts', 'i-0bad0000000000009.txt'), 'hello\n');
		const {hosts: loaded, warnings} = await loadLabSshHosts(snapshot);
		expect(Object.keys(loaded)).toEqual(['i-0eb00000000000001', 'i-0f1d0000000000004']);
		expect(warnings).toEqual(['hosts/i-0bad0000000000009.txt: not a listener listing; the lab\'s SSH server leaves this host out']);
		expect(loaded['i-0f1d0000000000004']).toMatchObject({os: 'windows', tasklistText: expect.stringContaining('sqlservr.exe')});
		const snapshotServer = await startLabSshServer({hosts: loaded});
		try {
			const snapshotFiles = await writeLabSshFiles(snapshotServer, Object.keys(loaded), join(dir, 'snapshot-ssh'));
			const out = captureIo();
			await runSshPorts({config: snapshotFiles.configFile, json: true}, ['i-0f1d0000000000004', 'i-0eb00000000000001'], out.io);
			const [win, web] = (JSON.parse(out.stdout()) as {hosts: JsonHost[]}).hosts;
			expect(win).toMatchObject({os: 'windows', command: 'netstat -nao + tasklist /fo csv /nh', error: null});
			expect(win!.listeners.find((listener) => listener.port === 1433)).toMatchObject({process: 'sqlservr.exe', pid: 3720});
			expect(web).toMatchObject({os: 'linux', command: 'netstat -ltnup', error: null});
		} finally {
			await snapshotServer.close();
		}
	});

	test.skipIf(skipWithout('ssh'))('OpenSSH\'s own ssh client reaches the lab with the written config', async () => {
		assertSshToLoopback(files.configFile, 'i-0a0a0000000000006');
		const {stdout} = await run(SSH, ['-F', files.configFile, '-o', 'BatchMode=yes', 'i-0a0a0000000000006', 'netstat -ltnup']);
		expect(stdout).toContain('0.0.0.0:22');
	});
});

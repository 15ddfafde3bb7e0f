// The probe against real OpenSSH servers started by the test: real `ss`, real host keys, real
// key authentication, a real bastion. Skips (visibly) when sshd is not installed.
import {execFile, spawn} from 'node:child_process';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import SSHConfig from 'ssh-config';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {parseSshTarget} from '../../source/core/ssh-target.js';
import {KeyStore} from '../../source/remote/key-store.js';
import {probeHost} from '../../source/remote/probe.js';
import {resolveSshSettings, type SettingsEnvironment, type SettingsOverrides} from '../../source/remote/ssh-settings.js';
import {runSshPorts} from '../../source/cli/commands/ports-ssh.js';
import {skipWithout} from '../support/peers.js';
import {generateKey, startSshd, type TempSshd} from '../support/sshd.js';

const run = promisify(execFile);

function listen(host: string): Promise<Server> {
	return new Promise((resolve) => {
		const server = createServer(() => undefined);
		server.listen(0, host, () => resolve(server));
	});
}

function portOf(server: Server): number {
	return (server.address() as {port: number}).port;
}

describe.skipIf(skipWithout('sshd'))('probe over real OpenSSH', () => {
	let sshd: TempSshd;
	let home: string;
	let env: SettingsEnvironment;
	let outside: Server;
	let local: Server;

	beforeAll(async () => {
		sshd = await startSshd();
		home = await mkdtemp(join(tmpdir(), 'sgtui-home-'));
		env = {home, localUser: 'root'};
		outside = await listen('0.0.0.0');
		local = await listen('127.0.0.1');
	});

	afterAll(async () => {
		outside?.close();
		local?.close();
		await sshd?.stop();
		if (home) await rm(home, {recursive: true, force: true});
	});

	/** An ssh config naming this sshd as `Host lab`, with the given known_hosts file. */
	function configFor(knownHosts: string, identity = sshd.clientKey.path, extra = ''): SSHConfig {
		return SSHConfig.parse(`Host lab\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User root\n  IdentityFile ${identity}\n  UserKnownHostsFile ${knownHosts}\n${extra}`);
	}

	async function probe(config: SSHConfig, overrides: SettingsOverrides = {}, keys = new KeyStore(null), onUnknownHostKey?: () => Promise<boolean>) {
		const settings = resolveSshSettings(config, parseSshTarget('lab'), overrides, env);
		return probeHost('lab', settings, {keys, agentSocket: null, callbacks: {onUnknownHostKey}});
	}

	test('reports listeners on 0.0.0.0 as reachable from outside and 127.0.0.1 as loopback, through real ss', async () => {
		const result = await probe(configFor(await sshd.writeKnownHosts()));
		expect(result.error).toBeNull();
		expect(result.os).toBe('linux');
		expect(result.command).toBe('ss -H -ltnup');
		expect(result.format).toBe('ss');
		const outsideListener = result.listeners.find((listener) => listener.port === portOf(outside) && listener.protocol === 'tcp');
		const localListener = result.listeners.find((listener) => listener.port === portOf(local) && listener.protocol === 'tcp');
		expect(outsideListener).toMatchObject({address: '0.0.0.0', exposure: 'all-interfaces', pid: process.pid});
		expect(localListener).toMatchObject({address: '127.0.0.1', exposure: 'loopback', pid: process.pid});
		// sshd itself listens on loopback only here.
		expect(result.listeners.find((listener) => listener.port === sshd.port)).toMatchObject({exposure: 'loopback', process: 'sshd'});
		expect(result.processNamesHidden).toBe(false);
		expect(result.firewall?.summary).toBeTruthy();
	});

	test('`sgtui ports TARGET --json` reports the same through the CLI module', async () => {
		const knownHosts = await sshd.writeKnownHosts(join(home, 'kh-cli'));
		const configFile = join(home, 'config-cli');
		await writeFile(configFile, configFor(knownHosts).toString());
		let stdout = '';
		const code = await runSshPorts({config: configFile, json: true}, ['lab'], {
			stdout: {write: (text: string) => (stdout += text)}, stderr: {write: () => true}, askPassphrase: null, agentSocket: null,
		});
		expect(code).toBe(0);
		const json = JSON.parse(stdout) as {hosts: Array<{target: string; address: string; os: string; command: string; listeners: Array<{port: number; exposure: string}>; error: unknown}>};
		expect(json.hosts).toHaveLength(1);
		expect(json.hosts[0]).toMatchObject({target: 'lab', address: `root@127.0.0.1:${sshd.port}`, os: 'linux', command: 'ss -H -ltnup', error: null});
		expect(json.hosts[0]!.listeners.find((listener) => listener.port === portOf(outside))?.exposure).toBe('all-interfaces');
	});

	test('an unknown host key is refused with its SHA256 fingerprint; --accept-new records it', async () => {
		const knownHosts = join(home, 'kh-unknown');
		const {stdout: keygen} = await run('ssh-keygen', ['-lf', `${sshd.hostKey.path}.pub`]);
		const fingerprint = keygen.split(' ')[1]!;
		const refused = await probe(configFor(knownHosts));
		expect(refused.error).toMatchObject({kind: 'host-key-unknown', fingerprint});
		expect(refused.error!.message).toContain(fingerprint);
		expect(refused.error!.message).toContain('--accept-new');
		expect(refused.listeners).toEqual([]);
		await expect(readFile(knownHosts, 'utf8')).rejects.toThrow();

		const accepted = await probe(configFor(knownHosts), {acceptNew: true});
		expect(accepted.error).toBeNull();
		expect(await readFile(knownHosts, 'utf8')).toBe(`${sshd.knownHostsLine}\n`);
		// Now known: no --accept-new needed, and nothing more is appended.
		expect((await probe(configFor(knownHosts))).error).toBeNull();
		expect(await readFile(knownHosts, 'utf8')).toBe(`${sshd.knownHostsLine}\n`);
	});

	test('an unknown key is put to the onUnknownHostKey callback (the TUI prompt)', async () => {
		const knownHosts = join(home, 'kh-ask');
		const asked: string[] = [];
		const no = await probe(configFor(knownHosts), {}, new KeyStore(null), async () => (asked.push('no'), false));
		expect(no.error?.kind).toBe('host-key-unknown');
		const yes = await probe(configFor(knownHosts), {}, new KeyStore(null), async () => (asked.push('yes'), true));
		expect(yes.error).toBeNull();
		expect(asked).toEqual(['no', 'yes']);
		expect(await readFile(knownHosts, 'utf8')).toContain(sshd.knownHostsLine);
	});

	test('StrictHostKeyChecking yes refuses an unknown key even with a callback', async () => {
		const result = await probe(configFor(join(home, 'kh-strict'), sshd.clientKey.path, '  StrictHostKeyChecking yes\n'), {}, new KeyStore(null), async () => true);
		expect(result.error?.kind).toBe('host-key-unknown');
	});

	test('a CHANGED host key is refused every time, even with --accept-new, and known_hosts is left alone', async () => {
		const other = await generateKey(join(home, 'impostor'));
		const knownHosts = join(home, 'kh-changed');
		const line = `[127.0.0.1]:${sshd.port} ${other.publicLine.split(' ').slice(0, 2).join(' ')}\n`;
		await writeFile(knownHosts, line);
		for (const overrides of [{}, {acceptNew: true}]) {
			const result = await probe(configFor(knownHosts), overrides, new KeyStore(null), async () => true);
			expect(result.error?.kind).toBe('host-key-changed');
			expect(result.error!.message).toMatch(/HOST KEY CHANGED/);
			expect(result.error!.message).toContain(`${knownHosts}:1`);
		}
		expect(await readFile(knownHosts, 'utf8')).toBe(line);
	});

	test('hashed known_hosts entries (ssh-keygen -H) are honoured', async () => {
		const knownHosts = await sshd.writeKnownHosts(join(home, 'kh-hashed'));
		await run('ssh-keygen', ['-H', '-f', knownHosts]);
		const text = await readFile(knownHosts, 'utf8');
		expect(text).toMatch(/^\|1\|/);
		expect((await probe(configFor(knownHosts))).error).toBeNull();
	});

	test('a key the server does not accept gives a clear authentication error', async () => {
		const wrong = await generateKey(join(home, 'wrong_key'));
		const result = await probe(configFor(await sshd.writeKnownHosts(join(home, 'kh-wrong')), wrong.path));
		expect(result.error?.kind).toBe('auth-failed');
		expect(result.error!.message).toContain('authentication failed as "root"');
		expect(result.error!.message).toContain('wrong_key');
	});

	test('connection refused is reported per host without stopping the others', async () => {
		const closed = await listen('127.0.0.1');
		const port = portOf(closed);
		await new Promise((resolve) => closed.close(resolve));
		const knownHosts = await sshd.writeKnownHosts(join(home, 'kh-multi'));
		const configFile = join(home, 'config-multi');
		await writeFile(configFile, `${configFor(knownHosts).toString()}\nHost dead\n  HostName 127.0.0.1\n  Port ${port}\n`);
		let stdout = '';
		const code = await runSshPorts({config: configFile, json: true}, ['dead', 'lab', 'i-0123456789abcdef0'], {
			stdout: {write: (text: string) => (stdout += text)}, stderr: {write: () => true}, askPassphrase: null, agentSocket: null,
		});
		expect(code).toBe(1);
		const hosts = (JSON.parse(stdout) as {hosts: Array<{target: string; error: {kind: string} | null}>}).hosts;
		expect(hosts.map((host) => [host.target, host.error?.kind ?? null])).toEqual([['dead', 'refused'], ['lab', null], ['i-0123456789abcdef0', 'no-transport']]);
	});

	test('an encrypted key is decrypted with the passphrase callback, asked again after a wrong one', async () => {
		const encrypted = await generateKey(join(home, 'encrypted_key'), {passphrase: 'correct horse'});
		const server = await startSshd({authorizedKeys: [encrypted.publicLine]});
		try {
			const knownHosts = await server.writeKnownHosts(join(home, 'kh-pass'));
			const config = SSHConfig.parse(`Host lab\n  HostName 127.0.0.1\n  Port ${server.port}\n  User root\n  IdentityFile ${encrypted.path}\n  UserKnownHostsFile ${knownHosts}\n`);
			const attempts: number[] = [];
			const keys = new KeyStore(async ({attempt}) => {
				attempts.push(attempt);
				return attempt === 1 ? 'wrong passphrase' : 'correct horse';
			});
			const result = await probe(config, {}, keys);
			expect(result.error).toBeNull();
			expect(attempts).toEqual([1, 2]);
			// The decrypted key is reused: a second host behind the same key asks nothing more.
			expect((await probe(config, {}, keys)).error).toBeNull();
			expect(attempts).toEqual([1, 2]);

			const cannotAsk = await probe(config, {}, new KeyStore(null));
			expect(cannotAsk.error?.kind).toBe('auth-failed');
			expect(cannotAsk.error!.message).toContain('encrypted');
			expect(JSON.stringify(cannotAsk)).not.toContain('correct horse');
		} finally {
			await server.stop();
		}
	});

	test('ssh-agent (SSH_AUTH_SOCK) is used when no key file works', async () => {
		const socket = join(home, 'agent.sock');
		const agent = spawn('ssh-agent', ['-D', '-a', socket], {stdio: 'ignore'});
		try {
			for (let i = 0; i < 50; i++) {
				try {
					await run('ssh-add', [sshd.clientKey.path], {env: {...process.env, SSH_AUTH_SOCK: socket}});
					break;
				} catch {
					await new Promise((resolve) => setTimeout(resolve, 100));
				}
			}
			const config = configFor(await sshd.writeKnownHosts(join(home, 'kh-agent')), join(home, 'no-such-key'));
			const settings = resolveSshSettings(config, parseSshTarget('lab'), {}, env);
			const result = await probeHost('lab', settings, {keys: new KeyStore(null), agentSocket: socket});
			expect(result.error).toBeNull();
			expect(result.listeners.length).toBeGreaterThan(0);
		} finally {
			agent.kill();
		}
	});

	test('ProxyJump: reaches the target through a bastion sshd, and reports a bastion that cannot forward', async () => {
		const bastion = await startSshd({config: [`PermitOpen 127.0.0.1:${sshd.port}`]});
		try {
			const knownHosts = join(home, 'kh-jump');
			await writeFile(knownHosts, `${bastion.knownHostsLine}\n${sshd.knownHostsLine}\n`);
			const config = SSHConfig.parse([
				'Host bastion', '  HostName 127.0.0.1', `  Port ${bastion.port}`, '  User root', `  IdentityFile ${bastion.clientKey.path}`, `  UserKnownHostsFile ${knownHosts}`,
				'Host inner', '  HostName 127.0.0.1', `  Port ${sshd.port}`, '  User root', `  IdentityFile ${sshd.clientKey.path}`, `  UserKnownHostsFile ${knownHosts}`, '  ProxyJump bastion',
				'Host forbidden', '  HostName 127.0.0.1', '  Port 9', '  User root', `  UserKnownHostsFile ${knownHosts}`, '  ProxyJump bastion',
			].join('\n'));
			const settings = resolveSshSettings(config, parseSshTarget('inner'), {}, env);
			expect(settings.jumps.map((hop) => hop.port)).toEqual([bastion.port]);
			const result = await probeHost('inner', settings, {keys: new KeyStore(null), agentSocket: null});
			expect(result.error).toBeNull();
			expect(result.via).toEqual([`root@127.0.0.1:${bastion.port}`]);
			expect(bastion.logs()).toContain('Accepted publickey for root');
			expect(result.listeners.some((listener) => listener.port === portOf(outside))).toBe(true);

			const denied = await probeHost('forbidden', resolveSshSettings(config, parseSshTarget('forbidden'), {}, env), {keys: new KeyStore(null), agentSocket: null});
			expect(denied.error?.message).toContain('the bastion could not open a connection');
		} finally {
			await bastion.stop();
		}
	});
});

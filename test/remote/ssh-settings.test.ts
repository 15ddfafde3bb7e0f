import SSHConfig from 'ssh-config';
import {describe, expect, test} from 'vitest';
import {isInstanceId, parseSshTarget} from '../../source/core/ssh-target.js';
import {parseJumpSpec, resolveSshSettings} from '../../source/remote/ssh-settings.js';

const env = {home: '/home/op', localUser: 'op'};

const CONFIG = SSHConfig.parse(`
Host bastion
  HostName 203.0.113.9
  User jump
  Port 2222
  IdentityFile ~/.ssh/bastion_key

Host web-*
  User deploy
  ProxyJump bastion
  IdentityFile ~/.ssh/%h_key

Host web-1
  HostName 10.0.1.10

Host i-*
  User ec2-user

Host strict
  StrictHostKeyChecking yes
  ConnectTimeout 3
  UserKnownHostsFile ~/.ssh/kh_a /etc/kh_b
  HostKeyAlias strict-alias
  HashKnownHosts yes
  IdentitiesOnly yes

Host two-hops
  HostName 10.9.9.9
  ProxyJump alice@hop1:2201,hop2

Host *
  IdentityFile ~/.ssh/id_ed25519
  ServerAliveInterval 30
`);

const resolve = (text: string, overrides = {}) => resolveSshSettings(CONFIG, parseSshTarget(text), overrides, env);

describe('targets', () => {
	test('parses user@host:port forms, IPv6 and rejects junk', () => {
		expect(parseSshTarget('web')).toMatchObject({user: null, host: 'web', port: null});
		expect(parseSshTarget('ec2-user@203.0.113.5:2222')).toMatchObject({user: 'ec2-user', host: '203.0.113.5', port: 2222});
		expect(parseSshTarget('root@[2001:db8::1]:22')).toMatchObject({user: 'root', host: '2001:db8::1', port: 22});
		expect(parseSshTarget('2001:db8::1')).toMatchObject({host: '2001:db8::1', port: null});
		expect(parseSshTarget('ec2-user+i-0abc@127.0.0.1:40000')).toMatchObject({user: 'ec2-user+i-0abc', host: '127.0.0.1', port: 40000});
		expect(() => parseSshTarget('web:0')).toThrow(/port "0"/);
		expect(() => parseSshTarget('web:ssh')).toThrow(/port "ssh"/);
		expect(() => parseSshTarget('@web')).toThrow(/empty user/);
		expect(() => parseSshTarget('a b')).toThrow(/spaces/);
		expect(() => parseSshTarget('web;rm -rf')).toThrow();
		expect(() => parseSshTarget('$(reboot)')).toThrow(/not a host name/);
	});

	// What ssh(1) would read as an option (`ssh -oProxyCommand`, `ssh --help`) is no host and no
	// user: OpenSSH refuses a leading '-' in both, and a host name label never starts with one
	// (RFC 1123 §2.1). Refused before anything is resolved or dialled.
	test.each(['--help', '-oProxyCommand', '-F/tmp/x', '-evil@web', 'ec2-user@-J', '[-v]:22', 'web:22\u001b[2J'])('refuses %j', (text) => {
		expect(() => parseSshTarget(text)).toThrow(/not a host name or address|not a user name|not 1-65535/);
	});

	test('instance ids', () => {
		expect(isInstanceId('i-0123456789abcdef0')).toBe(true);
		expect(isInstanceId('i-0123abcd')).toBe(true);
		expect(isInstanceId('i-web')).toBe(false);
		expect(isInstanceId('web-1')).toBe(false);
	});
});

describe('ssh config settings', () => {
	test('Host patterns: HostName, User, ProxyJump and %h-expanded IdentityFile', () => {
		const settings = resolve('web-1');
		expect(settings).toMatchObject({host: '10.0.1.10', port: 22, user: 'deploy', userSource: 'ssh config'});
		expect(settings.identityFiles).toEqual(['/home/op/.ssh/10.0.1.10_key', '/home/op/.ssh/id_ed25519']);
		expect(settings.jumps).toHaveLength(1);
		expect(settings.jumps[0]).toMatchObject({alias: 'bastion', host: '203.0.113.9', port: 2222, user: 'jump', identityFiles: ['/home/op/.ssh/bastion_key', '/home/op/.ssh/id_ed25519']});
		expect(settings.keepaliveIntervalMs).toBe(30_000);
	});

	test('defaults: port 22, local user, ask, ~/.ssh/known_hosts, default identities when none configured', () => {
		const settings = resolveSshSettings(new SSHConfig(), parseSshTarget('plain.example.com'), {}, env);
		expect(settings).toMatchObject({host: 'plain.example.com', port: 22, user: 'op', userSource: 'local user', strictHostKeyChecking: 'ask', connectTimeoutMs: 10_000, jumps: []});
		expect(settings.knownHostsFiles).toEqual(['/home/op/.ssh/known_hosts', '/home/op/.ssh/known_hosts2']);
		expect(settings.identityFiles).toContain('/home/op/.ssh/id_ed25519');
		expect(settings.identityFiles).toContain('/home/op/.ssh/id_rsa');
	});

	test('StrictHostKeyChecking, ConnectTimeout, UserKnownHostsFile list, HostKeyAlias, HashKnownHosts, IdentitiesOnly', () => {
		const settings = resolve('strict');
		expect(settings).toMatchObject({
			strictHostKeyChecking: 'yes', connectTimeoutMs: 3000, hostKeyAlias: 'strict-alias', hashKnownHosts: true, identitiesOnly: true,
			knownHostsFiles: ['/home/op/.ssh/kh_a', '/etc/kh_b'],
		});
		// --accept-new is the user's explicit word for this run.
		expect(resolve('strict', {acceptNew: true}).strictHostKeyChecking).toBe('accept-new');
		const no = resolveSshSettings(SSHConfig.parse('Host *\n  StrictHostKeyChecking no\n'), parseSshTarget('x'), {}, env);
		expect(no.strictHostKeyChecking).toBe('accept-new');
	});

	test('user precedence: user@ in the target, then --user, then ssh config, then the AMI guess, then the local user', () => {
		const guess = {user: 'ubuntu', reason: 'test'};
		expect(resolve('admin@i-0123456789abcdef0', {user: 'x', fallbackUser: guess})).toMatchObject({user: 'admin', userSource: 'target'});
		expect(resolve('i-0123456789abcdef0', {user: 'x', fallbackUser: guess})).toMatchObject({user: 'x', userSource: '--user'});
		expect(resolve('i-0123456789abcdef0', {fallbackUser: guess})).toMatchObject({user: 'ec2-user', userSource: 'ssh config'});
		expect(resolveSshSettings(new SSHConfig(), parseSshTarget('h'), {fallbackUser: guess}, env)).toMatchObject({user: 'ubuntu', userSource: 'guess: test'});
	});

	test('--jump overrides ProxyJump; `none` disables it; several hops in order', () => {
		expect(resolve('web-1', {jump: 'ops@198.51.100.7:2200'}).jumps.map((hop) => [hop.user, hop.host, hop.port])).toEqual([['ops', '198.51.100.7', 2200]]);
		expect(resolve('web-1', {jump: 'none'}).jumps).toEqual([]);
		const hops = resolve('two-hops').jumps;
		expect(hops.map((hop) => [hop.user, hop.host, hop.port])).toEqual([['alice', 'hop1', 2201], ['op', 'hop2', 22]]);
		expect(parseJumpSpec('ssh://a@b:3,c').map((hop) => hop.host)).toEqual(['b', 'c']);
	});

	test('the fallback address is used only when the config names no HostName', () => {
		expect(resolve('i-0123456789abcdef0', {fallbackHost: '54.1.2.3'}).host).toBe('54.1.2.3');
		expect(resolve('web-1', {fallbackHost: '54.1.2.3'}).host).toBe('10.0.1.10');
	});

	test('Match exec is never run while reading the config', () => {
		const config = SSHConfig.parse('Match exec "touch /tmp/sgtui-should-not-exist"\n  User pwned\n');
		expect(resolveSshSettings(config, parseSshTarget('h'), {}, env).user).toBe('op');
	});
});

describe('reading a config sends no packet', () => {
	test('CanonicalizeHostName yes does not run nslookup (read as no)', async () => {
		const {loadSshConfig} = await import('../../source/remote/ssh-settings.js');
		const {chmod, mkdtemp, writeFile} = await import('node:fs/promises');
		const {existsSync} = await import('node:fs');
		const {tmpdir} = await import('node:os');
		const {join} = await import('node:path');
		const dir = await mkdtemp(join(tmpdir(), 'sgtui-cfg-'));
		// A stub nslookup that "resolves" anything and leaves a trace: a lookup would rename the host.
		await writeFile(join(dir, 'nslookup'), `#!/bin/sh\ntouch "${dir}/looked-up"\nexit 0\n`);
		await chmod(join(dir, 'nslookup'), 0o755);
		const file = join(dir, 'config');
		await writeFile(file, 'Host web\n  CanonicalizeHostName yes\n  CanonicalDomains example.invalid\n  User ec2-user\n');
		const saved = process.env.PATH;
		process.env.PATH = `${dir}:${saved ?? ''}`;
		try {
			const computed = (await loadSshConfig(file)).compute('web') as Record<string, string>;
			expect(computed['Host']).toBe('web');
			expect(computed['User']).toBe('ec2-user');
		} finally {
			process.env.PATH = saved;
		}
		expect(existsSync(join(dir, 'looked-up'))).toBe(false);
	});
});

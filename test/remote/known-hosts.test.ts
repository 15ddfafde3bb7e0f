import {execFile} from 'node:child_process';
import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import ssh2 from 'ssh2';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {
	appendKnownHost, checkHostKey, entryMatchesHost, fingerprintSha256, formatKnownHostLine, keyTypeOfBlob, knownKeyTypes, parseKnownHosts,
} from '../../source/remote/known-hosts.js';
import {newEd25519KeyPair} from '../../source/lab/ed25519-keys.js';

const run = promisify(execFile);

function newKey(type: 'ed25519' | 'ecdsa' = 'ed25519'): {line: string; blob: Buffer} {
	// ed25519 through the lab's generator: ssh2's own now and then drops a byte of the point.
	const pair = type === 'ecdsa' ? ssh2.utils.generateKeyPairSync('ecdsa', {bits: 256}) : newEd25519KeyPair();
	const [keyType, base64] = pair.public.split(' ');
	return {line: `${keyType} ${base64}`, blob: Buffer.from(base64!, 'base64')};
}

describe('known_hosts', () => {
	let dir: string;
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'sgtui-kh-'));
	});
	afterAll(async () => {
		await rm(dir, {recursive: true, force: true});
	});

	test('fingerprints match ssh-keygen -lf', async () => {
		const key = newKey();
		const file = join(dir, 'key.pub');
		await writeFile(file, `${key.line} comment\n`);
		const {stdout} = await run('ssh-keygen', ['-lf', file]);
		expect(fingerprintSha256(key.blob)).toBe(stdout.split(' ')[1]);
		expect(keyTypeOfBlob(key.blob)).toBe('ssh-ed25519');
	});

	test('plain names, [host]:port, wildcards and negation', () => {
		expect(entryMatchesHost('web.example.com,10.0.0.5', 'web.example.com')).toBe(true);
		expect(entryMatchesHost('web.example.com,10.0.0.5', '10.0.0.5')).toBe(true);
		expect(entryMatchesHost('WEB.example.com', 'web.example.com')).toBe(true);
		expect(entryMatchesHost('10.0.0.5', '[10.0.0.5]:2222')).toBe(false);
		expect(entryMatchesHost('[10.0.0.5]:2222', '[10.0.0.5]:2222')).toBe(true);
		expect(entryMatchesHost('*.example.com,!bad.example.com', 'web.example.com')).toBe(true);
		expect(entryMatchesHost('*.example.com,!bad.example.com', 'bad.example.com')).toBe(false);
		expect(entryMatchesHost('10.0.0.?', '10.0.0.7')).toBe(true);
		expect(entryMatchesHost('10.0.0.?', '10.0.0.17')).toBe(false);
	});

	test('match, unknown, CHANGED (same type, other key), and other types only', () => {
		const known = newKey();
		const impostor = newKey();
		const ecdsa = newKey('ecdsa');
		const files = [parseKnownHosts(`# comment\n\nweb.example.com ${known.line}\n[10.0.0.5]:2222 ${known.line}\n`, '/kh')];
		expect(checkHostKey(files, 'web.example.com', 22, known.blob).status).toBe('match');
		expect(checkHostKey(files, '10.0.0.5', 2222, known.blob).status).toBe('match');
		expect(checkHostKey(files, '10.0.0.5', 22, known.blob).status).toBe('unknown');
		const changed = checkHostKey(files, 'web.example.com', 22, impostor.blob);
		expect(changed).toMatchObject({status: 'changed', offending: {file: '/kh', line: 3}, fingerprint: fingerprintSha256(impostor.blob)});
		const otherType = checkHostKey(files, 'web.example.com', 22, ecdsa.blob);
		expect(otherType).toMatchObject({status: 'unknown', knownTypes: ['ssh-ed25519'], keyType: 'ecdsa-sha2-nistp256'});
		expect(knownKeyTypes(files, 'web.example.com', 22)).toEqual(['ssh-ed25519']);
	});

	test('@revoked wins over a matching entry; @cert-authority lines are not host keys', () => {
		const key = newKey();
		const files = [parseKnownHosts(`web ${key.line}\n@revoked * ${key.line}\n@cert-authority *.example.com ${newKey().line}\n`, '/kh')];
		expect(checkHostKey(files, 'web', 22, key.blob)).toMatchObject({status: 'revoked', offending: {line: 2}});
		expect(checkHostKey(files, 'x.example.com', 22, newKey().blob).status).toBe('unknown');
	});

	test('bad lines are skipped and counted, not fatal', () => {
		const key = newKey();
		const parsed = parseKnownHosts(`onlyhost\nweb ssh-ed25519 !!!notbase64\n@weird web ${key.line}\nweb ${key.line}\n`, '/kh');
		expect(parsed.entries).toHaveLength(1);
		expect(parsed.skipped.map((skipped) => skipped.line)).toEqual([1, 2, 3]);
	});

	test('hashed entries written by ssh-keygen -H and by sgtui match, and only their host', async () => {
		const key = newKey();
		const file = join(dir, 'hashed');
		await writeFile(file, `web.example.com ${key.line}\n[10.0.0.5]:2222 ${key.line}\n`);
		await run('ssh-keygen', ['-H', '-f', file]);
		const files = [parseKnownHosts(await readFile(file, 'utf8'), file)];
		expect(files[0]!.entries.every((entry) => entry.hosts.startsWith('|1|'))).toBe(true);
		expect(checkHostKey(files, 'web.example.com', 22, key.blob).status).toBe('match');
		expect(checkHostKey(files, '10.0.0.5', 2222, key.blob).status).toBe('match');
		expect(checkHostKey(files, 'other.example.com', 22, key.blob).status).toBe('unknown');

		const ours = formatKnownHostLine('[127.0.0.1]:2200', key.blob, true);
		expect(ours).toMatch(/^\|1\|[^|]+\|[^ ]+ ssh-ed25519 /);
		const mine = [parseKnownHosts(ours, 'x')];
		expect(checkHostKey(mine, '127.0.0.1', 2200, key.blob).status).toBe('match');
		// ssh-keygen -F finds our hashed line too.
		const ourFile = join(dir, 'ours');
		await writeFile(ourFile, `${ours}\n`);
		const {stdout} = await run('ssh-keygen', ['-F', '[127.0.0.1]:2200', '-f', ourFile]);
		expect(stdout).toContain('ssh-ed25519');
	});

	test('appending creates the file with mode 600 and keeps earlier lines', async () => {
		const file = join(dir, 'sub', 'known_hosts');
		await appendKnownHost(file, 'a ssh-ed25519 AAAA');
		await writeFile(file, 'a ssh-ed25519 AAAA', 'utf8');
		await appendKnownHost(file, 'b ssh-ed25519 BBBB');
		expect(await readFile(file, 'utf8')).toBe('a ssh-ed25519 AAAA\nb ssh-ed25519 BBBB\n');
		expect((await stat(file)).mode & 0o777).toBe(0o600);
	});
});

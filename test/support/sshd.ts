// Starts a throwaway OpenSSH server on 127.0.0.1 for tests: its own host key, an authorized_keys
// with temporary client keys, key-only auth, everything under one temp directory. Tests that need
// it skip through test/support/peers.ts (`skipWithout('sshd')`) when /usr/sbin/sshd is absent.
import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {freePort} from './free-port.js';
import {SSHD} from './peers.js';

const run = promisify(execFile);


export interface KeyPair {
	path: string;
	/** `ssh-ed25519 AAAA… comment` */
	publicLine: string;
	/** The key blob (what known_hosts stores, base64-decoded). */
	blob: Buffer;
}

/** ssh-keygen a key pair; with a passphrase the private key is encrypted. */
export async function generateKey(path: string, options: {type?: 'ed25519' | 'ecdsa' | 'rsa'; passphrase?: string} = {}): Promise<KeyPair> {
	await run('ssh-keygen', ['-q', '-t', options.type ?? 'ed25519', '-N', options.passphrase ?? '', '-C', 'sgtui-test', '-f', path]);
	const publicLine = (await readFile(`${path}.pub`, 'utf8')).trim();
	return {path, publicLine, blob: Buffer.from(publicLine.split(' ')[1]!, 'base64')};
}

export interface TempSshd {
	port: number;
	dir: string;
	hostKey: KeyPair;
	/** A key in authorized_keys. */
	clientKey: KeyPair;
	/** `[127.0.0.1]:PORT ssh-ed25519 AAAA…` */
	knownHostsLine: string;
	/** Writes a known_hosts file that trusts this server and returns its path. */
	writeKnownHosts(path?: string): Promise<string>;
	logs(): string;
	stop(): Promise<void>;
}

export interface StartSshdOptions {
	/** Extra public key lines for authorized_keys. */
	authorizedKeys?: string[];
	/** Extra sshd_config lines. */
	config?: string[];
}

export async function startSshd(options: StartSshdOptions = {}): Promise<TempSshd> {
	const dir = await mkdtemp(join(tmpdir(), 'sgtui-sshd-'));
	// sshd (as root) insists on its privilege-separation directory.
	await mkdir('/run/sshd', {recursive: true, mode: 0o755}).catch(() => undefined);
	const hostKey = await generateKey(join(dir, 'host_ed25519'));
	const clientKey = await generateKey(join(dir, 'client_ed25519'));
	await writeFile(join(dir, 'authorized_keys'), [clientKey.publicLine, ...(options.authorizedKeys ?? [])].join('\n') + '\n', {mode: 0o600});
	const port = await freePort();
	const config = [
		`ListenAddress 127.0.0.1:${port}`,
		`HostKey ${hostKey.path}`,
		`AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
		`PidFile ${join(dir, 'sshd.pid')}`,
		'PasswordAuthentication no',
		'KbdInteractiveAuthentication no',
		'PubkeyAuthentication yes',
		'PermitRootLogin prohibit-password',
		'UsePAM no',
		'StrictModes no',
		'AllowTcpForwarding yes',
		'LogLevel VERBOSE',
		...(options.config ?? []),
	];
	const configPath = join(dir, 'sshd_config');
	await writeFile(configPath, config.join('\n') + '\n');
	const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', configPath], {stdio: ['ignore', 'ignore', 'pipe']});
	let log = '';
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`sshd did not start within 10s:\n${log}`)), 10_000);
		child.stderr!.on('data', (chunk: Buffer) => {
			log += chunk.toString();
			if (log.includes(`Server listening on 127.0.0.1 port ${port}`)) {
				clearTimeout(timer);
				resolve();
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`sshd exited (${code}) before listening:\n${log}`));
		});
	});
	const knownHostsLine = `[127.0.0.1]:${port} ${hostKey.publicLine.split(' ').slice(0, 2).join(' ')}`;
	return {
		port,
		dir,
		hostKey,
		clientKey,
		knownHostsLine,
		async writeKnownHosts(path = join(dir, 'known_hosts')) {
			await writeFile(path, knownHostsLine + '\n');
			return path;
		},
		logs: () => log,
		async stop() {
			if (child.exitCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				await exited;
			}
			await rm(dir, {recursive: true, force: true});
		},
	};
}

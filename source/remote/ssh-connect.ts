// One verified SSH session to a target, through its bastions. Host keys are checked against
// known_hosts before authentication: CHANGED or @revoked keys are refused every time, unknown keys
// are accepted only under accept-new or when the caller's `onUnknownHostKey` says yes (then
// recorded, as OpenSSH does). Timeouts are ours rather than ssh2's readyTimeout, so they can pause
// while a human types a passphrase or answers the host-key question.
import {existsSync} from 'node:fs';
import type {Duplex} from 'node:stream';
import ssh2 from 'ssh2';
import {decodeListingBytes} from '../core/listing-text.js';
import type {AnyAuthMethod, AuthenticationType, Client as ClientType, ConnectConfig, NextAuthHandler, ServerHostKeyAlgorithm} from 'ssh2';
import {appendKnownHost, checkHostKey, formatKnownHostLine, knownKeyTypes, readKnownHostsFiles, type HostKeyCheck} from './known-hosts.js';
import {describeSkippedKey, KeyStore, type LoadedKey} from './key-store.js';
import {classifySshError, SshError} from './ssh-errors.js';
import type {HopSettings, SshSettings} from './ssh-settings.js';
import {errorLine} from '../core/display-text.js';
import {DEFAULT_COMMAND_TIMEOUT_MS} from './probe-limits.js';

const {Client} = ssh2;

export interface UnknownHostKeyInfo {
	/** The name the user gave for this hop. */
	alias: string;
	host: string;
	port: number;
	/** What known_hosts will record: `host` or `[host]:port`. */
	lookupName: string;
	keyType: string;
	fingerprint: string;
	/** Key types already recorded for this host (a different type was offered). */
	knownTypes: string[];
	/** True for a bastion on the way, false for the target. */
	isJump: boolean;
	/** The known_hosts file a yes would write to. */
	knownHostsFile: string;
}

/** The TUI asks; the CLI passes none (unknown keys are then refused unless accept-new). */
export type OnUnknownHostKey = (info: UnknownHostKeyInfo) => Promise<boolean>;

export interface ConnectCallbacks {
	onUnknownHostKey?: OnUnknownHostKey | null;
	/** Told when a new key was written to known_hosts (so the CLI can say so). */
	onHostKeyRecorded?: ((info: UnknownHostKeyInfo) => void) | null;
}

export interface ConnectOptions {
	settings: SshSettings;
	keys: KeyStore;
	callbacks?: ConnectCallbacks;
	/** ssh-agent socket; defaults to SSH_AUTH_SOCK. Null disables the agent. */
	agentSocket?: string | null;
}

export interface ExecResult {
	stdout: string;
	stderr: string;
	/** Exit status; null when the command was killed by a signal or none was sent. */
	code: number | null;
}

export interface SshSession {
	/** The server's software version from its banner (e.g. "OpenSSH_for_Windows_9.5"), when seen. */
	serverVersion: string | null;
	/** Runs `command`; `stdin`, when given, is written to it and then closed. */
	exec(command: string, timeoutMs?: number, stdin?: string): Promise<ExecResult>;
	close(): void;
}

const DEFAULT_HOST_KEY_ORDER: ServerHostKeyAlgorithm[] = [
	'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa',
];

/** Like OpenSSH: offer the key types known_hosts already holds for this host first. */
function hostKeyOrder(knownTypes: string[]): ServerHostKeyAlgorithm[] {
	const preferred = knownTypes.flatMap((type): ServerHostKeyAlgorithm[] =>
		type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : DEFAULT_HOST_KEY_ORDER.includes(type as ServerHostKeyAlgorithm) ? [type as ServerHostKeyAlgorithm] : []);
	return [...new Set([...preferred, ...DEFAULT_HOST_KEY_ORDER])];
}

// Serializes known_hosts appends within this process (many hosts may accept-new at once).
let knownHostsWrite: Promise<unknown> = Promise.resolve();

/** A timer that can be paused while waiting on a human. */
class PausableTimer {
	#handle: NodeJS.Timeout | null = null;
	#remaining: number;
	#startedAt = 0;
	constructor(ms: number, private readonly onExpire: () => void) {
		this.#remaining = ms;
		this.resume();
	}
	pause(): void {
		if (!this.#handle) return;
		clearTimeout(this.#handle);
		this.#handle = null;
		this.#remaining -= Date.now() - this.#startedAt;
	}
	resume(): void {
		if (this.#handle || this.#remaining === Number.POSITIVE_INFINITY) return;
		this.#startedAt = Date.now();
		this.#handle = setTimeout(this.onExpire, Math.max(0, this.#remaining));
	}
	stop(): void {
		if (this.#handle) clearTimeout(this.#handle);
		this.#handle = null;
		this.#remaining = Number.POSITIVE_INFINITY;
	}
}

function hopLabel(hop: HopSettings, isJump: boolean): string {
	const where = `${hop.user}@${hop.host}${hop.port === 22 ? '' : `:${hop.port}`}`;
	return isJump ? `bastion ${where}` : where;
}

function hostKeyError(check: HostKeyCheck, label: string): SshError {
	if (check.status === 'changed') {
		return new SshError(
			'host-key-changed',
			`${label}: HOST KEY CHANGED — ${check.keyType} ${check.fingerprint} differs from the key recorded in ${check.offending!.file}:${check.offending!.line}; refusing to connect (possible man-in-the-middle)`,
			check.fingerprint,
		);
	}
	if (check.status === 'revoked') {
		return new SshError('host-key-revoked', `${label}: host key ${check.keyType} ${check.fingerprint} is REVOKED in ${check.offending!.file}:${check.offending!.line}; refusing to connect`, check.fingerprint);
	}
	const others = check.knownTypes.length > 0 ? ` (known_hosts has only ${check.knownTypes.join(', ')} keys for it)` : '';
	return new SshError(
		'host-key-unknown',
		`${label}: unknown host key ${check.keyType} ${check.fingerprint} for ${check.lookupName}${others}; not trusted (--accept-new records it)`,
		check.fingerprint,
	);
}

async function connectHop(
	hop: HopSettings,
	isJump: boolean,
	sock: Duplex | null,
	options: ConnectOptions,
): Promise<{client: ClientType; serverVersion: string | null}> {
	const label = hopLabel(hop, isJump);
	const knownHostsPaths = [...hop.knownHostsFiles, ...hop.globalKnownHostsFiles];
	const knownFiles = await readKnownHostsFiles(knownHostsPaths);
	const keyName = hop.hostKeyAlias ?? hop.host;
	const lookupPort = hop.hostKeyAlias ? 22 : hop.port;
	const agentSocket = options.agentSocket === undefined ? (process.env['SSH_AUTH_SOCK'] ?? null) : options.agentSocket;
	const useAgent = agentSocket !== null && agentSocket !== '' && existsSync(agentSocket) && !hop.identitiesOnly;

	return new Promise((resolve, reject) => {
		const client = new Client();
		let settled = false;
		let failure: SshError | null = null;
		let serverVersion: string | null = null;
		const skippedKeys: string[] = [];

		const fail = (error: SshError) => {
			if (settled) return;
			settled = true;
			timer.stop();
			client.end();
			reject(error);
		};
		const timer = new PausableTimer(hop.connectTimeoutMs, () => {
			fail(new SshError('timeout', `${label}: timed out after ${Math.round(hop.connectTimeoutMs / 1000)}s${failure ? '' : ' (no SSH answer: security group, NACL or route?)'}`));
		});

		const hostVerifier = (keyBlob: Buffer, verify: (ok: boolean) => void) => {
			const check = checkHostKey(knownFiles, keyName, lookupPort, keyBlob);
			if (check.status === 'match') return verify(true);
			if (check.status !== 'unknown') {
				failure = hostKeyError(check, label);
				return verify(false);
			}
			const info: UnknownHostKeyInfo = {
				alias: hop.alias, host: hop.host, port: hop.port, lookupName: check.lookupName, keyType: check.keyType,
				fingerprint: check.fingerprint, knownTypes: check.knownTypes, isJump, knownHostsFile: hop.knownHostsFiles[0]!,
			};
			const ask = options.callbacks?.onUnknownHostKey;
			const decide: Promise<boolean> = hop.strictHostKeyChecking === 'accept-new'
				? Promise.resolve(true)
				: hop.strictHostKeyChecking === 'ask' && ask ? (timer.pause(), ask(info)) : Promise.resolve(false);
			decide.then(async (accepted) => {
				timer.resume();
				if (!accepted) {
					failure = hostKeyError(check, label);
					return verify(false);
				}
				const line = formatKnownHostLine(check.lookupName, keyBlob, hop.hashKnownHosts);
				const write = knownHostsWrite.then(() => appendKnownHost(info.knownHostsFile, line));
				knownHostsWrite = write.catch(() => undefined);
				await write;
				options.callbacks?.onHostKeyRecorded?.(info);
				verify(true);
			}).catch((error: unknown) => {
				failure = new SshError('other', `${label}: could not record the host key in ${info.knownHostsFile} (${errorLine(error)})`);
				verify(false);
			});
		};

		// Agent first (as OpenSSH), then each identity file; encrypted keys are decrypted on demand.
		const attempts: Array<() => Promise<AnyAuthMethod | null>> = [];
		if (useAgent) attempts.push(async () => ({type: 'agent', username: hop.user, agent: agentSocket!}));
		for (const file of hop.identityFiles) {
			attempts.push(async () => {
				timer.pause();
				let loaded: LoadedKey;
				try {
					loaded = await options.keys.load(file);
				} finally {
					timer.resume();
				}
				if (!loaded.ok) {
					if (loaded.reason !== 'missing' || hop.identityFiles.length === 1) skippedKeys.push(describeSkippedKey(loaded));
					return null;
				}
				return {type: 'publickey', username: hop.user, key: loaded.key};
			});
		}
		const authHandler = (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler) => {
			const tryNext = async (): Promise<void> => {
				const attempt = attempts.shift();
				if (!attempt) return next(false as unknown as AuthenticationType);
				const method = await attempt();
				if (!method) return tryNext();
				if (methodsLeft && !methodsLeft.includes('publickey')) return next(false as unknown as AuthenticationType);
				next(method);
			};
			tryNext().catch(() => next(false as unknown as AuthenticationType));
		};

		client.on('ready', () => {
			if (settled) return;
			settled = true;
			timer.stop();
			resolve({client, serverVersion});
		});
		client.on('error', (error: Error & {level?: string}) => {
			if (failure) return fail(failure);
			if (error.level === 'client-authentication') {
				const tried = [useAgent ? 'ssh-agent' : null, ...hop.identityFiles.filter((file) => existsSync(file)).map((file) => file.split('/').pop())].filter(Boolean);
				const notes = skippedKeys.length > 0 ? `; skipped ${skippedKeys.join(', ')}` : '';
				return fail(new SshError('auth-failed', `${label}: authentication failed as "${hop.user}" (tried ${tried.length > 0 ? tried.join(', ') : 'no keys'}${notes})`));
			}
			fail(classifySshError(error, label));
		});
		client.on('close', () => fail(failure ?? new SshError('connection-lost', `${label}: connection closed before login`)));

		const config: ConnectConfig = {
			host: hop.host,
			port: hop.port,
			username: hop.user,
			hostVerifier: hostVerifier as ConnectConfig['hostVerifier'],
			authHandler: authHandler as unknown as ConnectConfig['authHandler'],
			readyTimeout: 0,
			keepaliveInterval: hop.keepaliveIntervalMs,
			keepaliveCountMax: 3,
			algorithms: {serverHostKey: hostKeyOrder(knownKeyTypes(knownFiles, keyName, lookupPort))},
			debug: (message: string) => {
				const match = /^Remote ident: '?SSH-[\d.]+-([^\s']+)/.exec(message);
				if (match) serverVersion = match[1]!;
			},
		};
		if (sock) config.sock = sock;
		try {
			client.connect(config);
		} catch (error) {
			fail(classifySshError(error, label));
		}
	});
}

function forwardTo(client: ClientType, hop: HopSettings, via: string): Promise<Duplex> {
	return new Promise((resolve, reject) => {
		client.forwardOut('127.0.0.1', 0, hop.host, hop.port, (error, stream) => {
			if (!error) return resolve(stream);
			// The bastion's channel-open failure text ("Connection refused", "timed out", …) classified
			// as a direct connection's error would be, so a hop fails with the same kinds and hints.
			const {kind} = classifySshError(error, via);
			reject(new SshError(kind, `${hop.user}@${hop.host}:${hop.port} via ${via}: the bastion could not open a connection (${errorLine(error)})`));
		});
	});
}

/** Connects through every bastion, then to the target; closes whatever opened if anything fails. */
export async function connectSsh(options: ConnectOptions): Promise<SshSession> {
	const {settings} = options;
	const clients: ClientType[] = [];
	const closeAll = () => {
		for (const client of clients.reverse()) client.end();
	};
	try {
		let sock: Duplex | null = null;
		for (const [index, jump] of settings.jumps.entries()) {
			const {client} = await connectHop(jump, true, sock, options);
			clients.push(client);
			const next = settings.jumps[index + 1] ?? settings;
			sock = await forwardTo(client, next, hopLabel(jump, true));
		}
		const {client, serverVersion} = await connectHop(settings, false, sock, options);
		clients.push(client);
		return {
			serverVersion,
			exec: (command, timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS, stdin) => execOn(client, command, timeoutMs, hopLabel(settings, false), stdin),
			close: closeAll,
		};
	} catch (error) {
		closeAll();
		throw error;
	}
}

/**
 * What one command may print (stdout and stderr together). A listing is a few KB, a busy host's
 * under 1 MB: a host answering more is lying or broken, and is failed alone — holding its output
 * would take the memory every other host's result needs.
 */
export const MAX_EXEC_OUTPUT_BYTES = 8 * 1024 * 1024;

function execOn(client: ClientType, command: string, timeoutMs: number, label: string, stdin?: string): Promise<ExecResult> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new SshError('command-timeout', `${label}: \`${command}\` gave no result within ${timeoutMs / 1000}s (the host took the command and never answered)`)), timeoutMs);
		client.exec(command, (error, stream) => {
			if (error) {
				clearTimeout(timer);
				return reject(classifySshError(error, `${label}: \`${command}\``));
			}
			const stdout: Buffer[] = [];
			const stderr: Buffer[] = [];
			let code: number | null = null;
			let total = 0;
			let flooded = false;
			const take = (into: Buffer[]) => (chunk: Buffer) => {
				if (flooded) return;
				total += chunk.length;
				if (total > MAX_EXEC_OUTPUT_BYTES) {
					flooded = true;
					stdout.length = 0;
					stderr.length = 0;
					clearTimeout(timer);
					reject(new SshError('other', `${label}: \`${command}\` printed more than ${MAX_EXEC_OUTPUT_BYTES / 1024 / 1024} MB (a listing is a few KB); its output was dropped`));
					stream.close();
					return;
				}
				into.push(chunk);
			};
			stream.on('data', take(stdout));
			stream.stderr.on('data', take(stderr));
			if (stdin !== undefined) stream.end(stdin);
			stream.on('exit', (exitCode: number | null) => {
				code = typeof exitCode === 'number' ? exitCode : null;
			});
			stream.on('close', () => {
				clearTimeout(timer);
				if (flooded) return;
				// PowerShell as the Windows OpenSSH shell can answer in UTF-16.
				resolve({stdout: decodeListingBytes(Buffer.concat(stdout)), stderr: decodeListingBytes(Buffer.concat(stderr)), code});
			});
		});
	});
}

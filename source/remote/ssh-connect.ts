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
import {appendKnownHost, checkHostKey, formatKnownHostLine, knownKeyTypes, readKnownHostsFiles} from './known-hosts.js';
import {describeSkippedKey, KeyStore, type LoadedKey} from './key-store.js';
import {classifySshError, SshError} from './ssh-errors.js';
import {currentHop, describeState, failureError, initialMachine, transition, type ConnectEvent, type ConnectMachine, type ConnectState, type HopPlan} from './ssh-connect-machine.js';
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
	/** Sees every state of the connect machine (ssh-connect-machine.ts) as it is entered. */
	onState?: (state: ConnectState) => void;
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

function useAgentFor(hop: HopSettings, agentSocket: string | null): agentSocket is string {
	return agentSocket !== null && agentSocket !== '' && existsSync(agentSocket) && !hop.identitiesOnly;
}

/** The hops in connection order (bastions, then the target) and what each may offer to log in. */
function resolvePlan(hops: HopSettings[], agentSocket: string | null): HopPlan[] {
	return hops.map((hop, index) => ({
		label: hopLabel(hop, index < hops.length - 1),
		user: hop.user,
		address: `${hop.user}@${hop.host}:${hop.port}`,
		credentials: [useAgentFor(hop, agentSocket) ? 'ssh-agent' : null, ...hop.identityFiles.filter((file) => existsSync(file)).map((file) => file.split('/').pop() ?? file)].filter((name): name is string => Boolean(name)),
		connectTimeoutMs: hop.connectTimeoutMs,
	}));
}

/** The machine and the one place that moves it; `onState` sees every state it enters. */
class ConnectRun {
	machine: ConnectMachine = initialMachine();
	private readonly listeners = new Set<() => void>();
	constructor(private readonly onState: ((state: ConnectState) => void) | undefined) {
		onState?.(this.machine.state);
	}
	dispatch(event: ConnectEvent): ConnectState {
		const before = this.machine;
		this.machine = transition(before, event);
		if (this.machine.state !== before.state) {
			this.onState?.(this.machine.state);
			for (const listener of [...this.listeners]) listener();
		}
		return this.machine.state;
	}
	/** Calls `listener` after every change of state until the returned function is called. */
	watch(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
}

/**
 * Opens hop `index` (over `sock` when a bastion forwards it): ssh2's callbacks become events, and
 * the hop is done when the machine leaves it (forwarding, ready or failed). Resolves with the client
 * either way; a failed hop's client is already ended.
 */
async function connectHop(run: ConnectRun, hops: HopSettings[], index: number, sock: Duplex | null, options: ConnectOptions): Promise<ClientType> {
	const hop = hops[index]!;
	const isJump = index < hops.length - 1;
	const knownHostsPaths = [...hop.knownHostsFiles, ...hop.globalKnownHostsFiles];
	const knownFiles = await readKnownHostsFiles(knownHostsPaths);
	const keyName = hop.hostKeyAlias ?? hop.host;
	const lookupPort = hop.hostKeyAlias ? 22 : hop.port;
	const agentSocket = options.agentSocket === undefined ? (process.env['SSH_AUTH_SOCK'] ?? null) : options.agentSocket;
	const useAgent = useAgentFor(hop, agentSocket);
	const dispatch = (event: ConnectEvent) => run.dispatch(event);

	return new Promise((resolve) => {
		const client = new Client();
		let serverVersion: string | null = null;
		const timer = new PausableTimer(hop.connectTimeoutMs, () => dispatch({type: 'timed-out', hop: index}));
		const stopWatching = run.watch(() => {
			const state = run.machine.state;
			if (currentHop(state) === index && state.kind !== 'forwarding') return;
			stopWatching();
			timer.stop();
			if (state.kind === 'failed') client.end();
			resolve(client);
		});

		const hostVerifier = (keyBlob: Buffer, verify: (ok: boolean) => void) => {
			dispatch({type: 'host-key-offered', hop: index});
			const check = checkHostKey(knownFiles, keyName, lookupPort, keyBlob);
			if (check.status === 'match') {
				dispatch({type: 'host-key-trusted', hop: index});
				return verify(true);
			}
			// The refusal is the failure to report: it reaches the machine before ssh2's own error does.
			const refuse = () => {
				dispatch({type: 'host-key-refused', hop: index, check});
				verify(false);
			};
			if (check.status !== 'unknown') return refuse();
			const info: UnknownHostKeyInfo = {
				alias: hop.alias, host: hop.host, port: hop.port, lookupName: check.lookupName, keyType: check.keyType,
				fingerprint: check.fingerprint, knownTypes: check.knownTypes, isJump, knownHostsFile: hop.knownHostsFiles[0]!,
			};
			const ask = options.callbacks?.onUnknownHostKey;
			let decide: Promise<boolean>;
			if (hop.strictHostKeyChecking === 'accept-new') decide = Promise.resolve(true);
			else if (hop.strictHostKeyChecking === 'ask' && ask) {
				// A person is answering: the connect timeout waits for them.
				timer.pause();
				dispatch({type: 'host-key-asking', hop: index});
				decide = ask(info);
			} else decide = Promise.resolve(false);
			decide.then(async (accepted) => {
				timer.resume();
				if (!accepted) return refuse();
				const line = formatKnownHostLine(check.lookupName, keyBlob, hop.hashKnownHosts);
				const write = knownHostsWrite.then(() => appendKnownHost(info.knownHostsFile, line));
				knownHostsWrite = write.catch(() => undefined);
				await write;
				options.callbacks?.onHostKeyRecorded?.(info);
				dispatch({type: 'host-key-trusted', hop: index});
				verify(true);
			}).catch((error: unknown) => {
				dispatch({type: 'host-key-unrecorded', hop: index, file: info.knownHostsFile, reason: errorLine(error)});
				verify(false);
			});
		};

		// Agent first (as OpenSSH), then each identity file; encrypted keys are decrypted on demand.
		const attempts: Array<{name: string; method: () => Promise<AnyAuthMethod | null>}> = [];
		if (useAgent) attempts.push({name: 'ssh-agent', method: async () => ({type: 'agent', username: hop.user, agent: agentSocket})});
		for (const file of hop.identityFiles) {
			attempts.push({
				name: file.split('/').pop() ?? file,
				method: async () => {
					timer.pause();
					let loaded: LoadedKey;
					try {
						loaded = await options.keys.load(file);
					} finally {
						timer.resume();
					}
					if (!loaded.ok) {
						if (loaded.reason !== 'missing' || hop.identityFiles.length === 1) dispatch({type: 'key-skipped', hop: index, note: describeSkippedKey(loaded)});
						return null;
					}
					return {type: 'publickey', username: hop.user, key: loaded.key};
				},
			});
		}
		const authHandler = (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler) => {
			const tryNext = async (): Promise<void> => {
				const attempt = attempts.shift();
				if (!attempt) return next(false as unknown as AuthenticationType);
				const method = await attempt.method();
				if (!method) return tryNext();
				if (methodsLeft && !methodsLeft.includes('publickey')) return next(false as unknown as AuthenticationType);
				dispatch({type: 'auth-offered', hop: index, method: attempt.name});
				next(method);
			};
			tryNext().catch(() => next(false as unknown as AuthenticationType));
		};

		client.on('ready', () => dispatch({type: 'hop-ready', hop: index, serverVersion}));
		client.on('error', (error: Error) => dispatch({type: 'ssh-error', hop: index, error}));
		client.on('close', () => dispatch({type: 'closed', hop: index}));

		const config: ConnectConfig = {
			host: hop.host,
			port: hop.port,
			username: hop.user,
			hostVerifier: hostVerifier,
			authHandler: authHandler,
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
			dispatch({type: 'ssh-error', hop: index, error});
		}
	});
}

function forwardTo(client: ClientType, hop: HopSettings): Promise<{stream: Duplex} | {error: Error}> {
	return new Promise((resolve) => {
		client.forwardOut('127.0.0.1', 0, hop.host, hop.port, (error, stream) => resolve(error ? {error} : {stream}));
	});
}

/**
 * Connects through every bastion, then to the target, doing what the connect machine's state asks;
 * closes whatever opened if anything fails. `onState` sees each state (tests, debugging).
 */
export async function connectSsh(options: ConnectOptions): Promise<SshSession> {
	const {settings} = options;
	const hops: HopSettings[] = [...settings.jumps, settings];
	const run = new ConnectRun(options.onState);
	const agentSocket = options.agentSocket === undefined ? (process.env['SSH_AUTH_SOCK'] ?? null) : options.agentSocket;
	const clients: ClientType[] = [];
	const closeAll = () => {
		for (const client of clients.reverse()) client.end();
	};
	let sock: Duplex | null = null;
	let state = run.dispatch({type: 'resolved', plan: resolvePlan(hops, agentSocket)});
	try {
		for (;;) {
			switch (state.kind) {
				case 'connecting':
					clients.push(await connectHop(run, hops, state.hop, sock, options));
					state = run.machine.state;
					break;
				case 'forwarding': {
					const hop = state.hop;
					const forwarded = await forwardTo(clients[hop]!, hops[hop + 1]!);
					if ('stream' in forwarded) sock = forwarded.stream;
					state = 'error' in forwarded ? run.dispatch({type: 'forward-failed', hop, error: forwarded.error}) : run.dispatch({type: 'forwarded', hop});
					break;
				}
				case 'ready': {
					const target = clients[hops.length - 1]!;
					return {
						serverVersion: state.serverVersion,
						exec: (command, timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS, stdin) => execOn(target, command, timeoutMs, hopLabel(settings, false), stdin),
						close: closeAll,
					};
				}
				case 'failed':
					throw failureError(state);
				default:
					// The other states belong inside connectHop: it returns only once the machine left them.
					throw new Error(`ssh connect: stuck in ${describeState(state)}`);
			}
		}
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

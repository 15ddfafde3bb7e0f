// The settings `ssh` itself would use for a target: ~/.ssh/config (or -F FILE) parsed with the
// ssh-config package, then command-line overrides. Only what sgtui acts on is kept: HostName,
// User, Port, IdentityFile, IdentitiesOnly, ProxyJump, UserKnownHostsFile, GlobalKnownHostsFile,
// StrictHostKeyChecking, HashKnownHosts, HostKeyAlias, ConnectTimeout, ServerAliveInterval.
// `Match exec` is never evaluated: reading a config must not run commands.
import {readFile} from 'node:fs/promises';
import {homedir, userInfo} from 'node:os';
import SSHConfig from 'ssh-config';
import {parseSshTarget, type SshTarget} from '../core/ssh-target.js';
import {errorLine} from '../core/display-text.js';

export type StrictHostKeyChecking = 'yes' | 'accept-new' | 'ask';

export interface HopSettings {
	/** The name the user gave (a Host alias, an address, an instance id). */
	alias: string;
	/** What is actually dialled. */
	host: string;
	port: number;
	user: string;
	/** Where the user came from: 'target', '--user', 'ssh config', a guess, or the local user. */
	userSource: string;
	identityFiles: string[];
	identitiesOnly: boolean;
	knownHostsFiles: string[];
	globalKnownHostsFiles: string[];
	/** The name looked up in known_hosts instead of `host` (HostKeyAlias). */
	hostKeyAlias: string | null;
	strictHostKeyChecking: StrictHostKeyChecking;
	hashKnownHosts: boolean;
	connectTimeoutMs: number;
	keepaliveIntervalMs: number;
}

export interface SshSettings extends HopSettings {
	/** Bastions in order, first one dialled directly (ProxyJump a,b → [a, b]). */
	jumps: HopSettings[];
}

export interface SettingsOverrides {
	user?: string | null;
	identityFile?: string | null;
	/** ProxyJump spec; overrides the config's. 'none' disables. */
	jump?: string | null;
	acceptNew?: boolean;
	/** Used when nothing else names a user (an instance's AMI guess). */
	fallbackUser?: {user: string; reason: string} | null;
	/** The address to dial when the config gives no HostName (an instance's resolved IP). */
	fallbackHost?: string | null;
}

export interface SettingsEnvironment {
	home: string;
	localUser: string;
}

export function defaultEnvironment(): SettingsEnvironment {
	return {home: homedir(), localUser: safeLocalUser()};
}

function safeLocalUser(): string {
	try {
		return userInfo().username;
	} catch {
		return process.env['USER'] ?? 'root';
	}
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_KEEPALIVE_MS = 15_000;

/** Reads an ssh config; a missing default ~/.ssh/config is an empty config, a missing -F file is an error. */
export async function loadSshConfig(path: string | null, env: SettingsEnvironment = defaultEnvironment()): Promise<SSHConfig> {
	const file = path ?? `${env.home}/.ssh/config`;
	try {
		return withoutHostLookups(SSHConfig.parse(await readFile(file, 'utf8')));
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (path === null && code === 'ENOENT') return new SSHConfig();
		if (code === 'ENOENT') throw new Error(`ssh config ${file}: no such file`, {cause: error});
		if (code) throw new Error(`ssh config ${file}: cannot read (${code})`, {cause: error});
		throw new Error(`ssh config ${file}: cannot parse (${errorLine(error)})`, {cause: error});
	}
}

/**
 * ssh-config's compute() runs `nslookup` for `CanonicalizeHostName yes` + `CanonicalDomains`.
 * Reading a config must not send a packet, so that directive is read as `no` here: sgtui connects
 * to the name as written (say `Host web.example.com`, or a HostName, where canonical names matter).
 */
function withoutHostLookups(config: SSHConfig): SSHConfig {
	const walk = (lines: unknown[]) => {
		for (const line of lines as Array<{param?: string; value?: unknown; config?: unknown[]}>) {
			if (typeof line.param === 'string' && /^CanonicalizeHostName$/i.test(line.param)) line.value = 'no';
			if (Array.isArray(line.config)) walk(line.config);
		}
	};
	walk(config);
	return config;
}

type Computed = Record<string, string | string[]>;

function first(computed: Computed, key: string): string | null {
	const value = computed[key];
	if (value === undefined) return null;
	return Array.isArray(value) ? (value[0] ?? null) : value;
}

/** Multi-valued directives: IdentityFile repeats; UserKnownHostsFile lists files in one line. */
function all(computed: Computed, key: string): string[] {
	const value = computed[key];
	if (value === undefined) return [];
	return (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(/\s+/)).filter(Boolean);
}

/** ssh_config TOKENS: %h host, %p port, %r remote user, %u local user, %d home, %n alias, %%; and ~. */
function expand(text: string, tokens: {h: string; p: number; r: string; n: string}, env: SettingsEnvironment): string {
	const replaced = text.replace(/%([hprudn%])/g, (_match, token: string) => {
		switch (token) {
			case 'h': return tokens.h;
			case 'p': return String(tokens.p);
			case 'r': return tokens.r;
			case 'u': return env.localUser;
			case 'd': return env.home;
			case 'n': return tokens.n;
			default: return '%';
		}
	});
	if (replaced === '~') return env.home;
	return replaced.startsWith('~/') ? `${env.home}${replaced.slice(1)}` : replaced;
}

function parseStrict(value: string | null): StrictHostKeyChecking {
	switch ((value ?? 'ask').toLowerCase()) {
		case 'yes':
		case 'true':
			return 'yes';
		// OpenSSH's `no` would also connect to a CHANGED key; sgtui keeps refusing those and treats
		// `no` like accept-new.
		case 'accept-new':
		case 'no':
		case 'off':
		case 'false':
			return 'accept-new';
		default:
			return 'ask';
	}
}

function parseTimeoutSeconds(value: string | null, fallbackMs: number): number {
	if (value === null) return fallbackMs;
	const seconds = Number(value);
	return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : fallbackMs;
}

function resolveHop(
	config: SSHConfig,
	target: SshTarget,
	overrides: SettingsOverrides,
	env: SettingsEnvironment,
	isFinal: boolean,
): HopSettings {
	const computed = config.compute(target.host, {ignoreCase: true, matchExec: false}) as Computed;
	const port = target.port ?? (Number(first(computed, 'port')) || 22);
	let user: string;
	let userSource: string;
	const configUser = first(computed, 'user');
	if (target.user) [user, userSource] = [target.user, 'target'];
	else if (isFinal && overrides.user) [user, userSource] = [overrides.user, '--user'];
	else if (configUser) [user, userSource] = [configUser, 'ssh config'];
	else if (isFinal && overrides.fallbackUser) [user, userSource] = [overrides.fallbackUser.user, `guess: ${overrides.fallbackUser.reason}`];
	else [user, userSource] = [env.localUser, 'local user'];
	const hostNameSetting = first(computed, 'hostname');
	const tokens = {h: target.host, p: port, r: user, n: target.host};
	const host = hostNameSetting ? expand(hostNameSetting, tokens, env) : (isFinal && overrides.fallbackHost) || target.host;
	const hostTokens = {...tokens, h: host};
	const configured = all(computed, 'identityfile').map((file) => expand(file, hostTokens, env));
	const explicit = isFinal && overrides.identityFile ? [overrides.identityFile] : [];
	const identityFiles = configured.length > 0 || explicit.length > 0
		? [...explicit, ...configured]
		: ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk'].map((name) => `${env.home}/.ssh/${name}`);
	const knownHostsFiles = all(computed, 'userknownhostsfile').map((file) => expand(file, hostTokens, env));
	const globalKnownHostsFiles = all(computed, 'globalknownhostsfile').map((file) => expand(file, hostTokens, env));
	return {
		alias: target.text,
		host,
		port,
		user,
		userSource,
		identityFiles,
		identitiesOnly: (first(computed, 'identitiesonly') ?? 'no').toLowerCase() === 'yes',
		knownHostsFiles: knownHostsFiles.length > 0 ? knownHostsFiles : [`${env.home}/.ssh/known_hosts`, `${env.home}/.ssh/known_hosts2`],
		globalKnownHostsFiles: globalKnownHostsFiles.length > 0 ? globalKnownHostsFiles : ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
		hostKeyAlias: first(computed, 'hostkeyalias'),
		strictHostKeyChecking: overrides.acceptNew ? 'accept-new' : parseStrict(first(computed, 'stricthostkeychecking')),
		hashKnownHosts: (first(computed, 'hashknownhosts') ?? 'no').toLowerCase() === 'yes',
		connectTimeoutMs: parseTimeoutSeconds(first(computed, 'connecttimeout'), DEFAULT_CONNECT_TIMEOUT_MS),
		keepaliveIntervalMs: parseTimeoutSeconds(first(computed, 'serveraliveinterval'), DEFAULT_KEEPALIVE_MS),
	};
}

/** Parses a ProxyJump value: `[user@]host[:port]` or `ssh://[user@]host[:port]`, comma-separated. */
export function parseJumpSpec(spec: string): SshTarget[] {
	if (spec.trim().toLowerCase() === 'none') return [];
	return spec.split(',').map((hop) => parseSshTarget(hop.trim().replace(/^ssh:\/\//, '')));
}

/**
 * Full settings for one target. The config is consulted with the name as typed (so `Host i-*`
 * entries apply to instance ids); `fallbackHost` is dialled only when the config has no HostName.
 * Each bastion gets its own config lookup, like `ssh -J` does (its own ProxyJump is not followed).
 */
export function resolveSshSettings(
	config: SSHConfig,
	target: SshTarget,
	overrides: SettingsOverrides = {},
	env: SettingsEnvironment = defaultEnvironment(),
): SshSettings {
	const final = resolveHop(config, target, overrides, env, true);
	const computed = config.compute(target.host, {ignoreCase: true, matchExec: false}) as Computed;
	const jumpSpec = overrides.jump ?? first(computed, 'proxyjump');
	const jumps = jumpSpec ? parseJumpSpec(jumpSpec).map((hop) => resolveHop(config, hop, {acceptNew: overrides.acceptNew}, env, false)) : [];
	return {...final, jumps};
}

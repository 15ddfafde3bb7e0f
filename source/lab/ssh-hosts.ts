// The lab's SSH side: one ssh2 Server on 127.0.0.1 answering sgtui's probe commands with each
// snapshot host's captured output, so demos and tests exercise the real SSH path (handshake,
// host-key check, key auth, exec). One port serves every host: the login name picks the host,
// `<user>+<instance-id>` (e.g. `ec2-user+i-0abc…`). A host answers only the commands its
// capture can answer — a netstat capture makes `ss` "not found" — so the probe's fallbacks run.
import {mkdir, readdir, writeFile} from 'node:fs/promises';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import ssh2 from 'ssh2';
import type {Connection, ServerChannel} from 'ssh2';
import {detectListingFormat, numberLines} from '../core/listener-parser.js';
import {isTasklistLine} from '../core/listing-netstat-windows.js';
import {decodeListingBytes} from '../core/listing-text.js';
import {
	DETECT_OS, DETECT_WINDOWS, failedSection, LINUX_FIREWALL, LINUX_LISTINGS, LINUX_PROBE_COMMAND_PATTERN, LINUX_PROBE_SCRIPT, linuxProbeMarker,
	SSM_END_SECTION, USER_ID, WINDOWS_FIREWALL, WINDOWS_LISTING, WINDOWS_TASKLIST, withSudo,
} from '../remote/probe-commands.js';
import {HOST_FILE} from '../files/load-snapshot.js';
import {MAX_HOST_FILE_BYTES, readBoundedFile} from '../files/bounded-read.js';

export interface LabSshHost {
	os: 'linux' | 'windows';
	/** What `ss`/`netstat`/`cat /proc/net/*` (Linux) or `netstat -nao` (Windows) printed. */
	listingText: string;
	/** Windows `tasklist /fo csv /nh` output. */
	tasklistText?: string;
	/** Linux: the probe's firewall report; Windows: `netsh advfirewall show allprofiles state`. */
	firewallText?: string;
	/** Linux: log in as an ordinary user whose `sudo -n` wants a password (default: root). */
	nonRoot?: boolean;
	/**
	 * A hung host (tests): it logs in and accepts every command's channel, then never prints,
	 * exits or closes — what a wedged sshd or a host out of process slots looks like.
	 */
	stalls?: boolean;
}

export interface LabSshServerOptions {
	hosts: Record<string, LabSshHost>;
	/** 0 (default) picks a free port. */
	port?: number;
	/** An OpenSSH-format private host key, to keep the host key stable across lab runs. */
	hostKey?: string;
	/** Public key lines (`ssh-ed25519 AAAA…`) allowed to log in; absent = any key that signs. */
	authorizedKeys?: string[];
}

export interface LabSshServer {
	host: '127.0.0.1';
	port: number;
	/** The host public key, `ssh-ed25519 AAAA…`. */
	hostPublicKey: string;
	/** The known_hosts line that trusts this server. */
	knownHostsLine: string;
	/** The login name that reaches an instance. */
	loginFor(instanceId: string, user?: string): string;
	/** Exec requests answered so far (for tests and the lab's log). */
	readonly commandCount: number;
	close(): Promise<void>;
}

const WINDOWS_NOT_RECOGNIZED = (name: string) => `'${name}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n`;
const DEFAULT_LINUX_FIREWALL = 'service firewalld inactive\nservice ufw inactive\nservice nftables inactive\nservice iptables inactive\niptables policy=ACCEPT rules=0\nnft absent\n';
const DEFAULT_WINDOWS_FIREWALL = [
	'', 'Domain Profile Settings:', '-'.repeat(70), 'State                                 ON', '',
	'Private Profile Settings:', '-'.repeat(70), 'State                                 ON', '',
	'Public Profile Settings:', '-'.repeat(70), 'State                                 ON', 'Ok.', '',
].join('\r\n');

interface Answer {
	stdout?: string;
	stderr?: string;
	code: number;
}

/** What a host with this capture would print for one of the probe's commands. */
export function answerCommand(host: LabSshHost, command: string): Answer {
	if (host.os === 'windows') {
		switch (command) {
			case DETECT_WINDOWS: return {stdout: '\r\nMicrosoft Windows [Version 10.0.20348.2340]\r\n', code: 0};
			case WINDOWS_LISTING: return {stdout: host.listingText, code: 0};
			case WINDOWS_TASKLIST: return host.tasklistText ? {stdout: host.tasklistText, code: 0} : {stderr: 'ERROR: Access denied\r\n', code: 1};
			case WINDOWS_FIREWALL: return {stdout: host.firewallText ?? DEFAULT_WINDOWS_FIREWALL, code: 0};
			default: return {stderr: WINDOWS_NOT_RECOGNIZED(command.split(' ')[0]!), code: 1};
		}
	}
	const format = detectListingFormat(numberLines(host.listingText));
	const tool = format === 'ss' ? 'ss' : format === 'netstat-linux' ? 'netstat' : 'proc-net';
	switch (command) {
		case DETECT_OS: return {stdout: 'Linux\n', code: 0};
		case USER_ID: return {stdout: host.nonRoot ? '1000\n' : '0\n', code: 0};
		case LINUX_FIREWALL: return {stdout: host.firewallText ?? DEFAULT_LINUX_FIREWALL, code: 0};
		default: break;
	}
	if (command.startsWith('sudo -n ')) {
		return host.nonRoot ? {stderr: 'sudo: a password is required\n', code: 1} : answerCommand(host, command.slice('sudo -n '.length));
	}
	const listing = LINUX_LISTINGS.find((candidate) => candidate.command === command);
	if (listing) {
		if (listing.tool === tool) return {stdout: host.listingText, code: 0};
		if (listing.tool === 'proc-net') return {stdout: host.listingText, code: 0};
		return {stderr: `bash: line 1: ${command.split(' ')[0]}: command not found\n`, code: 127};
	}
	return {stderr: `bash: line 1: ${command.split(' ')[0]}: command not found\n`, code: 127};
}

/**
 * What `sh -s NONCE` fed LINUX_PROBE_SCRIPT prints on this host: the script's steps played with
 * answerCommand's answers, as sh would run them. Windows has no sh; another script is refused
 * as a shell would refuse a command it can't run.
 */
export function answerProbeScript(host: LabSshHost, command: string, script: string): Answer {
	const nonce = LINUX_PROBE_COMMAND_PATTERN.exec(command)?.[1];
	if (host.os === 'windows' || nonce === undefined) return answerCommand(host, command);
	if (script !== LINUX_PROBE_SCRIPT) return {stderr: 'sh: 1: syntax error: not the probe script\n', code: 2};
	const out: string[] = [];
	const section = (name: string, text: string) => out.push(`${linuxProbeMarker(nonce)}${name}\n${text === '' || text.endsWith('\n') ? text : `${text}\n`}`);
	section('os', answerCommand(host, DETECT_OS).stdout ?? '');
	const uid = (answerCommand(host, USER_ID).stdout ?? '').trim();
	section('uid', uid);
	let sudoRefused = false;
	for (const listing of LINUX_LISTINGS) {
		let skip = false;
		if (uid !== '0' && !sudoRefused && listing.namesNeedRoot) {
			const elevated = answerCommand(host, withSudo(listing.command));
			if (elevated.code === 0) {
				section(`listing ${withSudo(listing.command)}`, elevated.stdout ?? '');
				break;
			}
			if ((elevated.stderr ?? '').includes(`sudo: ${listing.command.split(' ')[0]}: command not found`)) skip = true;
			else sudoRefused = true;
		}
		if (skip) continue;
		const plain = answerCommand(host, listing.command);
		const usable = listing.tool === 'proc-net' ? (plain.stdout ?? '').trim() !== '' : plain.code === 0;
		if (usable) {
			section(`listing ${listing.command}`, plain.stdout ?? '');
			break;
		}
		section(failedSection(listing.command), `${plain.code}\n${plain.stderr ?? ''}`);
	}
	section('firewall', answerCommand(host, uid === '0' || sudoRefused ? LINUX_FIREWALL : withSudo(LINUX_FIREWALL)).stdout ?? '');
	out.push(`${linuxProbeMarker(nonce)}${SSM_END_SECTION}\n`);
	return {stdout: out.join(''), code: 0};
}

function splitLogin(username: string): {user: string; instanceId: string} {
	const plus = username.lastIndexOf('+');
	return plus < 0 ? {user: '', instanceId: username} : {user: username.slice(0, plus), instanceId: username.slice(plus + 1)};
}

function keyBlobOf(line: string): Buffer {
	return Buffer.from(line.trim().split(/\s+/)[1] ?? '', 'base64');
}

/**
 * A new ed25519 host key that ssh2 can read back. Now and then ssh2's own generateKeyPairSync
 * emits a key its parseKey calls malformed (seen once in ~900 test runs); a fresh one is tried,
 * a bounded number of times.
 */
function freshHostKey(): string {
	let last = '';
	for (let attempt = 0; attempt < 5; attempt++) {
		last = ssh2.utils.generateKeyPairSync('ed25519').private;
		if (!(ssh2.utils.parseKey(last) instanceof Error)) return last;
	}
	return last;
}

export async function startLabSshServer(options: LabSshServerOptions): Promise<LabSshServer> {
	const hostKey = options.hostKey ?? freshHostKey();
	const parsedHostKey = ssh2.utils.parseKey(hostKey);
	if (parsedHostKey instanceof Error) throw new Error(`lab ssh host key: ${parsedHostKey.message}`);
	const hostPublic = (Array.isArray(parsedHostKey) ? parsedHostKey[0]! : parsedHostKey);
	const hostPublicKey = `${hostPublic.type} ${hostPublic.getPublicSSH().toString('base64')}`;
	const allowed = options.authorizedKeys?.map(keyBlobOf) ?? null;
	let commandCount = 0;

	const server = new ssh2.Server({hostKeys: [hostKey]}, (client: Connection) => {
		let host: LabSshHost | null = null;
		client.on('authentication', (ctx) => {
			const {instanceId} = splitLogin(ctx.username);
			const candidate = options.hosts[instanceId];
			if (ctx.method !== 'publickey' || !candidate) return ctx.reject(['publickey']);
			if (allowed && !allowed.some((blob) => blob.equals(ctx.key.data))) return ctx.reject(['publickey']);
			if (!ctx.signature || !ctx.blob) return ctx.accept();
			const key = ssh2.utils.parseKey(ctx.key.data);
			if (key instanceof Error || Array.isArray(key) || !key.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) return ctx.reject(['publickey']);
			host = candidate;
			ctx.accept();
		});
		client.on('ready', () => {
			client.on('session', (accept) => {
				const session = accept();
				session.on('exec', (acceptExec, _reject, info) => {
					const stream: ServerChannel = acceptExec();
					commandCount++;
					if (host!.stalls) return;
					const reply = (answer: Answer) => {
						if (answer.stdout) stream.write(answer.stdout);
						if (answer.stderr) stream.stderr.write(answer.stderr);
						stream.exit(answer.code);
						stream.end();
					};
					if (!LINUX_PROBE_COMMAND_PATTERN.test(info.command)) return reply(answerCommand(host!, info.command));
					// `sh -s`: the script comes on stdin, answered once the client closes it.
					const script: Buffer[] = [];
					stream.on('data', (chunk: Buffer) => script.push(chunk));
					stream.once('end', () => reply(answerProbeScript(host!, info.command, Buffer.concat(script).toString('utf8'))));
				});
			});
		});
		// A client that disconnects mid-handshake is not the lab's problem.
		client.on('error', () => undefined);
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const {port} = server.address() as AddressInfo;
	return {
		host: '127.0.0.1',
		port,
		hostPublicKey,
		knownHostsLine: `[127.0.0.1]:${port} ${hostPublicKey}`,
		loginFor: (instanceId, user) => `${user ?? (options.hosts[instanceId]?.os === 'windows' ? 'Administrator' : 'ec2-user')}+${instanceId}`,
		get commandCount() {
			return commandCount;
		},
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

export interface LabSshFiles {
	dir: string;
	configFile: string;
	knownHostsFile: string;
	identityFile: string;
	/** Lines for `sgtui lab` to print. */
	instructions: string[];
}

/**
 * Writes what a user needs to reach the lab's hosts with sgtui or plain ssh: a client key, a
 * known_hosts that trusts the lab's host key, and an ssh config with one `Host <instance-id>`
 * entry per host. The private key never leaves `dir`.
 */
export async function writeLabSshFiles(server: LabSshServer, instanceIds: string[], dir: string, clientKey?: {private: string; public: string}): Promise<LabSshFiles> {
	await mkdir(dir, {recursive: true, mode: 0o700});
	const key = clientKey ?? ssh2.utils.generateKeyPairSync('ed25519', {comment: 'sgtui-lab'});
	const identityFile = join(dir, 'id_ed25519');
	const knownHostsFile = join(dir, 'known_hosts');
	const configFile = join(dir, 'ssh_config');
	await writeFile(identityFile, key.private, {mode: 0o600});
	await writeFile(`${identityFile}.pub`, `${key.public}\n`);
	await writeFile(knownHostsFile, `${server.knownHostsLine}\n`, {mode: 0o600});
	const blocks = instanceIds.map((id) => [`Host ${id}`, '  HostName 127.0.0.1', `  Port ${server.port}`, `  User ${server.loginFor(id)}`].join('\n'));
	const config = [
		`# sgtui lab: one SSH server on 127.0.0.1:${server.port} answers for every host; the User picks the host.`,
		...blocks,
		'Host *',
		`  IdentityFile ${identityFile}`,
		'  IdentitiesOnly yes',
		`  UserKnownHostsFile ${knownHostsFile}`,
		'  StrictHostKeyChecking yes',
		'',
	].join('\n');
	await writeFile(configFile, config);
	const example = instanceIds[0] ?? 'i-…';
	return {
		dir,
		configFile,
		knownHostsFile,
		identityFile,
		instructions: [
			`SSH hosts: 127.0.0.1:${server.port} (${instanceIds.length} host${instanceIds.length === 1 ? '' : 's'}; login name <user>+<instance-id>)`,
			`  sgtui ports ${instanceIds.slice(0, 3).join(' ') || example} -F ${configFile}`,
			`  ssh -F ${configFile} ${example} uname -s`,
		],
	};
}

/**
 * The lab hosts of a snapshot: `hosts/<instance-id>.txt`, as `sgtui snapshot` (or a user) saved
 * them. A Windows capture may hold the tasklist lines too; they are split out so the lab answers
 * `tasklist` separately, like a real host. Platforms come from the inventory when known.
 */
export async function loadLabSshHosts(snapshotDir: string, platforms: Record<string, 'linux' | 'windows'> = {}): Promise<{hosts: Record<string, LabSshHost>; warnings: string[]}> {
	const hosts: Record<string, LabSshHost> = {};
	const warnings: string[] = [];
	let names: string[];
	try {
		names = await readdir(join(snapshotDir, 'hosts'));
	} catch {
		return {hosts, warnings};
	}
	for (const name of names.sort()) {
		const match = HOST_FILE.exec(name);
		if (!match) continue;
		const bytes = await readBoundedFile(join(snapshotDir, 'hosts', name), `hosts/${name}`, MAX_HOST_FILE_BYTES);
		if (bytes === null) continue;
		const text = decodeListingBytes(bytes);
		const format = detectListingFormat(numberLines(text));
		if (!format) {
			warnings.push(`hosts/${name}: not a listener listing; the lab's SSH server leaves this host out`);
			continue;
		}
		const os = platforms[match[1]!] ?? (format === 'netstat-windows' ? 'windows' : 'linux');
		if (os === 'windows') {
			const lines = text.split('\n');
			const tasklist = lines.filter((line) => isTasklistLine(line.trim()));
			const listing = lines.filter((line) => !isTasklistLine(line.trim()) && !/^\S*>\s*tasklist\b/i.test(line.trim()));
			hosts[match[1]!] = {os, listingText: listing.join('\n'), ...(tasklist.length > 0 ? {tasklistText: tasklist.join('\n')} : {})};
		} else {
			hosts[match[1]!] = {os, listingText: text};
		}
	}
	return {hosts, warnings};
}

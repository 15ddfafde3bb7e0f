// The lab's SSH side: one ssh2 Server on 127.0.0.1 answering sgtui's probe commands with each
// snapshot host's captured output, so demos and tests exercise the real SSH path (handshake,
// host-key check, key auth, exec). One port serves every host: the login name picks the host,
// `<user>+<instance-id>` (e.g. `ec2-user+i-0abc…`). A host answers only the commands its
// capture can answer — a netstat capture makes `ss` "not found" — so the probe's fallbacks run.
import {mkdir, writeFile} from 'node:fs/promises';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import ssh2 from 'ssh2';
import type {Connection, ServerChannel} from 'ssh2';
import {newEd25519KeyPair} from './ed25519-keys.js';
import {answerCommand, answerProbeScript, type Answer, type LabSshHost} from './host-answers.js';
import {LINUX_PROBE_COMMAND_PATTERN} from '../remote/probe-commands.js';
import {shellCommand} from '../core/shell-quote.js';

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


function splitLogin(username: string): {user: string; instanceId: string} {
	const plus = username.lastIndexOf('+');
	return plus < 0 ? {user: '', instanceId: username} : {user: username.slice(0, plus), instanceId: username.slice(plus + 1)};
}

function keyBlobOf(line: string): Buffer {
	return Buffer.from(line.trim().split(/\s+/)[1] ?? '', 'base64');
}

export async function startLabSshServer(options: LabSshServerOptions): Promise<LabSshServer> {
	const hostKey = options.hostKey ?? newEd25519KeyPair().private;
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
	const key = clientKey ?? newEd25519KeyPair('sgtui-lab');
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
			`  ${shellCommand(['sgtui', 'ports', ...(instanceIds.length > 0 ? instanceIds.slice(0, 3) : [example]), '-F', configFile])}`,
			`  ${shellCommand(['ssh', '-F', configFile, example, 'uname', '-s'])}`,
		],
	};
}

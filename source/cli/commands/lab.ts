// `sgtui lab`: runs the lab (a local AWS speaking EC2, CloudWatch Logs and Live Tail) in the
// foreground until Ctrl-C, and prints how to point sgtui, the AWS CLI or an SDK at it. The
// snapshot's hosts (hosts/<instance-id>.txt) answer over SSH too, so `sgtui ports` and plain
// `ssh` take the real SSH path against the lab.
import {existsSync, statSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Lab} from '../../lab/lab.js';
import {EvidenceError} from '../../core/evidence-error.js';
import {EXIT, InputError, UsageError} from '../errors.js';
import {display, errorLine} from '../../core/display-text.js';
import {shellCommand} from '../../core/shell-quote.js';

export interface LabCommandOptions {
	snapshot?: unknown;
	port?: unknown;
	rate?: unknown;
	sessionSeconds?: unknown;
	deny?: unknown;
	verbose?: unknown;
	/** realistic | fast */
	delivery?: unknown;
	seed?: unknown;
	/** Where to write ssh_config, known_hosts and the client key (default: a temp dir removed on exit). */
	sshDir?: unknown;
	/** false (`--no-ssh`): no SSH server. */
	ssh?: unknown;
}

export interface LabIo {
	stdout: {write(text: string): unknown};
	stderr: {write(text: string): unknown};
	/** Resolves when the lab should stop (default: SIGINT or SIGTERM). */
	stopped?: Promise<unknown>;
}

function integer(value: unknown, flag: string, min: number, max: number): number | undefined {
	if (value === undefined) return undefined;
	const text = String(value);
	if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
	return Number(text);
}

function untilSignal(): Promise<void> {
	return new Promise((resolve) => {
		const stop = () => {
			process.off('SIGINT', stop);
			process.off('SIGTERM', stop);
			resolve();
		};
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	});
}

interface LabSsh {
	lines: string[];
	close(): Promise<void>;
}

/** The lab's SSH server for the snapshot's host captures, and the files that reach it. */
async function startSsh(lab: Lab, sshDir: string | undefined, io: LabIo): Promise<LabSsh> {
	const {startLabSshServer, writeLabSshFiles} = await import('../../lab/ssh-hosts.js');
	if (sshDir !== undefined) {
		// The lab writes a private key, known_hosts and ssh_config there: never over the user's own.
		const taken = ['id_ed25519', 'id_ed25519.pub', 'known_hosts', 'ssh_config'].filter((name) => existsSync(path.join(sshDir, name)));
		if (taken.length > 0) throw new UsageError(`--ssh-dir ${sshDir} already holds ${taken.join(', ')}: the lab will not overwrite them; give an empty or new directory`);
	}
	// The lab has read the captures already (platforms from the inventory): no second read.
	const {hosts, hostWarnings: warnings} = lab;
	for (const warning of warnings) io.stderr.write(`sgtui lab: ${display(warning)}\n`);
	const ids = Object.keys(hosts);
	if (ids.length === 0) return {lines: ['SSH hosts: none (the snapshot has no hosts/<instance-id>.txt)'], close: async () => undefined};
	const server = await startLabSshServer({hosts});
	// mkdtemp makes the directory 0700: the client key in it is readable by this user only.
	const dir = sshDir ?? (await mkdtemp(path.join(tmpdir(), 'sgtui-lab-ssh-')));
	const close = async () => {
		await server.close();
		// A directory the user named is theirs to keep; the temp one goes with the lab.
		if (sshDir === undefined) await rm(dir, {recursive: true, force: true});
	};
	try {
		const files = await writeLabSshFiles(server, ids, dir);
		return {lines: files.instructions, close};
	} catch (error) {
		await close();
		throw new InputError(`--ssh-dir ${dir}: cannot write the SSH files (${(error as NodeJS.ErrnoException).code ?? errorLine(error)})`);
	}
}

/** How to reach the lab's managed instances through Systems Manager Run Command. */
function ssmLines(lab: Lab): string[] {
	const ids = Object.keys(lab.hosts).sort();
	if (ids.length === 0) return [];
	const example = ids.find((id) => lab.hosts[id]?.os === 'windows') ?? ids[0]!;
	return [
		`Systems Manager: ${ids.length} managed instance${ids.length === 1 ? '' : 's'} (Run Command answers sgtui's probe from the host captures)`,
		`  sgtui ports ${example} --via ssm      # with the AWS_* variables above`,
		'',
	];
}

/**
 * A misspelled action would deny nothing and the user would draw conclusions from a lab that
 * grants everything: every name must be one the lab serves.
 */
async function refuseUnknownActions(actions: string[]): Promise<void> {
	if (actions.length === 0) return;
	const [{EC2_HANDLERS}, {LOGS_HANDLERS}, {SSM_HANDLERS}] = await Promise.all([
		import('../../lab/ec2-handlers.js'), import('../../lab/logs-handlers.js'), import('../../lab/ssm-handlers.js'),
	]);
	const known = new Set([...Object.keys(EC2_HANDLERS), ...Object.keys(LOGS_HANDLERS), ...Object.keys(SSM_HANDLERS), 'StartLiveTail']);
	const unknown = actions.find((action) => !known.has(action));
	if (unknown === undefined) return;
	const near = [...known].find((name) => name.toLowerCase() === unknown.toLowerCase() || name.toLowerCase().replace(/s$/, '') === unknown.toLowerCase().replace(/s$/, ''));
	throw new UsageError(`--deny: "${unknown}" is not an API action the lab serves${near ? ` (did you mean ${near}?)` : ''}; it serves ${[...known].sort().join(', ')}`);
}

export async function runLab(options: LabCommandOptions, io: LabIo): Promise<number> {
	const port = integer(options.port, '--port', 0, 65535);
	const rate = integer(options.rate, '--rate', 0, 10_000);
	const sessionSeconds = integer(options.sessionSeconds, '--session-seconds', 1, 3 * 60 * 60);
	const denyActions = options.deny === undefined ? [] : String(options.deny).split(',').map((action) => action.trim()).filter(Boolean);
	const badAction = denyActions.find((action) => !/^[A-Z][A-Za-z]+$/.test(action));
	if (badAction !== undefined || (options.deny !== undefined && denyActions.length === 0)) {
		throw new UsageError(`--deny takes API action names separated by commas, e.g. DescribeFlowLogs,StartLiveTail (got "${String(options.deny)}")`);
	}
	await refuseUnknownActions(denyActions);
	const snapshotDir = options.snapshot === undefined ? undefined : String(options.snapshot);
	if (snapshotDir !== undefined && !(existsSync(snapshotDir) && statSync(snapshotDir).isDirectory())) {
		throw new InputError(`snapshot directory not found: ${snapshotDir}`);
	}
	const delivery = options.delivery === undefined ? 'realistic' : String(options.delivery);
	if (delivery !== 'realistic' && delivery !== 'fast') throw new UsageError(`--delivery must be realistic or fast, got "${delivery}"`);
	const seed = integer(options.seed, '--seed', 0, 2 ** 31) ?? 1;
	const sshDir = options.sshDir === undefined ? undefined : String(options.sshDir);
	if (sshDir !== undefined && (sshDir === '' || (existsSync(sshDir) && !statSync(sshDir).isDirectory()))) throw new UsageError(`--ssh-dir must be a directory, got "${sshDir}"`);
	const {startLab} = await import('../../lab/lab.js');
	let lab;
	try {
		lab = await startLab({
			snapshotDir,
			port,
			simulate: rate === 0 ? false : {ratePerSecond: rate ?? 2},
			liveTailSessionSeconds: sessionSeconds,
			faults: denyActions.length > 0 ? {denyActions} : undefined,
			delivery: {mode: delivery, seed},
			// A request's action is whatever the caller sent: inert on the terminal.
			log: options.verbose ? (line) => io.stderr.write(`${new Date().toISOString()} ${display(line)}\n`) : undefined,
		});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is already in use on 127.0.0.1 (try --port 0 for a free one)`);
		// A broken snapshot file: the snapshot reader's one line, naming the file (exit 2 in main.ts).
		if (error instanceof EvidenceError) throw error;
		throw new InputError(errorLine(error));
	}
	for (const warning of lab.warnings) io.stderr.write(`sgtui lab: ${display(warning)}\n`);
	if (denyActions.length > 0) io.stderr.write(`sgtui lab: denying ${denyActions.join(', ')} (as an identity without those permissions)\n`);
	let ssh: LabSsh | null = null;
	if (options.ssh !== false) {
		try {
			ssh = await startSsh(lab, sshDir, io);
		} catch (error) {
			await lab.close();
			throw error instanceof InputError ? error : new InputError(`lab SSH server: ${errorLine(error)}`);
		}
	}
	// The example Live Tail follows the ENI with the most REJECTs: the one worth watching.
	let group = [...lab.state.logs.groups.keys()][0] ?? '/vpc/flow-logs';
	let eni: string | undefined;
	let most = -1;
	for (const [name, logGroup] of lab.state.logs.groups) {
		for (const [streamName, stream] of logGroup.streams) {
			const rejects = stream.events.filter((event) => event.message.includes(' REJECT ')).length;
			if (rejects > most) [most, group, eni] = [rejects, name, streamName];
		}
	}
	const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
	const groupArn = `arn:aws:logs:${lab.region}:${lab.accountId}:log-group:${group}`;
	const lines = [
		`sgtui lab: listening on ${lab.endpoint} (region ${lab.region}, account ${lab.accountId})`,
		`  ${plural(lab.state.securityGroups.length, 'security group')}, ${plural(lab.state.rules.length, 'rule')}, ${plural(lab.state.logs.groups.size, 'flow log group')}; traffic simulator: ${rate === 0 ? 'off' : `${rate ?? 2} attempts/s from ${plural(lab.simulator?.clients.length ?? 0, 'client')}`}`,
		...(rate === 0 ? [] : [delivery === 'realistic' ? `  records arrive like AWS's: after the flow log's aggregation interval plus 20–120 s, a few minutes later still (seed ${seed}; --delivery fast: at once)` : '  records arrive at once (--delivery fast)']),
		'',
		'Use it from another terminal:',
		`  export AWS_ENDPOINT_URL=${lab.endpoint} AWS_ACCESS_KEY_ID=${lab.credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${lab.credentials.secretAccessKey} AWS_REGION=${lab.region} AWS_DEFAULT_REGION=${lab.region}`,
		'  export AWS_DISABLE_HOST_PREFIX_INJECTION=true   # Live Tail: no "stream-" host prefix on 127.0.0.1 (botocore)',
		'  aws ec2 describe-security-groups --query "SecurityGroups[].[GroupId,GroupName]" --output text',
		`  ${display(shellCommand(['aws', 'logs', 'filter-log-events', '--log-group-name', group, '--filter-pattern', 'REJECT', '--max-items', 5]))}`,
		// The group name is the snapshot's (any string there): quoted for the shell, inert for the terminal.
		// AWS CLIs send StartLiveTail to a "stream-" host prefix, which would not resolve for
		// 127.0.0.1; recent botocore honours AWS_DISABLE_HOST_PREFIX_INJECTION (printed above).
		`  ${display(shellCommand(['aws', 'logs', 'start-live-tail', '--log-group-identifiers', groupArn, ...(eni ? ['--log-stream-names', eni] : []), '--log-event-filter-pattern', 'REJECT', '--no-cli-pager']))}`,
		'',
		// Their paths hold --ssh-dir as typed: inert on the terminal like the rest.
		...(ssh ? [...ssh.lines.map((line) => display(line)), ''] : []),
		...ssmLines(lab),
		'Press Ctrl-C to stop.',
		'',
	];
	io.stdout.write(lines.join('\n'));
	await (io.stopped ?? untilSignal());
	await ssh?.close();
	await lab.close();
	io.stderr.write('sgtui lab: stopped\n');
	return EXIT.ok;
}

export async function run(options: Record<string, unknown>): Promise<number> {
	return runLab(options, {stdout: process.stdout, stderr: process.stderr});
}

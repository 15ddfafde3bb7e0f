// `sgtui snapshot --out DIR`: saves a live account's evidence (describe-* outputs and recent flow
// records) in the snapshot format, so `check`/`audit` can run offline and the evidence can be
// handed on. Read-only against AWS. With --probe-hosts it also lists what listens on each
// instance (the `sgtui ports` probe over SSH or Systems Manager, same settings and host-key
// rules) into hosts/.
import {existsSync} from 'node:fs';
import type {AwsCliOptions} from '../../aws/cli-clients.js';
import {sharedAbortController} from '../../aws/abort-signal.js';
import {awsClientsForCli} from '../aws-clients.js';
import {type HostListing, SnapshotDirError, type SnapshotProgress, type WriteSnapshotOptions, writeSnapshot} from '../../aws/snapshot-writer.js';
import type {SSMClient} from '@aws-sdk/client-ssm';
import type {ProbeVia} from '../../core/probe-transport.js';
import {EXIT, InputError, UsageError} from '../errors.js';
import {requireAwsId} from '../id-arguments.js';
import {probeOffReason} from '../no-probe.js';
import {parseVia} from '../via-option.js';
import {MAX_LOOKBACK} from '../duration.js';
import {parseCommandTimeout} from '../command-timeout.js';
import {display} from '../../core/display-text.js';
import {errorLine} from '../../core/display-text.js';

export interface SnapshotOptions extends AwsCliOptions {
	out?: unknown;
	instances?: unknown;
	minutes?: unknown;
	force?: unknown;
	probeHosts?: unknown;
	/** false with --no-probe. */
	probe?: unknown;
	/** -F FILE: ssh config for --probe-hosts (default ~/.ssh/config). */
	sshConfig?: unknown;
	acceptNew?: unknown;
	jump?: unknown;
	user?: unknown;
	identity?: unknown;
	/** --via: auto | ssh | ssm (as `sgtui ports`). */
	via?: unknown;
	/** --command-timeout: per probe command, as `sgtui ports` (default 20 s, 1 s–30 min). */
	commandTimeout?: unknown;
}

export interface SnapshotIo {
	stdout: {write(text: string): unknown};
	stderr: {write(text: string): unknown; isTTY?: boolean};
	signal?: AbortSignal;
	/** Asks for a key passphrase without echo; null/absent = cannot ask (encrypted keys skipped). */
	askPassphrase?: ((question: string) => Promise<string | null>) | null;
	/** ssh-agent socket (default SSH_AUTH_SOCK). */
	agentSocket?: string | null;
}

interface ProbeSettings {
	via: ProbeVia;
	configPath: string | null;
	acceptNew: boolean;
	jump: string | null;
	user: string | null;
	identityFile: string | null;
	commandTimeoutMs: number;
}

function flagText(value: unknown, flag: string): string | null {
	if (value === undefined || value === null || value === false) return null;
	if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${flag} needs a value`);
	return value;
}

/** The SSH flags, checked before any AWS call so a typo fails at once. */
async function probeSettings(options: SnapshotOptions): Promise<ProbeSettings | null> {
	const settings: ProbeSettings = {
		via: parseVia(options.via),
		configPath: flagText(options.sshConfig, '-F'),
		acceptNew: Boolean(options.acceptNew),
		jump: flagText(options.jump, '--jump'),
		user: flagText(options.user, '--user'),
		identityFile: flagText(options.identity, '--identity'),
		commandTimeoutMs: parseCommandTimeout(options.commandTimeout),
	};
	if (options.probeHosts) {
		const off = probeOffReason({probe: options.probe === false ? false : undefined});
		if (off) throw new UsageError(`--probe-hosts dials every instance, but ${off.slice(0, off.indexOf(':')).replace(/^Probing/, 'probing')}: drop one of them`);
	}
	if (!options.probeHosts) {
		const given = [options.via !== undefined && '--via', settings.configPath && '-F', settings.acceptNew && '--accept-new', settings.jump && '--jump', settings.user && '--user', settings.identityFile && '--identity', options.commandTimeout !== undefined && '--command-timeout'].filter(Boolean);
		if (given.length > 0) throw new UsageError(`${given[0]} only applies with --probe-hosts`);
		return null;
	}
	if (settings.identityFile && !existsSync(settings.identityFile)) throw new UsageError(`--identity ${settings.identityFile}: no such file`);
	const {parseJumpSpec, loadSshConfig} = await import('../../remote/ssh-settings.js');
	if (settings.jump) {
		try {
			parseJumpSpec(settings.jump);
		} catch (error) {
			throw new UsageError(`--jump: ${errorLine(error)}`);
		}
	}
	try {
		await loadSshConfig(settings.configPath);
	} catch (error) {
		throw new InputError(errorLine(error));
	}
	return settings;
}

/** The probe of `sgtui ports` (SSH or Systems Manager), over every instance of the inventory just fetched. */
function hostProber(settings: ProbeSettings, io: SnapshotIo, ssm: SSMClient, answered: Record<'ssh' | 'ssm', number>): NonNullable<WriteSnapshotOptions['captureHosts']> {
	return async (inventory, progress) => {
		const [{probeTargets}, {createSsmProber}] = await Promise.all([import('../../remote/probe-targets.js'), import('../../remote/probe-ssm.js')]);
		const ask = io.askPassphrase ?? null;
		const ids = inventory.instances.map((instance) => instance.id);
		const results = await probeTargets(ids, {
			...settings,
			ssm: settings.via === 'ssh' ? null : async () => createSsmProber(ssm),
			inventory,
			agentSocket: io.agentSocket,
			passphrase: ask ? async ({keyFile, attempt}) => ask(`${attempt > 1 ? 'Wrong passphrase. ' : ''}Enter passphrase for key '${keyFile}': `) : null,
			callbacks: {
				onHostKeyRecorded: (info) => io.stderr.write(`sgtui: ${display(`recorded ${info.keyType} host key ${info.fingerprint} for ${info.lookupName} in ${info.knownHostsFile}`)}\n`),
			},
			onResult: (_result, done, total) => progress(done, total),
		});
		for (const result of results) {
			if (!result.error && result.raw && result.transport) answered[result.transport]++;
		}
		return results.map((result): HostListing => ({
			instanceId: result.target,
			capture: !result.error && result.raw ? {...result.raw, format: result.format} : null,
			error: result.error ? result.error.message : result.raw ? null : 'no listing captured',
		}));
	};
}

export function parseInstanceList(value: unknown): string[] | undefined {
	if (value === undefined) return undefined;
	const ids = String(value)
		.split(/[\s,]+/)
		.filter(Boolean);
	for (const id of ids) requireAwsId(id, '--instances', ['instance']);
	if (ids.length === 0) throw new UsageError('--instances needs at least one instance id');
	return ids;
}

/** " (4 over SSH, 1 over Systems Manager)": which transport answered, as `sgtui ports` shows per host. */
function transportCounts(answered: Record<'ssh' | 'ssm', number>): string {
	const parts = [answered.ssh ? `${answered.ssh} over SSH` : '', answered.ssm ? `${answered.ssm} over Systems Manager` : ''].filter(Boolean);
	return parts.length ? ` (${parts.join(', ')})` : '';
}

// A part the identity may not read is "unknown", never "0" (which would read as "none").
/** --minutes reaches back as far as --since may: CloudWatch Logs' longest retention (3653 days). */
const MAX_MINUTES = MAX_LOOKBACK.ms / 60_000;

const count = (known: boolean, n: number, what: string) => (known ? `${n} ${what}` : `unknown ${what} (denied)`);

export async function snapshot(options: SnapshotOptions, io: SnapshotIo): Promise<number> {
	if (typeof options.out !== 'string' || options.out === '') throw new UsageError('--out DIR is required');
	const instanceIds = parseInstanceList(options.instances);
	const minutes = options.minutes === undefined ? 30 : Number(options.minutes);
	// At most CloudWatch Logs' longest retention (10 years, 3653 days): beyond it the start is no Date.
	if (!/^\d+$/.test(String(options.minutes ?? 30)) || minutes > MAX_MINUTES) {
		throw new UsageError(`--minutes must be a whole number of minutes from 0 to ${MAX_MINUTES} (3653 days), got "${String(options.minutes)}"`);
	}
	const probe = await probeSettings(options);

	const clients = await awsClientsForCli(options);
	const answered = {ssh: 0, ssm: 0};
	const tty = Boolean(io.stderr.isTTY);
	const onProgress = tty
		? (progress: SnapshotProgress) => io.stderr.write(`\r\u001B[K[${progress.step}/${progress.steps}] ${progress.what}${progress.count ? ` (${progress.count})` : ''}`)
		: undefined;
	try {
		const result = await writeSnapshot({ec2: clients.ec2, logs: clients.logs, outDir: options.out, instanceIds, minutes, force: Boolean(options.force), onProgress, signal: io.signal,
			...(probe ? {captureHosts: hostProber(probe, io, clients.ssm, answered)} : {})});
		if (tty) io.stderr.write('\r\u001B[K');
		for (const id of result.missingInstanceIds) io.stderr.write(`sgtui: ${display(id)} was not found in ${display(clients.region)}\n`);
		for (const warning of result.warnings) io.stderr.write(`sgtui: ${display(warning)}\n`);
		const inv = result.inventory;
		const records = Object.values(result.flowRecords).reduce((sum, count) => sum + count, 0);
		io.stdout.write(
			`wrote ${result.dir}: ${inv.instances.length} instance(s), ${inv.networkInterfaces.length} network interface(s), ${inv.securityGroups.length} security group(s), ` +
				`${count(inv.known.networkAcls, inv.networkAcls.length, 'network ACL(s)')}, ${count(inv.known.flowLogs, inv.flowLogs.length, 'flow log(s)')}, ${count(inv.known.prefixLists, inv.prefixLists.length, 'prefix list(s)')}, ` +
				`${count(inv.known.routeTables, inv.routeTables.length, 'route table(s)')}, ${count(inv.known.internetGateways, inv.internetGateways.length, 'internet gateway(s)')}; ` +
				(minutes > 0 ? `${records} flow record(s) of the last ${minutes} min from ${Object.keys(result.flowRecords).length} network interface(s)` : 'no flow records (--minutes 0)') +
				(probe ? `; listeners of ${result.hosts.written.length} of ${inv.instances.length} instance(s)${transportCounts(answered)}` : '') + '\n',
		);
		// Not fatal: a host that could not be probed is simply absent from hosts/ (unknown).
		for (const {instanceId, error} of result.hosts.failed) io.stderr.write(`sgtui: ${display(instanceId)}: not probed — ${display(error)}\n`);
		if (result.missingInstanceIds.length && instanceIds && result.missingInstanceIds.length === instanceIds.length) return EXIT.usage;
		return EXIT.ok;
	} catch (error) {
		if (error instanceof SnapshotDirError) throw new InputError(error.message);
		throw error;
	} finally {
		if (tty) io.stderr.write('\r\u001B[K');
		clients.destroy();
	}
}

export async function run(options: Record<string, unknown>): Promise<number> {
	const controller = sharedAbortController();
	const stop = () => controller.abort();
	process.once('SIGINT', stop);
	try {
		const {promptSecret} = await import('../../remote/terminal-prompt.js');
		const askPassphrase = process.stdin.isTTY ? (question: string) => promptSecret(question) : null;
		return await snapshot(options, {stdout: process.stdout, stderr: process.stderr, signal: controller.signal, askPassphrase});
	} finally {
		process.off('SIGINT', stop);
	}
}

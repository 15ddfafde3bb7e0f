// `sgtui ports TARGET...`: step 1 of the method, live — SSH to each host with the user's own ssh
// settings (or Systems Manager Run Command where there is no SSH: --via), list what listens, and
// show what is reachable from outside. Host keys are verified; an unknown key is refused with its
// fingerprint unless --accept-new, a CHANGED key always.
import {existsSync, statSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import type {ProbeVia} from '../../core/probe-transport.js';
import {parseSshTarget, type SshTarget} from '../../core/ssh-target.js';
import type {Inventory} from '../../core/types.js';
import {DEFAULT_CONCURRENCY} from '../../remote/probe-many.js';
import {probeTargets} from '../../remote/probe-targets.js';
import type {HostProbeResult} from '../../remote/probe.js';
import {loadSshConfig, parseJumpSpec} from '../../remote/ssh-settings.js';
import {promptSecret} from '../../remote/terminal-prompt.js';
import type {SsmProber} from '../../remote/ssm-errors.js';
import {EXIT, InputError, UsageError} from '../errors.js';
import {bold, useColor} from '../text-table.js';
import {parseVia} from '../via-option.js';
import {parseCommandTimeout} from '../command-timeout.js';
import {requireInstanceIdOrAlias, shapedLikeInstanceId} from '../id-arguments.js';
import {formatPortsReport} from './ports.js';
import {display, displayCopy} from '../../core/display-text.js';
import {errorLine} from '../../core/display-text.js';

export interface PortsSshOptions {
	config?: unknown;
	user?: unknown;
	identity?: unknown;
	jump?: unknown;
	acceptNew?: unknown;
	json?: unknown;
	snapshot?: unknown;
	concurrency?: unknown;
	commandTimeout?: unknown;
	via?: unknown;
	profile?: unknown;
	region?: unknown;
	endpointUrl?: unknown;
	debugLog?: unknown;
}

export interface PortsSshIo {
	stdout: {write(text: string): unknown; isTTY?: boolean};
	stderr: {write(text: string): unknown; isTTY?: boolean};
	/** Asks for a key passphrase without echo; null = cannot ask. */
	askPassphrase: ((question: string) => Promise<string | null>) | null;
	/** ssh-agent socket (default SSH_AUTH_SOCK). */
	agentSocket?: string | null;
}

const DEFAULT_IO: PortsSshIo = {
	stdout: process.stdout,
	stderr: process.stderr,
	askPassphrase: process.stdin.isTTY ? (question) => promptSecret(question) : null,
};

function optionalString(value: unknown, flag: string): string | null {
	if (value === undefined || value === null || value === false) return null;
	if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${flag} needs a value`);
	return value;
}

/**
 * The inventory that addresses instances, read by the project's one snapshot loader. A snapshot
 * without aws/describe-instances.json cannot resolve instance ids: say so instead of "not found".
 */
export async function loadAddressInventory(dir: string): Promise<Inventory> {
	if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`snapshot ${dir}: no such directory`);
	// Loaded here, not at the top: its zod schemas cost every plain `ports HOST…` run ~50 ms.
	const {loadSnapshot} = await import('../../files/load-snapshot.js');
	const {inventory} = await loadSnapshot(dir);
	if (!inventory.known.instances) throw new InputError(`snapshot ${dir}: no aws/describe-instances.json, so instance ids cannot be resolved`);
	return inventory;
}

function heading(result: HostProbeResult, color: boolean): string {
	const parts = [result.target];
	if (result.address && result.address !== result.target) parts.push(result.address);
	if (result.via.length > 0) parts.push(`via ${result.via.join(' → ')}`);
	if (result.os) parts.push(result.os);
	if (result.command) parts.push(`\`${result.command}\``);
	if (result.transport) parts.push(result.transport === 'ssm' ? 'over Systems Manager Run Command' : 'over SSH');
	return bold(`== ${parts.join(' — ')}`, color);
}

export function formatHostReport(result: HostProbeResult, color: boolean): string {
	const out = [heading(result, color)];
	if (result.error) {
		out.push(`error: ${result.error.message}`);
		if (result.error.hint) out.push(`hint: ${result.error.hint}`);
		return out.join('\n') + '\n';
	}
	if (result.format) out.push(formatPortsReport({format: result.format, listeners: result.listeners, skipped: result.skipped}, color).trimEnd());
	else out.push('nothing listens (the listing was empty)');
	if (result.processNamesHidden) out.push('', 'process names: hidden for other users\' processes (not root, `sudo -n` refused)');
	if (result.firewall) out.push('', `host firewall: ${result.firewall.summary}`);
	for (const note of result.notes) out.push(`note: ${note}`);
	return out.join('\n') + '\n';
}

/** JSON for one host: the probe result without the raw captures. */
export function hostJson(result: HostProbeResult): Record<string, unknown> {
	const {raw: _raw, ...rest} = result;
	return rest;
}

/** A region could come from somewhere: flags, the environment, or a shared config file. */
function awsLooksConfigured(options: PortsSshOptions, env: NodeJS.ProcessEnv = process.env): boolean {
	if (options.region || options.profile || options.endpointUrl) return true;
	if (env.AWS_REGION || env.AWS_DEFAULT_REGION || env.AWS_PROFILE) return true;
	return existsSync(env.AWS_CONFIG_FILE || path.join(homedir(), '.aws', 'config'));
}

/**
 * Systems Manager for the probe. `--via ssm` needs AWS set up (a missing region is a usage error,
 * reported before anything runs); `auto` builds the client only when a target needs it, and a
 * failure there just means "SSM not available", said in the host's result.
 */
export async function ssmAccess(via: ProbeVia, options: PortsSshOptions, onStatus?: (status: string, instanceId: string) => void): Promise<{factory: (() => Promise<SsmProber>) | null; close: () => void}> {
	if (via === 'ssh') return {factory: null, close: () => undefined};
	if (via === 'auto' && !awsLooksConfigured(options)) {
		// Not even a region: say so without loading the AWS SDK (a plain SSH user pays nothing).
		return {factory: async () => {
			throw new Error('AWS is not configured here (no --region, AWS_REGION, profile or ~/.aws/config)');
		}, close: () => undefined};
	}
	const awsOptions = {profile: options.profile, region: options.region, endpointUrl: options.endpointUrl, debugLog: options.debugLog};
	let clients: {ssm: import('@aws-sdk/client-ssm').SSMClient; destroy(): void} | null = null;
	const build = async (): Promise<SsmProber> => {
		const [{createSsmProber}, {clientsFromCliOptions}] = await Promise.all([import('../../remote/probe-ssm.js'), import('../../aws/cli-clients.js')]);
		clients ??= await clientsFromCliOptions(awsOptions);
		return createSsmProber(clients.ssm, {onStatus});
	};
	if (via === 'ssm') {
		const {awsClientsForCli} = await import('../aws-clients.js');
		clients = await awsClientsForCli(awsOptions);
	}
	return {factory: build, close: () => clients?.destroy()};
}

/**
 * A host shaped like an instance id (`i-web01`, `i-0abc`, `ec2-user@i-0ABCDEF0`) but not a valid
 * one is a typo or a name, and dialling it as a DNS name helps nobody: it is refused (exit 2) unless
 * the ssh config makes it an alias with a HostName, as `ssh i-web01` would use it. The config is
 * read only when such a target is there.
 */
async function refuseMistypedInstanceIds(targets: SshTarget[], configPath: string | null): Promise<void> {
	const suspects = targets.filter((target) => shapedLikeInstanceId(target.host));
	if (suspects.length === 0) return;
	let config: Awaited<ReturnType<typeof loadSshConfig>>;
	try {
		config = await loadSshConfig(configPath);
	} catch (error) {
		throw new InputError(errorLine(error));
	}
	for (const target of suspects) {
		const computed = config.compute(target.host, {ignoreCase: true, matchExec: false});
		requireInstanceIdOrAlias(target.text, target.host, Boolean(computed['hostname']), configPath ?? '~/.ssh/config');
	}
}

export async function runSshPorts(options: PortsSshOptions, targets: string[], io: PortsSshIo = DEFAULT_IO): Promise<number> {
	if (targets.length === 0) throw new UsageError('give at least one TARGET (instance id, host, or user@host[:port])');
	const configPath = optionalString(options.config, '-F');
	const user = optionalString(options.user, '--user');
	const identityFile = optionalString(options.identity, '--identity');
	const jump = optionalString(options.jump, '--jump');
	const snapshot = optionalString(options.snapshot, '--snapshot');
	const concurrency = options.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(options.concurrency);
	if ((options.concurrency !== undefined && !/^\d+$/.test(String(options.concurrency))) || concurrency < 1 || concurrency > 256) {
		throw new UsageError(`--concurrency takes a whole number from 1 to 256, got "${String(options.concurrency)}"`);
	}
	const commandTimeoutMs = parseCommandTimeout(options.commandTimeout);
	if (identityFile && !existsSync(identityFile)) throw new UsageError(`--identity ${identityFile}: no such file`);
	const parsed = targets.map((target) => {
		try {
			return parseSshTarget(target);
		} catch (error) {
			throw new UsageError(errorLine(error));
		}
	});
	await refuseMistypedInstanceIds(parsed, configPath);
	if (jump) {
		try {
			parseJumpSpec(jump);
		} catch (error) {
			throw new UsageError(`--jump: ${errorLine(error)}`);
		}
	}

	const via = parseVia(options.via);
	// Run Command takes seconds per host: on a terminal, say where each one is.
	const ssm = await ssmAccess(via, options, io.stderr.isTTY ? (status, id) => io.stderr.write(`\r\u001B[Ksgtui: ${id}: Run Command ${status}`) : undefined);
	const inventory = snapshot ? await loadAddressInventory(snapshot) : null;
	const ask = io.askPassphrase;
	const showProgress = Boolean(io.stderr.isTTY) && targets.length > 1;
	let results: HostProbeResult[];
	try {
		results = await probeTargets(targets, {
			configPath,
			inventory,
			user,
			identityFile,
			jump,
			acceptNew: Boolean(options.acceptNew),
			concurrency,
			commandTimeoutMs,
			via,
			ssm: ssm.factory,
			agentSocket: io.agentSocket,
			passphrase: ask ? async ({keyFile, attempt}) => ask(`${attempt > 1 ? 'Wrong passphrase. ' : ''}Enter passphrase for key '${keyFile}': `) : null,
			callbacks: {
				onHostKeyRecorded: (info) => io.stderr.write(`sgtui: ${display(`recorded ${info.keyType} host key ${info.fingerprint} for ${info.lookupName} in ${info.knownHostsFile}`)}\n`),
			},
			onResult: showProgress ? (_result, done, total) => io.stderr.write(`\r\u001B[Ksgtui: probed ${done}/${total} hosts${done === total ? '\n' : ''}`) : undefined,
		});
	} catch (error) {
		// Only reading the ssh config can throw here: per-host failures are in the results.
		throw new InputError(errorLine(error));
	} finally {
		ssm.close();
		// The transient Run Command status line goes before the report.
		if (io.stderr.isTTY && via !== 'ssh') io.stderr.write('\r\u001B[K');
	}

	if (options.json) {
		io.stdout.write(JSON.stringify({hosts: results.map(hostJson)}, null, 2) + '\n');
	} else {
		const color = useColor(io.stdout);
		io.stdout.write(results.map((result) => formatHostReport(displayCopy(result), color)).join('\n'));
		const failed = results.filter((result) => result.error).length;
		if (results.length > 1) io.stdout.write(`\n${results.length - failed} of ${results.length} hosts probed${failed > 0 ? `, ${failed} failed` : ''}\n`);
	}
	return results.some((result) => result.error) ? EXIT.notReachable : EXIT.ok;
}

export async function run(options: PortsSshOptions, targets: string[]): Promise<number> {
	return runSshPorts(options, targets);
}

// `sgtui snapshot --out DIR`: saves a live account's evidence (describe-* outputs and recent flow
// records) in the snapshot format, so `check`/`audit` can run offline and the evidence can be
// handed on. Read-only against AWS.
import {type AwsCliOptions, clientsFromCliOptions} from '../../aws/cli-clients.js';
import {AwsSetupError} from '../../aws/errors.js';
import {SnapshotDirError, type SnapshotProgress, writeSnapshot} from '../../aws/snapshot-writer.js';
import {EXIT, InputError, UsageError} from '../errors.js';

export interface SnapshotOptions extends AwsCliOptions {
	out?: unknown;
	instances?: unknown;
	minutes?: unknown;
	force?: unknown;
}

export interface SnapshotIo {
	stdout: {write(text: string): unknown};
	stderr: {write(text: string): unknown; isTTY?: boolean};
	signal?: AbortSignal;
}

export function parseInstanceList(value: unknown): string[] | undefined {
	if (value === undefined) return undefined;
	const ids = String(value)
		.split(/[\s,]+/)
		.filter(Boolean);
	const bad = ids.filter((id) => !/^i-[0-9a-zA-Z]+$/.test(id));
	if (bad.length) throw new UsageError(`--instances: "${bad[0]}" is not an instance id (i-…)`);
	if (ids.length === 0) throw new UsageError('--instances needs at least one instance id');
	return ids;
}

export async function snapshot(options: SnapshotOptions, io: SnapshotIo): Promise<number> {
	if (typeof options.out !== 'string' || options.out === '') throw new UsageError('--out DIR is required');
	const instanceIds = parseInstanceList(options.instances);
	const minutes = options.minutes === undefined ? 30 : Number(options.minutes);
	if (!Number.isFinite(minutes) || minutes < 0) throw new UsageError(`--minutes must be a number of minutes ≥ 0 (got "${String(options.minutes)}")`);

	let clients;
	try {
		clients = await clientsFromCliOptions(options);
	} catch (error) {
		if (error instanceof AwsSetupError) throw new UsageError(error.message);
		throw error;
	}
	const tty = Boolean(io.stderr.isTTY);
	const onProgress = tty
		? (progress: SnapshotProgress) => io.stderr.write(`\r\u001B[K[${progress.step}/${progress.steps}] ${progress.what}${progress.count ? ` (${progress.count})` : ''}`)
		: undefined;
	try {
		const result = await writeSnapshot({ec2: clients.ec2, logs: clients.logs, outDir: options.out, instanceIds, minutes, force: Boolean(options.force), onProgress, signal: io.signal});
		if (tty) io.stderr.write('\r\u001B[K');
		for (const id of result.missingInstanceIds) io.stderr.write(`sgtui: ${id} was not found in ${clients.region}\n`);
		for (const warning of result.warnings) io.stderr.write(`sgtui: ${warning}\n`);
		const inv = result.inventory;
		const records = Object.values(result.flowRecords).reduce((sum, count) => sum + count, 0);
		io.stdout.write(
			`wrote ${result.dir}: ${inv.instances.length} instance(s), ${inv.networkInterfaces.length} network interface(s), ${inv.securityGroups.length} security group(s), ` +
				`${inv.networkAcls.length} network ACL(s), ${inv.flowLogs.length} flow log(s), ${inv.prefixLists.length} prefix list(s); ` +
				(minutes > 0 ? `${records} flow record(s) of the last ${minutes} min from ${Object.keys(result.flowRecords).length} network interface(s)\n` : 'no flow records (--minutes 0)\n'),
		);
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
	const controller = new AbortController();
	const stop = () => controller.abort();
	process.once('SIGINT', stop);
	try {
		return await snapshot(options as SnapshotOptions, {stdout: process.stdout, stderr: process.stderr, signal: controller.signal});
	} finally {
		process.off('SIGINT', stop);
	}
}

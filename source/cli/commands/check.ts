// `sgtui check TARGET --port N`: the triage on a saved snapshot. Loads the snapshot, streams the
// ENI's flow log file through the observer (constant memory), runs the pure check and prints the
// path layer by layer with the narrowest fix. No React, ink or AWS SDK here.
import {check, createCheckFlowObserver, flowLogFor, PATH, resolveTarget, type CheckResult, type LayerResult, type ObservedFlows} from '../../core/check.js';
import {unavailableFlows} from '../../core/observed-flows.js';
import {isValidAddress, isValidCidr} from '../../core/cidr.js';
import {sourceScopeRefusal} from '../../core/source-scope.js';
import {describeEphemeral} from '../../core/ephemeral-ports.js';
import {formatMalformedNote} from '../../core/flow-summary.js';
import type {CheckProtocol, CheckRequest, ClientOs, FlowLogConfig, TrafficSource} from '../../core/types.js';
import {parseLogFormat} from '../../core/flow-format.js';
import {readFlowBatches} from '../../files/flow-file.js';
import {loadSnapshot, snapshotAwsFile} from '../../files/load-snapshot.js';
import {EXIT, InputError, UsageError} from '../errors.js';
import {quotedArgument, requireAwsId} from '../id-arguments.js';
import {fixEndpointFromEnv, withEndpointUrl} from '../../core/fix-endpoint.js';
import {ignoreClosedPipe} from '../quiet-epipe.js';
import {bold, useColor} from '../text-table.js';
import {display, displayCopy, errorLine} from '../../core/display-text.js';
import {displayCheckResult} from '../../core/check-display.js';

export interface CheckOptions {
	port?: unknown;
	protocol?: unknown;
	from?: unknown;
	clientOs?: unknown;
	snapshot?: unknown;
	json?: unknown;
}

export interface CheckIo {
	stdout: {write(text: string): unknown; isTTY?: boolean};
	stderr: {write(text: string): unknown; isTTY?: boolean};
}

const DEFAULT_IO: CheckIo = {stdout: process.stdout, stderr: process.stderr};

const PROTOCOLS: CheckProtocol[] = ['tcp', 'udp', 'icmp'];
const CLIENT_OSES: ClientOs[] = ['linux', 'windows', 'nat'];

/** Turns the raw flags into a CheckRequest, or a one-line UsageError. */
export function parseCheckRequest(target: unknown, options: CheckOptions): CheckRequest {
	requireAwsId(target, 'TARGET', ['instance', 'networkInterface']);
	const protocol = (options.protocol ?? 'tcp') as CheckProtocol;
	if (!PROTOCOLS.includes(protocol)) throw new UsageError(`--protocol must be tcp, udp or icmp, got "${String(options.protocol)}"`);
	const portText = String(options.port ?? '').trim();
	const [min, max] = protocol === 'icmp' ? [0, 255] : [1, 65535];
	const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
	if (!(port >= min && port <= max)) {
		throw new UsageError(protocol === 'icmp' ? `--port is the ICMP type for --protocol icmp: a number from 0 to 255 (8 = echo request), got "${portText}"` : `--port must be a number from 1 to 65535, got "${portText}"`);
	}
	const clientOs = (options.clientOs ?? 'linux') as ClientOs;
	if (!CLIENT_OSES.includes(clientOs)) throw new UsageError(`--client-os must be linux, windows or nat, got "${String(options.clientOs)}"`);
	return {target: target as string, protocol, port, source: parseSource(options.from), clientOs};
}

function parseSource(value: unknown): TrafficSource {
	if (value === undefined || value === null || value === 'any') return {kind: 'any'};
	const text = String(value).trim();
	if (text.startsWith('sg-')) return {kind: 'group', groupId: requireAwsId(text, '--from', ['securityGroup'])};
	const cidr = text.includes('/');
	if (cidr ? isValidCidr(text) : isValidAddress(text)) {
		const refused = sourceScopeRefusal(text);
		if (refused) throw new UsageError(`--from ${refused}`);
		return cidr ? {kind: 'cidr', cidr: text} : {kind: 'address', address: text};
	}
	throw new UsageError(`--from must be an IP address, a CIDR or a security group id (sg-…), got ${quotedArgument(text)}`);
}


const VERDICT_TEXT: Record<CheckResult['verdict'], string> = {
	'blocked-by-client-security-group': "NOT REACHABLE — the client's security groups do not let it out",
	'blocked-by-client-nacl-outbound': "NOT REACHABLE — the client subnet's network ACL blocks it going out",
	'no-route': 'NOT REACHABLE — no route carries it between the client and the subnet',
	'no-public-address': 'NOT REACHABLE — the subnet routes to the internet, but the instance has no public address',
	'blocked-by-nacl-inbound': 'NOT REACHABLE — blocked by the network ACL (inbound)',
	'blocked-by-security-group': 'NOT REACHABLE — blocked by the security groups',
	'not-listening': 'NOT REACHABLE — nothing listens on the port',
	'loopback-only': 'NOT REACHABLE — the service listens on loopback only',
	'blocked-by-nacl-return': 'NOT REACHABLE — the network ACL drops the reply',
	'blocked-by-client-nacl-return': "NOT REACHABLE — the client subnet's network ACL drops the reply",
	reachable: 'REACHABLE',
	unknown: 'UNKNOWN — evidence is missing (see below)',
};

function mark(layer: LayerResult): string {
	if (layer.notEvaluated) return '–';
	if (layer.status === 'allow') return '✔';
	if (layer.status === 'unknown') return '?';
	return '✘';
}

function describeRequest(result: CheckResult): string {
	const r = result.request;
	const what = r.protocol === 'icmp' ? `icmp type ${r.port}` : `${r.protocol} ${r.port}`;
	const t = result.target;
	const details = [t.instanceId ? t.eniId : null, t.privateIp, t.subnetId].filter(Boolean).join(', ');
	return `${what} from ${result.sourceDescription} to ${t.instanceId ?? t.eniId} (${details})`;
}

export function formatCheckReport(result: CheckResult, extra: {flowFile: string | null; flowNote: string | null}, color = false): string {
	const lines: string[] = [];
	lines.push(`Check: ${describeRequest(result)}`);
	if (result.request.protocol !== 'icmp') lines.push(`Client ephemeral ports: ${describeEphemeral(result.request.clientOs)}`);
	lines.push('');
	lines.push(bold(`Verdict: ${VERDICT_TEXT[result.verdict]}`, color));
	lines.push('');
	for (const {name, title} of PATH) {
		const layer = result.layers[name];
		lines.push(`  ${mark(layer)} ${title.padEnd(23)} ${layer.summary}`);
	}
	if (result.problems.length > 0) {
		lines.push('', bold('Problems', color));
		result.problems.forEach((problem, index) => {
			lines.push(`  ${index + 1}. [${problem.layer}] ${problem.summary}`);
			lines.push(`     Fix: ${problem.fix.summary}`);
			for (const command of problem.fix.command?.split('\n') ?? []) lines.push(`       ${command}`);
			if (problem.fix.warning) lines.push(`     Warning: ${problem.fix.warning}`);
		});
	}
	if (result.unknowns.length > 0) {
		lines.push('', bold('Unknown', color));
		for (const unknown of result.unknowns) lines.push(`  ? ${unknown}`);
	}
	lines.push('', bold('Observed in flow logs', color));
	if (!result.observed.available) {
		lines.push(`  ${result.observed.note ?? 'no flow records'}`);
	} else {
		const from = extra.flowFile ? ` (${extra.flowFile}: ${result.observed.records} ${result.request.protocol} record(s)${extra.flowNote ? `; ${extra.flowNote}` : ''})` : '';
		lines.push(`  Records for ${result.target.eniId}${from}`);
		for (const finding of result.observed.findings) lines.push(`  - ${finding}`);
		// A single-address source is already named in the findings; a range or group is worth a breakdown.
		const sources = result.observed.rejects.sources;
		if (sources.length > 1 || (sources.length === 1 && result.request.source.kind !== 'address')) {
			lines.push(`  REJECTs by source address:`);
			for (const source of sources) lines.push(`      ${source.address}: ${source.count} REJECT record(s)`);
		}
	}
	if (result.notes.length > 0) {
		lines.push('', bold('Notes', color));
		for (const note of result.notes) lines.push(`  - ${note}`);
	}
	return lines.join('\n') + '\n';
}

/** "reading flow log: 41%" on one refreshed stderr line, at most ten times a second. */
function throttledProgress(stderr: CheckIo['stderr']): (read: number, total: number | null) => void {
	let last = 0;
	return (read, total) => {
		const now = Date.now();
		if (now - last < 100) return;
		last = now;
		stderr.write(`\r\u001B[2Kreading flow log: ${total ? `${Math.floor((read / total) * 100)}%` : `${Math.round(read / 1024 / 1024)} MB`}`);
	};
}

/**
 * The flow log's LogFormat, checked before any record is read: one that is no format is an error
 * naming the flow log and the snapshot file it came from (the parser's message alone names
 * neither, and a snapshot may hold several flow logs).
 */
function readableLogFormat(log: FlowLogConfig | null, snapshotDir: string): string | null {
	if (log?.logFormat === undefined) return null;
	try {
		parseLogFormat(log.logFormat);
	} catch (error) {
		throw new InputError(`flow log ${display(log.id)} in ${display(snapshotAwsFile(snapshotDir, 'flowLogs'))}: its LogFormat cannot be read: ${errorLine(error)}`);
	}
	return log.logFormat;
}

export async function run(options: CheckOptions, args: string[] = [], io: CheckIo = DEFAULT_IO): Promise<number> {
	if (io.stdout === process.stdout) ignoreClosedPipe(process.stdout);
	const request = parseCheckRequest(args[0], options);
	if (typeof options.snapshot !== 'string' || options.snapshot === '') throw new UsageError('--snapshot DIR is required');
	const snapshot = await loadSnapshot(options.snapshot);
	for (const warning of snapshot.warnings) io.stderr.write(`sgtui: warning: ${display(warning)}\n`);

	const target = resolveTarget(snapshot.inventory, request.target);
	const instanceId = target.instance?.id ?? target.eni.instanceId;
	const host = instanceId ? snapshot.hosts[instanceId] ?? null : null;

	// The ENI's flow log file, streamed through the observer: never held in memory.
	const flowFile = snapshot.flowLogFiles[target.eni.id] ?? null;
	let observed: ObservedFlows | null = null;
	let flowNote: string | null = null;
	if (flowFile) {
		const observer = createCheckFlowObserver(snapshot.inventory, target, request);
		const log = flowLogFor(snapshot.inventory, target.eni);
		const progress = io.stderr.isTTY ? throttledProgress(io.stderr) : undefined;
		// Batches, not one promise per record: the loop stays cheap on multi-GB files.
		const {batches, stats} = readFlowBatches(flowFile, {format: readableLogFormat(log, options.snapshot), onProgress: progress});
		for await (const batch of batches) for (const record of batch) observer.add(record);
		if (progress) io.stderr.write('\r\u001B[2K');
		observed = observer.result();
		flowNote = formatMalformedNote(stats);
		if (stats.records === 0 && stats.nodata === 0 && stats.skipdata === 0 && stats.malformed > 0) {
			// Not one line parsed: the format is wrong, so "no REJECT from the source" would be a lie.
			const why = log?.logFormat ? `the flow log's LogFormat (${log.id})` : 'the default v2 format (the flow log\'s LogFormat is unknown: aws/describe-flow-logs.json is missing or does not cover this ENI)';
			observed = unavailableFlows(`none of the ${stats.malformed} line(s) of ${flowFile.replace(`${snapshot.dir}/`, '')} is a flow record in ${why}: flow records not used`);
			flowNote = null;
		}
	}

	const result = withEndpointUrl(check({inventory: snapshot.inventory, host, request, observed}), fixEndpointFromEnv(process.env));
	const relativeFlowFile = flowFile ? flowFile.replace(`${snapshot.dir}/`, '') : null;
	if (options.json) {
		io.stdout.write(JSON.stringify({...result, flowFile: relativeFlowFile, flowNote, warnings: snapshot.warnings}, null, 2) + '\n');
	} else {
		io.stdout.write(formatCheckReport(displayCheckResult(result), displayCopy({flowFile: relativeFlowFile, flowNote}), useColor(io.stdout)));
	}
	return result.verdict === 'reachable' ? EXIT.ok : EXIT.notReachable;
}

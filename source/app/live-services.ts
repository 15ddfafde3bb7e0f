// The UI's services over live AWS (or the lab, which speaks the same wire protocols) and SSH.
// `sgtui --demo` starts the lab in-process on the bundled demo snapshot plus the lab's SSH server
// for the snapshot's hosts, then uses these very services against them: real SDK clients, real
// Live Tail, real ssh2 — the same code paths as against an AWS account.
import {mkdir, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {audit as runAudit} from '../core/audit.js';
import {check as runCheck} from '../core/check.js';
import {flowCoverage} from '../core/flow-coverage.js';
import {withEndpointUrl} from '../core/fix-endpoint.js';
import {endpointOverride} from '../aws/config.js';
import type {HostCapture, Inventory} from '../core/types.js';
import {createAwsClients, type AwsClients} from '../aws/clients.js';
import {clientsFromCliOptions} from '../aws/cli-clients.js';
import {fetchInventory, type InventoryProgress} from '../aws/inventory.js';
import {startInventoryThread, type InventoryThread} from '../aws/inventory-thread.js';
import {lateWindowMs, startRejectStream, type RejectStreamStatus} from '../aws/reject-stream.js';
import type {KeyStore} from '../remote/key-store.js';
import type {RunOptions} from '../aws/ssm-run-command.js';
import type {ProbeVia} from '../core/probe-transport.js';
import type {CoverageView, ProbeOutcome, ProbePrompts, RecordSelection, RejectSink, SavedReport, ServicesMode, SgtuiServices, StreamStatus, Subscription} from '../ui/services.js';
import {errorLine} from '../core/display-text.js';
import {defaultDemoStateDir, demoAwsSpec, demoLabOptions, openDemoLab, type DemoLab} from './demo-lab.js';
import {demoNotice} from './demo-notice.js';
import {writePrivateFile} from '../files/private-file.js';

export interface LiveServicesOptions {
	clients: AwsClients;
	mode: ServicesMode;
	/** ssh config file (default ~/.ssh/config); the demo's comes once its lab's SSH server is up. */
	sshConfigPath?: string | null | Promise<string | null>;
	/** Delivery delay to announce after the aggregation interval (AWS: ~300 s). */
	deliverySeconds?: number;
	/** How much recent history the rejects views start with. */
	historyMs?: number;
	/** Delivery allowance on top of the aggregation interval (default 15 min): the late-delivery window. */
	lateAllowanceMs?: number;
	reportDir?: string;
	/** Extra cleanup (the demo's lab and SSH server). */
	onClose?: () => Promise<void>;
	/** No agent in the demo: only the lab key may be offered. */
	agentSocket?: string | null;
	/** How listeners are probed (default auto: SSH when the ssh config names the host, else SSM). */
	via?: ProbeVia;
	/** Run Command polling (the demo polls its lab faster). */
	ssmRunOptions?: RunOptions;
	/** Per SSH probe command (default DEFAULT_COMMAND_TIMEOUT_MS): a hung host fails its panel. */
	commandTimeoutMs?: number;
	/** Where the inventory is read (the demo: on its own thread, inventory-thread.ts); default fetchInventory with clients.ec2 here. */
	readInventory?: (onProgress: (progress: InventoryProgress) => void) => Promise<{inventory: Inventory; warnings: string[]}>;
}

export function toStreamStatus(status: RejectStreamStatus): StreamStatus {
	const mode = status.mode === 'live-tail' ? 'live-tail' : status.mode === 'polling' ? 'polling' : status.mode === 'stopped' ? 'none' : 'live-tail';
	let state: StreamStatus['state'];
	if (status.mode === 'stopped') state = status.lastError ? 'error' : 'stopped';
	else if (status.mode === 'starting') state = 'connecting';
	else if (status.reconnecting) state = 'reconnecting';
	else state = status.connected || status.mode === 'polling' ? 'streaming' : 'connecting';
	const notes = [
		status.fallbackReason ? `polling because ${status.fallbackReason}` : null,
		status.reconnects ? `${status.reconnects} reconnect${status.reconnects === 1 ? '' : 's'}` : null,
		status.malformed ? `${status.malformed} unparsable message${status.malformed === 1 ? '' : 's'} skipped` : null,
		status.lastError && state !== 'streaming' ? status.lastError : null,
	].filter(Boolean);
	return {mode, state, sampled: status.sampled, message: notes.length ? notes.join(' · ') : null, windowMs: status.windowMs, late: status.late};
}

export class LiveServices implements SgtuiServices {
	readonly mode: ServicesMode;
	private inventory: Inventory | null = null;
	private warnings: string[] = [];
	private prompts: ProbePrompts | null = null;
	/** One key store for the session (a passphrase is asked once, through the TUI's prompt); made on the first probe. */
	private keys: Promise<KeyStore> | null = null;
	/** Against live AWS the session's first probe says where it dials (and waits for a yes). */
	private dialConfirmed = false;

	constructor(private readonly options: LiveServicesOptions) {
		this.mode = options.mode;
	}

	private keyStore(): Promise<KeyStore> {
		this.keys ??= import('../remote/key-store.js').then(({KeyStore}) => new KeyStore(async ({keyFile, attempt}) => this.prompts?.passphrase({keyPath: attempt > 1 ? `${keyFile} (wrong passphrase, try again)` : keyFile}) ?? null));
		return this.keys;
	}

	async loadInventory(progress: (message: string) => void): Promise<Inventory> {
		const onProgress = (step: InventoryProgress) => progress(`${step.what} (${step.step}/${step.steps})${step.count ? `: ${step.count}` : ''}`);
		const result = this.options.readInventory ? await this.options.readInventory(onProgress) : await fetchInventory(this.options.clients.ec2, {onProgress});
		this.inventory = result.inventory;
		this.warnings = result.warnings;
		return result.inventory;
	}

	inventoryWarnings(): string[] {
		return this.warnings;
	}

	knownHosts(): Record<string, HostCapture> {
		return {};
	}

	/** Where printed fixes must go: the endpoint read from (the demo's lab, --endpoint-url, AWS_ENDPOINT_URL). */
	private get fixEndpoint(): string | null {
		return endpointOverride('ec2', this.options.clients.settings);
	}

	audit(inventory: Inventory, hosts: Record<string, HostCapture>) {
		return withEndpointUrl(runAudit(inventory, hosts), this.fixEndpoint);
	}

	private async beforeDial(dial: {target: string; address: string}, prompts: ProbePrompts): Promise<{go: true} | {go: false; declined: string}> {
		if (this.mode.probeOff) return {go: false, declined: this.mode.probeOff};
		if (this.mode.kind !== 'aws' || this.dialConfirmed || !prompts.confirmDial) return {go: true};
		if (await prompts.confirmDial(dial)) {
			this.dialConfirmed = true;
			return {go: true};
		}
		return {go: false, declined: `Not probed: you chose not to dial ${dial.address}. R asks again; --no-probe (or SGTUI_NO_PROBE=1) turns probing off.`};
	}

	async probeHost(instanceId: string, prompts: ProbePrompts): Promise<ProbeOutcome> {
		this.prompts = prompts;
		if (this.mode.probeOff) return {ok: false, reason: this.mode.probeOff};
		// ssh2 and the probe modules load with the first probe, after the inventory is on screen.
		const [{loadSshConfig}, {probeWithTransports}, keys] = await Promise.all([import('../remote/ssh-settings.js'), import('../remote/probe-transports.js'), this.keyStore()]);
		let config;
		try {
			config = await loadSshConfig((await this.options.sshConfigPath) ?? null);
		} catch (error) {
			return {ok: false, reason: `ssh config: ${errorLine(error)}`};
		}
		const clients = this.options.clients;
		// The same transport choice as `sgtui ports`: SSH when the ssh config names the host, else
		// Systems Manager Run Command when the instance is managed.
		const [result] = await probeWithTransports([instanceId], config, {
			via: this.options.via ?? 'auto',
			inventory: this.inventory,
			keys,
			agentSocket: this.options.agentSocket,
			commandTimeoutMs: this.options.commandTimeoutMs,
			ssm: async () => {
				const {createSsmProber} = await import('../remote/probe-ssm.js');
				return createSsmProber(clients.ssm, this.options.ssmRunOptions);
			},
			callbacks: {
				onUnknownHostKey: (info) => prompts.confirmHostKey({host: `${info.lookupName}${info.isJump ? ' (bastion)' : ''}`, fingerprint: info.fingerprint, keyType: info.keyType, knownHostsFile: info.knownHostsFile}),
			},
			beforeDial: (dial) => this.beforeDial(dial, prompts),
		});
		if (!result) return {ok: false, reason: 'nothing to probe'};
		if (result.error) return {ok: false, reason: `${result.error.message}${result.error.hint ? ` — ${result.error.hint}` : ''}`};
		const how = result.transport === 'ssm' ? result.address ?? `ssm ${instanceId}` : `ssh ${result.address ?? instanceId}${result.via.length ? ` via ${result.via.join(', ')}` : ''}`;
		const capture: HostCapture = {
			format: result.format ?? 'ss',
			listeners: result.listeners,
			skipped: result.skipped,
			source: `${how}: ${result.command ?? '?'}`,
		};
		const notes = [...result.notes];
		// processNamesHidden's reason is already among the probe's notes (not root, /proc/net, no tasklist).
		if (result.firewall) notes.push(`Host firewall: ${result.firewall.summary}.`);
		return {ok: true, capture, notes};
	}

	check(input: Parameters<SgtuiServices['check']>[0]) {
		return withEndpointUrl(runCheck(input), this.fixEndpoint);
	}

	async flowCoverage(inventory: Inventory, eniId: string): Promise<CoverageView> {
		const coverage = flowCoverage(inventory, eniId);
		const log = coverage.best ?? coverage.flowLogs[0] ?? null;
		return {
			coverage,
			aggregationSeconds: log ? log.flowLog.maxAggregationInterval : null,
			deliverySeconds: log ? (this.options.deliverySeconds ?? 300) : null,
			streamSource: coverage.best?.flowLog.logGroupName ? `CloudWatch Logs ${coverage.best.flowLog.logGroupName}` : null,
		};
	}

	subscribeRejects(eniIds: string[], options: {records: RecordSelection}, sink: RejectSink): Subscription {
		const inventory = this.inventory;
		const fail = (message: string) => {
			sink.onStatus({mode: 'none', state: 'error', sampled: false, message});
			return {stop() {}};
		};
		if (!inventory) return fail('the inventory is not loaded');
		const coverage = flowCoverage(inventory, eniIds[0]!);
		const best = coverage.best;
		if (!best || !best.flowLog.logGroupName) return fail(coverage.problem ?? 'no flow log can be tailed for this interface');
		sink.onStatus({mode: 'live-tail', state: 'connecting', sampled: false, message: null});
		const stream = startRejectStream({
			logs: this.options.clients.logs,
			logGroupName: best.flowLog.logGroupName,
			eniIds,
			format: best.flowLog.logFormat,
			records: options.records,
			since: Date.now() - (this.options.historyMs ?? 15 * 60_000),
			windowMs: lateWindowMs(best.flowLog.maxAggregationInterval, this.options.lateAllowanceMs),
			logger: this.options.clients.logger,
			// One push per delivery: a flood's Live Tail update is one store change, not 500.
			onEvents: (events) => sink.onRecords(events.map((event) => event.record)),
			onStatus: (status) => sink.onStatus(toStreamStatus(status)),
		});
		stream.done.catch((error: unknown) => sink.onStatus({mode: 'none', state: 'error', sampled: false, message: errorLine(error)}));
		return {stop: () => void stream.stop().catch(() => undefined)};
	}

	async saveReport(report: {baseName: string; markdown: string; json: unknown}): Promise<SavedReport> {
		const dir = this.options.reportDir ?? process.cwd();
		await mkdir(dir, {recursive: true});
		const markdownPath = await writePrivateFile(dir, report.baseName, '.md', report.markdown);
		const jsonPath = await writePrivateFile(dir, path.basename(markdownPath, '.md'), '.json', `${JSON.stringify(report.json, null, 2)}\n`);
		return {markdownPath, jsonPath};
	}

	async saveFix(fix: {baseName: string; script: string}): Promise<string> {
		const dir = this.options.reportDir ?? process.cwd();
		await mkdir(dir, {recursive: true});
		return writePrivateFile(dir, fix.baseName, '.sh', fix.script, 0o700);
	}

	async close(): Promise<void> {
		this.options.clients.destroy();
		await this.options.onClose?.();
	}
}

/** `sgtui` against AWS (or whatever --endpoint-url / AWS_ENDPOINT_URL points at). */
export async function createAwsServices(options: {profile?: string; region?: string; endpointUrl?: string; debugLog?: string; lateAllowanceMs?: number; probeOff?: string; sshConfigPath?: string; commandTimeoutMs?: number}): Promise<SgtuiServices> {
	const clients = await clientsFromCliOptions(options);
	// AWS_ENDPOINT_URL[_EC2] counts as much as --endpoint-url (as for the fixes' endpoint): the header
	// must not say "default/us-east-1" while the UI reads moto.
	const where = endpointOverride('ec2', clients.settings) ?? `${clients.settings.profile ?? process.env.AWS_PROFILE ?? 'default'}/${clients.region}`;
	return new LiveServices({clients, mode: {kind: 'aws', label: `aws ${where}`, ...(options.probeOff ? {probeOff: options.probeOff} : {})}, lateAllowanceMs: options.lateAllowanceMs, sshConfigPath: options.sshConfigPath ?? null, commandTimeoutMs: options.commandTimeoutMs});
}

export interface DemoSetup {
	endpoint: string;
	envFile: string;
}

/** Lines a user pastes in another terminal to use the AWS CLI against the demo's lab. */
export function demoEnvironment(lab: {endpoint: string; region: string; credentials: {accessKeyId: string; secretAccessKey: string}}): string {
	return [
		'# sgtui --demo: point the AWS CLI at the running lab (source this file)',
		`export AWS_ENDPOINT_URL=${lab.endpoint}`,
		`export AWS_ACCESS_KEY_ID=${lab.credentials.accessKeyId}`,
		`export AWS_SECRET_ACCESS_KEY=${lab.credentials.secretAccessKey}`,
		`export AWS_REGION=${lab.region}`,
		// AWS CLI v1 reads only AWS_DEFAULT_REGION.
		`export AWS_DEFAULT_REGION=${lab.region}`,
		'export AWS_DISABLE_HOST_PREFIX_INJECTION=true',
		'',
	].join('\n');
}

/**
 * `sgtui --demo`: the demo's lab and SSH hosts (source/app/demo-lab.ts, on their own thread when
 * built) and the live services against them. `lab`: the lab already being started (tui.ts starts it
 * before ink loads), with `stateDir` the directory it was given.
 */
export async function createDemoServices(options: {stateDir?: string; reportDir?: string; lateAllowanceMs?: number; probeOff?: string; lab?: Promise<DemoLab>; inventoryThread?: InventoryThread} = {}): Promise<SgtuiServices> {
	const stateDir = options.stateDir ?? defaultDemoStateDir();
	const ownStateDir = options.stateDir === undefined;
	const starting = options.lab ?? openDemoLab(demoLabOptions(stateDir));
	// The EC2 SDK starts loading on the inventory's thread now, while the lab's thread is still
	// starting and ink and the UI load here.
	const inventoryThread = options.inventoryThread ?? startInventoryThread();
	let lab: DemoLab;
	try {
		lab = await starting;
	} catch (error) {
		await inventoryThread.close();
		throw error;
	}
	// Never the user's own ~/.ssh/config in the demo: without the lab's SSH side, an empty one.
	const sshConfigPath = lab.sshConfigPath.then((file) => file ?? '/dev/null');
	const envFile = path.join(stateDir, 'aws-env.sh');
	try {
		await mkdir(stateDir, {recursive: true});
		await writeFile(envFile, demoEnvironment(lab));
	} catch (error) {
		await Promise.all([lab.close(), inventoryThread.close()]);
		throw error;
	}
	const aws = demoAwsSpec(lab);
	// Started already when the lab's thread could say so first (tui.ts); a no-op then.
	inventoryThread.prefetch(aws);
	const clients = createAwsClients(aws.options, aws.extras);
	return new LiveServices({
		clients,
		mode: {kind: 'lab', label: `demo lab ${lab.endpoint.replace('http://', '')}`, probeOnLoad: true, notice: demoNotice(envFile, os.homedir()), ...(options.probeOff ? {probeOff: options.probeOff} : {})},
		sshConfigPath,
		agentSocket: null,
		ssmRunOptions: {firstPollMs: 250, maxPollMs: 1000},
		// The lab delivers like AWS, a little faster: 20–120 s after the interval (stragglers later).
		deliverySeconds: process.env.SGTUI_LAB_DELIVERY === 'fast' ? 0 : 120,
		historyMs: 10 * 60_000,
		lateAllowanceMs: options.lateAllowanceMs,
		reportDir: options.reportDir,
		readInventory: (onProgress) => inventoryThread.read(aws, onProgress),
		onClose: async () => {
			await inventoryThread.close();
			await lab.close();
			if (ownStateDir) await rm(stateDir, {recursive: true, force: true}).catch(() => undefined);
		},
	});
}

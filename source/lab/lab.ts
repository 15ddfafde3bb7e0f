// The lab: a local AWS (EC2 Query, CloudWatch Logs JSON, Live Tail event stream) on 127.0.0.1,
// serving a snapshot directory and simulating traffic against its current rules. It is the test
// bed for the AWS layer and what `sgtui lab` and `sgtui --demo` run.
import {existsSync, readFileSync} from 'node:fs';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {systemClock, type Clock} from './clock.js';
import {DEFAULT_FAULTS, type FaultKnobs} from './faults.js';
import {createLabServer} from './http-server.js';
import {coveringFlowLog, eniFacts, labInventory, loadSnapshot, type LabState} from './snapshot-state.js';
import {loadLabSshHosts, type LabSshHost} from './host-answers.js';
import type {SsmInstance} from './ssm-handlers.js';
import {startSimulator, type Simulator} from './simulator.js';
import {createDeliveryQueue, type DeliveryOptions, type DeliveryQueue} from './delivery.js';

export type {FaultKnobs} from './faults.js';
export type {LabState} from './snapshot-state.js';

export interface LabOptions {
	/** Snapshot directory (default: the bundled demo/snapshot). */
	snapshotDir?: string;
	/** 0 or undefined: a free port. */
	port?: number;
	/** Traffic simulation (default: {ratePerSecond: 2}); false: only the snapshot's records. */
	simulate?: false | {ratePerSecond: number};
	/** Live Tail session length (default 3 h, like AWS). */
	liveTailSessionSeconds?: number;
	faults?: Partial<FaultKnobs>;
	/** What "now" is and how the simulator and delivery timers fire (default: the system clock). */
	clock?: Clock;
	/** Largest page per call whatever the client asks (AWS: 1000 for EC2, 10,000 events for Logs). */
	maxPageSize?: {ec2?: number; logs?: number};
	/** Milliseconds between Live Tail sessionUpdates (AWS: 1000); tests make it shorter. */
	liveTailUpdateMs?: number;
	/** One line per request served. */
	log?: (line: string) => void;
	/**
	 * How simulated records reach the log store (default fast: at once). 'realistic' delivers like
	 * AWS: after the flow log's aggregation interval plus a seeded delay, with stragglers.
	 */
	delivery?: DeliveryOptions;
}

export interface Lab {
	endpoint: string;
	port: number;
	region: string;
	accountId: string;
	credentials: {accessKeyId: string; secretAccessKey: string};
	/** Mutable at runtime. */
	faults: FaultKnobs;
	/** Read access for tests (rules, log store). */
	state: LabState;
	/** The snapshot's host captures (what the SSH server and Systems Manager answer from). */
	hosts: Record<string, LabSshHost>;
	/** Problems met loading the snapshot, one line each. */
	warnings: string[];
	/** Host captures left out (not a listener listing), one line each. */
	hostWarnings: string[];
	/** The simulator's clients and a way to generate attempts now; null when simulation is off. */
	simulator: Simulator | null;
	/** The simulated records' delivery queue (flush() ingests what is due now). */
	delivery: DeliveryQueue;
	/** Ingests flow log lines for an ENI into the log group of the flow log covering it. */
	appendFlowRecords(eniId: string, lines: string[]): void;
	/**
	 * A lab restart as clients see it: every connection and Live Tail session dropped, nothing
	 * listening for `downMs`, then the same port again with the same data (tests of recovery).
	 */
	restart(downMs?: number): Promise<void>;
	close(): Promise<void>;
}

/** The package root (where package.json is), from source/lab under vitest or dist/lab when built. */
function packageRoot(): string {
	let dir = path.dirname(fileURLToPath(import.meta.url));
	for (;;) {
		const manifest = path.join(dir, 'package.json');
		if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string}).name === 'sgtui') return dir;
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error('cannot find the sgtui package root (package.json)');
		dir = parent;
	}
}

export function defaultSnapshotDir(): string {
	return path.join(packageRoot(), 'demo', 'snapshot');
}

export async function startLab(options: LabOptions = {}): Promise<Lab> {
	const clock = options.clock ?? systemClock;
	const now = () => clock.now();
	const snapshotDir = options.snapshotDir ?? defaultSnapshotDir();
	if (!existsSync(snapshotDir)) throw new Error(`snapshot directory not found: ${snapshotDir}`);
	const state = await loadSnapshot(snapshotDir, now);
	const faults: FaultKnobs = {
		...DEFAULT_FAULTS,
		...(options.liveTailSessionSeconds !== undefined ? {liveTailSessionSeconds: options.liveTailSessionSeconds} : {}),
		...options.faults,
		// Its own array: tests push to it on a running lab, DEFAULT_FAULTS must stay empty.
		denyActions: [...(options.faults?.denyActions ?? [])],
		ssmUnmanaged: [...(options.faults?.ssmUnmanaged ?? [])],
		ssmOffline: [...(options.faults?.ssmOffline ?? [])],
		ssmTimeout: [...(options.faults?.ssmTimeout ?? [])],
	};
	// Every running instance with a host capture is a managed instance (Systems Manager does not
	// list stopped or terminated ones).
	const inventory = labInventory(state);
	const platforms = Object.fromEntries(inventory.instances.map((instance) => [instance.id, instance.platform]));
	const captured = await loadLabSshHosts(snapshotDir, platforms);
	const ssmInstances = new Map<string, SsmInstance>();
	for (const instance of inventory.instances) {
		const host = captured.hosts[instance.id];
		if (host && instance.state === 'running') ssmInstances.set(instance.id, {host, privateIp: instance.privateIp, name: instance.name});
	}
	const sessions = new Set<() => void>();
	const server = createLabServer({
		ec2: {state, maxPageSize: options.maxPageSize?.ec2 ?? 1000},
		logs: {
			state,
			now,
			maxPageSize: options.maxPageSize?.logs ?? 10_000,
			queries: new Map(),
			get queryRunningPolls() {
				return faults.queryRunningPolls;
			},
		},
		ssm: {instances: ssmInstances, faults, accountId: state.accountId, region: state.region, now, invocations: new Map(), startedAt: now()},
		liveTail: {state, faults, updateIntervalMs: options.liveTailUpdateMs ?? 1000, sessions},
		faults,
		log: options.log,
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	const simulate = options.simulate === undefined ? {ratePerSecond: 2} : options.simulate;
	const delivery = createDeliveryQueue(state.logs, options.delivery ?? {mode: 'fast'}, faults, clock);
	const simulator =
		simulate === false
			? null
			: startSimulator(state, {ratePerSecond: simulate.ratePerSecond, clock, timers: true, random: options.delivery?.seed === undefined ? undefined : delivery.random, deliver: delivery.submit});

	return {
		endpoint: `http://127.0.0.1:${port}`,
		port,
		region: state.region,
		accountId: state.accountId,
		credentials: {accessKeyId: 'AKIALABLOCAL00000000', secretAccessKey: 'lab-secret-not-a-real-key'},
		faults,
		state,
		hosts: captured.hosts,
		warnings: state.warnings,
		hostWarnings: captured.warnings,
		simulator,
		delivery,
		appendFlowRecords(eniId, lines) {
			const eni = eniFacts(state).get(eniId) ?? {id: eniId, subnetId: null, vpcId: null, instanceId: null, privateIps: [], groupIds: []};
			const flowLog = coveringFlowLog(state, eni);
			if (!flowLog) throw new Error(`no CloudWatch Logs flow log covers ${eniId}`);
			const format = state.logs.groups.get(flowLog.LogGroupName)?.flowFormat ?? null;
			const startIndex = format ? format.trim().split(/\s+/).indexOf('${start}') : -1;
			const nowMs = now();
			state.logs.append(
				flowLog.LogGroupName,
				eniId,
				lines.map((message) => {
					const start = startIndex >= 0 ? message.trim().split(/\s+/)[startIndex] : undefined;
					return {timestamp: start && /^\d+$/.test(start) ? Number(start) * 1000 : nowMs, message};
				}),
			);
		},
		async restart(downMs = 200) {
			for (const end of [...sessions]) end();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
			await new Promise((resolve) => setTimeout(resolve, downMs));
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, '127.0.0.1', () => {
					server.off('error', reject);
					resolve();
				});
			});
		},
		async close() {
			simulator?.stop();
			delivery.stop();
			for (const end of [...sessions]) end();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}

// What the UI needs from the world, and nothing more. Components and hooks only see this
// interface; one implementation reads a snapshot directory (source/app/snapshot-services.ts), another talks
// to AWS or the lab and probes hosts over SSH (source/app/live-services.ts). No UI file imports
// the AWS SDK or ssh2.
import type {FlowRecord, HostCapture, Inventory} from '../core/types.js';
import type {CheckInput, CheckResult} from '../core/check.js';
import type {FlowCoverage} from '../core/flow-coverage.js';
import type {AuditFinding} from '../core/audit.js';

export type {CheckResult, AuditFinding, FlowCoverage};

export interface ServicesMode {
	kind: 'snapshot' | 'lab' | 'aws';
	/** Shown in the header: "snapshot demo/snapshot", "lab 127.0.0.1:4566", "aws prod/eu-west-1". */
	label: string;
	/** A standing banner (e.g. how to reach the demo's lab): shown whenever no message covers it; esc hides it, `?` shows it again. */
	notice?: string;
	/** Probe every running instance's listeners once the inventory is loaded (the demo's hosts are local; never live AWS). */
	probeOnLoad?: boolean;
	/** Set when probing is off (--no-probe, SGTUI_NO_PROBE=1): why, and how to turn it on. No host is dialled. */
	probeOff?: string;
}

/** Questions a probe may have to ask the person at the keyboard. */
export interface ProbePrompts {
	/** An unknown host key: show the fingerprint, trust it only on an explicit yes. */
	confirmHostKey(question: {host: string; fingerprint: string; keyType: string; /** The known_hosts file `y` appends it to. */ knownHostsFile: string}): Promise<boolean>;
	/** An encrypted private key: ask for the passphrase (masked); null = cancel. */
	passphrase(question: {keyPath: string}): Promise<string | null>;
	/** The session's first probe against live AWS: say what will be dialled, go only on an explicit yes. */
	confirmDial?(question: {target: string; address: string}): Promise<boolean>;
}

export type ProbeOutcome =
	| {ok: true; capture: HostCapture; notes: string[]}
	| {ok: false; reason: string};

/** Flow-log coverage of an ENI (core's answer) plus how long a REJECT takes to show up here. */
export interface CoverageView {
	coverage: FlowCoverage;
	/** The covering flow log's aggregation interval in seconds (60 or 600), null without one. */
	aggregationSeconds: number | null;
	/** Delivery delay after the interval closes: ~300 s in CloudWatch Logs, less in the lab. */
	deliverySeconds: number | null;
	/** Where the rejects view reads from ("CloudWatch Logs group …", "snapshot file …"), or null. */
	streamSource: string | null;
}

export type StreamMode = 'live-tail' | 'polling' | 'replay' | 'none';

export interface StreamStatus {
	mode: StreamMode;
	state: 'idle' | 'connecting' | 'streaming' | 'reconnecting' | 'done' | 'stopped' | 'error';
	/** Live Tail said it sampled (more than 500 events/s): counts are lower bounds. */
	sampled: boolean;
	message: string | null;
	/** The late-delivery window (ms) the stream re-reads, shown next to the mode. */
	windowMs?: number | null;
	/** Records that arrived later than the window. */
	late?: number;
}

export type RecordSelection = 'rejects' | 'others';

export interface RejectSink {
	onRecords(records: FlowRecord[]): void;
	onStatus(status: StreamStatus): void;
}

export interface Subscription {
	stop(): void;
}

export interface SavedReport {
	markdownPath: string;
	jsonPath: string;
}

export interface SgtuiServices {
	readonly mode: ServicesMode;
	loadInventory(progress: (message: string) => void): Promise<Inventory>;
	/**
	 * Parts the last loadInventory could not read (a denied permission: "ec2:DescribeFlowLogs
	 * denied: …"), one line each; those parts are unknown in `inventory.known`. Valid once
	 * loadInventory resolved; absent = nothing to say.
	 */
	inventoryWarnings?(): string[];
	/** Listener captures known without probing (a snapshot's hosts/ files); valid once loadInventory resolved. */
	knownHosts(): Record<string, HostCapture>;
	audit(inventory: Inventory, hosts: Record<string, HostCapture>): AuditFinding[];
	probeHost(instanceId: string, prompts: ProbePrompts): Promise<ProbeOutcome>;
	check(input: CheckInput): CheckResult;
	flowCoverage(inventory: Inventory, eniId: string): Promise<CoverageView>;
	/**
	 * Flow records of the ENIs as they arrive, until stop(): `rejects` the REJECTs, `others` every
	 * record that is not a REJECT (ACCEPTs, NODATA/SKIPDATA). The two never overlap, so a view that
	 * adds ACCEPTs runs a second subscription beside its REJECT one instead of restarting it.
	 */
	subscribeRejects(eniIds: string[], options: {records: RecordSelection}, sink: RejectSink): Subscription;
	saveReport(report: {baseName: string; markdown: string; json: unknown}): Promise<SavedReport>;
	/** Writes the fix commands as a shell script next to the reports; resolves to its path. */
	saveFix?(fix: {baseName: string; script: string}): Promise<string>;
	/** Releases connections, servers and timers; called once when the UI exits. */
	close(): Promise<void>;
}

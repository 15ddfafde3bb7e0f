// The UI over saved evidence: `sgtui --snapshot DIR`. Inventory, listener captures and flow
// records all come from the snapshot directory; the Rejects view replays the ENI's flow log file
// (paced, so it reads as a stream) instead of tailing CloudWatch Logs. Nothing here talks to AWS.
import {fixEndpointFromEnv, withEndpointUrl} from '../core/fix-endpoint.js';
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {audit as runAudit} from '../core/audit.js';
import {check as runCheck} from '../core/check.js';
import {flowCoverage} from '../core/flow-coverage.js';
import {formatMalformedNote} from '../core/flow-summary.js';
import type {FlowRecord, HostCapture, Inventory, Snapshot} from '../core/types.js';
import {loadSnapshot} from '../files/load-snapshot.js';
import {readFlowBatches} from '../files/flow-file.js';
import type {CoverageView, ProbeOutcome, RecordSelection, RejectSink, SavedReport, SgtuiServices, StreamStatus, Subscription} from '../ui/services.js';
import {errorLine} from '../core/display-text.js';
import {writePrivateFile} from '../files/private-file.js';

export interface SnapshotServicesOptions {
	dir: string;
	/** Where wizard reports are written (default: the current directory). */
	reportDir?: string;
	/** Records pushed per replay tick and the tick length: paced so the replay is watchable. */
	replayBatch?: number;
	replayTickMs?: number;
}

/** The flow log's own LogFormat for the ENI's file (files need not carry a header line). */
export function flowFileFormat(inventory: Inventory, eniId: string): string | null {
	const coverage = flowCoverage(inventory, eniId);
	const log = coverage.best ?? coverage.flowLogs[0] ?? null;
	return log ? log.flowLog.logFormat : null;
}

export function matchesStream(record: FlowRecord, eniIds: ReadonlySet<string>, records: RecordSelection): boolean {
	if ((record.action === 'REJECT') !== (records === 'rejects')) return false;
	// A file per ENI may still lack the interface-id field (custom formats): keep its records.
	return record.interfaceId === undefined || record.interfaceId === null || eniIds.has(record.interfaceId);
}

export class SnapshotServices implements SgtuiServices {
	readonly mode;
	private snapshot: Promise<Snapshot> | null = null;
	private loaded: Snapshot | null = null;
	private readonly options: Required<SnapshotServicesOptions>;

	constructor(options: SnapshotServicesOptions) {
		this.options = {reportDir: process.cwd(), replayBatch: 25, replayTickMs: 40, ...options};
		this.mode = {kind: 'snapshot' as const, label: `snapshot ${options.dir}`};
	}

	private load(): Promise<Snapshot> {
		this.snapshot ??= loadSnapshot(this.options.dir);
		return this.snapshot;
	}

	async loadInventory(progress: (message: string) => void): Promise<Inventory> {
		progress(`reading ${this.options.dir}`);
		// A refresh re-reads the directory: the files may have been updated by `sgtui snapshot`.
		this.snapshot = null;
		const snapshot = await this.load();
		this.loaded = snapshot;
		if (snapshot.warnings.length) progress(snapshot.warnings.join('; '));
		return snapshot.inventory;
	}

	knownHosts(): Record<string, HostCapture> {
		return this.loaded ? {...this.loaded.hosts} : {};
	}

	audit(inventory: Inventory, hosts: Record<string, HostCapture>) {
		return withEndpointUrl(runAudit(inventory, hosts), fixEndpointFromEnv(process.env));
	}

	async probeHost(instanceId: string): Promise<ProbeOutcome> {
		const snapshot = await this.load();
		const capture = snapshot.hosts[instanceId];
		if (!capture) {
			return {ok: false, reason: `The snapshot has no listener capture for ${instanceId} (hosts/${instanceId}.txt). Save \`ss -ltnup\` or \`netstat -nao\` output there, or open the live UI to probe over SSH.`};
		}
		const skipped = capture.skipped.length ? [`${capture.skipped.length} line(s) of the capture could not be parsed.`] : [];
		return {ok: true, capture, notes: [`Saved capture, not a live probe.`, ...skipped]};
	}

	check(input: Parameters<SgtuiServices['check']>[0]) {
		return withEndpointUrl(runCheck(input), fixEndpointFromEnv(process.env));
	}

	async flowCoverage(inventory: Inventory, eniId: string): Promise<CoverageView> {
		const snapshot = await this.load();
		const coverage = flowCoverage(inventory, eniId);
		const log = coverage.best ?? coverage.flowLogs[0] ?? null;
		const file = snapshot.flowLogFiles[eniId];
		return {
			coverage,
			aggregationSeconds: log ? log.flowLog.maxAggregationInterval : null,
			deliverySeconds: log ? 300 : null,
			streamSource: file ? `snapshot file ${path.relative(process.cwd(), file) || file}` : null,
		};
	}

	subscribeRejects(eniIds: string[], options: {records: RecordSelection}, sink: RejectSink): Subscription {
		let stopped = false;
		const status = (next: Partial<StreamStatus> & Pick<StreamStatus, 'state'>) => {
			if (!stopped) sink.onStatus({mode: 'replay', sampled: false, message: null, ...next});
		};
		const wanted = new Set(eniIds);
		const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
		const run = async () => {
			status({state: 'connecting', message: 'reading the snapshot'});
			const snapshot = await this.load();
			const files = eniIds.map((id) => [id, snapshot.flowLogFiles[id]] as const);
			const missing = files.filter(([, file]) => !file).map(([id]) => id);
			const present = files.filter((entry): entry is readonly [string, string] => Boolean(entry[1]));
			if (present.length === 0) {
				status({state: 'error', message: `the snapshot has no flow records for ${missing.join(', ')} (flowlogs/<eni-id>.log)`});
				return;
			}
			status({state: 'streaming', message: null});
			let replayed = 0;
			const notes: string[] = [];
			for (const [eniId, file] of present) {
				const {batches, stats} = readFlowBatches(file, {format: flowFileFormat(snapshot.inventory, eniId)});
				for await (const batch of batches) {
					const kept = batch.filter((record) => matchesStream(record, wanted, options.records));
					for (let index = 0; index < kept.length && !stopped; index += this.options.replayBatch) {
						sink.onRecords(kept.slice(index, index + this.options.replayBatch));
						replayed += Math.min(this.options.replayBatch, kept.length - index);
						await sleep(this.options.replayTickMs);
					}
					if (stopped) return;
				}
				const malformed = formatMalformedNote(stats);
				if (malformed) notes.push(`${path.basename(file)}: ${malformed}`);
			}
			if (missing.length) notes.push(`no records saved for ${missing.join(', ')}`);
			status({state: 'done', message: [`replayed ${replayed} saved records`, ...notes].join('; ')});
		};
		run().catch((error: unknown) => status({state: 'error', message: errorLine(error)}));
		return {
			stop: () => {
				stopped = true;
			},
		};
	}

	async saveReport(report: {baseName: string; markdown: string; json: unknown}): Promise<SavedReport> {
		const dir = this.options.reportDir;
		await mkdir(dir, {recursive: true});
		const markdownPath = await writePrivateFile(dir, report.baseName, '.md', report.markdown);
		const jsonPath = await writePrivateFile(dir, path.basename(markdownPath, '.md'), '.json', `${JSON.stringify(report.json, null, 2)}\n`);
		return {markdownPath, jsonPath};
	}

	async saveFix(fix: {baseName: string; script: string}): Promise<string> {
		const dir = this.options.reportDir;
		await mkdir(dir, {recursive: true});
		return writePrivateFile(dir, fix.baseName, '.sh', fix.script, 0o700);
	}

	async close(): Promise<void> {}
}

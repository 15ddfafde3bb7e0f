// Probes many hosts with bounded concurrency. A host that fails (or could not even be resolved)
// gets its error in its own result; results come back in the order the targets were given.
import pLimit from 'p-limit';
import {emptyResult, probeHost, type HostProbeResult, type ProbeOptions} from './probe.js';
import {SSH_ERROR_HINTS} from './ssh-errors.js';
import type {SshSettings} from './ssh-settings.js';

/** A target ready to probe, or one that failed before any connection (bad name, no address). */
export type PlannedTarget =
	| {target: string; settings: SshSettings}
	| {target: string; error: string};

export interface ProbeManyOptions extends ProbeOptions {
	concurrency?: number;
	/** Called after each host finishes (for a progress line). */
	onResult?: (result: HostProbeResult, done: number, total: number) => void;
}

export const DEFAULT_CONCURRENCY = 16;

export async function probeMany(targets: PlannedTarget[], options: ProbeManyOptions): Promise<HostProbeResult[]> {
	const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
	let done = 0;
	return Promise.all(targets.map((planned) => limit(async () => {
		let result: HostProbeResult;
		if ('error' in planned) {
			result = emptyResult(planned.target);
			result.error = {kind: 'unresolved', message: planned.error, hint: SSH_ERROR_HINTS.unresolved, fingerprint: null};
		} else {
			result = await probeHost(planned.target, planned.settings, options);
		}
		done++;
		options.onResult?.(result, done, targets.length);
		return result;
	})));
}

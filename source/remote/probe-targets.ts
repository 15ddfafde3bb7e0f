// The one call a front end needs: targets as typed → probe results. The CLI plugs a terminal
// prompt into `passphrase` and leaves `onUnknownHostKey` empty (unknown keys refused); the TUI
// plugs a masked input and a fingerprint dialog.
import type {Inventory} from '../core/types.js';
import {KeyStore, type PassphraseCallback} from './key-store.js';
import {planTargets, type PlanOptions} from './plan-targets.js';
import {probeMany, type ProbeManyOptions} from './probe-many.js';
import type {HostProbeResult} from './probe.js';
import type {ConnectCallbacks} from './ssh-connect.js';
import {loadSshConfig} from './ssh-settings.js';

export interface ProbeTargetsOptions extends PlanOptions {
	/** -F FILE; null = ~/.ssh/config. */
	configPath?: string | null;
	inventory?: Inventory | null;
	passphrase?: PassphraseCallback | null;
	callbacks?: ConnectCallbacks;
	concurrency?: number;
	agentSocket?: string | null;
	onResult?: ProbeManyOptions['onResult'];
}

export async function probeTargets(targets: string[], options: ProbeTargetsOptions = {}): Promise<HostProbeResult[]> {
	const config = await loadSshConfig(options.configPath ?? null);
	const planned = planTargets(targets, config, options.inventory ?? null, options);
	return probeMany(planned, {
		keys: new KeyStore(options.passphrase ?? null),
		callbacks: options.callbacks,
		concurrency: options.concurrency,
		agentSocket: options.agentSocket,
		onResult: options.onResult,
	});
}

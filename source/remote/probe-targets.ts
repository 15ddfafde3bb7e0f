// The one call a front end needs: targets as typed → probe results, over SSH or Systems Manager
// (`via`). The CLI plugs a terminal prompt into `passphrase` and leaves `onUnknownHostKey` empty
// (unknown keys refused); the TUI plugs a masked input and a fingerprint dialog.
import type {ProbeVia} from '../core/probe-transport.js';
import type {Inventory} from '../core/types.js';
import {KeyStore, type PassphraseCallback} from './key-store.js';
import type {PlanOptions} from './plan-targets.js';
import type {HostProbeResult} from './probe.js';
import type {SsmProber} from './ssm-errors.js';
import {probeWithTransports, type TransportProbeOptions} from './probe-transports.js';
import type {ConnectCallbacks} from './ssh-connect.js';
import {loadSshConfig} from './ssh-settings.js';

export interface ProbeTargetsOptions extends PlanOptions {
	/** -F FILE; null = ~/.ssh/config. */
	configPath?: string | null;
	inventory?: Inventory | null;
	passphrase?: PassphraseCallback | null;
	callbacks?: ConnectCallbacks;
	concurrency?: number;
	/** Per probe command (default DEFAULT_COMMAND_TIMEOUT_MS). */
	commandTimeoutMs?: number;
	agentSocket?: string | null;
	onResult?: TransportProbeOptions['onResult'];
	/** Default auto: SSH when the ssh config or --user names the host, else SSM when managed. */
	via?: ProbeVia;
	/** Systems Manager access, built on first need; absent = SSH only. */
	ssm?: (() => Promise<SsmProber>) | null;
}

export async function probeTargets(targets: string[], options: ProbeTargetsOptions = {}): Promise<HostProbeResult[]> {
	const config = await loadSshConfig(options.configPath ?? null);
	return probeWithTransports(targets, config, {...options, keys: new KeyStore(options.passphrase ?? null)});
}

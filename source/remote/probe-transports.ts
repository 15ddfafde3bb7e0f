// One probe interface, two transports. For each target: gather the facts (is it an instance id,
// does the ssh config or --user name it, is it a managed instance with its agent online), let
// core's chooseTransport pick SSH or Run Command, and probe with bounded concurrency. When SSH was
// only a fallback and fails too, the error says what to enable on either side.
import pLimit from 'p-limit';
import type SSHConfig from 'ssh-config';
import {chooseTransport, type ProbeVia, type SsmStatus, type TransportChoice} from '../core/probe-transport.js';
import {isInstanceId, parseSshTarget} from '../core/ssh-target.js';
import type {Inventory} from '../core/types.js';
import type {ManagedInstance} from '../aws/ssm-run-command.js';
import type {KeyStore} from './key-store.js';
import {planTargets, type PlanOptions} from './plan-targets.js';
import {DEFAULT_CONCURRENCY} from './probe-many.js';
import {emptyResult, probeHost, type HostProbeResult} from './probe.js';
import {SSM_ERROR_HINTS, ssmError, type SsmProber} from './ssm-errors.js';
import type {ConnectCallbacks} from './ssh-connect.js';
import {SSH_ERROR_HINTS} from './ssh-errors.js';
import {errorLine} from '../core/display-text.js';

export interface TransportProbeOptions extends PlanOptions {
	via?: ProbeVia;
	inventory?: Inventory | null;
	keys: KeyStore;
	callbacks?: ConnectCallbacks;
	agentSocket?: string | null;
	concurrency?: number;
	commandTimeoutMs?: number;
	/**
	 * Systems Manager, built on first need (so SSH-only runs never load the AWS SDK). It may throw
	 * (no region or credentials): `auto` then sticks to SSH and says why.
	 */
	ssm?: (() => Promise<SsmProber>) | null;
	onResult?: (result: HostProbeResult, done: number, total: number) => void;
	/**
	 * Asked right before a host is dialled, with what will be dialled (`user@host:port`, bastions
	 * first, or Systems Manager for Run Command); false skips that host with an `other` error
	 * carrying `declined`. The TUI uses it to say, once per session, where a probe goes.
	 */
	beforeDial?: (dial: {target: string; transport: 'ssh' | 'ssm'; address: string}) => Promise<{go: true} | {go: false; declined: string}>;
}

interface TargetFacts {
	text: string;
	instanceId: string | null;
	sshNamed: boolean;
}

function factsOf(text: string, config: SSHConfig, user: string | null | undefined): TargetFacts {
	try {
		const target = parseSshTarget(text);
		if (!isInstanceId(target.host)) return {text, instanceId: null, sshNamed: true};
		const computed = config.compute(target.host, {ignoreCase: true, matchExec: false});
		return {text, instanceId: target.host, sshNamed: Boolean(computed['hostname']) || Boolean(user) || target.user !== null};
	} catch {
		return {text, instanceId: null, sshNamed: true};
	}
}

async function managedStatuses(ids: string[], options: TransportProbeOptions): Promise<{prober: SsmProber | null; statuses: Map<string, SsmStatus>; infos: Map<string, ManagedInstance>}> {
	const statuses = new Map<string, SsmStatus>();
	const infos = new Map<string, ManagedInstance>();
	if (ids.length === 0) return {prober: null, statuses, infos};
	const unknown = (reason: string) => {
		for (const id of ids) statuses.set(id, {kind: 'unknown', reason});
	};
	if (!options.ssm) {
		unknown('Systems Manager is not available here');
		return {prober: null, statuses, infos};
	}
	let prober: SsmProber;
	try {
		prober = await options.ssm();
	} catch (error) {
		unknown(errorLine(error));
		return {prober: null, statuses, infos};
	}
	const lookup = await prober.describe(ids);
	if (!lookup.ok) {
		unknown(lookup.reason);
		return {prober, statuses, infos};
	}
	for (const id of ids) {
		const info = lookup.managed.get(id);
		if (!info) statuses.set(id, {kind: 'not-managed'});
		else {
			infos.set(id, info);
			statuses.set(id, info.pingStatus === 'Online' ? {kind: 'online'} : {kind: 'offline', reason: `its SSM agent is ${info.pingStatus === 'ConnectionLost' ? 'offline (ConnectionLost)' : info.pingStatus}`});
		}
	}
	return {prober, statuses, infos};
}

/** `user@host:port` and the bastions in front, as the probe will dial them. */
export function dialAddress(settings: {user: string; host: string; port: number; jumps: Array<{user: string; host: string; port: number}>}): string {
	const hop = (h: {user: string; host: string; port: number}) => `${h.user}@${h.host.includes(':') ? `[${h.host}]` : h.host}:${h.port}`;
	return [...settings.jumps.map(hop), hop(settings)].join(' → ');
}

/** SSH failed where SSM could not help either: one message naming both, and what to enable. */
function bothUnavailable(result: HostProbeResult, ssmNote: string): HostProbeResult {
	const sshPart = result.error?.message ?? 'no listing';
	// "unresolved" already says how to give an address; its generic hint would only add noise.
	const sshHint = result.error?.hint && result.error.kind !== 'unresolved' ? ` (${result.error.hint})` : '';
	result.error = {
		kind: 'no-transport',
		message: `neither SSH nor Systems Manager can list ${result.target}'s sockets — SSH: ${sshPart}${sshHint}; Systems Manager: ${ssmNote}`,
		hint: SSM_ERROR_HINTS['no-transport'],
		fingerprint: result.error?.fingerprint ?? null,
	};
	return result;
}

export async function probeWithTransports(targets: string[], config: SSHConfig, options: TransportProbeOptions): Promise<HostProbeResult[]> {
	// Without any Systems Manager access configured, `auto` is plain SSH (as before SSM existed).
	const via = options.via === 'ssm' || options.ssm ? (options.via ?? 'auto') : 'ssh';
	const facts = targets.map((text) => factsOf(text, config, options.user));
	const ssmIds = via === 'ssh' ? [] : [...new Set(facts.filter((fact) => fact.instanceId && (via === 'ssm' || !fact.sshNamed)).map((fact) => fact.instanceId!))];
	const {prober, statuses, infos} = await managedStatuses(ssmIds, options);
	const planned = planTargets(targets, config, options.inventory ?? null, options);
	const platformOf = (id: string) => {
		const platform = options.inventory?.instances.find((instance) => instance.id === id)?.platform;
		return platform === 'windows' ? 'windows' as const : platform ? 'linux' as const : null;
	};
	const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
	const refusals = new Map<string, string>();
	const allowed = async (target: string, transport: 'ssh' | 'ssm', address: string): Promise<boolean> => {
		if (!options.beforeDial) return true;
		const answer = await options.beforeDial({target, transport, address});
		if (!answer.go) refusals.set(target, answer.declined);
		return answer.go;
	};
	const declined = (target: string, transport: 'ssh' | 'ssm'): HostProbeResult => {
		const result = emptyResult(target);
		result.transport = transport;
		result.error = {kind: 'other', message: refusals.get(target) ?? `${target}: not probed`, hint: '', fingerprint: null};
		return result;
	};
	let done = 0;
	return Promise.all(facts.map((fact, index) => limit(async () => {
		const choice: TransportChoice = chooseTransport(via, {
			isInstance: fact.instanceId !== null,
			sshNamed: fact.sshNamed,
			ssm: (fact.instanceId && statuses.get(fact.instanceId)) || {kind: 'unknown', reason: 'not asked'},
		});
		let result: HostProbeResult;
		if (choice.transport === null) {
			result = emptyResult(fact.text);
			result.error = {kind: 'unresolved', message: choice.error, hint: '', fingerprint: null};
		} else if (choice.transport === 'ssm') {
			const id = fact.instanceId!;
			const status = statuses.get(id);
			if (!prober) {
				result = ssmError({...emptyResult(fact.text, `ssm ${id}`), transport: 'ssm'}, 'ssm-failed', `${id}: Systems Manager cannot be used: ${status?.kind === 'unknown' ? status.reason : 'no client'}`);
			} else if (status?.kind === 'not-managed') {
				result = ssmError({...emptyResult(fact.text, `ssm ${id}`), transport: 'ssm'}, 'ssm-not-managed', `${id}: not a managed instance (Systems Manager's DescribeInstanceInformation does not list it)`);
			} else if (!(await allowed(fact.text, 'ssm', `Systems Manager Run Command on ${id} (AWS API; no connection to the host)`))) {
				result = declined(fact.text, 'ssm');
			} else {
				result = await prober.probe(fact.text, id, infos.get(id) ?? null, platformOf(id));
				if (status?.kind === 'unknown') result.notes.push(`whether it is managed was not checked: ${status.reason}`);
			}
		} else {
			const plan = planned[index]!;
			if ('error' in plan) {
				result = emptyResult(plan.target);
				result.error = {kind: 'unresolved', message: plan.error, hint: SSH_ERROR_HINTS.unresolved, fingerprint: null};
			} else if (!(await allowed(plan.target, 'ssh', dialAddress(plan.settings)))) {
				result = declined(plan.target, 'ssh');
			} else {
				result = await probeHost(plan.target, plan.settings, options);
			}
			result.transport = 'ssh';
			if (result.error && choice.ssmNote && !refusals.has(result.target) && result.error.kind !== 'host-key-unknown' && result.error.kind !== 'host-key-changed') {
				result = bothUnavailable(result, choice.ssmNote);
			}
		}
		done++;
		options.onResult?.(result, done, targets.length);
		return result;
	})));
}

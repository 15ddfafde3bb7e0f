// Systems Manager as a way to run sgtui's fixed probe script on an instance without any inbound
// port: DescribeInstanceInformation (is it managed, is its agent online, which platform),
// SendCommand with AWS-RunShellScript / AWS-RunPowerShellScript, then GetCommandInvocation until a
// terminal status. Failures come back as values naming what to enable, never as exceptions.
import type {GetCommandInvocationCommandOutput, SSMClient} from '@aws-sdk/client-ssm';
import {ssmSdk} from './sdk.js';
import {errorCode, explainAwsError, isDenied} from './errors.js';

export type SsmPlatform = 'linux' | 'windows' | 'macos';

export interface ManagedInstance {
	instanceId: string;
	/** Online | ConnectionLost | Inactive. */
	pingStatus: string;
	platform: SsmPlatform | null;
	platformName: string | null;
	agentVersion: string | null;
	lastPing: Date | null;
}

export type ManagedLookup =
	| {ok: true; managed: Map<string, ManagedInstance>}
	/** The lookup itself failed (denied, not implemented by the endpoint, unreachable). */
	| {ok: false; reason: string; denied: boolean};

export type SsmFailureKind = 'ssm-not-managed' | 'ssm-offline' | 'ssm-denied' | 'ssm-timeout' | 'ssm-truncated' | 'ssm-failed';

export type RunOutcome =
	| {ok: true; stdout: string; stderr: string; responseCode: number; commandId: string}
	| {ok: false; kind: SsmFailureKind; message: string; commandId: string | null};

function platformOf(type: string | undefined): SsmPlatform | null {
	if (type === 'Windows') return 'windows';
	if (type === 'Linux') return 'linux';
	if (type === 'MacOS') return 'macos';
	return null;
}

/** Which of `instanceIds` are managed instances, 50 per call (the API's MaxResults ceiling). */
export async function describeManagedInstances(ssm: SSMClient, instanceIds: string[]): Promise<ManagedLookup> {
	const managed = new Map<string, ManagedInstance>();
	for (let start = 0; start < instanceIds.length; start += 50) {
		const chunk = instanceIds.slice(start, start + 50);
		let nextToken: string | undefined;
		do {
			let page;
			try {
				page = await ssm.send(new (ssmSdk().DescribeInstanceInformationCommand)({Filters: [{Key: 'InstanceIds', Values: chunk}], MaxResults: 50, NextToken: nextToken}));
			} catch (error) {
				// Real AWS answers an id it does not know as "not managed" by leaving it out, but an
				// id that is not valid at all with InvalidInstanceId: for the probe both mean "not managed".
				if (errorCode(error) === 'InvalidInstanceId') break;
				return {ok: false, reason: explainAwsError(error, 'ssm', 'DescribeInstanceInformation').message, denied: isDenied(error)};
			}
			for (const info of page.InstanceInformationList ?? []) {
				if (!info.InstanceId) continue;
				managed.set(info.InstanceId, {
					instanceId: info.InstanceId,
					pingStatus: info.PingStatus ?? 'Unknown',
					platform: platformOf(info.PlatformType),
					platformName: [info.PlatformName, info.PlatformVersion].filter(Boolean).join(' ') || null,
					agentVersion: info.AgentVersion ?? null,
					lastPing: info.LastPingDateTime ?? null,
				});
			}
			nextToken = page.NextToken;
		} while (nextToken);
	}
	return {ok: true, managed};
}

export interface RunOptions {
	/** Give up polling after this long (default 90 s); the command ends itself by executionTimeout. */
	deadlineMs?: number;
	/** First poll delay (default 500 ms), growing ×1.5 to maxPollMs. */
	firstPollMs?: number;
	maxPollMs?: number;
	/** The script's executionTimeout on the host, seconds (default 60). */
	executionTimeoutSeconds?: number;
	sleep?: (ms: number) => Promise<void>;
	now?: () => number;
	/** Called on every status change (for progress: Sent → Pending → InProgress …). */
	onStatus?: (status: string, instanceId: string) => void;
}

const TERMINAL = new Set(['Success', 'Cancelled', 'TimedOut', 'Failed']);
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function firstLine(text: string | undefined): string {
	return (text ?? '').trim().split('\n')[0]?.trim() ?? '';
}

function deniedOutcome(error: unknown, operation: string, instanceId: string, commandId: string | null): RunOutcome {
	return {ok: false, kind: 'ssm-denied', message: `${instanceId}: ${explainAwsError(error, 'ssm', operation).message}`, commandId};
}

/**
 * Runs `commands` with `document` on one instance and waits for its result. Read-only by
 * construction for sgtui: callers pass only the fixed probe scripts.
 */
export async function runCommandOnInstance(ssm: SSMClient, instanceId: string, document: string, commands: readonly string[], options: RunOptions = {}): Promise<RunOutcome> {
	const now = options.now ?? Date.now;
	const sleep = options.sleep ?? defaultSleep;
	const deadline = now() + (options.deadlineMs ?? 90_000);
	const executionTimeout = options.executionTimeoutSeconds ?? 60;
	let commandId: string;
	try {
		const sent = await ssm.send(new (ssmSdk().SendCommandCommand)({
			InstanceIds: [instanceId],
			DocumentName: document,
			Comment: 'sgtui: read-only listening-socket probe',
			Parameters: {commands: [...commands], executionTimeout: [String(executionTimeout)]},
			// Delivery timeout (minimum 30 s): an agent that does not pick the command up by then never runs it.
			TimeoutSeconds: Math.max(30, executionTimeout),
		}));
		commandId = sent.Command?.CommandId ?? '';
		options.onStatus?.('Sent', instanceId);
		if (!commandId) return {ok: false, kind: 'ssm-failed', message: `${instanceId}: SendCommand returned no CommandId`, commandId: null};
	} catch (error) {
		const code = errorCode(error);
		if (isDenied(error)) return deniedOutcome(error, 'SendCommand', instanceId, null);
		if (code === 'InvalidInstanceId') {
			return {ok: false, kind: 'ssm-not-managed', message: `${instanceId}: Systems Manager will not send it commands (InvalidInstanceId): not a managed instance, its agent is not running, or it is not in a valid state`, commandId: null};
		}
		if (code === 'UnsupportedPlatformType') return {ok: false, kind: 'ssm-failed', message: `${instanceId}: ${document} does not run on this instance's platform (UnsupportedPlatformType)`, commandId: null};
		return {ok: false, kind: 'ssm-failed', message: `${instanceId}: ${explainAwsError(error, 'ssm', 'SendCommand').message}`, commandId: null};
	}

	let wait = options.firstPollMs ?? 500;
	const maxWait = options.maxPollMs ?? 3000;
	let lastStatus = 'Pending';
	for (;;) {
		if (now() >= deadline) {
			return {ok: false, kind: 'ssm-timeout', message: `${instanceId}: command ${commandId} still ${lastStatus} after ${Math.round((options.deadlineMs ?? 90_000) / 1000)} s: the agent is slow or stopped answering`, commandId};
		}
		await sleep(Math.min(wait, Math.max(0, deadline - now())));
		wait = Math.min(maxWait, Math.round(wait * 1.5));
		let invocation: GetCommandInvocationCommandOutput;
		try {
			invocation = await ssm.send(new (ssmSdk().GetCommandInvocationCommand)({CommandId: commandId, InstanceId: instanceId}));
		} catch (error) {
			// Eventually consistent: right after SendCommand the invocation may not exist yet.
			if (errorCode(error) === 'InvocationDoesNotExist') continue;
			if (isDenied(error)) return deniedOutcome(error, 'GetCommandInvocation', instanceId, commandId);
			return {ok: false, kind: 'ssm-failed', message: `${instanceId}: ${explainAwsError(error, 'ssm', 'GetCommandInvocation').message}`, commandId};
		}
		const status = invocation.Status ?? 'Pending';
		if (status !== lastStatus) options.onStatus?.(status, instanceId);
		lastStatus = status;
		if (!TERMINAL.has(status)) continue;
		const details = invocation.StatusDetails ?? status;
		if (status === 'Success') {
			return {ok: true, stdout: invocation.StandardOutputContent ?? '', stderr: invocation.StandardErrorContent ?? '', responseCode: invocation.ResponseCode ?? 0, commandId};
		}
		if (status === 'TimedOut') {
			const message = /Delivery/i.test(details)
				? `${instanceId}: the agent never picked the command up (${details}): it is offline or cannot reach the Systems Manager endpoints`
				: `${instanceId}: the probe ran longer than its ${executionTimeout} s limit (${details})`;
			return {ok: false, kind: 'ssm-timeout', message, commandId};
		}
		if (status === 'Cancelled') return {ok: false, kind: 'ssm-failed', message: `${instanceId}: the command was cancelled (${details})`, commandId};
		const stderr = firstLine(invocation.StandardErrorContent);
		const why = details === 'Undeliverable' ? 'the agent could not be reached' : details === 'InvalidPlatform' ? 'the document does not run on this platform' : details === 'AccessDenied' ? 'the instance profile does not allow the agent to run it' : `exit code ${invocation.ResponseCode ?? '?'}`;
		return {ok: false, kind: 'ssm-failed', message: `${instanceId}: the probe failed on the host (${details}: ${why})${stderr ? `: ${stderr}` : ''}`, commandId};
	}
}

// The lab's Systems Manager (JSON 1.1, `X-Amz-Target: AmazonSSM.<Op>`): DescribeInstanceInformation,
// SendCommand and GetCommandInvocation, enough for Run Command probes. Every snapshot host with a
// capture is a managed instance; a command runs only if it is exactly one of sgtui's probe
// scripts, answered from the host's capture as the real host would print it. Timing follows AWS:
// right after SendCommand the invocation does not exist yet (InvocationDoesNotExist), then it is
// Pending, InProgress, and finally Success — each step `ssmStepMs` long (tests make it short).
import {randomUUID} from 'node:crypto';
import {
	LINUX_FIREWALL, LINUX_LISTINGS, SSM_END_SECTION, SSM_LINUX_COMMANDS, SSM_LINUX_DOCUMENT, SSM_SECTION_PREFIX,
	SSM_WINDOWS_COMMANDS, SSM_WINDOWS_DOCUMENT, WINDOWS_FIREWALL, WINDOWS_LISTENER_ROW, WINDOWS_LISTING, WINDOWS_TASKLIST,
} from '../remote/probe-commands.js';
import {SSM_TRUNCATION_MARK} from '../core/ssm-output.js';
import {detectListingFormat, numberLines} from '../core/listener-parser.js';
import type {FaultKnobs} from './faults.js';
import {LabError} from './lab-error.js';
import {answerCommand, type LabSshHost} from './host-answers.js';

export interface SsmInstance {
	host: LabSshHost;
	privateIp: string | null;
	name: string | null;
}

interface Invocation {
	commandId: string;
	instanceId: string;
	document: string;
	comment: string;
	sentAt: number;
	/** Decided at SendCommand time from the faults then in force. */
	outcome: 'success' | 'failed' | 'execution-timeout' | 'delivery-timeout';
	stdout: string;
	stderr: string;
	code: number;
}

export interface SsmContext {
	instances: Map<string, SsmInstance>;
	faults: FaultKnobs;
	accountId: string;
	region: string;
	now: () => number;
	invocations: Map<string, Invocation>;
	/** When the lab started: the agents' registration time. */
	startedAt: number;
}

type Json = Record<string, unknown>;

const seconds = (ms: number) => ms / 1000;
const PLUGIN = {[SSM_LINUX_DOCUMENT]: 'aws:runShellScript', [SSM_WINDOWS_DOCUMENT]: 'aws:runPowerShellScript'} as Record<string, string>;

function isManaged(context: SsmContext, id: string): boolean {
	return context.instances.has(id) && !context.faults.ssmUnmanaged.includes(id);
}

function pingStatus(context: SsmContext, id: string): 'Online' | 'ConnectionLost' {
	return context.faults.ssmOffline.includes(id) ? 'ConnectionLost' : 'Online';
}

function information(context: SsmContext, id: string, instance: SsmInstance): Json {
	const windows = instance.host.os === 'windows';
	const online = pingStatus(context, id) === 'Online';
	return {
		InstanceId: id,
		PingStatus: pingStatus(context, id),
		// An offline agent was last heard from an hour before the lab started.
		LastPingDateTime: seconds(online ? context.now() : context.startedAt - 3_600_000),
		AgentVersion: '3.3.1142.0',
		IsLatestVersion: false,
		PlatformType: windows ? 'Windows' : 'Linux',
		PlatformName: windows ? 'Microsoft Windows Server 2022 Datacenter' : 'Amazon Linux',
		PlatformVersion: windows ? '10.0.20348' : '2023',
		ResourceType: 'EC2Instance',
		IPAddress: instance.privateIp ?? undefined,
		ComputerName: windows ? `EC2AMAZ-${id.slice(-7).toUpperCase()}` : `ip-${(instance.privateIp ?? '10.0.0.1').replaceAll('.', '-')}.${context.region}.compute.internal`,
		RegistrationDate: seconds(context.startedAt - 86_400_000),
		SourceId: id,
		SourceType: 'AWS::EC2::Instance',
	};
}

function stringList(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function describeInstanceInformation(input: Json, context: SsmContext): Json {
	let ids = [...context.instances.keys()].filter((id) => isManaged(context, id)).sort();
	const legacy = Array.isArray(input.InstanceInformationFilterList) ? (input.InstanceInformationFilterList as Json[]) : [];
	for (const filter of legacy) {
		const values = stringList(filter.valueSet);
		if (filter.key === 'InstanceIds') {
			// The older filter list is strict: an id that is not a managed node is an error.
			const unknown = values.find((id) => !isManaged(context, id));
			if (unknown) throw new LabError('InvalidInstanceId', `Instance ${unknown} is not a managed node`);
			ids = ids.filter((id) => values.includes(id));
		} else if (filter.key === 'PingStatus') ids = ids.filter((id) => values.includes(pingStatus(context, id)));
		else if (filter.key === 'PlatformTypes') ids = ids.filter((id) => values.includes(context.instances.get(id)!.host.os === 'windows' ? 'Windows' : 'Linux'));
		else throw new LabError('InvalidInstanceInformationFilterValue', `The lab does not filter on ${String(filter.key)}`);
	}
	const filters = Array.isArray(input.Filters) ? (input.Filters as Json[]) : [];
	for (const filter of filters) {
		const values = stringList(filter.Values);
		if (filter.Key === 'InstanceIds') ids = ids.filter((id) => values.includes(id));
		else if (filter.Key === 'PingStatus') ids = ids.filter((id) => values.includes(pingStatus(context, id)));
		else if (filter.Key === 'PlatformType') ids = ids.filter((id) => values.includes(context.instances.get(id)!.host.os === 'windows' ? 'Windows' : 'Linux'));
		else if (filter.Key === 'ResourceType') ids = ids.filter(() => values.includes('EC2Instance'));
		else throw new LabError('InvalidFilterKey', `The filter key ${String(filter.Key)} is not valid`);
	}
	const max = input.MaxResults === undefined ? 50 : Number(input.MaxResults);
	if (!Number.isInteger(max) || max < 5 || max > 50) throw new LabError('ValidationException', `1 validation error detected: Value '${String(input.MaxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value between 5 and 50`);
	const start = typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64').toString('utf8')) : 0;
	if (!Number.isInteger(start) || start < 0) throw new LabError('InvalidNextToken', 'The specified token is not valid.');
	const page = ids.slice(start, start + max);
	const next = start + max < ids.length ? Buffer.from(String(start + max)).toString('base64') : undefined;
	return {InstanceInformationList: page.map((id) => information(context, id, context.instances.get(id)!)), ...(next ? {NextToken: next} : {})};
}

function sameScript(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every((line, index) => line === b[index]);
}

/** What the host prints for sgtui's probe script, section by section, as the real one would. */
export function answerProbeScript(host: LabSshHost): {stdout: string; stderr: string; code: number} {
	const section = (name: string) => `${SSM_SECTION_PREFIX}${name}`;
	if (host.os === 'windows') {
		const row = new RegExp(WINDOWS_LISTENER_ROW, 'i');
		const listing = host.listingText.split(/\r?\n/).filter((line) => row.test(line));
		const tasklist = answerCommand(host, WINDOWS_TASKLIST);
		const lines = [
			section(`listing ${WINDOWS_LISTING}`), ...listing,
			section(`tasklist ${WINDOWS_TASKLIST}`), ...(tasklist.stdout ?? '').split(/\r?\n/).filter(Boolean),
			section('firewall'), ...(answerCommand(host, WINDOWS_FIREWALL).stdout ?? '').split(/\r?\n/),
			section(SSM_END_SECTION),
		];
		return {stdout: `${lines.join('\r\n')}\r\n`, stderr: tasklist.stderr ?? '', code: 0};
	}
	const format = detectListingFormat(numberLines(host.listingText));
	const tool = format === 'ss' ? 'ss' : format === 'netstat-linux' ? 'netstat' : 'proc-net';
	const listing = LINUX_LISTINGS.find((candidate) => candidate.tool === tool)!;
	const lines = [
		section('os'), 'Linux',
		section('uid'), '0',
		section(`listing ${listing.command}`), host.listingText.replace(/\n$/, ''),
		section('firewall'), (answerCommand(host, LINUX_FIREWALL).stdout ?? '').replace(/\n$/, ''),
		section(SSM_END_SECTION),
	];
	return {stdout: `${lines.join('\n')}\n`, stderr: '', code: 0};
}

/** The agent keeps the first 24,000 characters and marks the cut (amazon-ssm-agent's truncateOut). */
function capOutput(stdout: string, limit: number): string {
	if (stdout.length <= limit) return stdout;
	const mark = `\n${SSM_TRUNCATION_MARK}`;
	return stdout.slice(0, Math.max(0, limit - mark.length)) + mark;
}

function sendCommand(input: Json, context: SsmContext): Json {
	const document = typeof input.DocumentName === 'string' ? input.DocumentName : '';
	if (!PLUGIN[document]) throw new LabError('InvalidDocument', `Document ${document || '(none)'} does not exist in the lab (it runs only ${SSM_LINUX_DOCUMENT} and ${SSM_WINDOWS_DOCUMENT})`);
	const ids = stringList(input.InstanceIds);
	if (ids.length === 0) throw new LabError('InvalidInstanceId', 'No instance ids given (Targets are not supported by the lab)');
	if (new Set(ids).size !== ids.length) throw new LabError('DuplicateInstanceId', 'You cannot specify an instance ID in more than one association.');
	const invalid = ids.filter((id) => !isManaged(context, id));
	if (invalid.length > 0) throw new LabError('InvalidInstanceId', `Instances [[${invalid.join(', ')}]] not in a valid state for account ${context.accountId}`);
	const windowsDoc = document === SSM_WINDOWS_DOCUMENT;
	const wrongPlatform = ids.find((id) => (context.instances.get(id)!.host.os === 'windows') !== windowsDoc);
	if (wrongPlatform) throw new LabError('UnsupportedPlatformType', `The document ${document} does not support the platform type of ${wrongPlatform}`);
	const parameters = (input.Parameters ?? {}) as Record<string, unknown>;
	const commands = stringList(parameters.commands);
	if (commands.length === 0) throw new LabError('InvalidParameters', 'Parameters "commands" is required');
	const timeoutSeconds = input.TimeoutSeconds === undefined ? 3600 : Number(input.TimeoutSeconds);
	if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 30 || timeoutSeconds > 2_592_000) throw new LabError('ValidationException', `1 validation error detected: Value '${String(input.TimeoutSeconds)}' at 'timeoutSeconds' failed to satisfy constraint: Member must have value between 30 and 2592000`);
	const isProbe = sameScript(commands, windowsDoc ? SSM_WINDOWS_COMMANDS : SSM_LINUX_COMMANDS);
	const commandId = randomUUID();
	const sentAt = context.now();
	const comment = typeof input.Comment === 'string' ? input.Comment : '';
	for (const id of ids) {
		const host = context.instances.get(id)!.host;
		const answer = isProbe ? answerProbeScript(host) : {stdout: '', stderr: 'sgtui lab: this lab runs only sgtui\'s fixed probe scripts\n', code: 1};
		context.invocations.set(`${commandId} ${id}`, {
			commandId, instanceId: id, document, comment, sentAt,
			outcome: context.faults.ssmOffline.includes(id) ? 'delivery-timeout' : context.faults.ssmTimeout.includes(id) ? 'execution-timeout' : answer.code === 0 ? 'success' : 'failed',
			stdout: capOutput(answer.stdout, context.faults.ssmOutputLimit),
			stderr: answer.stderr.slice(0, 8000),
			code: answer.code,
		});
	}
	return {
		Command: {
			CommandId: commandId, DocumentName: document, DocumentVersion: '$DEFAULT', Comment: comment,
			ExpiresAfter: seconds(sentAt + timeoutSeconds * 1000), Parameters: parameters, InstanceIds: ids, Targets: [],
			RequestedDateTime: seconds(sentAt), Status: 'Pending', StatusDetails: 'Pending',
			OutputS3Region: context.region, OutputS3BucketName: '', OutputS3KeyPrefix: '', MaxConcurrency: '50', MaxErrors: '0',
			TargetCount: ids.length, CompletedCount: 0, ErrorCount: 0, DeliveryTimedOutCount: 0, ServiceRole: '',
			NotificationConfig: {NotificationArn: '', NotificationEvents: [], NotificationType: ''},
			CloudWatchOutputConfig: {CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false}, TimeoutSeconds: timeoutSeconds,
		},
	};
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '+00:00');
const elapsed = (ms: number) => `PT${(ms / 1000).toFixed(3)}S`;

function getCommandInvocation(input: Json, context: SsmContext): Json {
	const commandId = typeof input.CommandId === 'string' ? input.CommandId : '';
	const instanceId = typeof input.InstanceId === 'string' ? input.InstanceId : '';
	if (![...context.invocations.values()].some((invocation) => invocation.commandId === commandId)) throw new LabError('InvalidCommandId', '');
	const invocation = context.invocations.get(`${commandId} ${instanceId}`);
	const age = context.now() - (invocation?.sentAt ?? 0);
	const step = context.faults.ssmStepMs;
	// Eventual consistency: the invocation appears a moment after SendCommand returned.
	if (!invocation || age < step / 2) throw new LabError('InvocationDoesNotExist', '');
	const plugin = PLUGIN[invocation.document]!;
	if (typeof input.PluginName === 'string' && input.PluginName !== plugin) throw new LabError('InvalidPluginName', '');
	const base = {
		CommandId: commandId, InstanceId: instanceId, Comment: invocation.comment, DocumentName: invocation.document, DocumentVersion: '$DEFAULT',
		PluginName: plugin, StandardOutputUrl: '', StandardErrorUrl: '',
		CloudWatchOutputConfig: {CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false},
	};
	const started = invocation.sentAt + step;
	const pending = {...base, ResponseCode: -1, ExecutionStartDateTime: '', ExecutionElapsedTime: '', ExecutionEndDateTime: '', StandardOutputContent: '', StandardErrorContent: ''};
	if (invocation.outcome === 'delivery-timeout') {
		// The agent never picks it up: Delayed, then the delivery timeout (3 steps in the lab).
		if (age < 3 * step) return {...pending, Status: 'Delayed', StatusDetails: 'Delayed'};
		return {...pending, Status: 'TimedOut', StatusDetails: 'DeliveryTimedOut'};
	}
	if (age < step) return {...pending, Status: 'Pending', StatusDetails: 'Pending'};
	const running = {...pending, ExecutionStartDateTime: iso(started), ExecutionElapsedTime: elapsed(age - step)};
	if (invocation.outcome === 'execution-timeout') {
		if (age < 3 * step) return {...running, Status: 'InProgress', StatusDetails: 'InProgress'};
		return {...running, ExecutionEndDateTime: iso(invocation.sentAt + 3 * step), ExecutionElapsedTime: elapsed(2 * step), Status: 'TimedOut', StatusDetails: 'ExecutionTimedOut'};
	}
	if (age < 2 * step) return {...running, Status: 'InProgress', StatusDetails: 'InProgress'};
	const ok = invocation.outcome === 'success';
	return {
		...running,
		ResponseCode: invocation.code,
		ExecutionEndDateTime: iso(invocation.sentAt + 2 * step),
		ExecutionElapsedTime: elapsed(step),
		Status: ok ? 'Success' : 'Failed',
		StatusDetails: ok ? 'Success' : 'Failed',
		StandardOutputContent: invocation.stdout,
		StandardErrorContent: invocation.stderr,
	};
}

export const SSM_HANDLERS: Record<string, (input: Json, context: SsmContext) => Json> = {
	DescribeInstanceInformation: describeInstanceInformation,
	SendCommand: sendCommand,
	GetCommandInvocation: getCommandInvocation,
};

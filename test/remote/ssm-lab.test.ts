// The Systems Manager probe transport with the real SDK client against the lab (demo snapshot):
// listeners over Run Command equal those the SSH probe reads from the same host captures, the
// transport choice end to end, and every failure named: not managed, offline agent, denied,
// timed out, truncated output.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {SendCommandCommand, GetCommandInvocationCommand, DescribeInstanceInformationCommand} from '@aws-sdk/client-ssm';
import {createAwsClients, type AwsClients} from '../../source/aws/clients.js';
import {runCommandOnInstance} from '../../source/aws/ssm-run-command.js';
import {DEFAULT_FAULTS} from '../../source/lab/faults.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {labInventory} from '../../source/lab/snapshot-state.js';
import {startLabSshServer, writeLabSshFiles, type LabSshFiles, type LabSshServer} from '../../source/lab/ssh-hosts.js';
import {SSM_LINUX_COMMANDS, SSM_LINUX_DOCUMENT, SSM_WINDOWS_DOCUMENT} from '../../source/remote/probe-commands.js';
import {createSsmProber} from '../../source/remote/probe-ssm.js';
import {probeTargets} from '../../source/remote/probe-targets.js';
import type {HostProbeResult} from '../../source/remote/probe.js';

const WEB = 'i-0a1b2c3d4e5f60718';
const APP = 'i-0b2c3d4e5f6071829';
const WINDOWS = 'i-0e5f60718293a4b52';
const ALL = [WEB, APP, 'i-0c3d4e5f607182930', 'i-0d4e5f60718293a41', WINDOWS];
const FAST = {firstPollMs: 5, maxPollMs: 20, deadlineMs: 10_000};

const sockets = (result: HostProbeResult) => result.listeners.map((l) => `${l.protocol} ${l.address}:${l.port} ${l.process ?? '-'}/${l.pid ?? '-'}`).sort();

describe('Systems Manager probe against the lab', () => {
	let lab: Lab;
	let clients: AwsClients;
	let ssh: LabSshServer;
	let files: LabSshFiles;
	let dir: string;
	const log: string[] = [];
	const ssm = () => async () => createSsmProber(clients.ssm, FAST);

	beforeAll(async () => {
		lab = await startLab({simulate: false, faults: {ssmStepMs: 20}, log: (line) => log.push(line)});
		clients = createAwsClients({endpointUrl: lab.endpoint, region: lab.region, debugLogPath: null}, {credentials: lab.credentials, maxAttempts: 1});
		ssh = await startLabSshServer({hosts: lab.hosts});
		dir = await mkdtemp(join(tmpdir(), 'sgtui-ssm-lab-'));
		// The ssh config names only web-1: auto takes SSH there and Systems Manager elsewhere.
		files = await writeLabSshFiles(ssh, [WEB], dir);
	});
	afterAll(async () => {
		clients?.destroy();
		await ssh?.close();
		await lab?.close();
		if (dir) await rm(dir, {recursive: true, force: true});
	});
	beforeEach(() => {
		Object.assign(lab.faults, {...DEFAULT_FAULTS, ssmStepMs: 20, denyActions: [], ssmUnmanaged: [], ssmOffline: [], ssmTimeout: []});
		log.length = 0;
	});

	it('lists every managed instance with its platform, ping status and paging at MaxResults 5', async () => {
		const page = await clients.ssm.send(new DescribeInstanceInformationCommand({MaxResults: 5}));
		expect(page.InstanceInformationList?.map((info) => info.InstanceId).sort()).toEqual([...ALL].sort());
		const windows = page.InstanceInformationList!.find((info) => info.InstanceId === WINDOWS)!;
		expect(windows).toMatchObject({PingStatus: 'Online', PlatformType: 'Windows', ResourceType: 'EC2Instance'});
		expect(windows.LastPingDateTime).toBeInstanceOf(Date);
		lab.faults.ssmOffline.push(APP);
		const filtered = await clients.ssm.send(new DescribeInstanceInformationCommand({Filters: [{Key: 'PingStatus', Values: ['ConnectionLost']}]}));
		expect(filtered.InstanceInformationList?.map((info) => info.InstanceId)).toEqual([APP]);
	});

	it('Windows over Run Command gives exactly the sockets the SSH probe reads from the same host', async () => {
		// Slow enough that the first poll (5 ms) surely comes before the invocation exists (200 ms).
		lab.faults.ssmStepMs = 400;
		const viaSsm = await probeTargets([WINDOWS], {via: 'ssm', ssm: ssm(), configPath: '/dev/null'});
		const [viaSsh] = await probeTargets([`Administrator+${WINDOWS}@127.0.0.1:${ssh.port}`], {via: 'ssh', configPath: files.configFile, identityFile: files.identityFile, agentSocket: null});
		expect(viaSsh!.error).toBeNull();
		expect(viaSsm[0]).toMatchObject({transport: 'ssm', os: 'windows', format: 'netstat-windows', command: 'netstat -nao + tasklist /fo csv /nh', error: null});
		expect(viaSsm[0]!.listeners.length).toBeGreaterThan(20);
		expect(sockets(viaSsm[0]!)).toEqual(sockets(viaSsh!));
		expect(sockets(viaSsm[0]!)).toContain('tcp 0.0.0.0:3389 svchost.exe/1032');
		expect(viaSsm[0]!.firewall?.summary).toBe(viaSsh!.firewall?.summary);
		// The polling saw the invocation appear, then Pending/InProgress, before Success.
		expect(log.some((line) => line.includes('GetCommandInvocation -> InvocationDoesNotExist'))).toBe(true);
	});

	it('Linux over Run Command: root, so every process is named, and the same sockets as over SSH', async () => {
		const [viaSsm] = await probeTargets([APP], {via: 'ssm', ssm: ssm(), configPath: '/dev/null'});
		const [viaSsh] = await probeTargets([`ec2-user+${APP}@127.0.0.1:${ssh.port}`], {via: 'ssh', configPath: files.configFile, identityFile: files.identityFile, agentSocket: null});
		expect(viaSsm).toMatchObject({transport: 'ssm', os: 'linux', error: null, processNamesHidden: false});
		expect(sockets(viaSsm!)).toEqual(sockets(viaSsh!));
		expect(viaSsm!.listeners.some((l) => l.port === 8080 && l.exposure === 'loopback')).toBe(true);
	});

	it('reports the statuses it polled through, in order', async () => {
		const seen: string[] = [];
		const outcome = await runCommandOnInstance(clients.ssm, WEB, SSM_LINUX_DOCUMENT, SSM_LINUX_COMMANDS, {...FAST, onStatus: (status) => seen.push(status)});
		expect(outcome.ok).toBe(true);
		expect(seen.at(-1)).toBe('Success');
		expect(seen.indexOf('InProgress')).toBeLessThan(seen.indexOf('Success'));
	});

	it('auto: SSH for the host the ssh config names, Systems Manager for the others', async () => {
		const results = await probeTargets([WEB, WINDOWS, APP], {ssm: ssm(), configPath: files.configFile, agentSocket: null});
		expect(results.map((result) => [result.target, result.transport, result.error?.message ?? null])).toEqual([[WEB, 'ssh', null], [WINDOWS, 'ssm', null], [APP, 'ssm', null]]);
	});

	it('auto: --user names the host, so SSH is used (and fails here) instead of Systems Manager', async () => {
		const [result] = await probeTargets([WINDOWS], {ssm: ssm(), configPath: '/dev/null', user: 'Administrator', agentSocket: null});
		expect(result!.transport).toBe('ssh');
	});

	it('not managed: named without sending anything', async () => {
		lab.faults.ssmUnmanaged.push(WINDOWS);
		const [result] = await probeTargets([WINDOWS], {via: 'ssm', ssm: ssm(), configPath: '/dev/null'});
		expect(result!.error).toMatchObject({kind: 'ssm-not-managed', message: expect.stringContaining('not a managed instance'), hint: expect.stringContaining('AmazonSSMManagedInstanceCore')});
		expect(log.some((line) => line.includes('SendCommand'))).toBe(false);
	});

	it('not managed, found out by SendCommand itself (InvalidInstanceId) when the lookup was skipped', async () => {
		lab.faults.ssmUnmanaged.push(WEB);
		const result = await createSsmProber(clients.ssm, FAST).probe(WEB, WEB, null, 'linux');
		expect(result.error).toMatchObject({kind: 'ssm-not-managed', message: expect.stringContaining('InvalidInstanceId')});
	});

	it('offline agent: named from its ping status; without the lookup, the command is never delivered', async () => {
		lab.faults.ssmOffline.push(WINDOWS);
		const [named] = await probeTargets([WINDOWS], {via: 'ssm', ssm: ssm(), configPath: '/dev/null'});
		expect(named!.error).toMatchObject({kind: 'ssm-offline', message: expect.stringContaining('ConnectionLost')});
		const blind = await createSsmProber(clients.ssm, FAST).probe(WINDOWS, WINDOWS, null, 'windows');
		expect(blind.error).toMatchObject({kind: 'ssm-timeout', message: expect.stringContaining('DeliveryTimedOut')});
	});

	it('access denied names the missing permission', async () => {
		lab.faults.denyActions.push('SendCommand');
		const [result] = await probeTargets([WINDOWS], {via: 'ssm', ssm: ssm(), configPath: '/dev/null'});
		expect(result!.error).toMatchObject({kind: 'ssm-denied', message: expect.stringContaining('ssm:SendCommand denied'), hint: expect.stringContaining('AWS-RunPowerShellScript')});
		lab.faults.denyActions.splice(0, 1, 'GetCommandInvocation');
		const [polling] = await probeTargets([WINDOWS], {via: 'ssm', ssm: ssm(), configPath: '/dev/null'});
		expect(polling!.error).toMatchObject({kind: 'ssm-denied', message: expect.stringContaining('ssm:GetCommandInvocation denied')});
	});

	it('DescribeInstanceInformation denied: --via ssm still tries, and says the check was skipped', async () => {
		lab.faults.denyActions.push('DescribeInstanceInformation');
		const [result] = await probeTargets([WINDOWS], {via: 'ssm', ssm: ssm(), configPath: '/dev/null', inventory: labInventory(lab.state)});
		expect(result).toMatchObject({transport: 'ssm', error: null, os: 'windows'});
		expect(result!.notes.join(' ')).toContain('ssm:DescribeInstanceInformation denied');
	});

	it('the probe running past its execution timeout is TimedOut, named as such', async () => {
		lab.faults.ssmTimeout.push(APP);
		const [result] = await probeTargets([APP], {via: 'ssm', ssm: ssm(), configPath: '/dev/null'});
		expect(result!.error).toMatchObject({kind: 'ssm-timeout', message: expect.stringContaining('ExecutionTimedOut')});
	});

	it('no terminal status before the deadline: a timeout naming the last status', async () => {
		lab.faults.ssmStepMs = 60_000;
		const result = await createSsmProber(clients.ssm, {firstPollMs: 5, maxPollMs: 20, deadlineMs: 200}).probe(APP, APP, null, 'linux');
		expect(result.error).toMatchObject({kind: 'ssm-timeout', message: expect.stringMatching(/still (Pending|InProgress) after/)});
	});

	it('output cut at the size limit: truncated, with how many sockets were read before the cut', async () => {
		lab.faults.ssmOutputLimit = 900;
		const [result] = await probeTargets([WINDOWS], {via: 'ssm', ssm: ssm(), configPath: '/dev/null'});
		expect(result!.error).toMatchObject({kind: 'ssm-truncated', message: expect.stringContaining('24,000-character limit'), hint: expect.stringContaining('--via ssh')});
		expect(result!.listeners.length).toBeGreaterThan(0);
		expect(result!.listeners.length).toBeLessThan(35);
	});

	it('SSH and Systems Manager both unavailable: one message naming both and what to enable', async () => {
		lab.faults.ssmUnmanaged.push(APP);
		const [result] = await probeTargets([APP], {ssm: ssm(), configPath: '/dev/null', inventory: labInventory(lab.state), agentSocket: null});
		expect(result!.error?.kind).toBe('no-transport');
		expect(result!.error?.message).toMatch(/neither SSH nor Systems Manager.*SSH: .*--jump.*Systems Manager: not a managed instance/);
		expect(result!.error?.hint).toMatch(/enable one of them: SSH .* or Systems Manager/);
	});

	it('only the fixed scripts run; a wrong document for the platform is refused', async () => {
		const sent = await clients.ssm.send(new SendCommandCommand({InstanceIds: [WEB], DocumentName: SSM_LINUX_DOCUMENT, Parameters: {commands: ['rm -rf /']}, TimeoutSeconds: 30}));
		const outcome = await runCommandOnInstance(clients.ssm, WEB, SSM_LINUX_DOCUMENT, ['id'], FAST);
		expect(outcome).toMatchObject({ok: false, kind: 'ssm-failed', message: expect.stringContaining('exit code 1')});
		await expect(clients.ssm.send(new GetCommandInvocationCommand({CommandId: sent.Command!.CommandId!, InstanceId: WINDOWS}))).rejects.toMatchObject({name: 'InvocationDoesNotExist'});
		await expect(clients.ssm.send(new SendCommandCommand({InstanceIds: [WINDOWS], DocumentName: SSM_LINUX_DOCUMENT, Parameters: {commands: ['id']}}))).rejects.toMatchObject({name: 'UnsupportedPlatformType'});
		await expect(clients.ssm.send(new SendCommandCommand({InstanceIds: [WEB], DocumentName: SSM_WINDOWS_DOCUMENT.replace('PowerShell', 'Python'), Parameters: {commands: ['id']}}))).rejects.toMatchObject({name: 'InvalidDocument'});
	});
});

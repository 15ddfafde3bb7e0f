import {spawn} from 'node:child_process';
import {cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DescribeFlowLogsCommand, DescribeInternetGatewaysCommand, DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {runLab} from '../../source/cli/commands/lab.js';
import {InputError, UsageError} from '../../source/cli/errors.js';
import {EvidenceError} from '../../source/core/evidence-error.js';
import {loadSnapshot} from '../../source/files/load-snapshot.js';
import {defaultSnapshotDir} from '../../source/lab/lab.js';
import {probeTargets} from '../../source/remote/probe-targets.js';
import {builtCli, builtDir, runCli} from '../support/built-cli.js';
import {FIXTURE} from './lab-helpers.js';

function sink() {
	const chunks: string[] = [];
	return {write: (text: string) => chunks.push(text), text: () => chunks.join('')};
}

async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
	for (let i = 0; i < timeoutMs / 10 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
	if (!check()) throw new Error('condition not met in time');
}

describe('sgtui lab', () => {
	it('serves the snapshot, prints how to use it, and stops cleanly', async () => {
		const stdout = sink();
		const stderr = sink();
		let stop!: () => void;
		const stopped = new Promise<void>((resolve) => (stop = resolve));
		const exit = runLab({snapshot: FIXTURE, rate: '0', sessionSeconds: '60'}, {stdout, stderr, stopped});
		await waitFor(() => stdout.text().includes('Ctrl-C'));
		const text = stdout.text();
		const endpoint = /AWS_ENDPOINT_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
		expect(endpoint).toBeTruthy();
		expect(text).toContain('AWS_REGION=eu-west-1');
		expect(text).toContain('aws ec2 describe-security-groups');
		expect(text).toContain('aws logs start-live-tail --log-group-identifiers arn:aws:logs:eu-west-1:111122223333:log-group:/vpc/flow-logs --log-stream-names eni-0eb00000000000001 --log-event-filter-pattern REJECT');
		expect(text).toContain('traffic simulator: off');
		const keyId = /AWS_ACCESS_KEY_ID=(\S+)/.exec(text)![1]!;
		const secret = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(text)![1]!;
		const ec2 = new EC2Client({endpoint, region: 'eu-west-1', credentials: {accessKeyId: keyId, secretAccessKey: secret}, logger: {debug() {}, info() {}, warn() {}, error() {}}});
		expect((await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups).toHaveLength(6);
		stop();
		expect(await exit).toBe(0);
		expect(stderr.text()).toContain('stopped');
		await expect(ec2.send(new DescribeSecurityGroupsCommand({}))).rejects.toThrow();
	});

	it('--deny plays an identity without those permissions', async () => {
		const stdout = sink();
		const stderr = sink();
		let stop!: () => void;
		const stopped = new Promise<void>((resolve) => (stop = resolve));
		const exit = runLab({snapshot: FIXTURE, rate: '0', ssh: false, deny: 'DescribeFlowLogs, StartLiveTail,DescribeRouteTables'}, {stdout, stderr, stopped});
		await waitFor(() => stdout.text().includes('Ctrl-C'));
		expect(stderr.text()).toContain('sgtui lab: denying DescribeFlowLogs, StartLiveTail, DescribeRouteTables');
		const endpoint = /AWS_ENDPOINT_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout.text())![1]!;
		const ec2 = new EC2Client({endpoint, region: 'eu-west-1', credentials: {accessKeyId: 'a', secretAccessKey: 'b'}, maxAttempts: 1, logger: {debug() {}, info() {}, warn() {}, error() {}}});
		await expect(ec2.send(new DescribeFlowLogsCommand({}))).rejects.toMatchObject({name: 'UnauthorizedOperation'});
		await expect(ec2.send(new DescribeRouteTablesCommand({}))).rejects.toMatchObject({name: 'UnauthorizedOperation'});
		expect((await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups).toHaveLength(6);
		expect((await ec2.send(new DescribeInternetGatewaysCommand({}))).InternetGateways).toHaveLength(3);
		stop();
		expect(await exit).toBe(0);
		await expect(runLab({deny: 'describe flow logs'}, {stdout: sink(), stderr: sink(), stopped: Promise.resolve()})).rejects.toThrow(/--deny takes API action names/);
		await expect(runLab({deny: ','}, {stdout: sink(), stderr: sink(), stopped: Promise.resolve()})).rejects.toThrow(UsageError);
		// A misspelled action would deny nothing: refused, with the name it probably meant.
		await expect(runLab({deny: 'DescribeFlowLogs,DescribeFlowLog'}, {stdout: sink(), stderr: sink(), stopped: Promise.resolve()})).rejects.toThrow(/^--deny: "DescribeFlowLog" is not an API action the lab serves \(did you mean DescribeFlowLogs\?\); it serves .*StartLiveTail/);
		await expect(runLab({deny: 'DescribeVpcs'}, {stdout: sink(), stderr: sink(), stopped: Promise.resolve()})).rejects.toThrow(UsageError);
	});

	it('prints its example commands with a hostile log group name quoted and inert', async () => {
		const root = mkdtempSync(path.join(tmpdir(), 'sgtui-lab-hostile-'));
		try {
			cpSync(FIXTURE, root, {recursive: true});
			const file = path.join(root, 'aws', 'describe-flow-logs.json');
			const name = "/vpc/x;touch /tmp/pwn #'\r\u001b[2A\u001b[2Kfake\u202e";
			writeFileSync(file, readFileSync(file, 'utf8').replace('"LogGroupName": "/vpc/flow-logs"', () => `"LogGroupName": ${JSON.stringify(name)}`));
			const stdout = sink();
			let stop!: () => void;
			const stopped = new Promise<void>((resolve) => (stop = resolve));
			const exit = runLab({snapshot: root, rate: '0', ssh: false}, {stdout, stderr: sink(), stopped});
			await waitFor(() => stdout.text().includes('Ctrl-C'));
			stop();
			expect(await exit).toBe(0);
			const text = stdout.text();
			expect(text).not.toMatch(/[\r\u001b\u202e]/);
			const quoted = "'/vpc/x;touch /tmp/pwn #'\\''\\x0d\\x1b[2A\\x1b[2Kfake\\u202e'";
			expect(text).toContain(`aws logs filter-log-events --log-group-name ${quoted} --filter-pattern REJECT`);
			expect(text).toContain(`aws logs start-live-tail --log-group-identifiers 'arn:aws:logs:eu-west-1:111122223333:log-group:${quoted.slice(1)}`);
		} finally {
			rmSync(root, {recursive: true, force: true});
		}
	});

	it('--verbose logs a request whose action holds escapes inert', async () => {
		const stdout = sink();
		const stderr = sink();
		let stop!: () => void;
		const stopped = new Promise<void>((resolve) => (stop = resolve));
		const exit = runLab({snapshot: FIXTURE, rate: '0', ssh: false, verbose: true}, {stdout, stderr, stopped});
		await waitFor(() => stdout.text().includes('Ctrl-C'));
		const endpoint = /AWS_ENDPOINT_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout.text())![1]!;
		// Any local process may call the lab: its Action is outside data.
		const response = await fetch(`${endpoint}/?Action=${encodeURIComponent('Describe\r\u001b[2A\u001b[2KOwned\u202e')}`);
		expect(response.status).toBe(400);
		await waitFor(() => stderr.text().includes('InvalidAction'));
		stop();
		expect(await exit).toBe(0);
		expect(stderr.text()).toContain('ec2  Describe\\x0d\\x1b[2A\\x1b[2KOwned\\u202e -> InvalidAction 400');
		expect(stderr.text()).not.toMatch(/[\r\u001b\u202e]/);
	});

	it('refuses bad flags and a missing snapshot with one-line errors', async () => {
		const io = {stdout: sink(), stderr: sink(), stopped: Promise.resolve()};
		await expect(runLab({port: 'eighty'}, io)).rejects.toThrow(UsageError);
		await expect(runLab({rate: '-1'}, io)).rejects.toThrow(/--rate must be a whole number/);
		await expect(runLab({sessionSeconds: '0'}, io)).rejects.toThrow(UsageError);
		await expect(runLab({snapshot: '/nonexistent/snapshot'}, io)).rejects.toThrow(InputError);
	});

	it('refuses a broken snapshot with the snapshot reader\'s one-line error naming the file', async () => {
		const root = mkdtempSync(path.join(tmpdir(), 'sgtui-lab-broken-'));
		try {
			cpSync(FIXTURE, root, {recursive: true});
			writeFileSync(path.join(root, 'aws', 'describe-security-groups.json'), '{"SecurityGroups": [{"GroupName": "no id"}]}');
			const io = {stdout: sink(), stderr: sink(), stopped: Promise.resolve()};
			const failure = runLab({snapshot: root, rate: '0'}, io);
			await expect(failure).rejects.toBeInstanceOf(EvidenceError);
			await expect(failure).rejects.toThrow(/^aws\/describe-security-groups\.json: SecurityGroups\[0\]\.GroupId: .+$/);
			expect(io.stdout.text()).toBe('');
		} finally {
			rmSync(root, {recursive: true, force: true});
		}
	});

	it('reports a port already in use', async () => {
		const first = {stdout: sink(), stderr: sink()};
		let stop!: () => void;
		const running = runLab({snapshot: FIXTURE, rate: '0'}, {...first, stopped: new Promise<void>((resolve) => (stop = resolve))});
		await waitFor(() => first.stdout.text().includes('Ctrl-C'));
		const port = /127\.0\.0\.1:(\d+)/.exec(first.stdout.text())![1]!;
		await expect(runLab({snapshot: FIXTURE, port, rate: '0'}, {stdout: sink(), stderr: sink(), stopped: Promise.resolve()})).rejects.toThrow(/already in use/);
		stop();
		await running;
	});
});

// The lab's SSH side as `sgtui lab` prints it: the printed ssh config reaches each snapshot host
// through the real SSH path, and the probe reads back what the snapshot captured.
describe('sgtui lab: SSH hosts', () => {
	const WEB = 'i-0a1b2c3d4e5f60718';
	const WINDOWS = 'i-0e5f60718293a4b52';

	function startLab(options: Record<string, unknown>) {
		const stdout = sink();
		const stderr = sink();
		let stop!: () => void;
		const stopped = new Promise<void>((resolve) => (stop = resolve));
		const exit = runLab({rate: '0', ...options}, {stdout, stderr, stopped});
		return {stdout, stderr, stop, exit};
	}

	it('serves the demo snapshot\'s hosts on 127.0.0.1, prints how to reach them, removes its temp dir on stop', async () => {
		const lab = startLab({});
		await waitFor(() => lab.stdout.text().includes('Ctrl-C'));
		const text = lab.stdout.text();
		const port = /SSH hosts: 127\.0\.0\.1:(\d+) \(5 hosts; login name <user>\+<instance-id>\)/.exec(text)?.[1];
		expect(port).toBeTruthy();
		const config = /sgtui ports (?:i-[0-9a-f]+ )+-F (\S+)\n/.exec(text)?.[1];
		expect(config).toMatch(/sgtui-lab-ssh-[^/]+\/ssh_config$/);
		expect(text).toContain(`  ssh -F ${config} ${WEB} uname -s\n`);
		expect(lab.stderr.text()).toBe('');

		const snapshot = await loadSnapshot(defaultSnapshotDir());
		const results = await probeTargets([WEB, WINDOWS], {configPath: config!, agentSocket: null});
		for (const result of results) {
			expect(result.error).toBeNull();
			expect(result.address).toMatch(new RegExp(`\\+${result.target}@127\\.0\\.0\\.1:${port}$`));
			expect(result.listeners).toEqual(snapshot.hosts[result.target]!.listeners);
			expect(result.listeners.length).toBeGreaterThan(3);
		}
		expect(results[1]!.os).toBe('windows');

		lab.stop();
		expect(await lab.exit).toBe(0);
		expect(existsSync(path.dirname(config!))).toBe(false);
		const [after] = await probeTargets([WEB], {configPath: '/dev/null', agentSocket: null, user: 'x'});
		expect(after!.error).not.toBeNull();
	});

	it('a capture that is no listing is left out with one warning; the other hosts are served', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'sgtui-lab-badhost-'));
		try {
			cpSync(defaultSnapshotDir(), dir, {recursive: true});
			writeFileSync(path.join(dir, 'hosts', 'i-0bad0000000000009.txt'), 'hello\n');
			const lab = startLab({snapshot: dir});
			await waitFor(() => lab.stdout.text().includes('Ctrl-C'));
			expect(lab.stdout.text()).toMatch(/SSH hosts: 127\.0\.0\.1:\d+ \(5 hosts;/);
			// Read once, by the lab: the warning is printed once.
			expect(lab.stderr.text().split('hosts/i-0bad0000000000009.txt: not a listener listing')).toHaveLength(2);
			lab.stop();
			expect(await lab.exit).toBe(0);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	it('--ssh-dir keeps the files there; --no-ssh starts no SSH server', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'sgtui-lab-sshdir-'));
		try {
			const lab = startLab({sshDir: path.join(dir, 'ssh')});
			await waitFor(() => lab.stdout.text().includes('Ctrl-C'));
			expect(lab.stdout.text()).toContain(`-F ${path.join(dir, 'ssh', 'ssh_config')}\n`);
			const [result] = await probeTargets([WINDOWS], {configPath: path.join(dir, 'ssh', 'ssh_config'), agentSocket: null});
			expect(result).toMatchObject({error: null, os: 'windows', command: 'netstat -nao + tasklist /fo csv /nh'});
			lab.stop();
			expect(await lab.exit).toBe(0);
			expect(existsSync(path.join(dir, 'ssh', 'ssh_config'))).toBe(true);

			const bare = startLab({ssh: false});
			await waitFor(() => bare.stdout.text().includes('Ctrl-C'));
			expect(bare.stdout.text()).not.toContain('SSH hosts');
			bare.stop();
			expect(await bare.exit).toBe(0);

			// A directory name with a space and a cursor move: quoted for the shell, inert on the terminal.
			const odd = startLab({sshDir: path.join(dir, 'my ssh\u001b[2A')});
			await waitFor(() => odd.stdout.text().includes('Ctrl-C'));
			expect(odd.stdout.text()).toContain(`-F '${path.join(dir, 'my ssh\\x1b[2A', 'ssh_config')}'\n`);
			expect(odd.stdout.text()).not.toContain('\u001b');
			odd.stop();
			expect(await odd.exit).toBe(0);

			writeFileSync(path.join(dir, 'file'), 'x');
			await expect(runLab({sshDir: path.join(dir, 'file')}, {stdout: sink(), stderr: sink(), stopped: Promise.resolve()})).rejects.toThrow('--ssh-dir must be a directory');
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	it('a snapshot without hosts/ says so', async () => {
		const lab = startLab({snapshot: FIXTURE});
		await waitFor(() => lab.stdout.text().includes('Ctrl-C'));
		expect(lab.stdout.text()).toContain('SSH hosts: none (the snapshot has no hosts/<instance-id>.txt)');
		lab.stop();
		expect(await lab.exit).toBe(0);
	});
});

// The built CLI, as a user runs it: the exit code and the one line come from main.ts.
describe('sgtui lab (built CLI)', () => {
	const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
	let broken = '';
	beforeAll(() => {
		expect(existsSync(path.join(builtDir(), 'cli/commands/lab.js'))).toBe(true);
		broken = mkdtempSync(path.join(tmpdir(), 'sgtui-lab-broken-'));
		cpSync(FIXTURE, broken, {recursive: true});
		writeFileSync(path.join(broken, 'aws', 'describe-flow-logs.json'), '{"FlowLogs": [{"FlowLogId": "fl-1",}]}\n');
	}, 300_000);
	afterAll(() => {
		if (broken) rmSync(broken, {recursive: true, force: true});
	});

	const sgtui = (args: string[]) => runCli(args, {timeout: 30_000});

	it('sgtui lab --snapshot BROKEN: one line naming the file, exit 2, nothing served', () => {
		const result = sgtui(['lab', '--snapshot', broken, '--rate', '0']);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/^sgtui: aws\/describe-flow-logs\.json: expected \{"FlowLogs": \[\.\.\.\]\} as `aws ec2 \.\.\. --output json` prints it, line 1: [^\n]+\n$/);
		expect(result.status).toBe(2);
	});

	it('sgtui lab --snapshot MISSING: one line, exit 2', () => {
		const result = sgtui(['lab', '--snapshot', path.join(broken, 'nope')]);
		expect(result.stderr).toBe(`sgtui: snapshot directory not found: ${path.join(broken, 'nope')}\n`);
		expect(result.status).toBe(2);
	});

	it('sgtui lab, then Ctrl-C: the SSH server stops and its temp dir is removed', async () => {
		const child = spawn(process.execPath, [builtCli(), 'lab', '--rate', '0', '--snapshot', path.join(root, 'demo', 'snapshot')], {env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
		try {
			await waitFor(() => stdout.includes('Ctrl-C') || child.exitCode !== null, 30_000);
			expect(stderr).toBe('');
			const config = /-F (\S+ssh_config)\n/.exec(stdout)![1]!;
			const [result] = await probeTargets(['i-0d4e5f60718293a41'], {configPath: config, agentSocket: null});
			expect(result).toMatchObject({error: null, os: 'linux'});
			child.kill('SIGINT');
			expect(await exited).toBe(0);
			expect(stderr).toBe('sgtui lab: stopped\n');
			expect(existsSync(path.dirname(config))).toBe(false);
		} finally {
			child.kill();
		}
	}, 40_000);
});

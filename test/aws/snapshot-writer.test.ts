import {mkdtemp, readFile, readdir, rm, writeFile, mkdir} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {hostCaptureText, writeSnapshot} from '../../source/aws/snapshot-writer.js';
import {parseListeners} from '../../source/core/listener-parser.js';
import {snapshot} from '../../source/cli/commands/snapshot.js';
import {UsageError} from '../../source/cli/errors.js';
import {loadSnapshot} from '../../source/files/load-snapshot.js';
import {DEFAULT_FAULTS} from '../../source/lab/faults.js';
import {defaultSnapshotDir} from '../../source/lab/lab.js';
import {labInventory} from '../../source/lab/snapshot-state.js';
import {loadLabSshHosts, type LabSshHost} from '../../source/lab/host-answers.js';
import {startLabSshServer, writeLabSshFiles, type LabSshServer} from '../../source/lab/ssh-hosts.js';
import {labWithClients, type LabFixture} from './lab-clients.js';
import {loadSnapshotInventoryForTest} from './snapshot-inventory.js';

const GROUP = '/vpc/flow-logs/shop-prod';

describe('snapshot from the lab', () => {
	let fixture: LabFixture;
	let dir: string;
	beforeAll(async () => {
		fixture = await labWithClients({maxPageSize: {ec2: 3, logs: 500}});
		dir = await mkdtemp(join(tmpdir(), 'sgtui-snapshot-'));
	});
	afterAll(async () => {
		await fixture?.close();
		await rm(dir, {recursive: true, force: true});
	});

	it('round-trips: the written snapshot loads to the lab\'s inventory, with each ENI\'s records', async () => {
		const out = join(dir, 'full');
		const now = Date.now();
		const progress: string[] = [];
		const result = await writeSnapshot({ec2: fixture.clients.ec2, logs: fixture.clients.logs, outDir: out, minutes: 7 * 24 * 60, now: () => now, onProgress: (p) => progress.push(p.what)});

		// Through the project's own snapshot loader, as `check`/`audit` will read it.
		const written = await loadSnapshot(out);
		const original = await loadSnapshot(defaultSnapshotDir());
		expect(written.inventory).toEqual(original.inventory);
		expect(written.warnings).toEqual([]);
		expect(Object.keys(written.flowLogFiles).sort()).toEqual(Object.keys(original.flowLogFiles).sort());
		expect(await loadSnapshotInventoryForTest(out)).toEqual(await loadSnapshotInventoryForTest());
		expect((await readdir(join(out, 'aws'))).sort()).toEqual((await readdir(join(defaultSnapshotDir(), 'aws'))).sort());

		// Flow records: exactly what the lab's log stream holds for the window, in its format.
		const group = fixture.lab.state.logs.groups.get(GROUP)!;
		const covered = [...group.streams.keys()];
		expect(covered.length).toBeGreaterThan(1);
		for (const eni of covered) {
			const expected = group.streams.get(eni)!.events.filter((e) => e.timestamp >= now - 7 * 24 * 3_600_000 && e.timestamp <= now).map((e) => e.message);
			const written = (await readFile(join(out, 'flowlogs', `${eni}.log`), 'utf8')).split('\n').filter(Boolean);
			// A custom format is announced by the S3-style header line.
			expect(written[0]).toBe(group.flowFormat!.replace(/\$\{([^}]+)\}/g, '$1'));
			expect(written.slice(1).sort()).toEqual(expected.sort());
			expect(result.flowRecords[eni]).toBe(expected.length);
		}
		expect(progress).toContain('flow logs');
		// The one instance ENI outside the CloudWatch flow log's reach is reported, not silently skipped.
		for (const warning of result.warnings) expect(warning).toMatch(/^eni-\S+: /);
	});

	it('scopes to some instances and what they need', async () => {
		const out = join(dir, 'scoped');
		const result = await writeSnapshot({ec2: fixture.clients.ec2, logs: fixture.clients.logs, outDir: out, instanceIds: ['i-0a1b2c3d4e5f60718', 'i-0000000000000dead'], minutes: 60});
		expect(result.inventory.instances.map((i) => i.id)).toEqual(['i-0a1b2c3d4e5f60718']);
		expect(result.missingInstanceIds).toEqual(['i-0000000000000dead']);
		const written = JSON.parse(await readFile(join(out, 'aws', 'describe-security-groups.json'), 'utf8'));
		expect(written.SecurityGroups.map((g: {GroupId: string}) => g.GroupId)).toContain('sg-0a11b22c33d44e501');
		expect(Object.keys(result.flowRecords)).toEqual(['eni-0f1e2d3c4b5a69788']);
	});

	it('refuses a non-empty directory unless --force, and then replaces only snapshot files', async () => {
		const out = join(dir, 'busy');
		await mkdir(join(out, 'flowlogs'), {recursive: true});
		await writeFile(join(out, 'notes.txt'), 'mine');
		await writeFile(join(out, 'flowlogs', 'eni-stale.log'), 'old');
		await expect(writeSnapshot({ec2: fixture.clients.ec2, logs: fixture.clients.logs, outDir: out})).rejects.toThrow(`${out} is not empty; choose another --out or pass --force to replace its snapshot files`);
		// Not marked as sgtui's: --force deletes nothing.
		await expect(writeSnapshot({ec2: fixture.clients.ec2, logs: fixture.clients.logs, outDir: out, force: true, minutes: 5})).rejects.toThrow(/no \.sgtui-snapshot marker/);
		expect(await readdir(join(out, 'flowlogs'))).toContain('eni-stale.log');
		await writeFile(join(out, '.sgtui-snapshot'), '');
		await writeSnapshot({ec2: fixture.clients.ec2, logs: fixture.clients.logs, outDir: out, force: true, minutes: 5});
		expect(await readFile(join(out, 'notes.txt'), 'utf8')).toBe('mine');
		expect(await readdir(join(out, 'flowlogs'))).not.toContain('eni-stale.log');
	});

	afterEach(() => vi.unstubAllEnvs());

	it('sgtui snapshot prints what it wrote; a usage problem is one line', async () => {
		vi.stubEnv('AWS_ACCESS_KEY_ID', fixture.lab.credentials.accessKeyId);
		vi.stubEnv('AWS_SECRET_ACCESS_KEY', fixture.lab.credentials.secretAccessKey);
		vi.stubEnv('AWS_PROFILE', undefined);
		const out = join(dir, 'cli');
		const stdout: string[] = [];
		const stderr: string[] = [];
		const code = await snapshot({out, endpointUrl: fixture.lab.endpoint, region: fixture.lab.region, minutes: '15', debugLog: join(dir, 'debug.log')}, {stdout: {write: (t: string) => stdout.push(t)}, stderr: {write: (t: string) => stderr.push(t), isTTY: false}});
		expect(code).toBe(0);
		expect(stdout.join('')).toMatch(new RegExp(`^wrote ${out}: 5 instance\\(s\\), 6 network interface\\(s\\), \\d+ security group\\(s\\), \\d+ network ACL\\(s\\), 2 flow log\\(s\\), \\d+ prefix list\\(s\\), 3 route table\\(s\\), 1 internet gateway\\(s\\); \\d+ flow record\\(s\\) of the last 15 min from \\d+ network interface\\(s\\)\\n$`));
		for (const minutes of ['-3', '1e999', '0x10', '99999999999999999999', '5260321']) {
			await expect(snapshot({out, minutes}, {stdout: {write: () => 0}, stderr: {write: () => 0}})).rejects.toThrow(`--minutes must be a whole number of minutes from 0 to 5260320 (3653 days), got "${minutes}"`);
		}
		await expect(snapshot({out, instances: 'web1'}, {stdout: {write: () => 0}, stderr: {write: () => 0}})).rejects.toThrow('--instances "web1" is not an instance id (i-…): the prefix, a dash, then 8 or 17 lowercase hex digits');
	});

	it('a denied DescribeFlowLogs: its file is not written (= unknown), the rest is, and stderr names the permission', async () => {
		vi.stubEnv('AWS_ACCESS_KEY_ID', fixture.lab.credentials.accessKeyId);
		vi.stubEnv('AWS_SECRET_ACCESS_KEY', fixture.lab.credentials.secretAccessKey);
		vi.stubEnv('AWS_PROFILE', undefined);
		fixture.lab.faults.denyActions = ['DescribeFlowLogs'];
		try {
			const out = join(dir, 'denied');
			const stdout: string[] = [];
			const stderr: string[] = [];
			const code = await snapshot({out, endpointUrl: fixture.lab.endpoint, region: fixture.lab.region, minutes: '15', debugLog: join(dir, 'debug.log')}, {stdout: {write: (t: string) => stdout.push(t)}, stderr: {write: (t: string) => stderr.push(t), isTTY: false}});
			expect(code).toBe(0);
			expect(stderr).toEqual([
				"sgtui: ec2:DescribeFlowLogs denied: flow-log coverage unknown; grant it to see rejects' source\n",
				'sgtui: no flow records captured: which flow logs cover the interfaces is unknown (ec2:DescribeFlowLogs)\n',
			]);
			expect(stdout.join('')).toMatch(/ \d+ network ACL\(s\), unknown flow log\(s\) \(denied\), /);
			const files = await readdir(join(out, 'aws'));
			expect(files).not.toContain('describe-flow-logs.json');
			expect(files).toContain('describe-network-acls.json');
			const written = await loadSnapshot(out);
			expect(written.inventory.known.flowLogs).toBe(false);
			expect(written.inventory.known.networkAcls).toBe(true);
			expect(written.inventory.instances).toHaveLength(5);
		} finally {
			fixture.lab.faults.denyActions = [];
			vi.unstubAllEnvs();
		}
	});

	it('--no-probe or SGTUI_NO_PROBE refuses --probe-hosts before any AWS call, saying how to probe', async () => {
		const io = {stdout: {write: () => 0}, stderr: {write: () => 0}};
		await expect(snapshot({out: join(dir, 'never'), probeHosts: true, probe: false}, io)).rejects.toThrow('--probe-hosts dials every instance, but probing is off (--no-probe): drop one of them');
		vi.stubEnv('SGTUI_NO_PROBE', '1');
		try {
			await expect(snapshot({out: join(dir, 'never'), probeHosts: true}, io)).rejects.toThrow('--probe-hosts dials every instance, but probing is off (SGTUI_NO_PROBE is set): drop one of them');
		} finally {
			vi.unstubAllEnvs();
		}
		await expect(readdir(join(dir, 'never'))).rejects.toThrow(/ENOENT/);
	});

	it('a denied DescribeRouteTables (sgtui lab --deny): no describe-route-tables.json, the loaded snapshot says routes are unknown', async () => {
		vi.stubEnv('AWS_ACCESS_KEY_ID', fixture.lab.credentials.accessKeyId);
		vi.stubEnv('AWS_SECRET_ACCESS_KEY', fixture.lab.credentials.secretAccessKey);
		vi.stubEnv('AWS_PROFILE', undefined);
		fixture.lab.faults.denyActions = ['DescribeRouteTables'];
		try {
			const out = join(dir, 'no-routes');
			const stdout: string[] = [];
			const stderr: string[] = [];
			const code = await snapshot({out, endpointUrl: fixture.lab.endpoint, region: fixture.lab.region, minutes: '0', debugLog: join(dir, 'debug.log')}, {stdout: {write: (t: string) => stdout.push(t)}, stderr: {write: (t: string) => stderr.push(t), isTTY: false}});
			expect(code).toBe(0);
			expect(stderr).toEqual(['sgtui: ec2:DescribeRouteTables denied: route tables unknown; grant it to evaluate the route layer\n']);
			expect(stdout.join('')).toMatch(/, unknown route table\(s\) \(denied\), 1 internet gateway\(s\); /);
			const files = await readdir(join(out, 'aws'));
			expect(files).not.toContain('describe-route-tables.json');
			expect(files).toContain('describe-internet-gateways.json');
			const written = await loadSnapshot(out);
			expect(written.inventory.known.routeTables).toBe(false);
			expect(written.inventory.known.internetGateways).toBe(true);
			expect(written.inventory.internetGateways).toEqual((await loadSnapshot(defaultSnapshotDir())).inventory.internetGateways);
		} finally {
			fixture.lab.faults.denyActions = [];
			vi.unstubAllEnvs();
		}
	});
});

// --probe-hosts end to end: the lab plays the account, the lab's SSH server plays the instances
// (each answering with the demo snapshot's capture), and the written hosts/ must load back to the
// same listeners.
describe('snapshot --probe-hosts against the lab and its SSH hosts', () => {
	let fixture: LabFixture;
	let dir: string;
	let server: LabSshServer;
	let config: string;
	let hosts: Record<string, LabSshHost>;
	const WINDOWS = 'i-0e5f60718293a4b52';
	const LEFT_OUT = 'i-0c3d4e5f607182930';
	const io = () => {
		const out = {stdout: '', stderr: ''};
		return {out, io: {stdout: {write: (t: string) => (out.stdout += t)}, stderr: {write: (t: string) => (out.stderr += t), isTTY: false}, agentSocket: null}};
	};

	beforeAll(async () => {
		fixture = await labWithClients();
		dir = await mkdtemp(join(tmpdir(), 'sgtui-snapshot-probe-'));
		const platforms = Object.fromEntries(labInventory(fixture.lab.state).instances.map((i) => [i.id, i.platform] as const));
		({hosts} = await loadLabSshHosts(defaultSnapshotDir(), platforms));
		expect(Object.keys(hosts)).toHaveLength(5);
		// One instance has no SSH host behind it: its login is refused, like a host without our key.
		delete hosts[LEFT_OUT];
		server = await startLabSshServer({hosts});
		const instanceIds = labInventory(fixture.lab.state).instances.map((i) => i.id);
		config = (await writeLabSshFiles(server, instanceIds, join(dir, 'ssh'))).configFile;
	});
	afterAll(async () => {
		await server?.close();
		await fixture?.close();
		await rm(dir, {recursive: true, force: true});
	});
	afterEach(() => {
		vi.unstubAllEnvs();
		// The --via ssm test shortens Run Command's steps; later tests get the lab's own pace back.
		fixture.lab.faults.ssmStepMs = DEFAULT_FAULTS.ssmStepMs;
	});

	const awsOptions = () => {
		vi.stubEnv('AWS_ACCESS_KEY_ID', fixture.lab.credentials.accessKeyId);
		vi.stubEnv('AWS_SECRET_ACCESS_KEY', fixture.lab.credentials.secretAccessKey);
		vi.stubEnv('AWS_PROFILE', undefined);
		return {endpointUrl: fixture.lab.endpoint, region: fixture.lab.region, minutes: '0', debugLog: join(dir, 'debug.log')};
	};

	it('writes hosts/<id>.txt that loads back to the lab snapshot\'s listeners; a failed host is listed and absent', async () => {
		const out = join(dir, 'probed');
		const run = io();
		const code = await snapshot({...awsOptions(), out, probeHosts: true, sshConfig: config}, run.io);
		expect(code).toBe(0);
		expect(run.out.stdout).toMatch(/; listeners of 4 of 5 instance\(s\) \(4 over SSH\)\n$/);
		expect(run.out.stderr).toBe(`sgtui: ${LEFT_OUT}: not probed — ec2-user+${LEFT_OUT}@127.0.0.1:${server.port}: authentication failed as "ec2-user+${LEFT_OUT}" (tried id_ed25519)\n`);

		const written = await loadSnapshot(out);
		const original = await loadSnapshot(defaultSnapshotDir());
		expect(written.warnings).toEqual([]);
		expect(Object.keys(written.hosts).sort()).toEqual(Object.keys(original.hosts).filter((id) => id !== LEFT_OUT).sort());
		for (const [id, host] of Object.entries(written.hosts)) {
			expect(host.format).toBe(original.hosts[id]!.format);
			expect(host.listeners).toEqual(original.hosts[id]!.listeners);
			expect(host.skipped).toEqual(original.hosts[id]!.skipped);
		}
		// Windows: netstat -nao, then the tasklist lines that name its processes.
		const windows = await readFile(join(out, 'hosts', `${WINDOWS}.txt`), 'utf8');
		expect(windows).toMatch(/LISTENING\s+1032\r?\n[\s\S]*"svchost\.exe","1032"/);
		expect(written.hosts[WINDOWS]!.listeners.find((l) => l.port === 3389)?.process).toBe('svchost.exe');
	});

	it('--via ssm: every instance through Run Command, the same listeners as the captures', async () => {
		fixture.lab.faults.ssmStepMs = 20;
		const out = join(dir, 'over-ssm');
		const run = io();
		const code = await snapshot({...awsOptions(), out, probeHosts: true, via: 'ssm'}, run.io);
		expect(run.out.stderr).toBe('');
		expect(code).toBe(0);
		expect(run.out.stdout).toMatch(/; listeners of 5 of 5 instance\(s\) \(5 over Systems Manager\)\n$/);
		const written = await loadSnapshot(out);
		const original = await loadSnapshot(defaultSnapshotDir());
		expect(Object.keys(written.hosts).sort()).toEqual(Object.keys(original.hosts).sort());
		for (const [id, host] of Object.entries(written.hosts)) expect(host.listeners).toEqual(original.hosts[id]!.listeners);
		await expect(snapshot({out: join(dir, 'x'), via: 'ssm'}, io().io)).rejects.toThrow('--via only applies with --probe-hosts');
		await expect(snapshot({out: join(dir, 'x'), probeHosts: true, via: 'rsh'}, io().io)).rejects.toThrow('--via takes auto, ssh, ssm (got "rsh")');
	});

	it('--command-timeout: a host that takes the command and never answers fails alone after that long; the flag is checked like `ports`', async () => {
		const HUNG = Object.keys(hosts).find((id) => id !== WINDOWS)!;
		const stalling = await startLabSshServer({hosts: {...hosts, [HUNG]: {...hosts[HUNG]!, stalls: true}}});
		try {
			const files = await writeLabSshFiles(stalling, Object.keys(hosts), join(dir, 'ssh-stalling'));
			const run = io();
			const code = await snapshot({...awsOptions(), out: join(dir, 'hung'), probeHosts: true, sshConfig: files.configFile, via: 'ssh', commandTimeout: '1s'}, run.io);
			expect(code).toBe(0);
			expect(run.out.stdout).toMatch(/; listeners of 3 of 5 instance\(s\) \(3 over SSH\)\n$/);
			const lines = run.out.stderr.trimEnd().split('\n');
			expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^sgtui: ${HUNG}: not probed — .*: \`sh -s [0-9a-f]{16}\` gave no result within 1s \\(the host took the command and never answered\\)$`)));
			expect(lines).toHaveLength(2);
		} finally {
			await stalling.close();
		}
		const quiet = io().io;
		await expect(snapshot({out: join(dir, 'x'), commandTimeout: '5s'}, quiet)).rejects.toThrow('--command-timeout only applies with --probe-hosts');
		await expect(snapshot({out: join(dir, 'x'), probeHosts: true, commandTimeout: 'soon'}, quiet)).rejects.toThrow(new UsageError('--command-timeout "soon" is not a duration (e.g. 90s, 10m, 2h)'));
		await expect(snapshot({out: join(dir, 'x'), probeHosts: true, commandTimeout: '0s'}, quiet)).rejects.toThrow(new UsageError('--command-timeout 0s: give 1s to 30m'));
		await expect(snapshot({out: join(dir, 'x'), probeHosts: true, commandTimeout: '31m'}, quiet)).rejects.toThrow(UsageError);
	}, 60_000);

	it('--force re-probes into a clean hosts/; SSH flags without --probe-hosts and bad ones are one-line usage errors', async () => {
		const out = join(dir, 'forced');
		await mkdir(join(out, 'hosts'), {recursive: true});
		await writeFile(join(out, 'hosts', `${LEFT_OUT}.txt`), 'stale capture\n');
		await writeFile(join(out, '.sgtui-snapshot'), '');
		expect(await snapshot({...awsOptions(), out, force: true, probeHosts: true, sshConfig: config}, io().io)).toBe(0);
		expect((await readdir(join(out, 'hosts'))).sort()).not.toContain(`${LEFT_OUT}.txt`);

		const quiet = io().io;
		await expect(snapshot({out: join(dir, 'x'), sshConfig: config}, quiet)).rejects.toThrow('-F only applies with --probe-hosts');
		await expect(snapshot({out: join(dir, 'x'), acceptNew: true}, quiet)).rejects.toThrow('--accept-new only applies with --probe-hosts');
		await expect(snapshot({out: join(dir, 'x'), probeHosts: true, sshConfig: '/nonexistent/ssh_config'}, quiet)).rejects.toThrow('ssh config /nonexistent/ssh_config: no such file');
		await expect(snapshot({out: join(dir, 'x'), probeHosts: true, jump: 'a b'}, quiet)).rejects.toThrow(/^--jump: /);
		await expect(snapshot({out: join(dir, 'x'), probeHosts: true, identity: '/nonexistent/key'}, quiet)).rejects.toThrow('--identity /nonexistent/key: no such file');
	});
});

describe('hosts/<id>.txt text', () => {
	it('an empty `ss -H` answer (nothing listens) stays "nothing listens", not unknown; Windows gets its tasklist after netstat', () => {
		expect(parseListeners(hostCaptureText({listing: '', tasklist: null, format: 'ss'}))).toEqual({format: 'ss', listeners: [], skipped: []});
		const windows = hostCaptureText({listing: '  TCP    0.0.0.0:3389   0.0.0.0:0   LISTENING   72\r\n', tasklist: '"TermService.exe","72","Services","0","16,744 K"\r\n', format: 'netstat-windows'});
		expect(windows).toBe('  TCP    0.0.0.0:3389   0.0.0.0:0   LISTENING   72\r\n"TermService.exe","72","Services","0","16,744 K"\r\n');
		expect(parseListeners(windows).listeners).toEqual([expect.objectContaining({port: 3389, pid: 72, process: 'TermService.exe'})]);
	});
});

// The sgtui CLI, built, against moto as a second AWS: an account boto3 made with the shapes real
// accounts have and the lab's demo shop does not (test/fixtures/moto/populate.py). It runs as a user
// runs it — AWS_ENDPOINT_URL, placeholder credentials, a HOME without AWS config — and every
// command must read everything (nothing dropped), fall back to polling where moto lacks Live
// Tail, and fail in one line.
import {readFileSync, readdirSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startMoto, type Moto} from '../support/moto.js';
import {motoCliEnv, populateMoto, runCliAsync, type MotoScenario} from '../support/moto-scenario.js';
import {skipWithout} from '../support/peers.js';

const ids = (file: string, key: string, id: string): string[] => (JSON.parse(readFileSync(file, 'utf8'))[key] as Array<Record<string, string>>).map((item) => item[id]!).sort();

describe.skipIf(skipWithout('moto', 'boto3'))('sgtui CLI against a boto3-made account in moto', {timeout: 90_000}, () => {
	let moto: Moto | undefined;
	let seeded: MotoScenario;
	let env: NodeJS.ProcessEnv;
	let snapshot: string;

	beforeAll(async () => {
		moto = await startMoto({maxAttempts: 1});
		seeded = populateMoto(moto.endpoint);
		env = motoCliEnv(moto.endpoint);
		snapshot = join(mkdtempSync(join(tmpdir(), 'sgtui-moto-snap-')), 'evidence');
	}, 180_000);
	afterAll(() => moto?.stop());

	it('snapshot reads every resource boto3 lists, and the flow records of every stream AWS names after the ENI', async () => {
		const run = await runCliAsync(['snapshot', '--out', snapshot], env);
		expect(run.stderr).not.toMatch(/\n.*\n.*at /);
		expect(run.code).toBe(0);
		const aws = (name: string) => join(snapshot, 'aws', name);
		const instanceIds = (JSON.parse(readFileSync(aws('describe-instances.json'), 'utf8')) as {Reservations: Array<{Instances: Array<{InstanceId: string}>}>}).Reservations.flatMap((r) => r.Instances.map((i) => i.InstanceId)).sort();
		expect(instanceIds).toEqual(seeded.all.instances);
		expect(ids(aws('describe-network-interfaces.json'), 'NetworkInterfaces', 'NetworkInterfaceId')).toEqual(seeded.all.enis);
		expect(ids(aws('describe-security-groups.json'), 'SecurityGroups', 'GroupId')).toEqual(seeded.all.groups);
		expect(ids(aws('describe-network-acls.json'), 'NetworkAcls', 'NetworkAclId')).toEqual(seeded.all.acls);
		expect(ids(aws('describe-route-tables.json'), 'RouteTables', 'RouteTableId')).toEqual(seeded.all.routeTables);
		expect(ids(aws('describe-flow-logs.json'), 'FlowLogs', 'FlowLogId')).toEqual(seeded.all.flowLogs);

		const records = (eni: string) => readFileSync(join(snapshot, 'flowlogs', `${eni}.log`), 'utf8');
		// `<eni>-all`: two REJECTs and an ACCEPT; `-reject` and `-accept` of the db ENI; the bare name.
		expect(records(seeded.enis.bastion)).toMatch(/198\.51\.100\.41 \S+ 51000 22 6 .* REJECT OK/);
		expect(records(seeded.enis.bastion).trim().split('\n')).toHaveLength(3);
		expect(records(seeded.enis.db)).toMatch(/ 53000 5433 6 .* REJECT OK/);
		expect(records(seeded.enis.db)).toMatch(/ 53001 5432 6 .* ACCEPT OK/);
		expect(records(seeded.enis.app1)).toMatch(/ 54000 8443 6 .* REJECT OK/);
		// The web ENI's own flow log (custom format, REJECT only) writes `<eni>-reject`.
		expect(records(seeded.enis.web)).toMatch(/203\.0\.113\.77 10\.60\.1\.10 55000 8443 .* REJECT 2 OK/);
		// The stopped instance's flow log names its group only by ARN.
		expect(records(seeded.enis.stopped)).toMatch(/198\.51\.100\.77 \S+ 56000 8080 6 .* REJECT OK/);
		expect(run.stdout).toMatch(/; 10 flow record\(s\) of the last 30 min from \d+ network interface\(s\)/);
		expect(readdirSync(join(snapshot, 'flowlogs')).sort()).toContain(`${seeded.enis.bastion}.log`);
	});

	it('tail of an instance polls (moto has no Live Tail), says why in one line, and shows the REJECTs of its `-all` stream', async () => {
		const run = await runCliAsync(['tail', seeded.instances.bastion, '--since', '30m', '--max-events', '2', '--for', '30s'], env);
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(new RegExp(`${seeded.enis.bastion} REJECT 198\\.51\\.100\\.41:51000 -> \\S+:22 tcp`));
		expect(run.stdout).toMatch(new RegExp(`${seeded.enis.bastion} REJECT \\S+:22 -> 198\\.51\\.100\\.23:40000 tcp`));
		expect(run.stdout).not.toMatch(/ACCEPT/);
		const status = run.stderr.split('\n').find((line) => /polling/.test(line));
		expect(status).toMatch(/polling \(Live Tail unavailable: this endpoint does not implement StartLiveTail/);
		// In auto mode the fallback is what was asked for: no advice to pick a mode.
		expect(status).not.toMatch(/--mode/);
	});

	it('tail of an ENI with its own custom-format, REJECT-only flow log reads its `-reject` stream', async () => {
		const run = await runCliAsync(['tail', seeded.enis.web, '--since', '30m', '--max-events', '1', '--for', '30s', '--json'], env);
		expect(run.code).toBe(0);
		const record = JSON.parse(run.stdout.trim()) as Record<string, unknown>;
		expect(record).toMatchObject({interfaceId: seeded.enis.web, instanceId: seeded.instances.web, srcAddr: '203.0.113.77', dstPort: 8443, action: 'REJECT', tcpFlags: 2});
	});

	it('tail of a security group covers every ENI carrying it, whatever its stream is named', async () => {
		// More ENIs carry the group than the three asserted (app-1's second ENI has its own records), and
		// the streams arrive in any order: read them all (--for) rather than the first three.
		const run = await runCliAsync(['tail', seeded.groups.app, '--since', '30m', '--max-events', '50', '--for', '10s', '--json'], env);
		expect(run.code).toBe(0);
		const records = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
		// app-1's primary ENI's records are in `<eni>-all`, filler-0's in `<eni>-reject`, the stopped
		// instance's in `<eni>-all` of another log group (its own flow log): two streams at once.
		expect(records.map((r) => `${String(r.interfaceId)}:${String(r.dstPort)}`)).toEqual(expect.arrayContaining([`${seeded.enis.app}:9090`, `${seeded.enis.filler0}:9091`, `${seeded.enis.stopped}:8080`]));
	});

	it('tail reads a flow log that names its log group only by ARN (LogDestination)', async () => {
		const run = await runCliAsync(['tail', seeded.instances.stopped, '--since', '30m', '--max-events', '1', '--for', '30s', '--json'], env);
		expect(run.code).toBe(0);
		expect(run.stderr).toMatch(/\/vpc\/flow\/by-arn: polling/);
		expect(JSON.parse(run.stdout.trim())).toMatchObject({interfaceId: seeded.enis.stopped, srcAddr: '198.51.100.77', dstPort: 8080, action: 'REJECT'});
	});

	it('audit of the snapshot names each instance once, however many of its ENIs carry the group, and a detached ENI as such', async () => {
		const run = await runCliAsync(['audit', '--snapshot', snapshot, '--json'], env);
		expect(run.code).toBe(0);
		const {findings} = JSON.parse(run.stdout) as {findings: Array<{kind: string; groupId: string; message: string}>};
		const missing = (groupId: string) => findings.find((f) => f.kind === 'evidence-missing' && f.groupId === groupId)!.message;
		expect(missing(seeded.groups.app).split(`no listener capture for ${seeded.instances.app}`)).toHaveLength(2);
		expect(missing(seeded.groups.db)).toContain(`${seeded.enis.detached} is attached to no instance`);
		expect(findings.filter((f) => f.kind === 'world-open-admin-port').map((f) => f.groupId)).toEqual([seeded.groups.bastion]);
		expect(findings.filter((f) => f.kind === 'all-traffic').map((f) => f.groupId)).toEqual([seeded.groups.mgmt]);
		expect(findings.filter((f) => f.kind === 'unattached-group').map((f) => f.groupId)).toContain(seeded.groups.unused);
	});

	it('check names moto in every aws call of its fixes, the Elastic IP allocation inside $(…) included', async () => {
		const run = await runCliAsync(['check', seeded.instances.bastion, '--port', '22', '--from', '198.51.100.41', '--snapshot', snapshot], env);
		expect(run.code).toBe(1);
		expect(run.stdout).toMatch(/no public IPv4 or Elastic IP/);
		const calls = run.stdout.match(/(?:^|\$\(|\s)aws\s+\S+/gm) ?? [];
		expect(calls.length).toBeGreaterThanOrEqual(4);
		for (const call of calls) expect(call).toMatch(/aws\s+--endpoint-url$/);
		// The records of the bastion's `-all` stream are the evidence check reads from the snapshot.
		expect(run.stdout).toMatch(new RegExp(`Records for ${seeded.enis.bastion} \\(flowlogs/${seeded.enis.bastion}\\.log: 3 tcp record\\(s\\)\\)`));
	});

	describe('errors are one line on stderr, naming what to check', () => {
		const oneLine = (run: {code: number | null; stdout: string; stderr: string}) => {
			expect(run.code).not.toBe(0);
			expect(run.stdout).toBe('');
			expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
			expect(run.stderr).not.toMatch(/Warning|\bat .*\(|Deserialization/);
			return run.stderr.trim();
		};

		it('an endpoint where nothing listens (eight reads at once, each retried): no Node warning beside the line', async () => {
			const closed = {...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:1'};
			const out = join(mkdtempSync(join(tmpdir(), 'sgtui-moto-snap-')), 'evidence');
			expect(oneLine(await runCliAsync(['snapshot', '--out', out], closed))).toMatch(/^sgtui: cannot reach the AWS endpoint for ec2 .*ECONNREFUSED.*; check --endpoint-url \/ AWS_ENDPOINT_URL/);
			expect(oneLine(await runCliAsync(['tail', seeded.instances.web, '--for', '5s'], closed))).toMatch(/^sgtui: cannot reach the AWS endpoint for ec2/);
		});

		it('an endpoint that answers with a web page (a wrong path on moto) is named as not speaking AWS, not as an XML or JSON parser error', async () => {
			const wrong = {...env, AWS_ENDPOINT_URL: `${moto!.endpoint}/not-aws`};
			const out = join(mkdtempSync(join(tmpdir(), 'sgtui-moto-snap-')), 'evidence');
			expect(oneLine(await runCliAsync(['snapshot', '--out', out], wrong))).toMatch(/^sgtui: ec2:Describe\w+: the endpoint did not answer as AWS does \(HTTP 404, not an AWS response\); check --endpoint-url \/ AWS_ENDPOINT_URL$/);
			expect(oneLine(await runCliAsync(['tail', seeded.enis.web, '--for', '5s'], wrong))).toMatch(/^sgtui: ec2:DescribeNetworkInterfaces: the endpoint did not answer as AWS does \(HTTP 404/);
		});
	});
});

// Independent clients prove the lab speaks AWS's wire formats: the Debian AWS CLI (botocore's own
// parsers, a different code base from the JS SDK) and boto3. Each skips, visibly, when missing.
import {execFile, spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {assertLoopbackUrl} from '../support/loopback-peers.js';
import {AWS_CLI, skipWithout} from '../support/peers.js';
import {FIXTURE, IDS} from './lab-helpers.js';

const run = promisify(execFile);

let lab: Lab;
beforeAll(async () => {
	lab = await startLab({snapshotDir: FIXTURE, simulate: false});
});
afterAll(async () => {
	await lab.close();
});

function env(): NodeJS.ProcessEnv {
	return {
		PATH: process.env.PATH,
		HOME: '/nonexistent',
		AWS_CONFIG_FILE: '/nonexistent',
		AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
		AWS_ACCESS_KEY_ID: lab.credentials.accessKeyId,
		AWS_SECRET_ACCESS_KEY: lab.credentials.secretAccessKey,
		AWS_DEFAULT_REGION: lab.region,
		AWS_REGION: lab.region,
		AWS_ENDPOINT_URL: lab.endpoint,
		AWS_PAGER: '',
	};
}

async function aws(...args: string[]): Promise<any> {
	assertLoopbackUrl(lab.endpoint, 'AWS CLI endpoint');
	const {stdout} = await run(AWS_CLI, [...args, '--endpoint-url', lab.endpoint, '--output', 'json'], {env: env()});
	return stdout.trim() === '' ? null : JSON.parse(stdout);
}

function snapshotFile(name: string): any {
	return JSON.parse(readFileSync(path.join(FIXTURE, 'aws', name), 'utf8'));
}

// Every `aws` run starts a Python interpreter: seconds each on a loaded machine, so a roomy timeout.
describe.skipIf(skipWithout('awscli'))('Debian AWS CLI against the lab', {timeout: 180_000}, () => {
	it('reads back every describe document exactly as the snapshot holds it', async () => {
		for (const [command, file] of [
			['describe-security-groups', 'describe-security-groups.json'],
			['describe-instances', 'describe-instances.json'],
			['describe-network-interfaces', 'describe-network-interfaces.json'],
			['describe-network-acls', 'describe-network-acls.json'],
			['describe-flow-logs', 'describe-flow-logs.json'],
			['describe-managed-prefix-lists', 'describe-managed-prefix-lists.json'],
			['describe-route-tables', 'describe-route-tables.json'],
			['describe-internet-gateways', 'describe-internet-gateways.json'],
		] as const) {
			expect(await aws('ec2', command), command).toEqual(snapshotFile(file));
		}
	});

	it('filters, and reports AWS errors by code with a non-zero exit', async () => {
		const out = await aws('ec2', 'describe-network-interfaces', '--filters', `Name=attachment.instance-id,Values=${IDS.instanceWeb}`);
		expect(out.NetworkInterfaces.map((eni: any) => eni.NetworkInterfaceId)).toEqual([IDS.eniWeb]);
		const failed = await aws('ec2', 'describe-security-groups', '--group-ids', 'sg-0dead00000000000e').then(
			() => null,
			(error: {code: number; stderr: string}) => error,
		);
		expect(failed?.code).not.toBe(0);
		expect(failed?.stderr).toContain('InvalidGroup.NotFound');
	});

	it('route tables and internet gateways: filters, CLI pagination, and EC2\'s errors', async () => {
		const main = await aws('ec2', 'describe-route-tables', '--filters', 'Name=association.main,Values=true', `Name=vpc-id,Values=${IDS.vpc}`);
		expect(main.RouteTables.map((table: any) => table.RouteTableId)).toEqual(['rtb-0a0000000000000a1']);
		// --page-size 5 makes the CLI follow NextToken over two pages of the six tables.
		const paged = await aws('ec2', 'describe-route-tables', '--page-size', '5');
		expect(paged.RouteTables).toEqual(snapshotFile('describe-route-tables.json').RouteTables);
		const attached = await aws('ec2', 'describe-internet-gateways', '--filters', `Name=attachment.vpc-id,Values=${IDS.vpc}`);
		expect(attached.InternetGateways.map((gateway: any) => gateway.InternetGatewayId)).toEqual(['igw-0a00000000000000c']);
		const failed = await aws('ec2', 'describe-route-tables', '--route-table-ids', 'rtb-0ffffffffffffffff').then(
			() => null,
			(error: {code: number; stderr: string}) => error,
		);
		expect(failed?.code).not.toBe(0);
		expect(failed?.stderr).toContain('InvalidRouteTableID.NotFound');
	});

	it('authorizes rules (shorthand and --ip-permissions) that the lab then holds', async () => {
		await aws('ec2', 'authorize-security-group-ingress', '--group-id', IDS.sgWeb, '--protocol', 'tcp', '--port', '8443', '--cidr', '198.51.100.0/24');
		await aws('ec2', 'authorize-security-group-ingress', '--group-id', IDS.sgDb, '--ip-permissions', `IpProtocol=tcp,FromPort=5432,ToPort=5432,UserIdGroupPairs=[{GroupId=${IDS.sgBastion},Description=psql}]`);
		expect(lab.state.rules).toContainEqual(expect.objectContaining({GroupId: IDS.sgWeb, IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, CidrIpv4: '198.51.100.0/24', IsEgress: false}));
		expect(lab.state.rules).toContainEqual(expect.objectContaining({GroupId: IDS.sgDb, FromPort: 5432, ReferencedGroupInfo: expect.objectContaining({GroupId: IDS.sgBastion}), Description: 'psql'}));
		const rules = await aws('ec2', 'describe-security-group-rules', '--filters', `Name=group-id,Values=${IDS.sgWeb}`);
		expect(rules.SecurityGroupRules.find((rule: any) => rule.FromPort === 8443).SecurityGroupRuleId).toMatch(/^sgr-/);
		await aws('ec2', 'revoke-security-group-ingress', '--group-id', IDS.sgWeb, '--protocol', 'tcp', '--port', '8443', '--cidr', '198.51.100.0/24');
		expect(lab.state.rules.some((rule) => rule.GroupId === IDS.sgWeb && rule.FromPort === 8443)).toBe(false);
	});

	it('filters log events with the flow-log patterns, following nextToken', async () => {
		const out = await aws('logs', 'filter-log-events', '--log-group-name', IDS.flowGroup, '--filter-pattern', 'REJECT', '--page-size', '5');
		expect(out.events).toHaveLength(12);
		const ssh = await aws('logs', 'filter-log-events', '--log-group-name', IDS.flowGroup, '--filter-pattern', '[v, a, eni, src, dst, sport, dport=22, proto, packets, bytes, start, end, action="REJECT", status]');
		expect(ssh.events.map((event: any) => event.message.split(' ')[3])).toEqual(Array(6).fill('203.0.113.7'));
	});
});

const BOTO_SCRIPT = String.raw`
import json, sys, boto3
from botocore.config import Config
endpoint, region, key, secret, group_arn, eni = sys.argv[1:7]
kw = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id=key, aws_secret_access_key=secret)
ec2 = boto3.client('ec2', **kw)
logs = boto3.client('logs', config=Config(inject_host_prefix=False), **kw)
out = {}
out['groups'] = [g['GroupName'] for p in ec2.get_paginator('describe_security_groups').paginate(PaginationConfig={'PageSize': 5}) for g in p['SecurityGroups']]
out['instances'] = [i['InstanceId'] for r in ec2.describe_instances(Filters=[{'Name': 'network-interface.network-interface-id', 'Values': [eni]}])['Reservations'] for i in r['Instances']]
out['acl_egress'] = [e['RuleNumber'] for a in ec2.describe_network_acls()['NetworkAcls'] for e in a['Entries'] if e['Egress']]
out['rejects'] = sum(len(p['events']) for p in logs.get_paginator('filter_log_events').paginate(logGroupName=group_arn.split(':log-group:')[1], filterPattern='REJECT', PaginationConfig={'PageSize': 4}))
try:
    ec2.describe_security_groups(GroupIds=['sg-0dead00000000000e'])
except ec2.exceptions.ClientError as e:
    out['error'] = e.response['Error']['Code']
print(json.dumps(out), flush=True)
stream = logs.start_live_tail(logGroupIdentifiers=[group_arn], logStreamNames=[eni], logEventFilterPattern='REJECT')['responseStream']
for event in stream:
    if 'sessionStart' in event:
        print(json.dumps({'sessionStart': event['sessionStart']['logStreamNames']}), flush=True)
    elif 'sessionUpdate' in event and event['sessionUpdate']['sessionResults']:
        print(json.dumps({'results': [r['message'] for r in event['sessionUpdate']['sessionResults']]}), flush=True)
        break
`;

describe.skipIf(skipWithout('boto3'))('boto3 against the lab', () => {
	it('describes, filters log events and live-tails (host prefix injection off)', async () => {
		assertLoopbackUrl(lab.endpoint, 'boto3 endpoint');
		const child = spawn('python3', ['-c', BOTO_SCRIPT, lab.endpoint, lab.region, lab.credentials.accessKeyId, lab.credentials.secretAccessKey, `arn:aws:logs:${lab.region}:${lab.accountId}:log-group:${IDS.flowGroup}`, IDS.eniWeb], {env: env()});
		const lines: any[] = [];
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr += chunk));
		let buffered = '';
		const line = `2 111122223333 ${IDS.eniWeb} 203.0.113.50 10.0.1.10 40000 22 6 1 60 1767225600 1767225660 REJECT OK`;
		child.stdout.on('data', (chunk) => {
			buffered += chunk;
			let newline: number;
			while ((newline = buffered.indexOf('\n')) >= 0) {
				const parsed = JSON.parse(buffered.slice(0, newline));
				buffered = buffered.slice(newline + 1);
				lines.push(parsed);
				if (parsed.sessionStart) lab.appendFlowRecords(IDS.eniWeb, [line]);
			}
		});
		const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
		expect(stderr).toBe('');
		expect(code).toBe(0);
		expect(lines[0]).toEqual({
			groups: ['web', 'db', 'bastion', 'windows', 'unused', 'default'],
			instances: [IDS.instanceWeb],
			acl_egress: [100, 32767, 100, 32767],
			rejects: 12,
			error: 'InvalidGroup.NotFound',
		});
		expect(lines[1]).toEqual({sessionStart: [IDS.eniWeb]});
		expect(lines[2]).toEqual({results: [line]});
	}, 30_000);
});

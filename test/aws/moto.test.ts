// The same AWS-layer code against moto's server, an independent implementation of the EC2 and
// CloudWatch Logs wire protocols, seeded through the SDK. moto has no StartLiveTail, so the
// reject stream must fall back to polling there on its own.
import {CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {
	AuthorizeSecurityGroupIngressCommand,
	CreateFlowLogsCommand,
	CreateManagedPrefixListCommand,
	CreateNetworkAclCommand,
	CreateNetworkAclEntryCommand,
	CreateSecurityGroupCommand,
	CreateSubnetCommand,
	CreateVpcCommand,
	ReplaceNetworkAclAssociationCommand,
	DescribeNetworkAclsCommand,
	RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {tail} from '../../source/cli/commands/tail.js';
import type {AwsClients} from '../../source/aws/clients.js';
import {fetchInventory} from '../../source/aws/inventory.js';
import {startRejectStream, type RejectEvent, type RejectStreamStatus} from '../../source/aws/reject-stream.js';
import {createDebugLogger} from '../../source/aws/sdk-logger.js';
import {DEFAULT_FLOW_FORMAT} from '../../source/core/flow-format.js';
import {startMoto, until, type Moto} from '../support/moto.js';
import {skipWithout} from '../support/peers.js';
import {flowLine} from './flow-lines.js';


describe.skipIf(skipWithout('moto'))('AWS layer against moto', () => {
	let moto: Moto | undefined;
	let clients: AwsClients;
	let motoEndpoint = '';
	const seeded = {instances: [] as string[], groups: {} as Record<string, string>, subnets: [] as string[], vpc: '', acl: '', eni: '', prefixList: ''};

	beforeAll(async () => {
		moto = await startMoto({maxAttempts: 2});
		motoEndpoint = moto.endpoint;
		clients = moto.clients;
		const {ec2, logs} = clients;

		const vpc = (await ec2.send(new CreateVpcCommand({CidrBlock: '10.50.0.0/16'}))).Vpc!.VpcId!;
		seeded.vpc = vpc;
		for (const cidr of ['10.50.1.0/24', '10.50.2.0/24']) seeded.subnets.push((await ec2.send(new CreateSubnetCommand({VpcId: vpc, CidrBlock: cidr}))).Subnet!.SubnetId!);
		seeded.prefixList = (await ec2.send(new CreateManagedPrefixListCommand({PrefixListName: 'office', AddressFamily: 'IPv4', MaxEntries: 5, Entries: [{Cidr: '203.0.113.0/24', Description: 'office'}]}))).PrefixList!.PrefixListId!;
		for (const name of ['web', 'app', 'db']) {
			seeded.groups[name] = (await ec2.send(new CreateSecurityGroupCommand({GroupName: name, Description: `${name} tier`, VpcId: vpc}))).GroupId!;
		}
		await ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: seeded.groups.web, IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: '0.0.0.0/0'}]}, {IpProtocol: 'tcp', FromPort: 22, ToPort: 22, PrefixListIds: [{PrefixListId: seeded.prefixList}]}]}));
		await ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: seeded.groups.app, IpPermissions: [{IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{GroupId: seeded.groups.web}]}]}));
		await ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: seeded.groups.db, IpPermissions: [{IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{GroupId: seeded.groups.app}]}]}));
		// Seven instances: more than one page of 5.
		for (const [index, group] of ['web', 'web', 'web', 'app', 'app', 'db', 'db'].entries()) {
			const run = await ec2.send(new RunInstancesCommand({ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', SubnetId: seeded.subnets[index % 2], SecurityGroupIds: [seeded.groups[group]!]}));
			seeded.instances.push(run.Instances![0]!.InstanceId!);
			if (index === 0) seeded.eni = run.Instances![0]!.NetworkInterfaces![0]!.NetworkInterfaceId!;
		}
		seeded.acl = (await ec2.send(new CreateNetworkAclCommand({VpcId: vpc}))).NetworkAcl!.NetworkAclId!;
		await ec2.send(new CreateNetworkAclEntryCommand({NetworkAclId: seeded.acl, RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: {From: 443, To: 443}}));
		await ec2.send(new CreateNetworkAclEntryCommand({NetworkAclId: seeded.acl, RuleNumber: 110, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '198.51.100.0/24'}));
		const defaultAcl = (await ec2.send(new DescribeNetworkAclsCommand({Filters: [{Name: 'association.subnet-id', Values: [seeded.subnets[0]!]}]}))).NetworkAcls![0]!;
		const association = defaultAcl.Associations!.find((a) => a.SubnetId === seeded.subnets[0])!.NetworkAclAssociationId!;
		await ec2.send(new ReplaceNetworkAclAssociationCommand({AssociationId: association, NetworkAclId: seeded.acl}));

		await logs.send(new CreateLogGroupCommand({logGroupName: '/flow/moto'}));
		await ec2.send(new CreateFlowLogsCommand({ResourceType: 'VPC', ResourceIds: [vpc], TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs', LogGroupName: '/flow/moto', DeliverLogsPermissionArn: 'arn:aws:iam::123456789012:role/flow', MaxAggregationInterval: 60}));
		await logs.send(new CreateLogStreamCommand({logGroupName: '/flow/moto', logStreamName: seeded.eni}));
	}, 60_000);

	afterAll(async () => {
		moto?.stop();
	});

	it('reads the whole inventory through small pages', async () => {
		const steps: string[] = [];
		const {inventory} = await fetchInventory(clients.ec2, {pageSize: 5, onProgress: (p) => steps.push(p.what)});
		expect(inventory.instances.map((i) => i.id).sort()).toEqual([...seeded.instances].sort());
		expect(inventory.securityGroups.map((g) => g.id)).toEqual(expect.arrayContaining(Object.values(seeded.groups)));
		const app = inventory.securityGroups.find((g) => g.id === seeded.groups.app)!;
		expect(app.ingress).toEqual([expect.objectContaining({protocol: 'tcp', fromPort: 8080, toPort: 8080, peer: expect.objectContaining({kind: 'group', groupId: seeded.groups.web})})]);
		const acl = inventory.networkAcls.find((a) => a.id === seeded.acl)!;
		expect(acl.subnetIds).toEqual([seeded.subnets[0]]);
		expect(acl.entries).toEqual(expect.arrayContaining([expect.objectContaining({ruleNumber: 100, protocol: '6', action: 'allow', egress: false, portRange: {from: 443, to: 443}}), expect.objectContaining({ruleNumber: 110, action: 'deny', egress: true, cidr: '198.51.100.0/24'})]));
		expect(inventory.flowLogs).toEqual([expect.objectContaining({resourceId: seeded.vpc, logGroupName: '/flow/moto', trafficType: 'ALL', destinationType: 'cloud-watch-logs'})]);
		expect(inventory.prefixLists.find((p) => p.id === seeded.prefixList)?.cidrs).toEqual(['203.0.113.0/24']);
		expect(steps).toContain('prefix lists');
	});

	it('scopes to one instance with server-side filters, keeping what its rules reference', async () => {
		const web = seeded.instances[0]!;
		const {inventory, missingInstanceIds} = await fetchInventory(clients.ec2, {instanceIds: [web, 'i-00000000000000000'], pageSize: 5});
		expect(inventory.instances.map((i) => i.id)).toEqual([web]);
		expect(missingInstanceIds).toEqual(['i-00000000000000000']);
		expect(inventory.securityGroups.map((g) => g.id)).toEqual([seeded.groups.web]);
		expect(inventory.networkAcls.map((a) => a.id)).toEqual([seeded.acl]);
		expect(inventory.flowLogs.map((f) => f.resourceId)).toEqual([seeded.vpc]);
		expect(inventory.prefixLists.map((p) => p.id)).toEqual([seeded.prefixList]);
	});

	it('falls back to polling on its own (moto has no StartLiveTail) and streams the REJECTs once', async () => {
		const events: RejectEvent[] = [];
		const statuses: RejectStreamStatus[] = [];
		const stream = startRejectStream({logs: clients.logs, logGroupName: '/flow/moto', eniIds: [seeded.eni], format: DEFAULT_FLOW_FORMAT, pollIntervalMs: 200, backoff: {baseMs: 20, maxMs: 50}, logger: createDebugLogger(null), onEvent: (e) => events.push(e), onStatus: (s) => statuses.push(s)});
		try {
			const now = Math.floor(Date.now() / 1000);
			const lines = [0, 1, 2].map((n) => flowLine(DEFAULT_FLOW_FORMAT, {eni: seeded.eni, src: '198.51.100.9', dst: '10.50.1.10', srcPort: 50000 + n, dstPort: 22, action: n === 1 ? 'ACCEPT' : 'REJECT', start: now}));
			await clients.logs.send(new PutLogEventsCommand({logGroupName: '/flow/moto', logStreamName: seeded.eni, logEvents: lines.map((message, n) => ({timestamp: Date.now() + n, message}))}));
			await until(() => events.length >= 2, 15_000, 'the first two REJECTs');
			// Sentinel: a REJECT put after the first two arrived. Every poll re-reads the late-delivery
			// window, so the poll that brings it re-read the first batch too: a duplicate would show
			// before or with it (no fixed wait for "nothing more came").
			const sentinel = flowLine(DEFAULT_FLOW_FORMAT, {eni: seeded.eni, src: '198.51.100.9', dst: '10.50.1.10', srcPort: 50003, dstPort: 22, action: 'REJECT', start: now});
			await clients.logs.send(new PutLogEventsCommand({logGroupName: '/flow/moto', logStreamName: seeded.eni, logEvents: [{timestamp: Date.now() + 10, message: sentinel}]}));
			await until(() => events.some((e) => e.record.srcPort === 50003), 15_000, 'the sentinel REJECT');
			expect(statuses.some((s) => s.mode === 'polling')).toBe(true);
			expect(stream.status.fallbackReason).toMatch(/does not implement StartLiveTail|UnknownOperation|404/);
			expect(events.map((e) => e.record.srcPort)).toEqual([50000, 50002, 50003]);
		} finally {
			await stream.stop();
		}
	});

	describe('honest modes (sgtui tail against an endpoint without Live Tail or Insights aggregation)', () => {
		const sink = () => {
			const chunks: string[] = [];
			return {chunks, stream: {write: (text: string) => chunks.push(text), isTTY: false}};
		};
		afterEach(() => vi.unstubAllEnvs());
		const cli = () => {
			vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
			vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
			vi.stubEnv('AWS_PROFILE', undefined);
			return {endpointUrl: motoEndpoint, region: 'us-east-1', debugLog: '/dev/null'};
		};

		it('--mode live-tail fails with one line naming the missing operation, not a JSON parser error', async () => {
			const out = sink();
			const err = sink();
			const failure = await tail({...cli(), mode: 'live-tail', since: '1m'}, [seeded.eni], {stdout: out.stream, stderr: err.stream}).then(
				() => null,
				(error: Error) => error,
			);
			expect(failure).toBeInstanceOf(Error);
			expect(failure!.message).toMatch(/^this endpoint does not implement StartLiveTail/);
			expect(failure!.message).not.toMatch(/Unexpected token|JSON/);
			expect(failure!.message.split('\n')).toHaveLength(1);
		});

		it('--history says when the endpoint ignored the Logs Insights query instead of printing rows of dashes', async () => {
			const now = Math.floor(Date.now() / 1000);
			await clients.logs.send(new PutLogEventsCommand({logGroupName: '/flow/moto', logStreamName: seeded.eni, logEvents: [{timestamp: Date.now(), message: flowLine(DEFAULT_FLOW_FORMAT, {eni: seeded.eni, src: '198.51.100.10', dst: '10.50.1.10', srcPort: 50100, dstPort: 22, action: 'REJECT', start: now})}]}));
			const out = sink();
			const failure = await tail({...cli(), history: '30m'}, [seeded.eni], {stdout: out.stream, stderr: sink().stream}).then(
				() => null,
				(error: Error) => error,
			);
			// moto answers StartQuery but returns the raw events, without the stats columns.
			expect(out.chunks.join('')).toBe('');
			expect(failure?.message).toMatch(/^the endpoint ignored the Logs Insights query: its results have no stats columns \(count\), only @ptr, @timestamp, @message/);
		});
	});
});

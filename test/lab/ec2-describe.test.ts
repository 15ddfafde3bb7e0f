import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {
	DescribeFlowLogsCommand,
	DescribeInstancesCommand,
	DescribeManagedPrefixListsCommand,
	DescribeNetworkAclsCommand,
	DescribeNetworkInterfacesCommand,
	DescribeSecurityGroupRulesCommand,
	DescribeSecurityGroupsCommand,
	GetManagedPrefixListEntriesCommand,
	paginateDescribeInstances,
	paginateDescribeSecurityGroupRules,
	paginateDescribeSecurityGroups,
} from '@aws-sdk/client-ec2';
import type {Lab} from '../../source/lab/lab.js';
import {IDS, closeLabs, ec2Client, expectAwsError, startFixtureLabs} from './lab-helpers.js';

let lab: Lab;
let smallPages: Lab;

beforeAll(async () => {
	({lab, smallPages} = await startFixtureLabs());
});
afterAll(() => closeLabs(lab, smallPages));

describe('DescribeSecurityGroups', () => {
	it('returns every group with permissions, descriptions, tags and the request id header', async () => {
		const out = await ec2Client(lab).send(new DescribeSecurityGroupsCommand({}));
		expect(out.SecurityGroups!.map((group) => group.GroupName)).toEqual(['web', 'db', 'bastion', 'windows', 'unused', 'default']);
		expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
		const web = out.SecurityGroups![0]!;
		expect(web).toMatchObject({GroupId: IDS.sgWeb, Description: 'web tier', VpcId: IDS.vpc, OwnerId: '111122223333', Tags: [{Key: 'Name', Value: 'web'}]});
		expect(web.IpPermissions).toEqual([
			{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: '0.0.0.0/0', Description: 'https from anywhere'}], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: []},
			{IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [{GroupId: IDS.sgBastion, UserId: '111122223333'}]},
		]);
		expect(web.IpPermissionsEgress).toEqual([{IpProtocol: '-1', IpRanges: [{CidrIp: '0.0.0.0/0'}], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: []}]);
		const windows = out.SecurityGroups!.find((group) => group.GroupId === IDS.sgWindows)!;
		expect(windows.IpPermissions![0]!.Ipv6Ranges).toEqual([{CidrIpv6: '::/0'}]);
		const bastion = out.SecurityGroups!.find((group) => group.GroupId === IDS.sgBastion)!;
		expect(bastion.IpPermissions![0]!.PrefixListIds).toEqual([{PrefixListId: IDS.prefixList}]);
	});

	it('selects by id and by filters (wildcards, tags, ORed values)', async () => {
		const client = ec2Client(lab);
		const byId = await client.send(new DescribeSecurityGroupsCommand({GroupIds: [IDS.sgDb, IDS.sgWeb]}));
		expect(byId.SecurityGroups!.map((group) => group.GroupId).sort()).toEqual([IDS.sgDb, IDS.sgWeb].sort());
		const wild = await client.send(new DescribeSecurityGroupsCommand({Filters: [{Name: 'group-name', Values: ['w*']}]}));
		expect(wild.SecurityGroups!.map((group) => group.GroupName)).toEqual(['web', 'windows']);
		const tagged = await client.send(new DescribeSecurityGroupsCommand({Filters: [{Name: 'tag:Name', Values: ['db', 'bastion']}, {Name: 'vpc-id', Values: [IDS.vpc]}]}));
		expect(tagged.SecurityGroups!.map((group) => group.GroupName)).toEqual(['db', 'bastion']);
		const none = await client.send(new DescribeSecurityGroupsCommand({Filters: [{Name: 'vpc-id', Values: ['vpc-other']}]}));
		expect(none.SecurityGroups).toEqual([]);
	});

	it('answers InvalidGroup.NotFound for an unknown id and InvalidParameterValue for an unknown filter', async () => {
		const client = ec2Client(lab);
		const error = await expectAwsError(client.send(new DescribeSecurityGroupsCommand({GroupIds: ['sg-0dead00000000000f']})), 'InvalidGroup.NotFound');
		expect(error.message).toContain("sg-0dead00000000000f");
		expect(error.$metadata!.httpStatusCode).toBe(400);
		await expectAwsError(client.send(new DescribeSecurityGroupsCommand({Filters: [{Name: 'no-such-filter', Values: ['x']}]})), 'InvalidParameterValue');
	});

	it('paginates with MaxResults and NextToken, and rejects MaxResults outside 5–1000', async () => {
		const client = ec2Client(lab);
		const first = await client.send(new DescribeSecurityGroupsCommand({MaxResults: 5}));
		expect(first.SecurityGroups).toHaveLength(5);
		expect(first.NextToken).toBeTruthy();
		const second = await client.send(new DescribeSecurityGroupsCommand({MaxResults: 5, NextToken: first.NextToken}));
		expect(second.SecurityGroups!.map((group) => group.GroupName)).toEqual(['default']);
		expect(second.NextToken).toBeUndefined();
		await expectAwsError(client.send(new DescribeSecurityGroupsCommand({MaxResults: 2})), 'InvalidParameterValue');
		await expectAwsError(client.send(new DescribeSecurityGroupsCommand({NextToken: 'garbage'})), 'InvalidParameterValue');
	});

	it('caps pages at the lab maximum, and the SDK paginator collects them all', async () => {
		const client = ec2Client(smallPages);
		const names: string[] = [];
		let pages = 0;
		for await (const page of paginateDescribeSecurityGroups({client}, {})) {
			pages++;
			expect(page.SecurityGroups!.length).toBeLessThanOrEqual(2);
			names.push(...page.SecurityGroups!.map((group) => group.GroupName!));
		}
		expect(pages).toBe(3);
		expect(names).toEqual(['web', 'db', 'bastion', 'windows', 'unused', 'default']);
	});
});

describe('DescribeInstances', () => {
	it('maps reservations, state, public IP, groups and network interfaces', async () => {
		const out = await ec2Client(lab).send(new DescribeInstancesCommand({InstanceIds: [IDS.instanceWeb]}));
		expect(out.Reservations).toHaveLength(1);
		const instance = out.Reservations![0]!.Instances![0]!;
		expect(instance).toMatchObject({
			InstanceId: IDS.instanceWeb,
			State: {Code: 16, Name: 'running'},
			PublicIpAddress: '54.170.0.10',
			PrivateIpAddress: '10.0.1.10',
			SubnetId: IDS.subnetWeb,
			SecurityGroups: [{GroupId: IDS.sgWeb, GroupName: 'web'}],
			Tags: [{Key: 'Name', Value: 'web-1'}],
		});
		expect(instance.LaunchTime).toEqual(new Date('2026-01-10T09:00:00Z'));
		expect(instance.NetworkInterfaces![0]).toMatchObject({NetworkInterfaceId: IDS.eniWeb, Association: {PublicIp: '54.170.0.10'}, Groups: [{GroupId: IDS.sgWeb}]});
		expect(out.Reservations![0]!.Instances).toHaveLength(1);
	});

	it('filters by ENI and platform, and names a missing instance', async () => {
		const client = ec2Client(lab);
		const byEni = await client.send(new DescribeInstancesCommand({Filters: [{Name: 'network-interface.network-interface-id', Values: [IDS.eniDb]}]}));
		expect(byEni.Reservations!.flatMap((reservation) => reservation.Instances!.map((instance) => instance.InstanceId))).toEqual([IDS.instanceDb]);
		const windows = await client.send(new DescribeInstancesCommand({Filters: [{Name: 'platform', Values: ['windows']}]}));
		expect(windows.Reservations!.flatMap((reservation) => reservation.Instances!.map((instance) => instance.Platform))).toEqual(['windows']);
		await expectAwsError(client.send(new DescribeInstancesCommand({InstanceIds: ['i-0dead00000000000f']})), 'InvalidInstanceID.NotFound');
	});

	it('paginates reservations', async () => {
		const client = ec2Client(smallPages);
		const ids: string[] = [];
		for await (const page of paginateDescribeInstances({client}, {})) ids.push(...page.Reservations!.flatMap((reservation) => reservation.Instances!.map((instance) => instance.InstanceId!)));
		expect(ids).toEqual([IDS.instanceWeb, IDS.instanceDb, 'i-0ba50000000000003', 'i-0f1d0000000000004']);
	});
});

describe('DescribeNetworkInterfaces', () => {
	it('filters by attachment.instance-id, group-id, subnet-id and vpc-id', async () => {
		const client = ec2Client(lab);
		const byInstance = await client.send(new DescribeNetworkInterfacesCommand({Filters: [{Name: 'attachment.instance-id', Values: [IDS.instanceWeb]}]}));
		expect(byInstance.NetworkInterfaces).toHaveLength(1);
		expect(byInstance.NetworkInterfaces![0]).toMatchObject({
			NetworkInterfaceId: IDS.eniWeb,
			Attachment: {InstanceId: IDS.instanceWeb, DeviceIndex: 0},
			Association: {PublicIp: '54.170.0.10'},
			Groups: [{GroupId: IDS.sgWeb, GroupName: 'web'}],
			PrivateIpAddresses: [{PrivateIpAddress: '10.0.1.10', Primary: true}],
			TagSet: [],
		});
		const byGroup = await client.send(new DescribeNetworkInterfacesCommand({Filters: [{Name: 'group-id', Values: [IDS.sgDb, IDS.sgWindows]}]}));
		expect(byGroup.NetworkInterfaces!.map((eni) => eni.NetworkInterfaceId)).toEqual([IDS.eniDb, IDS.eniWindows]);
		const bySubnet = await client.send(new DescribeNetworkInterfacesCommand({Filters: [{Name: 'subnet-id', Values: [IDS.subnetWeb]}, {Name: 'vpc-id', Values: [IDS.vpc]}]}));
		expect(bySubnet.NetworkInterfaces).toHaveLength(3);
		await expectAwsError(client.send(new DescribeNetworkInterfacesCommand({NetworkInterfaceIds: ['eni-0dead00000000000f']})), 'InvalidNetworkInterfaceID.NotFound');
	});
});

describe('DescribeSecurityGroupRules', () => {
	it('lists one rule per peer with sgr- ids, referenced groups and ports', async () => {
		const out = await ec2Client(lab).send(new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [IDS.sgWeb]}]}));
		const rules = out.SecurityGroupRules!;
		expect(rules).toHaveLength(3);
		for (const rule of rules) expect(rule.SecurityGroupRuleId).toMatch(/^sgr-[0-9a-f]{17}$/);
		expect(rules.find((rule) => rule.CidrIpv4 === '0.0.0.0/0' && !rule.IsEgress)).toMatchObject({IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'https from anywhere'});
		expect(rules.find((rule) => rule.ReferencedGroupInfo)).toMatchObject({FromPort: 22, ReferencedGroupInfo: {GroupId: IDS.sgBastion}});
		expect(rules.find((rule) => rule.IsEgress)).toMatchObject({IpProtocol: '-1', FromPort: -1, ToPort: -1});
		const one = await ec2Client(lab).send(new DescribeSecurityGroupRulesCommand({SecurityGroupRuleIds: [rules[0]!.SecurityGroupRuleId!]}));
		expect(one.SecurityGroupRules).toEqual([rules[0]]);
	});

	it('paginates', async () => {
		const client = ec2Client(smallPages);
		const ids = new Set<string>();
		let pages = 0;
		for await (const page of paginateDescribeSecurityGroupRules({client}, {})) {
			pages++;
			for (const rule of page.SecurityGroupRules!) ids.add(rule.SecurityGroupRuleId!);
		}
		expect(ids.size).toBe(smallPages.state.rules.length);
		expect(pages).toBe(Math.ceil(smallPages.state.rules.length / 2));
	});
});

describe('DescribeNetworkAcls, DescribeFlowLogs, prefix lists', () => {
	it('returns ACL entries, associations and the default flag, filtered by subnet', async () => {
		const out = await ec2Client(lab).send(new DescribeNetworkAclsCommand({Filters: [{Name: 'association.subnet-id', Values: [IDS.subnetDb]}]}));
		expect(out.NetworkAcls).toHaveLength(1);
		const acl = out.NetworkAcls![0]!;
		expect(acl).toMatchObject({NetworkAclId: 'acl-0db00000000000002', IsDefault: false, Associations: [{SubnetId: IDS.subnetDb}]});
		expect(acl.Entries).toContainEqual({CidrBlock: '10.0.0.0/16', Egress: true, Protocol: '6', RuleAction: 'allow', RuleNumber: 100, PortRange: {From: 1024, To: 49151}});
		const defaults = await ec2Client(lab).send(new DescribeNetworkAclsCommand({Filters: [{Name: 'default', Values: ['true']}]}));
		expect(defaults.NetworkAcls!.map((item) => item.NetworkAclId)).toEqual(['acl-0def0000000000001']);
	});

	it('returns flow logs filtered by resource-id and log-destination-type', async () => {
		const client = ec2Client(lab);
		const byResource = await client.send(new DescribeFlowLogsCommand({Filter: [{Name: 'resource-id', Values: [IDS.eniDb, IDS.vpc]}]}));
		expect(byResource.FlowLogs!.map((flowLog) => flowLog.FlowLogId)).toEqual(['fl-0c000000000000001', 'fl-0db00000000000002']);
		expect(byResource.FlowLogs![1]).toMatchObject({LogGroupName: IDS.dbFlowGroup, TrafficType: 'ALL', MaxAggregationInterval: 600, LogDestinationType: 'cloud-watch-logs'});
		expect(byResource.FlowLogs![1]!.LogFormat).toContain('${flow-direction}');
		const s3 = await client.send(new DescribeFlowLogsCommand({Filter: [{Name: 'log-destination-type', Values: ['s3']}]}));
		expect(s3.FlowLogs!.map((flowLog) => [flowLog.ResourceId, flowLog.LogDestination])).toEqual([[IDS.subnetDb, 'arn:aws:s3:::flow-archive']]);
	});

	it('returns managed prefix lists and their entries', async () => {
		const client = ec2Client(lab);
		const lists = await client.send(new DescribeManagedPrefixListsCommand({PrefixListIds: [IDS.prefixList]}));
		expect(lists.PrefixLists![0]).toMatchObject({PrefixListName: 'office', AddressFamily: 'IPv4', MaxEntries: 5});
		const entries = await client.send(new GetManagedPrefixListEntriesCommand({PrefixListId: IDS.prefixList}));
		expect(entries.Entries).toEqual([{Cidr: '198.51.100.0/24', Description: 'office'}]);
		await expectAwsError(client.send(new GetManagedPrefixListEntriesCommand({PrefixListId: 'pl-0dead00000000000f'})), 'InvalidPrefixListID.NotFound');
	});
});

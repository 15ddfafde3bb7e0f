// Ids that break EC2's grammar are refused before any lookup, as EC2 does, with the code its API
// reference documents for that resource (the casing differs per resource: InvalidGroupId.Malformed
// beside InvalidInstanceID.Malformed) — through the real SDK, which surfaces the code as the
// error's name.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {
	AuthorizeSecurityGroupIngressCommand,
	DescribeInstancesCommand,
	DescribeInternetGatewaysCommand,
	DescribeManagedPrefixListsCommand,
	DescribeNetworkAclsCommand,
	DescribeNetworkInterfacesCommand,
	DescribeRouteTablesCommand,
	DescribeSecurityGroupRulesCommand,
	DescribeSecurityGroupsCommand,
	GetManagedPrefixListEntriesCommand,
	RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {FIXTURE, IDS, ec2Client, expectAwsError} from './lab-helpers.js';

let lab: Lab;
beforeAll(async () => {
	lab = await startLab({snapshotDir: FIXTURE, simulate: false});
});
afterAll(async () => {
	await lab?.close();
});

describe('malformed ids in EC2 requests', () => {
	it.each([
		['DescribeSecurityGroups', () => new DescribeSecurityGroupsCommand({GroupIds: ['sg-0abc;id']}), 'InvalidGroupId.Malformed', 'Invalid id: "sg-0abc;id" (expecting "sg-...")'],
		['DescribeInstances', () => new DescribeInstancesCommand({InstanceIds: ['i-0EB00000000000001']}), 'InvalidInstanceID.Malformed', 'Invalid id: "i-0EB00000000000001" (expecting "i-...")'],
		['DescribeNetworkInterfaces', () => new DescribeNetworkInterfacesCommand({NetworkInterfaceIds: [IDS.eniWeb, 'eni-123']}), 'InvalidNetworkInterfaceId.Malformed', 'Invalid id: "eni-123" (expecting "eni-...")'],
		['DescribeNetworkAcls', () => new DescribeNetworkAclsCommand({NetworkAclIds: ['acl-../x']}), 'InvalidNetworkAclId.Malformed', null],
		['DescribeSecurityGroupRules', () => new DescribeSecurityGroupRulesCommand({SecurityGroupRuleIds: ['sgr-1']}), 'InvalidSecurityGroupRuleId.Malformed', null],
		['DescribeManagedPrefixLists', () => new DescribeManagedPrefixListsCommand({PrefixListIds: ['pl-zz']}), 'InvalidPrefixListId.Malformed', null],
		['GetManagedPrefixListEntries', () => new GetManagedPrefixListEntriesCommand({PrefixListId: 'pl-0nope'}), 'InvalidPrefixListId.Malformed', null],
		['DescribeRouteTables', () => new DescribeRouteTablesCommand({RouteTableIds: ['rtb-']}), 'InvalidRouteTableId.Malformed', null],
		['DescribeInternetGateways', () => new DescribeInternetGatewaysCommand({InternetGatewayIds: ['igw-0ffff']}), 'InvalidInternetGatewayId.Malformed', null],
		['AuthorizeSecurityGroupIngress', () => new AuthorizeSecurityGroupIngressCommand({GroupId: 'sg-`id`', IpPermissions: [{IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: '10.0.0.0/8'}]}]}), 'InvalidGroupId.Malformed', null],
		['AuthorizeSecurityGroupIngress (referenced group)', () => new AuthorizeSecurityGroupIngressCommand({GroupId: IDS.sgWeb, IpPermissions: [{IpProtocol: 'tcp', FromPort: 22, ToPort: 22, UserIdGroupPairs: [{GroupId: 'sg-0abc'}]}]}), 'InvalidGroupId.Malformed', null],
		['RevokeSecurityGroupIngress', () => new RevokeSecurityGroupIngressCommand({GroupId: IDS.sgWeb, SecurityGroupRuleIds: ['sgr-$(id)']}), 'InvalidSecurityGroupRuleId.Malformed', null],
	] as const)('%s answers %s', async (_action, command, code, message) => {
		const error = await expectAwsError(ec2Client(lab).send(command() as never), code);
		expect(error.$metadata?.httpStatusCode).toBe(400);
		if (message) expect(error.message).toBe(message);
	});

	it('a well-formed id that does not exist is still NotFound', async () => {
		await expectAwsError(ec2Client(lab).send(new DescribeSecurityGroupsCommand({GroupIds: ['sg-0dead00000000000f']})), 'InvalidGroup.NotFound');
	});
});

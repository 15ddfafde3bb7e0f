import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {
	AuthorizeSecurityGroupEgressCommand,
	AuthorizeSecurityGroupIngressCommand,
	DescribeSecurityGroupRulesCommand,
	DescribeSecurityGroupsCommand,
	RevokeSecurityGroupEgressCommand,
	RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {FIXTURE, IDS, ec2Client, expectAwsError} from './lab-helpers.js';

let lab: Lab;
beforeEach(async () => {
	lab = await startLab({snapshotDir: FIXTURE, simulate: false});
});
afterEach(async () => {
	await lab.close();
});

const office8443 = {IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, IpRanges: [{CidrIp: '198.51.100.0/24', Description: 'office to the admin UI'}]};

async function webIngress(lab: Lab) {
	const out = await ec2Client(lab).send(new DescribeSecurityGroupsCommand({GroupIds: [IDS.sgWeb]}));
	return out.SecurityGroups![0]!.IpPermissions!;
}

describe('AuthorizeSecurityGroupIngress / RevokeSecurityGroupIngress', () => {
	it('adds a rule with a new sgr- id, visible in both describe calls, and revokes it', async () => {
		const client = ec2Client(lab);
		const added = await client.send(new AuthorizeSecurityGroupIngressCommand({GroupId: IDS.sgWeb, IpPermissions: [office8443]}));
		expect(added.Return).toBe(true);
		expect(added.SecurityGroupRules).toHaveLength(1);
		const rule = added.SecurityGroupRules![0]!;
		expect(rule).toMatchObject({GroupId: IDS.sgWeb, IsEgress: false, IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, CidrIpv4: '198.51.100.0/24', Description: 'office to the admin UI'});
		expect(rule.SecurityGroupRuleId).toMatch(/^sgr-[0-9a-f]{17}$/);

		expect(await webIngress(lab)).toContainEqual({IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, IpRanges: [{CidrIp: '198.51.100.0/24', Description: 'office to the admin UI'}], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: []});
		const rules = await client.send(new DescribeSecurityGroupRulesCommand({SecurityGroupRuleIds: [rule.SecurityGroupRuleId!]}));
		expect(rules.SecurityGroupRules![0]).toMatchObject({CidrIpv4: '198.51.100.0/24', FromPort: 8443});

		const revoked = await client.send(new RevokeSecurityGroupIngressCommand({GroupId: IDS.sgWeb, IpPermissions: [{IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, IpRanges: [{CidrIp: '198.51.100.0/24'}]}]}));
		expect(revoked.Return).toBe(true);
		expect(revoked.RevokedSecurityGroupRules![0]).toMatchObject({SecurityGroupRuleId: rule.SecurityGroupRuleId, CidrIpv4: '198.51.100.0/24'});
		expect((await webIngress(lab)).some((permission) => permission.FromPort === 8443)).toBe(false);
	});

	it('refuses a duplicate, a revoke of a missing rule, an unknown group and a malformed CIDR', async () => {
		const client = ec2Client(lab);
		const duplicate = await expectAwsError(
			client.send(new AuthorizeSecurityGroupIngressCommand({GroupId: IDS.sgWeb, IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: '0.0.0.0/0'}]}]})),
			'InvalidPermission.Duplicate',
		);
		expect(duplicate.message).toContain('0.0.0.0/0');
		await expectAwsError(client.send(new RevokeSecurityGroupIngressCommand({GroupId: IDS.sgWeb, IpPermissions: [office8443]})), 'InvalidPermission.NotFound');
		await expectAwsError(client.send(new AuthorizeSecurityGroupIngressCommand({GroupId: 'sg-0dead00000000000e', IpPermissions: [office8443]})), 'InvalidGroup.NotFound');
		await expectAwsError(
			client.send(new AuthorizeSecurityGroupIngressCommand({GroupId: IDS.sgWeb, IpPermissions: [{IpProtocol: 'tcp', FromPort: 1, ToPort: 1, IpRanges: [{CidrIp: '10.0.0.300/8'}]}]})),
			'InvalidParameterValue',
		);
		// Nothing changed on the way.
		expect(await webIngress(lab)).toHaveLength(2);
	});

	it('takes source groups (sent as IpPermissions.N.Groups.M) and revokes by SecurityGroupRuleId', async () => {
		const client = ec2Client(lab);
		const added = await client.send(
			new AuthorizeSecurityGroupIngressCommand({GroupId: IDS.sgDb, IpPermissions: [{IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{GroupId: IDS.sgBastion, Description: 'psql from the bastion'}]}]}),
		);
		const rule = added.SecurityGroupRules![0]!;
		expect(rule.ReferencedGroupInfo).toMatchObject({GroupId: IDS.sgBastion, UserId: '111122223333'});
		await expectAwsError(
			client.send(new AuthorizeSecurityGroupIngressCommand({GroupId: IDS.sgDb, IpPermissions: [{IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{GroupId: 'sg-0dead00000000000d'}]}]})),
			'InvalidGroup.NotFound',
		);
		const revoked = await client.send(new RevokeSecurityGroupIngressCommand({GroupId: IDS.sgDb, SecurityGroupRuleIds: [rule.SecurityGroupRuleId!]}));
		expect(revoked.RevokedSecurityGroupRules![0]).toMatchObject({SecurityGroupRuleId: rule.SecurityGroupRuleId, ReferencedGroupId: IDS.sgBastion});
		await expectAwsError(client.send(new RevokeSecurityGroupIngressCommand({GroupId: IDS.sgDb, SecurityGroupRuleIds: [rule.SecurityGroupRuleId!]})), 'InvalidSecurityGroupRuleId.NotFound');
	});

	it('honours DryRun without changing anything', async () => {
		const client = ec2Client(lab);
		const error = await expectAwsError(client.send(new AuthorizeSecurityGroupIngressCommand({GroupId: IDS.sgWeb, IpPermissions: [office8443], DryRun: true})), 'DryRunOperation');
		expect(error.$metadata!.httpStatusCode).toBe(412);
		expect(await webIngress(lab)).toHaveLength(2);
	});
});

describe('AuthorizeSecurityGroupEgress / RevokeSecurityGroupEgress', () => {
	it('changes the egress side only', async () => {
		const client = ec2Client(lab);
		const permission = {IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{CidrIp: '10.0.0.2/32'}]};
		await client.send(new AuthorizeSecurityGroupEgressCommand({GroupId: IDS.sgDb, IpPermissions: [permission]}));
		let group = (await client.send(new DescribeSecurityGroupsCommand({GroupIds: [IDS.sgDb]}))).SecurityGroups![0]!;
		expect(group.IpPermissionsEgress).toHaveLength(2);
		expect(group.IpPermissions).toHaveLength(1);
		await expectAwsError(client.send(new RevokeSecurityGroupIngressCommand({GroupId: IDS.sgDb, IpPermissions: [permission]})), 'InvalidPermission.NotFound');
		await client.send(new RevokeSecurityGroupEgressCommand({GroupId: IDS.sgDb, IpPermissions: [permission]}));
		group = (await client.send(new DescribeSecurityGroupsCommand({GroupIds: [IDS.sgDb]}))).SecurityGroups![0]!;
		expect(group.IpPermissionsEgress).toHaveLength(1);
	});
});

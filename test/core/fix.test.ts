import {execFile} from 'node:child_process';
import {dirname} from 'node:path';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import {chooseGroup, freeRuleNumbers, moveRoom, naclEntryCommand, naclEntryCopyCommand, revokeIngressCommand, safeDescription, sgIngressCommand} from '../../source/core/fix-commands.js';
import {AWS_CLI, skipWithout} from '../support/peers.js';
import {acl, egress, entry, group, inventory, rule} from '../support/inventory-builder.js';

const run = promisify(execFile);

describe('freeRuleNumbers', () => {
	const a = acl('acl-1', [], [entry(100, 'deny', 'tcp', '0.0.0.0/0', [22, 22]), entry(200, 'allow', 'all', '0.0.0.0/0'), entry(32767, 'deny', 'all', '0.0.0.0/0'), egress(entry(90, 'allow', 'all', '0.0.0.0/0'))]);

	it('picks the round number just in front of the deny', () => {
		expect(freeRuleNumbers(a, false, 100, 1)).toEqual([90]);
		expect(freeRuleNumbers(a, false, 100, 3)).toEqual([70, 80, 90]);
	});

	it('after the last rule when the final * denies', () => {
		expect(freeRuleNumbers(a, false, 32767, 2)).toEqual([210, 220]);
	});

	it('an IPv6 catch-all (32768, as AWS numbers it) is denied in front of, after the last real rule — not at 32766', () => {
		const dual = acl('acl-3', [], [entry(100, 'allow', 'tcp', '0.0.0.0/0', [22, 22]), entry(130, 'allow', 'all', '10.0.0.0/16'), entry(32767, 'deny', 'all', '0.0.0.0/0'), entry(32768, 'deny', 'all', '::/0')]);
		expect(freeRuleNumbers(dual, false, 32768, 1)).toEqual([140]);
		expect(freeRuleNumbers(dual, false, 32767, 1)).toEqual([140]);
	});

	it('counts rule numbers per direction', () => {
		expect(freeRuleNumbers(a, true, 100, 1)).toEqual([99]);
		expect(freeRuleNumbers(a, true, 32767, 1)).toEqual([100]);
	});

	it('squeezes into odd numbers when no round one is free, and gives up when full', () => {
		const tight = acl('acl-2', [], [entry(1, 'allow', 'udp', '0.0.0.0/0'), entry(2, 'allow', 'udp', '0.0.0.0/0'), entry(4, 'deny', 'tcp', '0.0.0.0/0')]);
		expect(freeRuleNumbers(tight, false, 4, 1)).toEqual([3]);
		expect(freeRuleNumbers(tight, false, 4, 2)).toEqual([3]);
		expect(freeRuleNumbers(tight, false, 2, 1)).toEqual([]);
	});
});

describe('moveRoom', () => {
	it('entries take the deny\'s number and the ones after it; the deny moves to a round number before the next rule', () => {
		const a = acl('acl-1', [], [entry(1, 'deny', 'tcp', '0.0.0.0/0', [22, 22]), entry(100, 'allow', 'all', '0.0.0.0/0'), entry(32767, 'deny', 'all', '0.0.0.0/0'), egress(entry(2, 'allow', 'all', '0.0.0.0/0'))]);
		expect(moveRoom(a, false, 1, 1)).toEqual({entries: [1], moveTo: 10});
		expect(moveRoom(a, false, 1, 3)).toEqual({entries: [1, 2, 3], moveTo: 10});
		expect(moveRoom(a, false, 1, 99)).toBeNull();
		expect(moveRoom(a, false, 1, 98)).toEqual({entries: Array.from({length: 98}, (_, i) => i + 1), moveTo: 99});
	});
	it('no room when the next rule follows at once; never the catch-all', () => {
		const a = acl('acl-1', [], [entry(1, 'deny', 'tcp', '0.0.0.0/0', [22, 22]), entry(2, 'allow', 'all', '0.0.0.0/0'), entry(32767, 'deny', 'all', '0.0.0.0/0')]);
		expect(moveRoom(a, false, 1, 1)).toBeNull();
		expect(moveRoom(a, false, 32767, 1)).toBeNull();
		expect(moveRoom(a, false, 2, 1)).toEqual({entries: [2], moveTo: 10});
	});
});

describe('command text', () => {
	it('authorize: IPv4, IPv6 and both at once', () => {
		expect(sgIngressCommand({groupId: 'sg-1', protocol: 6, port: 8443, cidrs: ['203.0.113.25/32'], description: 'sgtui: tcp 8443 from 203.0.113.25'})).toBe(
			`aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions 'IpProtocol=tcp,FromPort=8443,ToPort=8443,IpRanges=[{CidrIp=203.0.113.25/32,Description="sgtui: tcp 8443 from 203.0.113.25"}]'`,
		);
		const both = sgIngressCommand({groupId: 'sg-1', protocol: 17, port: 53, cidrs: ['10.1.0.0/16', '2001:db8::1/128'], description: 'd'});
		expect(both).toContain(`IpProtocol=udp,FromPort=53,ToPort=53,IpRanges=[{CidrIp=10.1.0.0/16,Description="d"}],Ipv6Ranges=[{CidrIpv6=2001:db8::1/128,Description="d"}]`);
	});

	it('descriptions keep only the characters EC2 accepts', () => {
		expect(safeDescription(`it's "quoted" — ok: 10.0.0.1/32`)).toBe('it s quoted ok: 10.0.0.1/32');
	});

	it('NACL entries: tcp, udp, icmp, icmpv6, IPv6 blocks', () => {
		expect(naclEntryCommand({aclId: 'acl-1', ruleNumber: 90, egress: false, protocol: 17, ports: {from: 53, to: 53}, cidr: '10.0.0.5/32'})).toBe(
			'aws ec2 create-network-acl-entry --network-acl-id acl-1 --rule-number 90 --ingress --protocol udp --port-range From=53,To=53 --cidr-block 10.0.0.5/32 --rule-action allow',
		);
		expect(naclEntryCommand({aclId: 'acl-1', ruleNumber: 91, egress: true, protocol: 58, ports: {from: 0, to: 0}, icmpType: 129, icmpCode: 0, cidr: '2001:db8::9/128'})).toBe(
			'aws ec2 create-network-acl-entry --network-acl-id acl-1 --rule-number 91 --egress --protocol 58 --icmp-type-code Type=129,Code=0 --ipv6-cidr-block 2001:db8::9/128 --rule-action allow',
		);
		expect(naclEntryCommand({aclId: 'acl-1', ruleNumber: 92, egress: false, protocol: 1, ports: {from: 0, to: 0}, icmpType: 3, icmpCode: -1, cidr: '10.0.0.5/32'})).toContain('--icmp-type-code Type=3,Code=-1 ');
	});

	it('ICMP security-group rules: FromPort is the type, ToPort the code (-1 only for every code)', () => {
		expect(sgIngressCommand({groupId: 'sg-1', protocol: 1, port: 8, icmpCode: 0, cidrs: ['203.0.113.25/32'], description: 'd'})).toContain('IpProtocol=icmp,FromPort=8,ToPort=0,IpRanges=');
		expect(sgIngressCommand({groupId: 'sg-1', protocol: 58, port: 128, icmpCode: 0, cidrs: ['2001:db8::9/128'], description: 'd'})).toContain('IpProtocol=icmpv6,FromPort=128,ToPort=0,Ipv6Ranges=');
		expect(sgIngressCommand({groupId: 'sg-1', protocol: 1, port: 3, icmpCode: -1, cidrs: ['203.0.113.25/32'], description: 'd'})).toContain('IpProtocol=icmp,FromPort=3,ToPort=-1,');
	});

	it('revoke by rule id when known, else by the permission', () => {
		expect(revokeIngressCommand('sg-1', {...rule('tcp', 22, '0.0.0.0/0'), ruleId: 'sgr-0abc'})).toBe('aws ec2 revoke-security-group-ingress --group-id sg-1 --security-group-rule-ids sgr-0abc');
		expect(revokeIngressCommand('sg-1', rule('tcp', [0, 65535], '::/0'))).toBe(`aws ec2 revoke-security-group-ingress --group-id sg-1 --ip-permissions 'IpProtocol=tcp,FromPort=0,ToPort=65535,Ipv6Ranges=[{CidrIpv6=::/0}]'`);
	});
});

describe('chooseGroup', () => {
	const packet = {protocol: 6, port: 443};
	it('prefers a group that already holds rules for the port', () => {
		const inv = inventory({securityGroups: [group('sg-base', 'base', []), group('sg-web', 'frontend', [rule('tcp', 443, '10.0.0.0/8')])]});
		expect(chooseGroup(inv, ['sg-base', 'sg-web'], packet)).toEqual({groupId: 'sg-web', reason: 'sg-web (frontend) already holds the rules for tcp 443'});
	});
	it('then a group whose name or description fits the service', () => {
		const inv = inventory({securityGroups: [group('sg-base', 'base', []), group('sg-h', 'public-https', [])]});
		expect(chooseGroup(inv, ['sg-base', 'sg-h'], packet)).toEqual({groupId: 'sg-h', reason: 'the name or description of sg-h (public-https) mentions "https"'});
	});
	it('else the first group, saying so', () => {
		const inv = inventory({securityGroups: [group('sg-base', 'base', []), group('sg-x', 'x', [])]});
		expect(chooseGroup(inv, ['sg-base', 'sg-x'], packet)?.reason).toBe("sg-base (base) is the ENI's first group; none of its groups is about port 443");
	});
});

// botocore (the Debian awscli v2 at /usr/bin/aws, put first on PATH for the command's own `aws`) is
// an independent parser of these commands: run each against a closed local port and read the
// request body it would have sent.
async function botocoreBody(command: string): Promise<string> {
	const {stdout, stderr} = await run('sh', ['-c', `${command} --endpoint-url http://127.0.0.1:9 --cli-connect-timeout 1 --debug 2>&1 || true`], {
		env: {...process.env, PATH: `${dirname(AWS_CLI)}:${process.env.PATH}`, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'not-a-secret', AWS_DEFAULT_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null'},
		timeout: 120_000,
	});
	const line = (stdout + stderr).split('\n').find((l) => l.includes('with params:'));
	if (!line) throw new Error(`botocore did not build a request for: ${command}\n${stdout.slice(-500)}`);
	return line.slice(line.indexOf("'body':"));
}

describe.skipIf(skipWithout('awscli'))('commands parse in the AWS CLI', () => {
	it('authorize, create-network-acl-entry, replace-network-acl-entry, a copied deny and revoke', async () => {
		const commands = [
			sgIngressCommand({groupId: 'sg-1', protocol: 6, port: 8443, cidrs: ['203.0.113.25/32', '2001:db8::1/128'], description: 'sgtui: tcp 8443 from 203.0.113.25'}),
			sgIngressCommand({groupId: 'sg-1', protocol: 1, port: 8, icmpCode: 0, cidrs: [], sourceGroupId: 'sg-2', description: 'sgtui: icmp 8 from sg-2'}),
			naclEntryCommand({aclId: 'acl-1', ruleNumber: 110, egress: true, protocol: 6, ports: {from: 32768, to: 60999}, cidr: '203.0.113.25/32'}),
			naclEntryCommand({aclId: 'acl-1', ruleNumber: 91, egress: false, protocol: 58, ports: {from: 0, to: 0}, icmpType: 128, icmpCode: 0, cidr: '2001:db8::9/128'}),
			revokeIngressCommand('sg-1', rule('tcp', 22, '0.0.0.0/0')),
			naclEntryCommand({aclId: 'acl-1', ruleNumber: 1, egress: false, protocol: 6, ports: {from: 443, to: 443}, cidr: '203.0.113.25/32', replace: true}),
			naclEntryCopyCommand('acl-1', entry(1, 'deny', 'all', '203.0.113.0/24'), 10),
			naclEntryCopyCommand('acl-1', egress(entry(1, 'deny', 'icmp', '2001:db8::/64', null, {icmp: {type: 8, code: -1}})), 10),
		];
		const [sg, pair, nacl, nacl6, revoke, replace, copyAll, copyIcmp] = await Promise.all(commands.map(botocoreBody));
		expect(replace).toContain("'RuleNumber': 1");
		expect(replace).toContain("'RuleAction': 'allow'");
		expect(replace).toContain("'PortRange.From': 443, 'PortRange.To': 443");
		expect(copyAll).toContain("'Protocol': '-1'");
		expect(copyAll).toContain("'RuleAction': 'deny'");
		expect(copyAll).toContain("'RuleNumber': 10");
		expect(copyAll).toContain("'CidrBlock': '203.0.113.0/24'");
		expect(copyIcmp).toContain("'Icmp.Type': 8, 'Icmp.Code': -1");
		expect(copyIcmp).toContain("'Ipv6CidrBlock': '2001:db8::/64'");
		expect(sg).toContain("'IpPermissions.1.FromPort': 8443, 'IpPermissions.1.ToPort': 8443");
		expect(sg).toContain("'IpPermissions.1.IpRanges.1.CidrIp': '203.0.113.25/32', 'IpPermissions.1.IpRanges.1.Description': 'sgtui: tcp 8443 from 203.0.113.25'");
		expect(sg).toContain("'IpPermissions.1.Ipv6Ranges.1.CidrIpv6': '2001:db8::1/128'");
		expect(pair).toContain("'IpPermissions.1.IpProtocol': 'icmp', 'IpPermissions.1.FromPort': 8, 'IpPermissions.1.ToPort': 0");
		expect(pair).toContain("'IpPermissions.1.Groups.1.GroupId': 'sg-2'");
		expect(nacl).toContain("'Egress': 'true'");
		expect(nacl).toContain("'PortRange.From': 32768, 'PortRange.To': 60999");
		expect(nacl).toContain("'RuleNumber': 110");
		expect(nacl).toContain("'CidrBlock': '203.0.113.25/32'");
		expect(nacl6).toContain("'Ipv6CidrBlock': '2001:db8::9/128'");
		expect(nacl6).toContain("'Icmp.Type': 128, 'Icmp.Code': 0");
		expect(revoke).toContain("'IpPermissions.1.IpRanges.1.CidrIp': '0.0.0.0/0'");
	}, 180_000);
});

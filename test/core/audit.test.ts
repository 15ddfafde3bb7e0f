import {describe, expect, it} from 'vitest';
import {audit} from '../../source/core/audit.js';
import {eni, group, host, instance, inventory, rule} from '../support/inventory-builder.js';

function scene() {
	return inventory({
		instances: [instance('i-web', ['eni-web']), instance('i-db', ['eni-db'])],
		networkInterfaces: [
			eni('eni-web', {instanceId: 'i-web', privateIps: ['10.0.1.10'], groupIds: ['sg-web']}),
			eni('eni-db', {instanceId: 'i-db', privateIps: ['10.0.2.10'], groupIds: ['sg-db']}),
		],
		securityGroups: [
			group('sg-web', 'web', [rule('tcp', 443, '0.0.0.0/0'), rule('tcp', 22, '0.0.0.0/0', {ruleId: 'sgr-ssh'}), rule('tcp', 8080, '10.0.0.0/16')]),
			group('sg-db', 'db', [rule('tcp', 6379, '10.0.0.0/16'), rule('-1', null, '::/0'), rule('tcp', [0, 65535], '10.0.0.0/8')]),
			group('sg-old', 'old', [rule('tcp', 3389, '198.51.100.0/24')]),
			group('sg-default', 'default', []),
		],
	});
}

const hosts = {
	'i-web': host(['tcp', '0.0.0.0', 443, 'nginx'], ['tcp', '0.0.0.0', 22, 'sshd']),
	'i-db': host(['tcp', '127.0.0.1', 6379, 'redis-server'], ['tcp', '0.0.0.0', 22, 'sshd']),
};

describe('audit', () => {
	it('flags world-open admin ports with a revoke by rule id', () => {
		const findings = audit(scene(), hosts);
		const ssh = findings.find((f) => f.kind === 'world-open-admin-port');
		expect(ssh).toMatchObject({severity: 'high', groupId: 'sg-web', eniIds: ['eni-web']});
		expect(ssh!.message).toBe('sg-web (web) ingress tcp 22 from 0.0.0.0/0: 22 SSH open to the whole internet.');
		expect(ssh!.fix!.command).toBe('aws ec2 revoke-security-group-ingress --group-id sg-web --security-group-rule-ids sgr-ssh');
		// 443 to the world is normal for a web server.
		expect(findings.some((f) => f.rule?.fromPort === 443)).toBe(false);
	});

	it('flags all-traffic rules: high from the world, medium from a wide range', () => {
		const findings = audit(scene(), hosts).filter((f) => f.kind === 'all-traffic');
		expect(findings.map((f) => [f.severity, f.message])).toEqual([
			['high', 'sg-db (db) ingress all traffic from ::/0: every port is open to the whole internet.'],
			['medium', 'sg-db (db) ingress tcp all ports from 10.0.0.0/8: every port is open to a wide range (10.0.0.0/8).'],
		]);
	});

	it('open but unused, and loopback-only, when every host was captured', () => {
		const findings = audit(scene(), hosts);
		const unused = findings.find((f) => f.kind === 'open-but-unused');
		expect(unused).toMatchObject({severity: 'medium', groupId: 'sg-web'});
		expect(unused!.message).toBe('sg-web (web) ingress tcp 8080 from 10.0.0.0/16: nothing listens on tcp 8080 on i-web. Open but unused: close it.');
		expect(unused!.fix!.command).toBe(`aws ec2 revoke-security-group-ingress --group-id sg-web --ip-permissions 'IpProtocol=tcp,FromPort=8080,ToPort=8080,IpRanges=[{CidrIp=10.0.0.0/16}]'`);
		const loopback = findings.find((f) => f.kind === 'loopback-only');
		expect(loopback!.message).toContain('tcp 6379 listens only on loopback on i-db — Only redis-server (pid 100) on 127.0.0.1:6379 listens on tcp 6379: it accepts local connections only.');
		// The host layer says no group change helps: the fix is the bind address; revoking the rule
		// is offered only as the alternative for a service meant to stay local.
		expect(loopback!.fix).toEqual({summary: expect.stringMatching(/^Bind the service to 0\.0\.0\.0 .*No security-group change is needed for this\.$/)});
		expect(loopback!.alternative!.command).toMatch(/^aws ec2 revoke-security-group-ingress --group-id sg-db /);
	});

	it('says which capture is missing instead of guessing', () => {
		const findings = audit(scene(), {'i-web': hosts['i-web']});
		expect(findings.some((f) => f.groupId === 'sg-db' && (f.kind === 'loopback-only' || f.kind === 'open-but-unused'))).toBe(false);
		const missing = findings.filter((f) => f.kind === 'evidence-missing');
		expect(missing).toEqual([expect.objectContaining({severity: 'low', groupId: 'sg-db', message: 'Cannot tell whether the ports sg-db (db) opens are in use: no listener capture for i-db.'})]);
	});

	it('a port used on one of the group\'s instances is not unused', () => {
		const inv = scene();
		inv.instances.push(instance('i-web2', ['eni-web2']));
		inv.networkInterfaces.push(eni('eni-web2', {instanceId: 'i-web2', privateIps: ['10.0.1.11'], groupIds: ['sg-web']}));
		const findings = audit(inv, {...hosts, 'i-web2': host(['tcp', '0.0.0.0', 8080, 'java'])});
		expect(findings.some((f) => f.kind === 'open-but-unused' && f.groupId === 'sg-web')).toBe(false);
	});

	it('groups attached to nothing (not the default group); sorted high → low', () => {
		const findings = audit(scene(), hosts);
		const unattached = findings.filter((f) => f.kind === 'unattached-group');
		expect(unattached.map((f) => f.groupId)).toEqual(['sg-old']);
		expect(unattached[0]!.fix!.command).toBe('aws ec2 delete-security-group --group-id sg-old');
		const order = findings.map((f) => f.severity);
		expect(order).toEqual([...order].sort((a, b) => ['high', 'medium', 'low'].indexOf(a) - ['high', 'medium', 'low'].indexOf(b)));
	});

	it('no ENI data: says so and makes no attachment claims', () => {
		const inv = scene();
		inv.networkInterfaces = [];
		inv.known.networkInterfaces = false;
		const findings = audit(inv, hosts);
		expect(findings.some((f) => f.kind === 'unattached-group')).toBe(false);
		expect(findings.at(-1)!.message).toContain('Network interfaces were not captured');
	});
});

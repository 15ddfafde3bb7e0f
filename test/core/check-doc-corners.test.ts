// Corners where a reader of AWS's documentation would hold the engine to a rule the other tests
// did not pin down. Each case quotes the page it is built from.
import {describe, expect, it} from 'vitest';
import {check} from '../../source/core/check.js';
import type {CheckRequest, Inventory, NetworkInterface} from '../../source/core/types.js';
import {acl, egress, entry, eni, group, host, instance, inventory, openAclEntries, routeTable, rule, VPC_LOCAL} from '../support/inventory-builder.js';

const listening = host(['tcp', '0.0.0.0', 443], ['tcp', '::', 443]);

function request(extra: Partial<CheckRequest> = {}): CheckRequest {
	return {target: 'i-web', protocol: 'tcp', port: 443, source: {kind: 'group', groupId: 'sg-client'}, clientOs: 'linux', ...extra};
}

describe('a group source is evaluated in one address family', () => {
	// "Routes to IPv4 and IPv6 addresses or CIDR blocks are independent of each other" and a
	// security group rule names "an IPv4 CIDR block, an IPv6 CIDR block, …"
	// (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html): a member that
	// connects over IPv4 sends from its IPv4 address; its IPv6 address takes no part in that
	// connection, and an IPv4 ICMP echo never comes from an IPv6 address.
	function scene(webRules: ReturnType<typeof rule>[], members: NetworkInterface[]): Inventory {
		return inventory({
			instances: [instance('i-web', ['eni-web'])],
			networkInterfaces: [eni('eni-web', {instanceId: 'i-web', privateIps: ['10.0.1.10'], ipv6Addresses: ['2001:db8:1::10'], groupIds: ['sg-web']}), ...members],
			securityGroups: [group('sg-web', 'web', webRules), group('sg-client', 'client', [])],
			networkAcls: [acl('acl-a', ['subnet-a', 'subnet-b'], [...openAclEntries(), entry(101, 'allow', 'all', '::/0'), egress(entry(101, 'allow', 'all', '::/0'))])],
			routeTables: [routeTable('rtb-main', [], [...VPC_LOCAL], {main: true})],
			internetGateways: [],
		});
	}
	const dualStack = eni('eni-client', {subnetId: 'subnet-b', privateIps: ['10.0.2.20'], ipv6Addresses: ['2001:db8:1::2:20'], groupIds: ['sg-client']});

	it('dual-stack members and an IPv4 rule: reachable over IPv4, their IPv6 addresses not required', () => {
		for (const [protocol, port, r] of [['tcp', 443, rule('tcp', 443, '10.0.0.0/16')], ['icmp', 8, rule('icmp', [8, -1], '10.0.0.0/16')]] as const) {
			const result = check({inventory: scene([r], [dualStack]), host: listening, request: request({protocol, port})});
			expect(result.layers.securityGroup.status, result.layers.securityGroup.summary).toBe('allow');
			expect(result.verdict).toBe('reachable');
			expect(result.sourceDescription).toContain('1 address');
		}
	});

	it('an IPv6-only rule does not admit the members\' IPv4 connections', () => {
		const result = check({inventory: scene([rule('tcp', 443, '::/0')], [dualStack]), host: listening, request: request()});
		expect(result.layers.securityGroup.status).toBe('deny');
		expect(result.verdict).toBe('blocked-by-security-group');
	});
});

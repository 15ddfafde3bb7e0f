// Corners where a reader of AWS's documentation would hold the engine to a rule the other tests
// did not pin down. Each case quotes the page it is built from.
import {describe, expect, it} from 'vitest';
import {check} from '../../source/core/check.js';
import type {CheckRequest, Inventory, NetworkInterface} from '../../source/core/types.js';
import {acl, egress, entry, eni, group, host, instance, internetGateway, inventory, openAclEntries, route, routeTable, rule, VPC_LOCAL} from '../support/inventory-builder.js';

const listening = host(['tcp', '0.0.0.0', 443], ['tcp', '::', 443]);
const dualStackOpen = () => [...openAclEntries(), entry(101, 'allow', 'all', '::/0'), egress(entry(101, 'allow', 'all', '::/0'))];

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
			networkAcls: [acl('acl-a', ['subnet-a', 'subnet-b'], dualStackOpen())],
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

describe('a client in a peered VPC: both subnets\' route tables must carry it', () => {
	// "To enable private IPv4 traffic between instances in peered VPCs, you must add a route to the
	// route tables associated with the subnets for both instances. The route destination is the CIDR
	// block (or portion of the CIDR block) of the peer VPC and the target is the ID of the VPC peering
	// connection." — https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html
	function peered(clientRoutes: ReturnType<typeof route>[], webRoutes: ReturnType<typeof route>[] = [route('10.1.0.0/16', 'pcx-1')]): Inventory {
		return inventory({
			instances: [instance('i-web', ['eni-web']), instance('i-client', ['eni-client'], {subnetId: 'subnet-c', vpcId: 'vpc-2'})],
			networkInterfaces: [
				eni('eni-web', {instanceId: 'i-web', privateIps: ['10.0.1.10'], ipv6Addresses: ['2001:db8:1::10'], publicIp: '198.51.100.10', groupIds: ['sg-web']}),
				eni('eni-client', {instanceId: 'i-client', subnetId: 'subnet-c', vpcId: 'vpc-2', privateIps: ['10.1.0.5'], ipv6Addresses: ['2001:db8:2::5'], groupIds: ['sg-client']}),
			],
			securityGroups: [
				group('sg-web', 'web', [rule('tcp', 443, 'sg-client'), rule('tcp', 443, '2001:db8:2::/64')]),
				group('sg-client', 'client', [], {vpcId: 'vpc-2', egress: [rule('-1', null, '0.0.0.0/0', {direction: 'egress', groupId: 'sg-client'}), rule('-1', null, '::/0', {direction: 'egress', groupId: 'sg-client'})]}),
			],
			networkAcls: [acl('acl-a', ['subnet-a'], dualStackOpen()), acl('acl-c', ['subnet-c'], dualStackOpen(), {vpcId: 'vpc-2'})],
			routeTables: [
				routeTable('rtb-a', ['subnet-a'], [...VPC_LOCAL, route('0.0.0.0/0', 'igw-1'), ...webRoutes]),
				routeTable('rtb-c', ['subnet-c'], [route('10.1.0.0/16', 'local'), route('2001:db8:2::/56', 'local'), ...clientRoutes], {vpcId: 'vpc-2'}),
			],
			internetGateways: [internetGateway('igw-1'), internetGateway('igw-2', ['vpc-2'])],
		});
	}
	const fromClient = request({source: {kind: 'address', address: '10.1.0.5'}});

	it('routes both ways over the peering connection: reachable', () => {
		expect(check({inventory: peered([route('10.0.0.0/16', 'pcx-1')]), host: listening, request: fromClient}).verdict).toBe('reachable');
	});

	it('the client\'s table has no route to the target\'s VPC: no-route, fixed by a /32 route to the target over the same peering connection', () => {
		const inv = peered([route('0.0.0.0/0', 'igw-2')]);
		const result = check({inventory: inv, host: listening, request: fromClient});
		expect(result.verdict).toBe('no-route');
		expect(result.layers.route.summary).toContain('rtb-c');
		expect(result.layers.route.rules).toContainEqual(expect.objectContaining({kind: 'route', routeTableId: 'rtb-c', destination: '0.0.0.0/0', target: 'igw-2'}));
		const fix = result.problems.find((p) => p.layer === 'route')!.fix;
		expect(fix.command).toBe('aws ec2 create-route --route-table-id rtb-c --destination-cidr-block 10.0.1.10/32 --vpc-peering-connection-id pcx-1');
		inv.routeTables[1]!.routes.push(route('10.0.1.10/32', 'pcx-1'));
		expect(check({inventory: inv, host: listening, request: fromClient}).verdict).toBe('reachable');
	});

	it('a blackhole route in the client\'s table (a deleted peering) drops the request', () => {
		expect(check({inventory: peered([route('10.0.0.0/16', 'pcx-1', 'blackhole')]), host: listening, request: fromClient}).verdict).toBe('no-route');
	});

	it('the target\'s table has no route back: no-route, fixed over the peering connection the client uses, not the internet gateway', () => {
		const inv = peered([route('10.0.0.0/16', 'pcx-1')], []);
		const result = check({inventory: inv, host: listening, request: fromClient});
		expect(result.verdict).toBe('no-route');
		const fix = result.problems.find((p) => p.layer === 'route')!.fix;
		expect(fix.command).toBe('aws ec2 create-route --route-table-id rtb-a --destination-cidr-block 10.1.0.5/32 --vpc-peering-connection-id pcx-1');
	});

	it('over IPv6 the target\'s address is global: the client\'s route to its internet gateway carries it', () => {
		const inv = peered([route('::/0', 'igw-2')], [route('::/0', 'igw-1')]);
		const result = check({inventory: inv, host: listening, request: request({source: {kind: 'address', address: '2001:db8:2::5'}})});
		expect(result.layers.route.status, result.layers.route.summary).toBe('allow');
		expect(result.verdict).toBe('reachable');
	});
});

describe('security-group port ranges are literal for TCP and UDP', () => {
	// IpPermission FromPort: "If the protocol is TCP or UDP, this is the start of the port range. If
	// the protocol is ICMP or ICMPv6, this is the ICMP type or -1 (all ICMP types)."
	// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html) — -1 means "all"
	// for ICMP only; EC2 refuses it for TCP/UDP ("TCP/UDP port (-1) out of range",
	// https://github.com/boto/boto3/issues/336). All TCP ports are 0–65535.
	function single(r: ReturnType<typeof rule>): Inventory {
		return inventory({
			instances: [instance('i-web', ['eni-web'])],
			networkInterfaces: [eni('eni-web', {instanceId: 'i-web', privateIps: ['10.0.1.10'], publicIp: '198.51.100.10', groupIds: ['sg-web']})],
			securityGroups: [group('sg-web', 'web', [r])],
			networkAcls: [acl('acl-a', ['subnet-a'], openAclEntries())],
			routeTables: [routeTable('rtb-a', ['subnet-a'], [...VPC_LOCAL, route('0.0.0.0/0', 'igw-1')])],
			internetGateways: [internetGateway('igw-1')],
		});
	}
	const internet = request({source: {kind: 'address', address: '203.0.113.5'}});

	it('tcp -1/-1 is no port: blocked-by-security-group', () => {
		expect(check({inventory: single(rule('tcp', [-1, -1], '0.0.0.0/0')), host: listening, request: internet}).verdict).toBe('blocked-by-security-group');
	});

	it('tcp 0–65535 and the edges of a range: inclusive', () => {
		expect(check({inventory: single(rule('tcp', [0, 65535], '0.0.0.0/0')), host: listening, request: internet}).verdict).toBe('reachable');
		expect(check({inventory: single(rule('tcp', [443, 443], '0.0.0.0/0')), host: listening, request: internet}).verdict).toBe('reachable');
		expect(check({inventory: single(rule('tcp', [444, 65535], '0.0.0.0/0')), host: listening, request: internet}).verdict).toBe('blocked-by-security-group');
		expect(check({inventory: single(rule('6', [0, 443], '0.0.0.0/0')), host: listening, request: internet}).verdict).toBe('reachable');
	});

	it('icmp -1 is every type; icmpv6 or 58 never matches an IPv4 echo', () => {
		const ping = {...internet, protocol: 'icmp' as const, port: 8};
		expect(check({inventory: single(rule('icmp', [-1, -1], '0.0.0.0/0')), host: listening, request: ping}).verdict).toBe('reachable');
		expect(check({inventory: single(rule('icmp', [8, 0], '0.0.0.0/0')), host: listening, request: ping}).verdict).toBe('reachable');
		expect(check({inventory: single(rule('icmp', [0, -1], '0.0.0.0/0')), host: listening, request: ping}).verdict).toBe('blocked-by-security-group');
		expect(check({inventory: single(rule('58', [-1, -1], '0.0.0.0/0')), host: listening, request: ping}).verdict).toBe('blocked-by-security-group');
		expect(check({inventory: single(rule('50', null, '0.0.0.0/0')), host: listening, request: internet}).verdict).toBe('blocked-by-security-group');
	});
});

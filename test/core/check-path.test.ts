// The whole path, layer by layer: the reproductions and one story per new verdict.
import {describe, expect, it} from 'vitest';
import {check} from '../../source/core/check.js';
import {describeRouteTarget} from '../../source/core/path/route.js';
import {LAYER_NAMES, type CheckRequest, type Inventory} from '../../source/core/types.js';
import {acl, egress, entry, eni, group, host, instance, internetGateway, inventory, openAclEntries, prefixList, route, routeTable, rule, VPC_LOCAL, webScene} from '../support/inventory-builder.js';

const sshd = host(['tcp', '0.0.0.0', 22, 'sshd'], ['tcp', '0.0.0.0', 443, 'nginx']);

function request(extra: Partial<CheckRequest> = {}): CheckRequest {
	return {target: 'i-web', protocol: 'tcp', port: 22, source: {kind: 'address', address: '10.0.1.20'}, clientOs: 'linux', ...extra};
}

/** Web 10.0.1.10 (subnet-a, sg-web) and a bastion (subnet-a or -b, sg-bastion), explicit ACLs. */
function twoHosts(options: {bastionSubnet?: string; aclA?: ReturnType<typeof acl>; aclB?: ReturnType<typeof acl>; bastionEgress?: ReturnType<typeof rule>[]} = {}): Inventory {
	const bastionGroup = group('sg-bastion', 'bastion', []);
	if (options.bastionEgress) bastionGroup.egress = options.bastionEgress.map((r) => ({...r, direction: 'egress', groupId: 'sg-bastion'}));
	return inventory({
		instances: [instance('i-web', ['eni-web']), instance('i-bastion', ['eni-bastion'], {subnetId: options.bastionSubnet ?? 'subnet-a'})],
		networkInterfaces: [
			eni('eni-web', {instanceId: 'i-web', privateIps: ['10.0.1.10'], groupIds: ['sg-web']}),
			eni('eni-bastion', {instanceId: 'i-bastion', subnetId: options.bastionSubnet ?? 'subnet-a', privateIps: [options.bastionSubnet === 'subnet-b' ? '10.0.2.20' : '10.0.1.20'], groupIds: ['sg-bastion']}),
		],
		securityGroups: [group('sg-web', 'web', [rule('tcp', 22, 'sg-bastion')]), bastionGroup],
		networkAcls: [options.aclA ?? acl('acl-a', ['subnet-a'], [entry(32767, 'deny', 'all', '0.0.0.0/0'), egress(entry(32767, 'deny', 'all', '0.0.0.0/0'))]), ...(options.aclB ? [options.aclB] : [])],
		routeTables: [routeTable('rtb-main', [], [...VPC_LOCAL], {main: true})],
		internetGateways: [],
	});
}

describe('same subnet: NACLs are not evaluated (issue 8, reproduction 1)', () => {
	it('a bastion in the web host\'s subnet reaches sshd although the ACL holds only the * denies', () => {
		const result = check({inventory: twoHosts(), host: sshd, request: request()});
		expect(result.verdict).toBe('reachable');
		expect(result.layers.naclInbound.status).toBe('allow');
		expect(result.layers.naclInbound.summary).toContain('Same subnet');
		expect(result.layers.naclReturn.summary).toContain('Same subnet');
		expect(result.layers.clientNaclOutbound.summary).toContain('Same subnet');
		// Skipped layers say so as data (the CLI and the wizard draw them without a tick).
		expect([result.layers.naclInbound.notEvaluated, result.layers.naclReturn.notEvaluated, result.layers.clientNaclOutbound.notEvaluated]).toEqual([true, true, true]);
		expect(result.layers.route.summary).toContain('Local');
		expect(result.layers.route.notEvaluated).toBeUndefined();
		expect(result.layers.securityGroup.notEvaluated).toBeUndefined();
		expect(result.layers.securityGroup.status).toBe('allow');
		expect(Object.keys(result.layers)).toEqual([...LAYER_NAMES]);
	});

	it('the same bastion from another subnet meets both subnets\' ACLs, each way, even when one ACL serves both', () => {
		const both = acl('acl-a', ['subnet-a', 'subnet-b'], [entry(32767, 'deny', 'all', '0.0.0.0/0'), egress(entry(32767, 'deny', 'all', '0.0.0.0/0'))]);
		const result = check({inventory: twoHosts({bastionSubnet: 'subnet-b', aclA: both}), host: sshd, request: request({source: {kind: 'address', address: '10.0.2.20'}})});
		expect(result.verdict).toBe('blocked-by-client-nacl-outbound');
		expect(result.problems.map((p) => p.layer)).toEqual(['clientNaclOutbound', 'naclInbound', 'naclReturn', 'clientNaclReturn']);
		const [out, inbound, reply, back] = result.problems;
		expect(out!.fix.command).toBe('aws ec2 create-network-acl-entry --network-acl-id acl-a --rule-number 10 --egress --protocol tcp --port-range From=22,To=22 --cidr-block 10.0.1.10/32 --rule-action allow');
		// One ACL, two fixes per direction: each gets its own number (a second 10 would fail in EC2).
		expect(inbound!.fix.command).toContain('--rule-number 10 --ingress');
		expect(reply!.fix.command).toContain('--rule-number 20 --egress');
		expect(back!.fix.command).toBe('aws ec2 create-network-acl-entry --network-acl-id acl-a --rule-number 20 --ingress --protocol tcp --port-range From=32768,To=60999 --cidr-block 10.0.1.10/32 --rule-action allow');
		expect(back!.verdict).toBe('blocked-by-client-nacl-return');
	});

	it('only the client\'s return leg denied: blocked-by-client-nacl-return', () => {
		const aclA = acl('acl-a', ['subnet-a'], openAclEntries());
		const aclB = acl('acl-b', ['subnet-b'], [entry(100, 'allow', 'tcp', '0.0.0.0/0', [1024, 32767]), entry(32767, 'deny', 'all', '0.0.0.0/0'), egress(entry(100, 'allow', 'all', '0.0.0.0/0'))]);
		const result = check({inventory: twoHosts({bastionSubnet: 'subnet-b', aclA, aclB}), host: sshd, request: request({source: {kind: 'address', address: '10.0.2.20'}})});
		expect(result.verdict).toBe('blocked-by-client-nacl-return');
		expect(result.layers.clientNaclReturn.aclId).toBe('acl-b');
		expect(result.problems[0]!.fix.command).toContain('--network-acl-id acl-b --rule-number 110 --ingress --protocol tcp --port-range From=32768,To=60999 --cidr-block 10.0.1.10/32');
	});
});

describe('the client\'s own security groups (egress)', () => {
	it('a client group without an outbound rule for the port: blocked-by-client-security-group, fixed on the client\'s group to the target /32', () => {
		const result = check({inventory: twoHosts({bastionEgress: [rule('tcp', 443, '0.0.0.0/0')]}), host: sshd, request: request()});
		expect(result.verdict).toBe('blocked-by-client-security-group');
		expect(result.problems[0]!.fix.command).toBe(
			`aws ec2 authorize-security-group-egress --group-id sg-bastion --ip-permissions 'IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=10.0.1.10/32,Description="sgtui: tcp 22 to 10.0.1.10"}]'`,
		);
	});

	it('ICMP from a client ENI: the egress fix is for the checked type and code (echo request: type 8, code 0)', () => {
		const result = check({inventory: twoHosts({bastionEgress: [rule('tcp', 443, '0.0.0.0/0')]}), host: sshd, request: request({protocol: 'icmp', port: 8})});
		expect(result.verdict).toBe('blocked-by-client-security-group');
		expect(result.problems[0]!.fix.command).toContain("'IpProtocol=icmp,FromPort=8,ToPort=0,IpRanges=[{CidrIp=10.0.1.10/32,");
	});

	it('an egress rule naming the target\'s group matches its private address', () => {
		const result = check({inventory: twoHosts({bastionEgress: [rule('tcp', 22, 'sg-web')]}), host: sshd, request: request()});
		expect(result.layers.clientSecurityGroup.status).toBe('allow');
		expect(result.verdict).toBe('reachable');
	});

	it('--from sg-…: every member\'s groups are checked', () => {
		const result = check({inventory: twoHosts({bastionEgress: []}), host: sshd, request: request({source: {kind: 'group', groupId: 'sg-bastion'}})});
		expect(result.verdict).toBe('blocked-by-client-security-group');
		expect(result.problems[0]!.fix.command).toContain('authorize-security-group-egress --group-id sg-bastion');
	});

	it('an internet client is not an interface of the snapshot: its own rules are out of sight', () => {
		const result = check({inventory: webScene(), host: sshd, request: request({port: 443, source: {kind: 'address', address: '203.0.113.25'}})});
		expect(result.layers.clientSecurityGroup).toMatchObject({status: 'allow', notEvaluated: true});
		expect(result.layers.clientNaclOutbound).toMatchObject({status: 'allow', notEvaluated: true});
		expect(result.layers.clientSecurityGroup.summary).toContain('outside vpc-1');
		expect(result.layers.naclInbound.notEvaluated).toBeUndefined();
	});

	it('an address inside the VPC that no ENI has: its groups are unknown, and its subnet too unless known ENIs pin it', () => {
		const result = check({inventory: twoHosts({bastionSubnet: 'subnet-b'}), host: sshd, request: request({source: {kind: 'address', address: '10.0.3.7'}})});
		// sg-web admits only sg-bastion's members: that deny is certain whatever else is unknown.
		expect(result.verdict).toBe('blocked-by-security-group');
		expect(result.layers.clientSecurityGroup.status).toBe('unknown');
		// acl-a denies 10.0.3.7 — unless 10.0.3.7 is in subnet-a itself, which nothing rules out.
		expect(result.layers.naclInbound.status).toBe('unknown');
		expect(result.unknowns.join('\n')).toContain('unless the client is in subnet-a itself');
	});
});

/** The web scene with a route table of our choosing for subnet-a. */
function routed(routes: ReturnType<typeof route>[], extra: {publicIp?: string | null; ipv6?: string[]} = {}): Inventory {
	return webScene({routeTables: [routeTable('rtb-a', ['subnet-a'], [...VPC_LOCAL, ...routes]), routeTable('rtb-main', [], [...VPC_LOCAL], {main: true})], eni: {publicIp: extra.publicIp === undefined ? '198.51.100.10' : extra.publicIp, ipv6Addresses: extra.ipv6 ?? ['2001:db8:1::10']}});
}
const internet = request({port: 443, source: {kind: 'address', address: '203.0.113.25'}});
const internet6 = request({port: 443, source: {kind: 'address', address: '2001:db8:ff::25'}});
const ipv6Acl = (inv: Inventory) => {
	inv.networkAcls[0]!.entries.push(entry(101, 'allow', 'all', '::/0'), egress(entry(101, 'allow', 'all', '::/0')));
	inv.securityGroups[0]!.ingress.push({...rule('tcp', 443, '::/0'), groupId: 'sg-web'});
	return inv;
};

describe('the route layer', () => {
	it('a public subnet and a public address: allowed, the deciding route marked', () => {
		const result = check({inventory: routed([route('0.0.0.0/0', 'igw-1')]), host: sshd, request: internet});
		expect(result.verdict).toBe('reachable');
		expect(result.layers.route).toMatchObject({status: 'allow', routeTableId: 'rtb-a'});
		expect(result.layers.route.rules).toMatchObject([{kind: 'route', destination: '0.0.0.0/0', target: 'igw-1'}]);
	});

	it('a route to the internet but no public address: no-public-address, fixed with an Elastic IP', () => {
		const result = check({inventory: routed([route('0.0.0.0/0', 'igw-1')], {publicIp: null}), host: sshd, request: internet});
		expect(result.verdict).toBe('no-public-address');
		expect(result.problems[0]!.fix.command).toBe('aws ec2 associate-address --network-interface-id eni-web --allocation-id "$(aws ec2 allocate-address --domain vpc --query AllocationId --output text)"');
	});

	it('an IPv6 client needs an IPv6 address on the ENI', () => {
		const result = check({inventory: ipv6Acl(routed([route('::/0', 'igw-1')], {ipv6: []})), host: host(['tcp', '::', 443, 'nginx']), request: internet6});
		expect(result.verdict).toBe('no-public-address');
		expect(result.problems[0]!.fix.command).toBe('aws ec2 assign-ipv6-addresses --network-interface-id eni-web --ipv6-address-count 1');
	});

	it('a private subnet (default route to a NAT gateway): no-route, fixed with a /32 route to the VPC\'s internet gateway — never 0.0.0.0/0', () => {
		const inv = routed([route('0.0.0.0/0', 'nat-1')], {publicIp: null});
		inv.routeTables.push(routeTable('rtb-public', ['subnet-p'], [...VPC_LOCAL, route('0.0.0.0/0', 'igw-1')]));
		const result = check({inventory: inv, host: sshd, request: internet});
		expect(result.verdict).toBe('no-route');
		expect(result.problems[0]!.summary).toContain('NAT gateway');
		expect(result.problems[0]!.fix.command!.split('\n')).toEqual([
			'aws ec2 create-route --route-table-id rtb-a --destination-cidr-block 203.0.113.25/32 --gateway-id igw-1',
			'aws ec2 associate-address --network-interface-id eni-web --allocation-id "$(aws ec2 allocate-address --domain vpc --query AllocationId --output text)"',
		]);
		expect(result.problems[0]!.fix.summary).toContain('not 0.0.0.0/0');
	});

	it('an IPv6 client through an egress-only gateway: the /128 route to the internet gateway comes with an IPv6 address when the ENI has none', () => {
		const result = check({inventory: ipv6Acl(routed([route('::/0', 'eigw-1')], {ipv6: []})), host: host(['tcp', '::', 443]), request: internet6});
		expect(result.verdict).toBe('no-route');
		expect(result.problems[0]!.fix.command!.split('\n')).toEqual([
			'aws ec2 create-route --route-table-id rtb-a --destination-ipv6-cidr-block 2001:db8:ff::25/128 --gateway-id igw-1',
			'aws ec2 assign-ipv6-addresses --network-interface-id eni-web --ipv6-address-count 1',
		]);
		expect(result.problems[0]!.fix.summary).toContain('IPv6 address');
		const withAddress = check({inventory: ipv6Acl(routed([route('::/0', 'eigw-1')])), host: host(['tcp', '::', 443]), request: internet6});
		expect(withAddress.problems[0]!.fix.command).toBe('aws ec2 create-route --route-table-id rtb-a --destination-ipv6-cidr-block 2001:db8:ff::25/128 --gateway-id igw-1');
	});

	it('a route fix never loses to a more specific route: a range over a /30 blackhole is split, and the blackhole itself replaced', () => {
		const result = check({inventory: routed([route('203.0.113.4/30', 'igw-gone', 'blackhole')]), host: sshd, request: request({port: 443, source: {kind: 'cidr', cidr: '203.0.113.0/28'}})});
		expect(result.verdict).toBe('no-route');
		expect(result.problems[0]!.fix.command!.split('\n').slice(0, 3)).toEqual([
			'aws ec2 create-route --route-table-id rtb-a --destination-cidr-block 203.0.113.0/30 --gateway-id igw-1',
			'aws ec2 replace-route --route-table-id rtb-a --destination-cidr-block 203.0.113.4/30 --gateway-id igw-1',
			'aws ec2 create-route --route-table-id rtb-a --destination-cidr-block 203.0.113.8/29 --gateway-id igw-1',
		]);
		// One client whose /32 is itself the blackhole: replace-route (create-route would fail: RouteAlreadyExists).
		const one = check({inventory: routed([route('0.0.0.0/0', 'igw-1'), route('203.0.113.25/32', 'igw-gone', 'blackhole')]), host: sshd, request: internet});
		expect(one.problems[0]!.fix.command).toBe('aws ec2 replace-route --route-table-id rtb-a --destination-cidr-block 203.0.113.25/32 --gateway-id igw-1');
	});

	it('longest prefix wins: a /24 to a NAT gateway beats the default route to the internet gateway', () => {
		const result = check({inventory: routed([route('0.0.0.0/0', 'igw-1'), route('203.0.113.0/24', 'nat-1')]), host: sshd, request: internet});
		expect(result.verdict).toBe('no-route');
		expect(check({inventory: routed([route('0.0.0.0/0', 'nat-1'), route('203.0.113.0/24', 'igw-1')]), host: sshd, request: internet}).verdict).toBe('reachable');
	});

	it('a blackhole never carries, even with a wider route behind it', () => {
		const result = check({inventory: routed([route('0.0.0.0/0', 'igw-1'), route('203.0.113.0/24', 'pcx-gone', 'blackhole')]), host: sshd, request: internet});
		expect(result.verdict).toBe('no-route');
		expect(result.layers.route.summary).toContain('blackhole');
	});

	it('a filtered route (EC2 RouteState: not active) does not carry either, and says so', () => {
		const result = check({inventory: routed([route('0.0.0.0/0', 'igw-1'), route('203.0.113.0/24', 'igw-1', 'filtered')]), host: sshd, request: internet});
		expect(result.verdict).toBe('no-route');
		expect(result.layers.route.summary).toContain('filtered, not active');
	});

	it('an egress-only internet gateway admits nothing from outside; no route at all neither', () => {
		expect(check({inventory: ipv6Acl(routed([route('::/0', 'eigw-1')])), host: host(['tcp', '::', 443]), request: internet6}).verdict).toBe('no-route');
		expect(check({inventory: routed([]), host: sshd, request: internet}).verdict).toBe('no-route');
	});

	it('peering, transit gateway, VPN: allowed here, with a note that the far side is out of sight', () => {
		for (const target of ['pcx-1', 'tgw-1', 'vgw-1']) {
			const result = check({inventory: routed([route('203.0.113.0/24', target)], {publicIp: null}), host: sshd, request: internet});
			expect(result.layers.route.status).toBe('allow');
			expect(result.notes.join('\n')).toContain('out of sight');
		}
	});

	it('prefix-list destinations take part in the match; one whose entries are unknown makes the layer unknown', () => {
		const inv = routed([route('0.0.0.0/0', 'igw-1'), route('pl-office', 'nat-1')]);
		inv.prefixLists = [prefixList('pl-office', ['203.0.113.0/24'])];
		expect(check({inventory: inv, host: sshd, request: internet}).verdict).toBe('no-route');
		inv.prefixLists = [prefixList('pl-office', null)];
		const unknown = check({inventory: inv, host: sshd, request: internet});
		expect(unknown.verdict).toBe('unknown');
		expect(unknown.unknowns.join('\n')).toContain('pl-office');
	});

	it('without an explicit association the VPC\'s main table serves the subnet; without route tables the layer is unknown', () => {
		const inv = webScene({routeTables: [routeTable('rtb-main', [], [...VPC_LOCAL, route('0.0.0.0/0', 'nat-1')], {main: true})]});
		const result = check({inventory: inv, host: sshd, request: internet});
		expect(result.verdict).toBe('no-route');
		expect(result.layers.route.summary).toContain('main table rtb-main');
		expect(result.problems[0]!.fix.warning).toContain("main table");
		const bare = webScene();
		bare.known.routeTables = false;
		bare.routeTables = [];
		const unknown = check({inventory: bare, host: sshd, request: internet});
		expect(unknown.verdict).toBe('unknown');
		expect(unknown.unknowns.join('\n')).toContain('ec2:DescribeRouteTables');
	});

	it('a whole-internet source through a private subnet: no-route for the outside, local inside; the fix warns', () => {
		const result = check({inventory: routed([route('0.0.0.0/0', 'nat-1')]), host: sshd, request: request({port: 443, source: {kind: 'any'}})});
		expect(result.verdict).toBe('no-route');
		expect(result.layers.route.status).toBe('partial');
		expect(result.problems[0]!.fix.warning).toContain('reachable from the internet');
	});

	describe('a gateway VPC endpoint (S3/DynamoDB) route carries only traffic to its service', () => {
		// https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html
		const s3 = () => {
			const inv = routed([route('0.0.0.0/0', 'igw-1'), route('pl-s3', 'vpce-0123456789abcdef0')]);
			inv.prefixLists = [{...prefixList('pl-s3', ['52.216.0.0/15', '203.0.113.0/24']), name: 'com.amazonaws.us-east-1.s3'}];
			return inv;
		};

		it('a client whose address is in the service\'s list: no-route (the reply would go to the endpoint), fixed with a /32 route to the internet gateway', () => {
			const result = check({inventory: s3(), host: sshd, request: internet});
			expect(result.verdict).toBe('no-route');
			expect(result.layers.route.status).toBe('deny');
			expect(result.layers.route.summary).toContain('gateway VPC endpoint');
			expect(result.notes.join('\n')).not.toContain('out of sight');
			expect(result.problems[0]!.fix.command).toBe('aws ec2 create-route --route-table-id rtb-a --destination-cidr-block 203.0.113.25/32 --gateway-id igw-1');
		});

		it('it gives no internet reachability: the only route to the outside being the endpoint is no-route for everyone', () => {
			const inv = routed([route('pl-s3', 'vpce-0123456789abcdef0')]);
			inv.prefixLists = [prefixList('pl-s3', ['52.216.0.0/15'])];
			for (const address of ['203.0.113.25', '52.216.1.1']) {
				const result = check({inventory: inv, host: sshd, request: request({port: 443, source: {kind: 'address', address}})});
				expect(result.verdict).toBe('no-route');
			}
		});

		it('other addresses do not match it: the default route to the internet gateway decides', () => {
			const result = check({inventory: s3(), host: sshd, request: request({port: 443, source: {kind: 'address', address: '198.51.100.77'}})});
			expect(result.verdict).toBe('reachable');
			expect(result.layers.route.rules).toMatchObject([{destination: '0.0.0.0/0', target: 'igw-1'}]);
		});

		it('a part of a range in the list is cut off, the rest gets through: partial', () => {
			const result = check({inventory: s3(), host: sshd, request: request({port: 443, source: {kind: 'cidr', cidr: '203.0.112.0/23'}})});
			expect(result.layers.route.status).toBe('partial');
			expect(result.verdict).toBe('no-route');
			expect(result.problems[0]!.fix.command).toBe('aws ec2 create-route --route-table-id rtb-a --destination-cidr-block 203.0.113.0/24 --gateway-id igw-1');
		});

		it('entries not captured: unknown while another route could carry the client, a deny when none could', () => {
			const inv = s3();
			inv.prefixLists = [prefixList('pl-s3', null)];
			const unknown = check({inventory: inv, host: sshd, request: internet});
			expect(unknown.verdict).toBe('unknown');
			expect(unknown.unknowns.join('\n')).toContain('pl-s3');
			const privateSubnet = routed([route('0.0.0.0/0', 'nat-1'), route('pl-s3', 'vpce-0123456789abcdef0')]);
			privateSubnet.prefixLists = [prefixList('pl-s3', null)];
			const denied = check({inventory: privateSubnet, host: sshd, request: internet});
			expect(denied.verdict).toBe('no-route');
			expect(denied.notes.join('\n')).toContain('gateway VPC endpoint');
		});

		it('a Gateway Load Balancer endpoint (vpce-… for a CIDR) is an appliance: allowed here, far side out of sight', () => {
			const result = check({inventory: routed([route('0.0.0.0/0', 'igw-1'), route('203.0.113.0/24', 'vpce-0fedcba9876543210')]), host: sshd, request: internet});
			expect(result.layers.route.status).toBe('allow');
			expect(result.notes.join('\n')).toContain('out of sight');
		});
	});

	it('an internet gateway attached to another VPC does not carry', () => {
		const inv = routed([route('0.0.0.0/0', 'igw-other')]);
		inv.internetGateways = [internetGateway('igw-other', ['vpc-2'])];
		expect(check({inventory: inv, host: sshd, request: internet}).verdict).toBe('no-route');
	});
});

describe('a rule naming a group: members in another VPC only over peering', () => {
	// https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html
	// Both subnets' tables route the other VPC over the same link ("you must add a route to the
	// route tables associated with the subnets for both instances" — vpc-peering-routing.html).
	function twoVpcs(toClient: ReturnType<typeof route>, toWeb: ReturnType<typeof route> = route('10.0.0.0/16', describeRouteTarget(toClient))): Inventory {
		return inventory({
			instances: [instance('i-web', ['eni-web']), instance('i-client', ['eni-client'], {subnetId: 'subnet-c', vpcId: 'vpc-2'})],
			networkInterfaces: [
				eni('eni-web', {instanceId: 'i-web', privateIps: ['10.0.1.10'], publicIp: '198.51.100.10', groupIds: ['sg-web']}),
				eni('eni-client', {instanceId: 'i-client', subnetId: 'subnet-c', vpcId: 'vpc-2', privateIps: ['10.1.0.5'], groupIds: ['sg-client']}),
			],
			securityGroups: [group('sg-web', 'web', [rule('tcp', 22, 'sg-client')]), group('sg-client', 'client', [], {vpcId: 'vpc-2'})],
			networkAcls: [acl('acl-a', ['subnet-a'], openAclEntries()), acl('acl-c', ['subnet-c'], openAclEntries(), {vpcId: 'vpc-2'})],
			routeTables: [routeTable('rtb-a', ['subnet-a'], [...VPC_LOCAL, route('0.0.0.0/0', 'igw-1'), toClient]), routeTable('rtb-c', ['subnet-c'], [route('10.1.0.0/16', 'local'), toWeb], {vpcId: 'vpc-2'})],
			internetGateways: [internetGateway('igw-1')],
		});
	}
	const fromClient = request({source: {kind: 'address', address: '10.1.0.5'}});

	it('over a peering connection the reference matches the member\'s private address', () => {
		const result = check({inventory: twoVpcs(route('10.1.0.0/16', 'pcx-1')), host: sshd, request: fromClient});
		expect(result.layers.securityGroup.status).toBe('allow');
		expect(result.verdict).toBe('reachable');
	});

	it('without a peering route the same member is not matched: blocked-by-security-group', () => {
		// 10.1.0.0/16 → a NAT gateway would already stop it at the route; through a VPN gateway the
		// packet arrives, but a group reference never crosses a VPN.
		const result = check({inventory: twoVpcs(route('10.1.0.0/16', 'vgw-1')), host: sshd, request: fromClient});
		expect(result.layers.route.status).toBe('allow');
		expect(result.layers.securityGroup.status).toBe('deny');
		expect(result.verdict).toBe('blocked-by-security-group');
		expect(check({inventory: twoVpcs(route('10.1.0.0/16', 'vgw-1')), host: sshd, request: request({source: {kind: 'group', groupId: 'sg-client'}})}).layers.securityGroup.status).toBe('deny');
	});

	it('the client\'s outbound rule naming the target\'s group obeys the same rule, seen from the client\'s VPC', () => {
		const egressTo = (toWeb: ReturnType<typeof route>) => {
			const inv = twoVpcs(route('10.1.0.0/16', 'pcx-1'), toWeb);
			inv.securityGroups[1]!.egress = [{...rule('tcp', 22, 'sg-web'), direction: 'egress', groupId: 'sg-client'}];
			return check({inventory: inv, host: sshd, request: fromClient}).layers.clientSecurityGroup.status;
		};
		expect(egressTo(route('10.0.0.0/16', 'pcx-1'))).toBe('allow');
		expect(egressTo(route('10.0.0.0/16', 'vgw-1'))).toBe('deny');
	});

	it('through a transit gateway: not matched (its security group referencing "is disabled by default"), said in a note; the fix names the member\'s address', () => {
		// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TransitGatewayOptions.html
		const result = check({inventory: twoVpcs(route('10.1.0.0/16', 'tgw-1')), host: sshd, request: fromClient});
		expect(result.layers.securityGroup.status).toBe('deny');
		expect(result.verdict).toBe('blocked-by-security-group');
		expect(result.notes.join('\n')).toContain('security group referencing');
		const byGroup = check({inventory: twoVpcs(route('10.1.0.0/16', 'tgw-1')), host: sshd, request: request({source: {kind: 'group', groupId: 'sg-client'}})});
		expect(byGroup.problems.find((p) => p.layer === 'securityGroup')!.fix.command).toContain('CidrIp=10.1.0.5/32');
	});
});

describe('verdict order', () => {
	it('the first deny on the path names the verdict; an unknown earlier layer does not hide it', () => {
		const inv = routed([route('0.0.0.0/0', 'igw-1')], {publicIp: null});
		const result = check({inventory: inv, host: host(['tcp', '127.0.0.1', 443]), request: internet});
		expect(result.verdict).toBe('no-public-address');
		expect(result.problems.map((p) => [p.layer, p.verdict])).toEqual([
			['route', 'no-public-address'],
			['host', 'loopback-only'],
		]);
		const noHost = check({inventory: routed([route('0.0.0.0/0', 'igw-1')]), host: null, request: {...internet, port: 8443}});
		expect(noHost.verdict).toBe('blocked-by-security-group');
	});
});

import type {FlowLog, Instance, IpPermission, NetworkAcl, NetworkInterface, Reservation, RouteTable, SecurityGroup} from '@aws-sdk/client-ec2';
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {DEFAULT_FLOW_LOG_FORMAT, mapInventory, mapPermission} from '../../source/core/aws-mapper.js';

// Inputs are typed with the SDK's own output shapes, so a field name the SDK doesn't have fails to
// compile: the tests can't drift from what DescribeX really returns.

const ACCOUNT = '123456789012';

function linuxInstance(overrides: Partial<Instance> = {}): Instance {
	return {
		InstanceId: 'i-0a1b2c3d4e5f60718',
		ImageId: 'ami-0c1c30571d2dae5c9',
		KeyName: 'shop-prod-2024',
		State: {Code: 16, Name: 'running'},
		PrivateIpAddress: '10.20.2.10',
		PublicIpAddress: '34.246.112.30',
		SubnetId: 'subnet-0b5c6d7e8f90a1b23',
		VpcId: 'vpc-0e5d4c3b2a1908f7e',
		PlatformDetails: 'Linux/UNIX',
		SecurityGroups: [{GroupId: 'sg-0a11b22c33d44e501', GroupName: 'web-sg'}],
		Tags: [
			{Key: 'Environment', Value: 'prod'},
			{Key: 'Name', Value: 'web-1'},
		],
		NetworkInterfaces: [
			{
				NetworkInterfaceId: 'eni-0f1e2d3c4b5a69788',
				Attachment: {DeviceIndex: 0, NetworkCardIndex: 0, Status: 'attached'},
				Association: {PublicIp: '34.246.112.30', IpOwnerId: 'amazon'},
				Groups: [{GroupId: 'sg-0a11b22c33d44e501', GroupName: 'web-sg'}],
				PrivateIpAddress: '10.20.2.10',
				PrivateIpAddresses: [{PrivateIpAddress: '10.20.2.10', Primary: true}],
				SubnetId: 'subnet-0b5c6d7e8f90a1b23',
				VpcId: 'vpc-0e5d4c3b2a1908f7e',
				Status: 'in-use',
				InterfaceType: 'interface',
			},
		],
		...overrides,
	};
}

const reservationOf = (...instances: Instance[]): Reservation => ({ReservationId: 'r-0f4a5b6c7d8e9f011', OwnerId: ACCOUNT, Groups: [], Instances: instances});

describe('instances', () => {
	test('maps identity, addresses, Name tag and groups', () => {
		const inventory = mapInventory({reservations: [reservationOf(linuxInstance())]});
		expect(inventory.instances).toEqual([
			{
				id: 'i-0a1b2c3d4e5f60718',
				name: 'web-1',
				state: 'running',
				platform: 'linux',
				imageId: 'ami-0c1c30571d2dae5c9',
				keyName: 'shop-prod-2024',
				privateIp: '10.20.2.10',
				publicIp: '34.246.112.30',
				subnetId: 'subnet-0b5c6d7e8f90a1b23',
				vpcId: 'vpc-0e5d4c3b2a1908f7e',
				networkInterfaceIds: ['eni-0f1e2d3c4b5a69788'],
				groupIds: ['sg-0a11b22c33d44e501'],
				tags: {Environment: 'prod', Name: 'web-1'},
			},
		]);
	});

	test('a state is one of EC2\'s (InstanceState: pending | running | shutting-down | terminated | stopping | stopped); any other is kept apart, never trusted', () => {
		const stateOf = (name: string | undefined) => {
			const [mapped] = mapInventory({reservations: [reservationOf(linuxInstance({State: name === undefined ? undefined : {Name: name as 'running'}}))]}).instances;
			return {state: mapped!.state, unrecognizedState: mapped!.unrecognizedState};
		};
		for (const name of ['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped']) {
			expect(stateOf(name)).toEqual({state: name, unrecognizedState: undefined});
		}
		expect(stateOf(undefined)).toEqual({state: 'unknown', unrecognizedState: undefined});
		expect(stateOf('Running')).toEqual({state: 'unknown', unrecognizedState: 'Running'});
		expect(stateOf('hibernated\u001B[2J')).toEqual({state: 'unknown', unrecognizedState: 'hibernated\u001B[2J'});
	});

	test('flattens every reservation', () => {
		const inventory = mapInventory({
			reservations: [reservationOf(linuxInstance()), reservationOf(linuxInstance({InstanceId: 'i-0b2c3d4e5f6071829', NetworkInterfaces: []}), linuxInstance({InstanceId: 'i-0c3d4e5f607182930', NetworkInterfaces: []}))],
		});
		expect(inventory.instances.map((instance) => instance.id)).toEqual(['i-0a1b2c3d4e5f60718', 'i-0b2c3d4e5f6071829', 'i-0c3d4e5f607182930']);
	});

	test('an instance without tags or public address has null name and publicIp', () => {
		const {instances} = mapInventory({reservations: [reservationOf(linuxInstance({Tags: undefined, PublicIpAddress: undefined, KeyName: undefined}))]});
		expect(instances[0]).toMatchObject({name: null, publicIp: null, keyName: null, tags: {}});
	});

	// The API sends Platform "windows" (lowercase) although the SDK's enum spells it "Windows".
	test.each<[string, Partial<Instance>, string]>([
		['Platform windows', {Platform: 'windows' as Instance['Platform'], PlatformDetails: 'Windows'}, 'windows'],
		['Platform Windows (SDK enum spelling)', {Platform: 'Windows', PlatformDetails: undefined}, 'windows'],
		['PlatformDetails only (copied Windows AMI)', {PlatformDetails: 'Windows with SQL Server Standard'}, 'windows'],
		['Linux/UNIX', {PlatformDetails: 'Linux/UNIX'}, 'linux'],
		['Red Hat', {PlatformDetails: 'Red Hat Enterprise Linux'}, 'linux'],
		['nothing said', {PlatformDetails: undefined}, 'linux'],
	])('platform: %s', (_label, fields, platform) => {
		const {instances} = mapInventory({reservations: [reservationOf(linuxInstance(fields))]});
		expect(instances[0]?.platform).toBe(platform);
	});

	test('the primary ENI (device index 0) comes first whatever order AWS lists them in', () => {
		const eni = (id: string, device: number, card = 0) => ({NetworkInterfaceId: id, Attachment: {DeviceIndex: device, NetworkCardIndex: card}});
		const {instances} = mapInventory({
			reservations: [reservationOf(linuxInstance({NetworkInterfaces: [eni('eni-0000000000000000c', 1, 1), eni('eni-0000000000000000b', 2), eni('eni-0000000000000000a', 0), eni('eni-0000000000000000d', 1)]}))],
		});
		expect(instances[0]?.networkInterfaceIds).toEqual(['eni-0000000000000000a', 'eni-0000000000000000d', 'eni-0000000000000000b', 'eni-0000000000000000c']);
	});

	test('groups come from the ENIs when the instance lists none', () => {
		const {instances} = mapInventory({reservations: [reservationOf(linuxInstance({SecurityGroups: undefined}))]});
		expect(instances[0]?.groupIds).toEqual(['sg-0a11b22c33d44e501']);
	});
});

describe('network interfaces', () => {
	const natGateway: NetworkInterface = {
		NetworkInterfaceId: 'eni-05e6f708192a3b4c5',
		// What DescribeNetworkInterfaces really returns; the SDK's enum says "natGateway".
		InterfaceType: 'nat_gateway' as NetworkInterface['InterfaceType'],
		Description: 'Interface for NAT Gateway nat-0a9b8c7d6e5f40312',
		Status: 'in-use',
		SubnetId: 'subnet-0a4b5c6d7e8f90a12',
		VpcId: 'vpc-0e5d4c3b2a1908f7e',
		Groups: [],
		Attachment: {DeviceIndex: 1, InstanceOwnerId: 'amazon-aws', Status: 'attached'},
		Association: {PublicIp: '52.30.148.9'},
		PrivateIpAddress: '10.20.1.200',
		PrivateIpAddresses: [
			{PrivateIpAddress: '10.20.1.201', Primary: false},
			{PrivateIpAddress: '10.20.1.200', Primary: true},
		],
		Ipv6Addresses: [{Ipv6Address: '2a05:d018:1f4:3c01::200'}],
		TagSet: [{Key: 'Name', Value: 'shop-nat'}],
	};

	test('maps an unattached-to-instance ENI with the primary address first', () => {
		const {networkInterfaces} = mapInventory({networkInterfaces: [natGateway]});
		expect(networkInterfaces).toEqual([
			{
				id: 'eni-05e6f708192a3b4c5',
				subnetId: 'subnet-0a4b5c6d7e8f90a12',
				vpcId: 'vpc-0e5d4c3b2a1908f7e',
				instanceId: null,
				description: 'Interface for NAT Gateway nat-0a9b8c7d6e5f40312',
				interfaceType: 'nat_gateway',
				status: 'in-use',
				privateIps: ['10.20.1.200', '10.20.1.201'],
				ipv6Addresses: ['2a05:d018:1f4:3c01::200'],
				publicIp: '52.30.148.9',
				groupIds: [],
				tags: {Name: 'shop-nat'},
			},
		]);
	});

	test('without DescribeNetworkInterfaces, the instances\' ENIs are still there but the list is not known complete', () => {
		const inventory = mapInventory({reservations: [reservationOf(linuxInstance())]});
		expect(inventory.known.networkInterfaces).toBe(false);
		expect(inventory.networkInterfaces).toEqual([
			expect.objectContaining({
				id: 'eni-0f1e2d3c4b5a69788',
				instanceId: 'i-0a1b2c3d4e5f60718',
				subnetId: 'subnet-0b5c6d7e8f90a1b23',
				privateIps: ['10.20.2.10'],
				publicIp: '34.246.112.30',
				groupIds: ['sg-0a11b22c33d44e501'],
			}),
		]);
	});

	test('an Elastic IP on a secondary private address is the ENI\'s public address when the primary has none', () => {
		// AssociateAddress PrivateIpAddress: "The primary or secondary private IP address to associate
		// with the Elastic IP address." (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateAddress.html)
		// Internet traffic to that address reaches the ENI as well as one on the primary would.
		const eni: NetworkInterface = {
			NetworkInterfaceId: 'eni-0f1e2d3c4b5a69788',
			SubnetId: 'subnet-0b5c6d7e8f90a1b23',
			VpcId: 'vpc-0e5d4c3b2a1908f7e',
			PrivateIpAddress: '10.20.2.10',
			PrivateIpAddresses: [
				{PrivateIpAddress: '10.20.2.10', Primary: true},
				{PrivateIpAddress: '10.20.2.11', Primary: false, Association: {PublicIp: '52.30.148.77', IpOwnerId: ACCOUNT}},
			],
		};
		expect(mapInventory({networkInterfaces: [eni]}).networkInterfaces[0]?.publicIp).toBe('52.30.148.77');
		const primaryToo = {...eni, Association: {PublicIp: '34.246.112.30'}};
		expect(mapInventory({networkInterfaces: [primaryToo]}).networkInterfaces[0]?.publicIp).toBe('34.246.112.30');
	});

	test('an instance\'s PublicIpAddress stands for its primary ENI\'s when DescribeNetworkInterfaces shows no association', () => {
		const fromApi: NetworkInterface = {NetworkInterfaceId: 'eni-0f1e2d3c4b5a69788', Attachment: {InstanceId: 'i-0a1b2c3d4e5f60718', DeviceIndex: 0}, SubnetId: 'subnet-0b5c6d7e8f90a1b23', VpcId: 'vpc-0e5d4c3b2a1908f7e', PrivateIpAddress: '10.20.2.10'};
		const instance = linuxInstance();
		instance.NetworkInterfaces![0]!.Association = undefined;
		expect(mapInventory({reservations: [reservationOf(instance)], networkInterfaces: [fromApi]}).networkInterfaces[0]?.publicIp).toBe('34.246.112.30');
		expect(mapInventory({reservations: [reservationOf(linuxInstance({PublicIpAddress: undefined, NetworkInterfaces: []}))], networkInterfaces: [fromApi]}).networkInterfaces[0]?.publicIp).toBeNull();
	});

	test('DescribeNetworkInterfaces wins over the copy inside DescribeInstances, without duplicates', () => {
		const fromApi: NetworkInterface = {
			NetworkInterfaceId: 'eni-0f1e2d3c4b5a69788',
			Attachment: {InstanceId: 'i-0a1b2c3d4e5f60718', DeviceIndex: 0},
			SubnetId: 'subnet-0b5c6d7e8f90a1b23',
			VpcId: 'vpc-0e5d4c3b2a1908f7e',
			PrivateIpAddress: '10.20.2.10',
			Groups: [{GroupId: 'sg-0a11b22c33d44e501'}],
			TagSet: [{Key: 'Name', Value: 'web-1 primary'}],
		};
		const inventory = mapInventory({reservations: [reservationOf(linuxInstance())], networkInterfaces: [fromApi, natGateway]});
		expect(inventory.known.networkInterfaces).toBe(true);
		expect(inventory.networkInterfaces.map((eni) => eni.id)).toEqual(['eni-0f1e2d3c4b5a69788', 'eni-05e6f708192a3b4c5']);
		expect(inventory.networkInterfaces[0]?.tags).toEqual({Name: 'web-1 primary'});
	});
});

describe('security groups', () => {
	const web: SecurityGroup = {
		GroupId: 'sg-0a11b22c33d44e501',
		GroupName: 'web-sg',
		Description: 'web tier',
		VpcId: 'vpc-0e5d4c3b2a1908f7e',
		OwnerId: ACCOUNT,
		Tags: [{Key: 'Name', Value: 'web-sg'}],
		IpPermissions: [
			{
				IpProtocol: 'tcp',
				FromPort: 443,
				ToPort: 443,
				IpRanges: [{CidrIp: '0.0.0.0/0', Description: 'HTTPS'}, {CidrIp: '198.51.100.0/24'}],
				Ipv6Ranges: [{CidrIpv6: '::/0', Description: 'HTTPS v6'}],
				PrefixListIds: [{PrefixListId: 'pl-0a1b2c3d4e5f60789', Description: 'partners'}],
				UserIdGroupPairs: [{GroupId: 'sg-0d11b22c33d44e504', UserId: ACCOUNT, Description: 'from bastion'}],
			},
			{IpProtocol: 'icmp', FromPort: 8, ToPort: -1, IpRanges: [{CidrIp: '10.20.0.0/16'}], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: []},
		],
		IpPermissionsEgress: [{IpProtocol: '-1', IpRanges: [{CidrIp: '0.0.0.0/0'}], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: []}],
	};

	test('each peer of a permission becomes one rule with its own description', () => {
		const [group] = mapInventory({securityGroups: [web]}).securityGroups;
		const base = {groupId: 'sg-0a11b22c33d44e501', ruleId: null, direction: 'ingress', protocol: 'tcp', fromPort: 443, toPort: 443};
		expect(group?.ingress).toEqual([
			{...base, peer: {kind: 'cidr4', cidr: '0.0.0.0/0'}, description: 'HTTPS'},
			{...base, peer: {kind: 'cidr4', cidr: '198.51.100.0/24'}, description: null},
			{...base, peer: {kind: 'cidr6', cidr: '::/0'}, description: 'HTTPS v6'},
			{...base, peer: {kind: 'prefix-list', prefixListId: 'pl-0a1b2c3d4e5f60789'}, description: 'partners'},
			{...base, peer: {kind: 'group', groupId: 'sg-0d11b22c33d44e504', userId: ACCOUNT}, description: 'from bastion'},
			{...base, protocol: 'icmp', fromPort: 8, toPort: -1, peer: {kind: 'cidr4', cidr: '10.20.0.0/16'}, description: null},
		]);
	});

	test('all-traffic rules have no ports; group metadata is kept', () => {
		const [group] = mapInventory({securityGroups: [web]}).securityGroups;
		expect(group?.egress).toEqual([
			{groupId: 'sg-0a11b22c33d44e501', ruleId: null, direction: 'egress', protocol: '-1', fromPort: null, toPort: null, peer: {kind: 'cidr4', cidr: '0.0.0.0/0'}, description: null},
		]);
		expect(group).toMatchObject({id: 'sg-0a11b22c33d44e501', name: 'web-sg', description: 'web tier', vpcId: 'vpc-0e5d4c3b2a1908f7e', ownerId: ACCOUNT, tags: {Name: 'web-sg'}});
	});

	test('a pair that names a group only by name keeps the name as the reference', () => {
		const rules = mapPermission('sg-1', 'ingress', {IpProtocol: 'tcp', FromPort: 22, ToPort: 22, UserIdGroupPairs: [{GroupName: 'admins', UserId: ACCOUNT}]});
		expect(rules).toEqual([expect.objectContaining({peer: {kind: 'group', groupId: 'admins', userId: ACCOUNT}})]);
	});

	const hex = (length: number) => fc.string({unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length});

	test('property: one rule per peer, each carrying the permission\'s protocol and ports', () => {
		const cidr = fc.tuple(fc.nat(255), fc.nat(255), fc.integer({min: 0, max: 32})).map(([a, b, bits]) => `${a}.${b}.0.0/${bits}`);
		const permission: fc.Arbitrary<IpPermission> = fc.record({
			IpProtocol: fc.constantFrom('tcp', 'udp', 'icmp', '-1', '50'),
			FromPort: fc.option(fc.integer({min: -1, max: 65535}), {nil: undefined}),
			ToPort: fc.option(fc.integer({min: -1, max: 65535}), {nil: undefined}),
			IpRanges: fc.array(fc.record({CidrIp: cidr, Description: fc.option(fc.string(), {nil: undefined})}), {maxLength: 4}),
			Ipv6Ranges: fc.array(fc.record({CidrIpv6: fc.constantFrom('::/0', '2001:db8::/32')}), {maxLength: 3}),
			PrefixListIds: fc.array(fc.record({PrefixListId: hex(8).map((id) => `pl-${id}`)}), {maxLength: 2}),
			UserIdGroupPairs: fc.array(fc.record({GroupId: hex(17).map((id) => `sg-${id}`), UserId: fc.constant(ACCOUNT)}), {maxLength: 3}),
		});
		fc.assert(
			fc.property(permission, fc.constantFrom('ingress' as const, 'egress' as const), (perm, direction) => {
				const rules = mapPermission('sg-0a11b22c33d44e501', direction, perm);
				const peers = perm.IpRanges!.length + perm.Ipv6Ranges!.length + perm.PrefixListIds!.length + perm.UserIdGroupPairs!.length;
				expect(rules).toHaveLength(peers);
				for (const rule of rules) {
					expect(rule).toMatchObject({groupId: 'sg-0a11b22c33d44e501', direction, protocol: perm.IpProtocol, fromPort: perm.FromPort ?? null, toPort: perm.ToPort ?? null});
				}
				expect(rules.filter((rule) => rule.peer.kind === 'cidr4').map((rule) => rule.description)).toEqual(perm.IpRanges!.map((range) => range.Description ?? null));
			}),
		);
	});
});

describe('network ACLs', () => {
	const acl: NetworkAcl = {
		NetworkAclId: 'acl-0f9e8d7c6b5a40321',
		VpcId: 'vpc-0e5d4c3b2a1908f7e',
		IsDefault: false,
		Associations: [{NetworkAclAssociationId: 'aclassoc-0d3e4f5a6b7c80933', NetworkAclId: 'acl-0f9e8d7c6b5a40321', SubnetId: 'subnet-0a4b5c6d7e8f90a12'}],
		Tags: [{Key: 'Name', Value: 'public'}],
		// Listed as AWS does: egress entries first, not necessarily in rule order.
		Entries: [
			{RuleNumber: 120, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0', PortRange: {From: 1024, To: 32767}},
			{RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0', PortRange: {From: 80, To: 80}},
			{RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0'},
			{RuleNumber: 32768, Protocol: '-1', RuleAction: 'deny', Egress: false, Ipv6CidrBlock: '::/0'},
			{RuleNumber: 110, Protocol: '1', RuleAction: 'allow', Egress: false, CidrBlock: '10.20.0.0/16', IcmpTypeCode: {Type: 8, Code: -1}},
			{RuleNumber: 100, Protocol: 'tcp', RuleAction: 'allow', Egress: false, CidrBlock: '198.51.100.0/24', PortRange: {From: 22, To: 22}},
		],
	};

	test('entries keep protocol, ports, ICMP and action, in evaluation order per direction', () => {
		const [mapped] = mapInventory({networkAcls: [acl]}).networkAcls;
		expect(mapped).toMatchObject({id: 'acl-0f9e8d7c6b5a40321', vpcId: 'vpc-0e5d4c3b2a1908f7e', isDefault: false, subnetIds: ['subnet-0a4b5c6d7e8f90a12'], tags: {Name: 'public'}});
		expect(mapped?.entries).toEqual([
			{ruleNumber: 100, protocol: '6', action: 'allow', egress: false, cidr: '198.51.100.0/24', ipv6Cidr: null, portRange: {from: 22, to: 22}, icmpTypeCode: null},
			{ruleNumber: 110, protocol: '1', action: 'allow', egress: false, cidr: '10.20.0.0/16', ipv6Cidr: null, portRange: null, icmpTypeCode: {type: 8, code: -1}},
			{ruleNumber: 32768, protocol: '-1', action: 'deny', egress: false, cidr: null, ipv6Cidr: '::/0', portRange: null, icmpTypeCode: null},
			{ruleNumber: 100, protocol: '6', action: 'allow', egress: true, cidr: '0.0.0.0/0', ipv6Cidr: null, portRange: {from: 80, to: 80}, icmpTypeCode: null},
			{ruleNumber: 120, protocol: '6', action: 'allow', egress: true, cidr: '0.0.0.0/0', ipv6Cidr: null, portRange: {from: 1024, to: 32767}, icmpTypeCode: null},
			{ruleNumber: 32767, protocol: '-1', action: 'deny', egress: true, cidr: '0.0.0.0/0', ipv6Cidr: null, portRange: null, icmpTypeCode: null},
		]);
	});
});

describe('flow logs', () => {
	test('a flow log created with defaults gets the v2 format, 600 s and CloudWatch Logs', () => {
		const legacy: FlowLog = {FlowLogId: 'fl-0123456789abcdef0', ResourceId: 'vpc-0e5d4c3b2a1908f7e', TrafficType: 'ALL', LogGroupName: 'vpc-flows', FlowLogStatus: 'ACTIVE', DeliverLogsStatus: 'SUCCESS'};
		expect(mapInventory({flowLogs: [legacy]}).flowLogs).toEqual([
			{
				id: 'fl-0123456789abcdef0',
				resourceId: 'vpc-0e5d4c3b2a1908f7e',
				trafficType: 'ALL',
				destinationType: 'cloud-watch-logs',
				logGroupName: 'vpc-flows',
				destination: null,
				logFormat: DEFAULT_FLOW_LOG_FORMAT,
				maxAggregationInterval: 600,
				status: 'ACTIVE',
				deliverLogsStatus: 'SUCCESS',
			},
		]);
		expect(DEFAULT_FLOW_LOG_FORMAT.split(' ')).toHaveLength(14);
	});

	test('explicit settings are kept', () => {
		const custom = '${version} ${interface-id} ${srcaddr} ${dstport} ${action} ${flow-direction}';
		const s3: FlowLog = {
			FlowLogId: 'fl-0b2c3d4e5f6789012',
			ResourceId: 'subnet-0c6d7e8f90a1b2c34',
			TrafficType: 'REJECT',
			LogDestinationType: 's3',
			LogDestination: 'arn:aws:s3:::shop-prod-flow-logs/data/',
			LogFormat: custom,
			MaxAggregationInterval: 60,
		};
		expect(mapInventory({flowLogs: [s3]}).flowLogs[0]).toMatchObject({
			trafficType: 'REJECT',
			destinationType: 's3',
			destination: 'arn:aws:s3:::shop-prod-flow-logs/data/',
			logGroupName: null,
			logFormat: custom,
			maxAggregationInterval: 60,
		});
	});

	test('a CloudWatch Logs flow log named by its group ARN alone gets that group', () => {
		const byArn = (LogDestination: string): FlowLog => ({FlowLogId: 'fl-0123456789abcdef0', ResourceId: 'eni-0123456789abcdef0', LogDestinationType: 'cloud-watch-logs', LogDestination});
		const group = (flowLog: FlowLog) => mapInventory({flowLogs: [flowLog]}).flowLogs[0]!.logGroupName;
		expect(group(byArn('arn:aws:logs:eu-west-1:123456789012:log-group:/vpc/flow-logs/shop'))).toBe('/vpc/flow-logs/shop');
		expect(group(byArn('arn:aws-cn:logs:cn-north-1:123456789012:log-group:flows:*'))).toBe('flows');
		expect(group(byArn('arn:aws:s3:::bucket/log-group:x'))).toBeNull();
		expect(group({...byArn('arn:aws:logs:eu-west-1:123456789012:log-group:other'), LogGroupName: 'named'})).toBe('named');
	});
});

describe('prefix lists and known flags', () => {
	test('entries attach to their list; a list without captured entries has unknown CIDRs', () => {
		const {prefixLists, known} = mapInventory({
			prefixLists: [
				{PrefixListId: 'pl-6da54004', PrefixListName: 'com.amazonaws.eu-west-1.s3', AddressFamily: 'IPv4'},
				{PrefixListId: 'pl-6fa54006', PrefixListName: 'com.amazonaws.eu-west-1.dynamodb', AddressFamily: 'IPv4'},
			],
			prefixListEntries: {'pl-6da54004': [{Cidr: '52.218.0.0/17'}, {Cidr: '3.5.64.0/21', Description: 'S3'}], 'pl-0aa0bb0cc0dd0ee0f': [{Cidr: '2001:db8::/32'}]},
		});
		expect(known.prefixLists).toBe(true);
		expect(prefixLists).toEqual([
			{id: 'pl-6da54004', name: 'com.amazonaws.eu-west-1.s3', addressFamily: 'IPv4', cidrs: ['52.218.0.0/17', '3.5.64.0/21']},
			{id: 'pl-6fa54006', name: 'com.amazonaws.eu-west-1.dynamodb', addressFamily: 'IPv4', cidrs: null},
			{id: 'pl-0aa0bb0cc0dd0ee0f', name: 'pl-0aa0bb0cc0dd0ee0f', addressFamily: 'IPv6', cidrs: ['2001:db8::/32']},
		]);
	});

	test('an absent part is unknown, an empty one is known and empty', () => {
		const nothing = mapInventory({});
		expect(Object.values(nothing.known)).toEqual([false, false, false, false, false, false, false, false]);
		expect(nothing.instances).toEqual([]);

		const some = mapInventory({securityGroups: [], networkAcls: [], flowLogs: []});
		expect(some.known).toEqual({instances: false, networkInterfaces: false, securityGroups: true, networkAcls: true, flowLogs: true, prefixLists: false, routeTables: false, internetGateways: false});
	});
});

describe('route states (DescribeRouteTables RouteState: active | blackhole | filtered)', () => {
	test('only active (or an absent State) carries; blackhole and filtered are kept as routes that do not', () => {
		const table: RouteTable = {
			RouteTableId: 'rtb-0a0000000000000a1',
			VpcId: 'vpc-0a0000000000000a1',
			Associations: [{Main: true}],
			Routes: [
				{DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active'},
				{DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0a0000000000000a1'},
				{DestinationCidrBlock: '203.0.113.0/24', VpcPeeringConnectionId: 'pcx-0a0000000000000a1', State: 'blackhole'},
				{DestinationCidrBlock: '198.51.100.0/24', GatewayId: 'igw-0a0000000000000a1', State: 'filtered'},
			],
		};
		const {routeTables} = mapInventory({routeTables: [table]});
		expect(routeTables[0]!.routes.map((route) => route.state)).toEqual(['active', 'active', 'blackhole', 'filtered']);
	});
});

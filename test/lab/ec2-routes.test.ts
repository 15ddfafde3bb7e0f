// DescribeRouteTables and DescribeInternetGateways through the real SDK: the lab must answer with
// EC2's filters, id lookups, errors and pagination, on the fixture snapshot's documents.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {
	DescribeInternetGatewaysCommand,
	DescribeRouteTablesCommand,
	type Filter,
	paginateDescribeInternetGateways,
	paginateDescribeRouteTables,
} from '@aws-sdk/client-ec2';
import type {Lab} from '../../source/lab/lab.js';
import {FIXTURE, IDS, closeLabs, ec2Client, expectAwsError, startFixtureLabs} from './lab-helpers.js';

let lab: Lab;
let smallPages: Lab;

beforeAll(async () => {
	({lab, smallPages} = await startFixtureLabs());
});
afterAll(() => closeLabs(lab, smallPages));

// The snapshot files are the reference: what the lab serves must read back as exactly them.
const file = (name: string) => JSON.parse(readFileSync(path.join(FIXTURE, 'aws', name), 'utf8'));
const TABLES: Array<{RouteTableId: string}> = file('describe-route-tables.json').RouteTables;
const GATEWAYS: Array<{InternetGatewayId: string}> = file('describe-internet-gateways.json').InternetGateways;

async function tableIds(filters: Filter[]): Promise<string[]> {
	const out = await ec2Client(lab).send(new DescribeRouteTablesCommand({Filters: filters}));
	return out.RouteTables!.map((table) => table.RouteTableId!);
}

async function gatewayIds(filters: Filter[]): Promise<string[]> {
	const out = await ec2Client(lab).send(new DescribeInternetGatewaysCommand({Filters: filters}));
	return out.InternetGateways!.map((gateway) => gateway.InternetGatewayId!);
}

describe('DescribeRouteTables', () => {
	it('returns every table exactly as the snapshot holds it: routes of every target kind, associations, propagating VGWs, tags', async () => {
		const out = await ec2Client(lab).send(new DescribeRouteTablesCommand({}));
		expect(out.RouteTables).toEqual(TABLES);
		expect(out.NextToken).toBeUndefined();
		// Spot checks of the XML element names the SDK had to read (routeSet, associationSet, associationState, propagatingVgwSet).
		const b = out.RouteTables!.find((table) => table.RouteTableId === 'rtb-0b0000000000000b1')!;
		expect(b.Routes).toContainEqual({DestinationCidrBlock: '0.0.0.0/0', InstanceId: 'i-0b0000000000000b3', InstanceOwnerId: '111122223333', NetworkInterfaceId: 'eni-0b0000000000000b4', Origin: 'CreateRoute', State: 'active'});
		expect(b.Routes).toContainEqual({DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-0b0000000000000b2', Origin: 'CreateRoute', State: 'active'});
		expect(b.Associations).toEqual([{Main: true, RouteTableAssociationId: 'rtbassoc-0b0000000000000b1', RouteTableId: 'rtb-0b0000000000000b1', AssociationState: {State: 'associated'}}]);
		expect(out.RouteTables!.find((table) => table.RouteTableId === 'rtb-0b0000000000000b5')!.PropagatingVgws).toEqual([{GatewayId: 'vgw-0b0000000000000b8'}]);
		expect(out.RouteTables!.find((table) => table.RouteTableId === 'rtb-0a0000000000000a3')!.Associations).toEqual([]);
	});

	it('filters by table, VPC, owner and association (subnet, main, association id, gateway edge association)', async () => {
		expect(await tableIds([{Name: 'route-table-id', Values: ['rtb-0a0000000000000a2', 'rtb-0b0000000000000b5']}])).toEqual(['rtb-0a0000000000000a2', 'rtb-0b0000000000000b5']);
		expect(await tableIds([{Name: 'vpc-id', Values: [IDS.vpc]}])).toEqual(['rtb-0a0000000000000a1', 'rtb-0a0000000000000a2', 'rtb-0a0000000000000a3', 'rtb-0a0000000000000a4']);
		expect(await tableIds([{Name: 'owner-id', Values: ['111122223333']}])).toHaveLength(6);
		expect(await tableIds([{Name: 'association.subnet-id', Values: [IDS.subnetWeb]}])).toEqual(['rtb-0a0000000000000a2']);
		// The db subnet has no explicit association: it uses the main table, which this filter never finds (as in EC2).
		expect(await tableIds([{Name: 'association.subnet-id', Values: [IDS.subnetDb]}])).toEqual([]);
		expect(await tableIds([{Name: 'association.main', Values: ['true']}])).toEqual(['rtb-0a0000000000000a1', 'rtb-0b0000000000000b1']);
		// A table without associations matches neither true nor false.
		expect(await tableIds([{Name: 'association.main', Values: ['false']}])).toEqual(['rtb-0a0000000000000a2', 'rtb-0a0000000000000a4', 'rtb-0b0000000000000b5']);
		expect(await tableIds([{Name: 'association.route-table-association-id', Values: ['rtbassoc-0b0000000000000b5']}])).toEqual(['rtb-0b0000000000000b5']);
		expect(await tableIds([{Name: 'association.route-table-id', Values: ['rtb-0a0000000000000a4']}])).toEqual(['rtb-0a0000000000000a4']);
		expect(await tableIds([{Name: 'association.gateway-id', Values: ['igw-0a00000000000000c']}])).toEqual(['rtb-0a0000000000000a4']);
	});

	it('filters by route: destination (CIDR, IPv6, prefix list), each target kind, state and origin', async () => {
		expect(await tableIds([{Name: 'route.destination-cidr-block', Values: ['0.0.0.0/0']}])).toEqual(['rtb-0a0000000000000a1', 'rtb-0a0000000000000a2', 'rtb-0a0000000000000a3', 'rtb-0b0000000000000b1', 'rtb-0b0000000000000b5']);
		expect(await tableIds([{Name: 'route.destination-ipv6-cidr-block', Values: ['2600:1f18:*']}])).toEqual(['rtb-0b0000000000000b1', 'rtb-0b0000000000000b5']);
		expect(await tableIds([{Name: 'route.destination-prefix-list-id', Values: [IDS.prefixList]}])).toEqual(['rtb-0a0000000000000a2']);
		expect(await tableIds([{Name: 'route.gateway-id', Values: ['local']}])).toHaveLength(6);
		expect(await tableIds([{Name: 'route.gateway-id', Values: ['igw-*']}])).toEqual(['rtb-0a0000000000000a2', 'rtb-0b0000000000000b5']);
		expect(await tableIds([{Name: 'route.nat-gateway-id', Values: ['nat-0a00000000000000b', 'nat-0a00000000000000e']}])).toEqual(['rtb-0a0000000000000a1', 'rtb-0a0000000000000a3']);
		expect(await tableIds([{Name: 'route.transit-gateway-id', Values: ['tgw-0a00000000000000d']}])).toEqual(['rtb-0a0000000000000a2']);
		expect(await tableIds([{Name: 'route.vpc-peering-connection-id', Values: ['pcx-0a00000000000000f']}])).toEqual(['rtb-0a0000000000000a3', 'rtb-0b0000000000000b1']);
		expect(await tableIds([{Name: 'route.egress-only-internet-gateway-id', Values: ['eigw-0b0000000000000b2']}])).toEqual(['rtb-0b0000000000000b1']);
		expect(await tableIds([{Name: 'route.instance-id', Values: ['i-0b0000000000000b3']}])).toEqual(['rtb-0b0000000000000b1']);
		expect(await tableIds([{Name: 'route.state', Values: ['blackhole']}])).toEqual(['rtb-0a0000000000000a3']);
		expect(await tableIds([{Name: 'route.origin', Values: ['EnableVgwRoutePropagation']}])).toEqual(['rtb-0b0000000000000b5']);
	});

	it('filters by tag, ANDs filters and ORs values, and refuses an unknown filter', async () => {
		expect(await tableIds([{Name: 'tag:Name', Values: ['public', 'b-public']}])).toEqual(['rtb-0a0000000000000a2', 'rtb-0b0000000000000b5']);
		expect(await tableIds([{Name: 'tag-key', Values: ['Name']}])).toHaveLength(5);
		expect(await tableIds([{Name: 'tag:Name', Values: ['*public']}, {Name: 'vpc-id', Values: [IDS.vpc]}])).toEqual(['rtb-0a0000000000000a2']);
		await expectAwsError(ec2Client(lab).send(new DescribeRouteTablesCommand({Filters: [{Name: 'route.destination', Values: ['x']}]})), 'InvalidParameterValue');
	});

	it('selects by id, names a missing one, and refuses ids together with MaxResults', async () => {
		const client = ec2Client(lab);
		const out = await client.send(new DescribeRouteTablesCommand({RouteTableIds: ['rtb-0b0000000000000b5', 'rtb-0a0000000000000a1']}));
		expect(out.RouteTables!.map((table) => table.RouteTableId)).toEqual(['rtb-0a0000000000000a1', 'rtb-0b0000000000000b5']);
		const missing = await expectAwsError(client.send(new DescribeRouteTablesCommand({RouteTableIds: ['rtb-0a0000000000000a1', 'rtb-0ffffffffffffffff']})), 'InvalidRouteTableID.NotFound');
		expect(missing.message).toBe("The routeTable ID 'rtb-0ffffffffffffffff' does not exist");
		expect(missing.$metadata!.httpStatusCode).toBe(400);
		const both = await expectAwsError(client.send(new DescribeRouteTablesCommand({RouteTableIds: ['rtb-0a0000000000000a1'], MaxResults: 5})), 'InvalidParameterCombination');
		expect(both.message).toBe('The parameter routeTableIdSet cannot be used with the parameter maxResults');
	});

	it('paginates with MaxResults (5–100) and NextToken, and the SDK paginator collects capped pages', async () => {
		const client = ec2Client(lab);
		const first = await client.send(new DescribeRouteTablesCommand({MaxResults: 5}));
		expect(first.RouteTables).toHaveLength(5);
		const second = await client.send(new DescribeRouteTablesCommand({MaxResults: 5, NextToken: first.NextToken}));
		expect(second.RouteTables!.map((table) => table.RouteTableId)).toEqual(['rtb-0b0000000000000b5']);
		expect(second.NextToken).toBeUndefined();
		await expectAwsError(client.send(new DescribeRouteTablesCommand({MaxResults: 4})), 'InvalidParameterValue');
		await expectAwsError(client.send(new DescribeRouteTablesCommand({MaxResults: 101})), 'InvalidParameterValue');
		await expectAwsError(client.send(new DescribeRouteTablesCommand({NextToken: 'garbage'})), 'InvalidParameterValue');

		const ids: string[] = [];
		let pages = 0;
		for await (const page of paginateDescribeRouteTables({client: ec2Client(smallPages)}, {Filters: [{Name: 'route.gateway-id', Values: ['local']}]})) {
			pages++;
			expect(page.RouteTables!.length).toBeLessThanOrEqual(2);
			ids.push(...page.RouteTables!.map((table) => table.RouteTableId!));
		}
		expect(pages).toBe(3);
		expect(ids).toEqual(TABLES.map((table) => table.RouteTableId));
	});

	it('answers UnauthorizedOperation when the identity may not call it', async () => {
		lab.faults.denyActions.push('DescribeRouteTables');
		try {
			const error = await expectAwsError(ec2Client(lab).send(new DescribeRouteTablesCommand({})), 'UnauthorizedOperation');
			expect(error.message).toContain('ec2:DescribeRouteTables');
		} finally {
			lab.faults.denyActions.length = 0;
		}
	});
});

describe('DescribeInternetGateways', () => {
	it('returns every gateway as the snapshot holds it, attached or not', async () => {
		const out = await ec2Client(lab).send(new DescribeInternetGatewaysCommand({}));
		expect(out.InternetGateways).toEqual(GATEWAYS);
		expect(out.InternetGateways![0]).toEqual({Attachments: [{State: 'available', VpcId: IDS.vpc}], InternetGatewayId: 'igw-0a00000000000000c', OwnerId: '111122223333', Tags: [{Key: 'Name', Value: 'igw-a'}]});
		expect(out.InternetGateways![2]!.Attachments).toEqual([]);
	});

	it('filters by id, attached VPC, attachment state, owner and tag', async () => {
		expect(await gatewayIds([{Name: 'internet-gateway-id', Values: ['igw-0b0000000000000b7']}])).toEqual(['igw-0b0000000000000b7']);
		expect(await gatewayIds([{Name: 'attachment.vpc-id', Values: [IDS.vpc]}])).toEqual(['igw-0a00000000000000c']);
		expect(await gatewayIds([{Name: 'attachment.state', Values: ['available']}])).toEqual(['igw-0a00000000000000c', 'igw-0b0000000000000b7']);
		expect(await gatewayIds([{Name: 'owner-id', Values: ['999999999999']}])).toEqual([]);
		expect(await gatewayIds([{Name: 'tag:Name', Values: ['spare']}])).toEqual(['igw-0c0000000000000c1']);
		await expectAwsError(ec2Client(lab).send(new DescribeInternetGatewaysCommand({Filters: [{Name: 'vpc-id', Values: [IDS.vpc]}]})), 'InvalidParameterValue');
	});

	it('selects by id, names a missing one, refuses ids with MaxResults, and paginates', async () => {
		const client = ec2Client(lab);
		const out = await client.send(new DescribeInternetGatewaysCommand({InternetGatewayIds: ['igw-0c0000000000000c1']}));
		expect(out.InternetGateways!.map((gateway) => gateway.InternetGatewayId)).toEqual(['igw-0c0000000000000c1']);
		const missing = await expectAwsError(client.send(new DescribeInternetGatewaysCommand({InternetGatewayIds: ['igw-0ffffffffffffffff']})), 'InvalidInternetGatewayID.NotFound');
		expect(missing.message).toBe("The internetGateway ID 'igw-0ffffffffffffffff' does not exist");
		const both = await expectAwsError(client.send(new DescribeInternetGatewaysCommand({InternetGatewayIds: ['igw-0c0000000000000c1'], MaxResults: 5})), 'InvalidParameterCombination');
		expect(both.message).toBe('The parameter internetGatewayIdSet cannot be used with the parameter maxResults');
		await expectAwsError(client.send(new DescribeInternetGatewaysCommand({MaxResults: 4})), 'InvalidParameterValue');
		expect((await client.send(new DescribeInternetGatewaysCommand({MaxResults: 1000}))).InternetGateways).toHaveLength(3);

		const ids: string[] = [];
		let pages = 0;
		for await (const page of paginateDescribeInternetGateways({client: ec2Client(smallPages)}, {})) {
			pages++;
			ids.push(...page.InternetGateways!.map((gateway) => gateway.InternetGatewayId!));
		}
		expect(pages).toBe(2);
		expect(ids).toEqual(GATEWAYS.map((gateway) => gateway.InternetGatewayId));
	});
});

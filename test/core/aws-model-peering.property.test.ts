// A client ENI in a peered VPC against random route tables on both sides and random target rules,
// decided by a reference model of AWS's documented semantics; then the engine's fixes applied: the
// connection must become reachable, every route fix a /32 over the link the other side already
// uses, every SG fix the client's /32 or its group.
//
// The model, each piece from the documents:
// - "To enable private IPv4 traffic between instances in peered VPCs, you must add a route to the
//   route tables associated with the subnets for both instances" (VPC peering guide, "Update your
//   route tables for a VPC peering connection"): the client's table must route the target's
//   private address, and the target's table the client's, each by longest prefix to an active
//   peering connection or transit gateway; an internet or NAT gateway, a blackhole or no match
//   never deliver a private IPv4 address of another VPC;
// - a security group rule naming a group matches its members' private addresses, and members of
//   a peered VPC only over the peering connection ("You can reference a security group in a
//   peered VPC" — https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html),
//   which the target's route back to the member must use; over a transit gateway not, as its
//   security group referencing "is disabled by default" (API TransitGatewayOptions).
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import {describe, expect, it} from 'vitest';
import {check} from '../../source/core/check.js';
import type {CheckRequest, Inventory, RouteTable, SecurityGroupRule, Verdict} from '../../source/core/types.js';
import {inCidr, option, words} from '../support/aws-model.js';
import {acl, eni, group, host, instance, internetGateway, inventory, openAclEntries, route, routeTable, VPC_LOCAL} from '../support/inventory-builder.js';

const TARGET = '10.0.1.10';
const CLIENT = '10.1.0.5';
const PORT = 443;

type RouteSpec = readonly [destination: string, target: string];

const toClient = fc.uniqueArray(
	fc.constantFrom<RouteSpec>(['10.1.0.0/16', 'pcx-1'], ['10.1.0.0/16', 'nat-1'], ['10.1.0.0/16', 'blackhole'], ['10.1.0.5/32', 'pcx-1'], ['10.1.0.5/32', 'blackhole'], ['0.0.0.0/0', 'igw-1'], ['0.0.0.0/0', 'nat-1'], ['10.1.0.0/24', 'igw-1']),
	{maxLength: 3, selector: (r) => r[0]},
);
const toTarget = fc.uniqueArray(
	fc.constantFrom<RouteSpec>(['10.0.0.0/16', 'pcx-1'], ['10.0.0.0/16', 'tgw-1'], ['10.0.0.0/16', 'blackhole'], ['10.0.1.10/32', 'pcx-1'], ['10.0.1.0/24', 'nat-2'], ['0.0.0.0/0', 'igw-2'], ['0.0.0.0/0', 'nat-2']),
	{maxLength: 3, selector: (r) => r[0]},
);
const ruleArb: fc.Arbitrary<SecurityGroupRule> = fc
	.record({peer: fc.constantFrom('sg-client', '10.1.0.0/16', '10.1.0.5/32', '0.0.0.0/0', '192.0.2.0/24', '10.0.0.0/16'), port: fc.constantFrom(PORT, 22)})
	.map(({peer, port}) => ({groupId: 'sg-web', direction: 'ingress', protocol: 'tcp', fromPort: port, toPort: port, peer: peer.startsWith('sg-') ? {kind: 'group', groupId: peer} : {kind: 'cidr4', cidr: peer}, description: null}));

interface Scene {
	web: readonly RouteSpec[];
	client: readonly RouteSpec[];
	rules: SecurityGroupRule[];
	byGroup: boolean;
}

const sceneArb: fc.Arbitrary<Scene> = fc.record({web: toClient, client: toTarget, rules: fc.array(ruleArb, {maxLength: 3}), byGroup: fc.boolean()});

const build = (spec: RouteSpec) => (spec[1] === 'blackhole' ? route(spec[0], 'pcx-gone', 'blackhole') : route(spec[0], spec[1]));

function buildInventory(scene: Scene): Inventory {
	return inventory({
		instances: [instance('i-web', ['eni-web']), instance('i-client', ['eni-client'], {subnetId: 'subnet-c', vpcId: 'vpc-2'})],
		networkInterfaces: [
			eni('eni-web', {instanceId: 'i-web', privateIps: [TARGET], publicIp: '198.51.100.10', groupIds: ['sg-web']}),
			eni('eni-client', {instanceId: 'i-client', subnetId: 'subnet-c', vpcId: 'vpc-2', privateIps: [CLIENT], publicIp: '203.0.113.5', groupIds: ['sg-client']}),
		],
		securityGroups: [group('sg-web', 'web', scene.rules), group('sg-client', 'client', [], {vpcId: 'vpc-2'})],
		networkAcls: [acl('acl-a', ['subnet-a'], openAclEntries()), acl('acl-c', ['subnet-c'], openAclEntries(), {vpcId: 'vpc-2'})],
		routeTables: [routeTable('rtb-a', ['subnet-a'], [...VPC_LOCAL, ...scene.web.map(build)]), routeTable('rtb-c', ['subnet-c'], [route('10.1.0.0/16', 'local'), ...scene.client.map(build)], {vpcId: 'vpc-2'})],
		internetGateways: [internetGateway('igw-1'), internetGateway('igw-2', ['vpc-2'])],
	});
}

// ---------------------------------------------------------------------------------------------
// The reference model.

/** The best route by longest prefix; null when none matches. */
function best(table: RouteTable, address: string): RouteTable['routes'][number] | null {
	let found: {prefix: number; route: RouteTable['routes'][number]} | null = null;
	for (const r of table.routes) {
		if (r.destination.kind === 'prefix-list' || !inCidr(address, r.destination.cidr)) continue;
		const prefix = Number(r.destination.cidr.split('/')[1]);
		if (!found || prefix > found.prefix) found = {prefix, route: r};
	}
	return found?.route ?? null;
}

/** A private address of another VPC is carried only by an active peering connection or transit gateway. */
function carriesPrivate(r: RouteTable['routes'][number] | null): boolean {
	return r !== null && r.state === 'active' && (r.target.kind === 'vpc-peering' || r.target.kind === 'transit-gateway');
}

function modelVerdict(inv: Inventory): Verdict {
	const [web, client] = inv.routeTables as [RouteTable, RouteTable];
	if (!carriesPrivate(best(client, TARGET)) || !carriesPrivate(best(web, CLIENT))) return 'no-route';
	const back = best(web, CLIENT)!;
	const allowed = inv.securityGroups[0]!.ingress.some((r) => {
		if (!(r.fromPort! <= PORT && PORT <= r.toPort!)) return false;
		if (r.peer.kind === 'group') return r.peer.groupId === 'sg-client' && back.target.kind === 'vpc-peering';
		return r.peer.kind === 'cidr4' && inCidr(CLIENT, r.peer.cidr);
	});
	return allowed ? 'reachable' : 'blocked-by-security-group';
}

// ---------------------------------------------------------------------------------------------
// The engine's fixes, applied as EC2 would.

function apply(inv: Inventory, line: string, scene: Scene): void {
	const argv = words(line);
	const verb = argv[2];
	if (verb === 'create-route' || verb === 'replace-route') {
		const table = inv.routeTables.find((t) => t.id === option(argv, '--route-table-id'))!;
		const cidr = option(argv, '--destination-cidr-block')!;
		// One address, on the other side: the target's from the client's table and the reverse.
		expect(cidr).toBe(table.id === 'rtb-c' ? `${TARGET}/32` : `${CLIENT}/32`);
		const link = option(argv, '--vpc-peering-connection-id') ?? option(argv, '--transit-gateway-id');
		expect(link, line).toMatch(/^(pcx|tgw)-/);
		const same = table.routes.findIndex((r) => r.destination.kind !== 'prefix-list' && ipaddr.parseCIDR(r.destination.cidr).toString() === ipaddr.parseCIDR(cidr).toString());
		expect(same >= 0).toBe(verb === 'replace-route');
		if (same >= 0) table.routes.splice(same, 1);
		table.routes.push(route(cidr, link!));
	} else if (verb === 'authorize-security-group-ingress') {
		const permission = option(argv, '--ip-permissions')!;
		expect(/FromPort=(\d+),ToPort=(\d+)/.exec(permission)!.slice(1)).toEqual([String(PORT), String(PORT)]);
		const cidrs = [...permission.matchAll(/CidrIp=([^,}]+)/g)].map((m) => m[1]!);
		const groups = [...permission.matchAll(/GroupId=([^,}]+)/g)].map((m) => m[1]!);
		// The client's /32, or its group (for a group source a reference can see: over peering).
		if (scene.byGroup && groups.length > 0) expect([cidrs, groups]).toEqual([[], ['sg-client']]);
		else expect([cidrs, groups]).toEqual([[`${CLIENT}/32`], []]);
		const g = inv.securityGroups.find((candidate) => candidate.id === option(argv, '--group-id'))!;
		for (const cidr of cidrs) g.ingress.push({groupId: g.id, direction: 'ingress', protocol: 'tcp', fromPort: PORT, toPort: PORT, peer: {kind: 'cidr4', cidr}});
		for (const id of groups) g.ingress.push({groupId: g.id, direction: 'ingress', protocol: 'tcp', fromPort: PORT, toPort: PORT, peer: {kind: 'group', groupId: id}});
	} else {
		throw new Error(`unexpected fix: ${line}`);
	}
}

function requestOf(scene: Scene): CheckRequest {
	return {target: 'i-web', protocol: 'tcp', port: PORT, source: scene.byGroup ? {kind: 'group', groupId: 'sg-client'} : {kind: 'address', address: CLIENT}, clientOs: 'linux'};
}

const listening = host(['tcp', '0.0.0.0', PORT]);

/** Some table names the link between the VPCs: the engine can route the other side over it. */
function linkKnown(inv: Inventory): boolean {
	const [web, client] = inv.routeTables as [RouteTable, RouteTable];
	return carriesPrivate(best(client, TARGET)) || carriesPrivate(best(web, CLIENT));
}

describe('a client in a peered VPC on random route tables vs a model of AWS\'s documented semantics', () => {
	it('the verdict equals the model\'s; the fixes are /32 routes over the known link and, applied, make it reachable', () => {
		fc.assert(
			fc.property(sceneArb, (scene) => {
				const inv = buildInventory(scene);
				const result = check({inventory: inv, host: listening, request: requestOf(scene)});
				const expected = modelVerdict(inv);
				expect(result.verdict, result.layers.route.summary).toBe(expected);
				if (expected === 'reachable') return;
				// With no peering connection named on either side, there is nothing to route over: the fix says so in words.
				if (!linkKnown(inv)) {
					expect(result.problems[0]!.fix.summary).toContain('peering');
					return;
				}
				const fixed = structuredClone(inv);
				for (const problem of result.problems) {
					expect(problem.fix.command, problem.fix.summary).toBeTruthy();
					for (const line of problem.fix.command!.split('\n')) apply(fixed, line, scene);
				}
				expect(modelVerdict(fixed)).toBe('reachable');
				expect(check({inventory: fixed, host: listening, request: requestOf(scene)}).verdict).toBe('reachable');
			}),
			{numRuns: 300, seed: 20261201, verbose: 0},
		);
	}, 60_000);
});

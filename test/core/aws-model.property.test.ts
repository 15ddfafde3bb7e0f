// An internet client against random snapshots, decided by a reference model written from AWS's
// documentation, packet by packet — not from the engine — and then the engine's own fixes applied
// to the snapshot: afterwards both the model and the engine must call the connection reachable,
// and every fix must be the narrowest one (the client as /32 or /128, the one port or ICMP type,
// the client's ephemeral range for a reply, a route for the client only).
//
// What the model encodes, each from the VPC User Guide / EC2 API reference:
// - security groups: allow-only, every group on the ENI unioned, stateful (no return check);
//   tcp/udp match the destination port range (inclusive), icmp/icmpv6 FromPort = type and ToPort =
//   code with -1 any, '-1' every protocol; a 0.0.0.0/0 rule never admits IPv6 nor ::/0 IPv4;
//   a prefix list stands for its entries; a group reference for its members' private addresses;
// - NACLs: stateless, one direction's entries in rule-number order, the first entry that matches
//   (address, protocol, port or ICMP type/code) decides; nothing matches: deny. The reply leaves
//   for the client's ephemeral port: every port of the range must be allowed;
// - routes: longest prefix over CIDR and prefix-list entries (a CIDR wins a tie); only `active`
//   carries; an internet gateway needs a public IPv4 (IPv4 client) or an IPv6 address (IPv6
//   client); a NAT gateway, an egress-only gateway or a gateway VPC endpoint admit nothing from
//   outside.
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import {describe, expect, it} from 'vitest';
import {check} from '../../source/core/check.js';
import type {CheckRequest, ClientOs, Inventory, NetworkAclEntry, SecurityGroupRule, Verdict} from '../../source/core/types.js';
import {applyDenyCopy, CLIENT_EPHEMERAL, inCidr, naclAllows, naclAllowsRange, naclEntryBodyArb, NUMBERS, option, removeReplaced, words} from '../support/aws-model.js';
import {acl, eni, group, host, instance, internetGateway, inventory, prefixList, route, routeTable, VPC_LOCAL} from '../support/inventory-builder.js';

type Family = 'ipv4' | 'ipv6';
const ENDPOINT = 'vpce-0123456789abcdef0';
const PORT = 443;

const clientAddress = (family: Family, n: number) => (family === 'ipv4' ? `203.0.113.${n}` : `2001:db8:ff::${n === 0 ? '' : n.toString(16)}`);

function clientsOf(scene: Scene): string[] {
	const base = (scene.n >> scene.bits) << scene.bits;
	return Array.from({length: 2 ** scene.bits}, (_, i) => clientAddress(scene.family, base + i));
}

function sourceCidrOf(scene: Scene): string {
	const base = clientAddress(scene.family, (scene.n >> scene.bits) << scene.bits);
	return `${base}/${(scene.family === 'ipv4' ? 32 : 128) - scene.bits}`;
}

/** The narrowest a fix may be: the one client, or a part of the client range. */
function expectNarrow(cidr: string, scene: Scene): void {
	const source = sourceCidrOf(scene);
	if (scene.bits === 0) {
		expect(cidr).toBe(source);
		return;
	}
	const [net, prefix] = ipaddr.parseCIDR(cidr);
	const [sourceNet, sourcePrefix] = ipaddr.parseCIDR(source);
	expect(prefix >= sourcePrefix && net.kind() === sourceNet.kind() && net.match(sourceNet, sourcePrefix), `${cidr} inside ${source}`).toBe(true);
}

/** A CIDR inside the 16-client universe of a family, or a wide one. */
function cidrArb(family: Family): fc.Arbitrary<string> {
	const inside = fc.tuple(fc.integer({min: 0, max: 15}), fc.integer({min: 0, max: 4})).map(([n, bits]) => `${clientAddress(family, (n >> bits) << bits)}/${(family === 'ipv4' ? 32 : 128) - bits}`);
	const wide = fc.constantFrom(...(family === 'ipv4' ? ['0.0.0.0/0', '203.0.113.0/24', '192.0.2.0/24'] : ['::/0', '2001:db8:ff::/48', 'fd00::/8']));
	return fc.oneof({weight: 3, arbitrary: inside}, {weight: 1, arbitrary: wide});
}
const anyCidr = fc.oneof(cidrArb('ipv4'), cidrArb('ipv6'));

const sgRuleArb: fc.Arbitrary<SecurityGroupRule> = fc
	.record({
		protocol: fc.constantFrom('tcp', 'udp', 'icmp', 'icmpv6', '-1', '6', '17', '1', '58', '50'),
		// -1 is "all" for ICMP types only: for TCP/UDP it is a range holding no port.
		range: fc.constantFrom<[number, number]>([PORT, PORT], [0, 65535], [400, 500], [444, 450], [22, 22], [PORT - 1, PORT], [-1, -1], [PORT + 1, 65535]),
		icmp: fc.tuple(fc.constantFrom(-1, 8, 0, 128, 3), fc.constantFrom(-1, 0, 1)),
		peer: fc.oneof(
			{weight: 6, arbitrary: anyCidr.map((cidr) => (cidr.includes(':') ? {kind: 'cidr6' as const, cidr} : {kind: 'cidr4' as const, cidr}))},
			{weight: 1, arbitrary: fc.constant({kind: 'prefix-list' as const, prefixListId: 'pl-clients'})},
			{weight: 1, arbitrary: fc.constant({kind: 'group' as const, groupId: 'sg-peer'})},
		),
		groupId: fc.constantFrom('sg-a', 'sg-b'),
	})
	.map(({protocol, range, icmp, peer, groupId}) => {
		const n = NUMBERS[protocol];
		const [fromPort, toPort] = protocol === '-1' ? [null, null] : n === 1 || n === 58 ? icmp : range;
		return {groupId, direction: 'ingress', protocol, fromPort, toPort, peer, description: null};
	});

const allowAll = (egress: boolean, cidr = '0.0.0.0/0'): NetworkAclEntry => ({ruleNumber: cidr.includes(':') ? 101 : 100, protocol: '-1', action: 'allow', egress, cidr: cidr.includes(':') ? null : cidr, ipv6Cidr: cidr.includes(':') ? cidr : null, portRange: null, icmpTypeCode: null});

const naclEntryArb = naclEntryBodyArb(anyCidr, [null, [PORT, PORT], [1024, 65535], [32768, 60999], [49152, 65535], [0, 65535], [40000, 50000], [1, 1023], [32768, 65535], [61000, 65535], [60999, 60999]]);

const aclArb = fc
	.tuple(fc.uniqueArray(fc.integer({min: 1, max: 200}), {maxLength: 8}), fc.array(naclEntryArb, {minLength: 8, maxLength: 8}), fc.boolean())
	.map(([numbers, bodies, explicitStars]) => {
		const entries: NetworkAclEntry[] = numbers.map((ruleNumber, i) => ({...bodies[i]!, ruleNumber}));
		// DescribeNetworkAcls lists the `*` denies (32767 IPv4, 32768 IPv6); hand-written snapshots may not.
		if (explicitStars) {
			for (const egress of [false, true]) {
				entries.push({ruleNumber: 32767, protocol: '-1', action: 'deny', egress, cidr: '0.0.0.0/0', ipv6Cidr: null, portRange: null, icmpTypeCode: null});
				entries.push({ruleNumber: 32768, protocol: '-1', action: 'deny', egress, cidr: null, ipv6Cidr: '::/0', portRange: null, icmpTypeCode: null});
			}
		}
		return entries;
	});

const routeArb = fc.constantFrom<readonly [string, string]>(
	['0.0.0.0/0', 'igw-1'],
	['0.0.0.0/0', 'nat-1'],
	['::/0', 'igw-1'],
	['::/0', 'eigw-1'],
	['pl-s3', ENDPOINT],
	['203.0.113.0/28', 'igw-1'],
	['203.0.113.0/29', 'nat-1'],
	['203.0.113.4/30', 'blackhole'],
	['2001:db8:ff::/124', 'igw-1'],
	['2001:db8:ff::/126', 'eigw-1'],
	['203.0.113.8/29', 'igw-1'],
);

interface Scene {
	family: Family;
	n: number;
	/** 0: the client is one address; 1–4: a --from CIDR of 2^bits addresses from n's block. */
	bits: number;
	protocol: 'tcp' | 'udp' | 'icmp';
	clientOs: ClientOs;
	rules: SecurityGroupRule[];
	entries: NetworkAclEntry[];
	routes: ReadonlyArray<readonly [string, string]>;
	s3: string[];
	clientList: string[];
	publicIp: boolean;
	ipv6: boolean;
	/** False: subnet-a has no explicit associations, so the VPC's main route table and default ACL serve it. */
	explicit: boolean;
}

const sceneArb: fc.Arbitrary<Scene> = fc.record({
	family: fc.constantFrom<Family>('ipv4', 'ipv6'),
	n: fc.integer({min: 0, max: 15}),
	bits: fc.constantFrom(0, 0, 0, 1, 2, 4),
	protocol: fc.constantFrom('tcp' as const, 'udp' as const, 'icmp' as const),
	clientOs: fc.constantFrom<ClientOs>('linux', 'windows', 'nat'),
	rules: fc.array(sgRuleArb, {maxLength: 5}),
	entries: aclArb,
	routes: fc.uniqueArray(routeArb, {maxLength: 5, selector: (r) => r[0]}),
	s3: fc.uniqueArray(cidrArb('ipv4').filter((c) => !c.endsWith('/0')), {minLength: 1, maxLength: 2}),
	clientList: fc.uniqueArray(anyCidr, {maxLength: 2}),
	publicIp: fc.boolean(),
	ipv6: fc.boolean(),
	explicit: fc.boolean(),
});

function buildInventory(scene: Scene): Inventory {
	const groupIds = ['sg-a', 'sg-b'];
	return inventory({
		instances: [instance('i-web', ['eni-web'])],
		networkInterfaces: [
			eni('eni-web', {instanceId: 'i-web', privateIps: ['10.0.1.10'], ipv6Addresses: scene.ipv6 ? ['2001:db8:1::10'] : [], publicIp: scene.publicIp ? '198.51.100.10' : null, groupIds}),
			// sg-peer's only member, inside the VPC: never the internet client.
			eni('eni-peer', {subnetId: 'subnet-b', privateIps: ['10.0.2.50'], groupIds: ['sg-peer']}),
		],
		securityGroups: groupIds.map((id) => group(id, id, scene.rules.filter((r) => r.groupId === id))).concat(group('sg-peer', 'peer', [])),
		// Another subnet's open ACL and public table are decoys: they never serve subnet-a.
		networkAcls: [
			acl('acl-a', scene.explicit ? ['subnet-a'] : [], scene.entries, {isDefault: !scene.explicit}),
			acl('acl-z', ['subnet-z'], [allowAll(false), allowAll(true), allowAll(false, '::/0'), allowAll(true, '::/0')], {isDefault: scene.explicit}),
		],
		prefixLists: [{...prefixList('pl-s3', scene.s3), name: 'com.amazonaws.us-east-1.s3'}, prefixList('pl-clients', scene.clientList)],
		routeTables: [
			routeTable('rtb-a', scene.explicit ? ['subnet-a'] : [], [...VPC_LOCAL, ...scene.routes.map(([destination, target]) => (target === 'blackhole' ? route(destination, 'igw-gone', 'blackhole') : route(destination, target)))], {main: !scene.explicit}),
			routeTable('rtb-z', ['subnet-z'], [...VPC_LOCAL, route('0.0.0.0/0', 'igw-1'), route('::/0', 'igw-1')]),
			routeTable('rtb-main', [], [...VPC_LOCAL], {main: scene.explicit}),
		],
		internetGateways: [internetGateway('igw-1')],
	});
}

/** The packet a check sends: protocol number, destination port (ICMP: echo request type), and the reply's ICMP type. */
function packetOf(scene: Scene): {proto: number; port: number; replyType: number} {
	if (scene.protocol !== 'icmp') return {proto: NUMBERS[scene.protocol]!, port: PORT, replyType: -1};
	return scene.family === 'ipv4' ? {proto: 1, port: 8, replyType: 0} : {proto: 58, port: 128, replyType: 129};
}

// ---------------------------------------------------------------------------------------------
// The reference model.

function sgAllows(inv: Inventory, client: string, proto: number, port: number): boolean {
	const eniWeb = inv.networkInterfaces.find((e) => e.id === 'eni-web')!;
	return eniWeb.groupIds.some((id) =>
		inv.securityGroups.find((g) => g.id === id)!.ingress.some((r) => {
			if (r.protocol !== '-1') {
				if (NUMBERS[r.protocol] !== proto) return false;
				if (proto === 6 || proto === 17) {
					if (r.fromPort !== null && !(r.fromPort <= port && port <= r.toPort!)) return false;
				} else if ((r.fromPort !== -1 && r.fromPort !== port) || (r.toPort !== -1 && r.toPort !== 0)) return false;
			}
			const peer = r.peer;
			if (peer.kind === 'cidr4' || peer.kind === 'cidr6') return inCidr(client, peer.cidr);
			if (peer.kind === 'prefix-list') return inv.prefixLists.find((l) => l.id === peer.prefixListId)!.cidrs!.some((c) => inCidr(client, c));
			return inv.networkInterfaces.filter((e) => e.groupIds.includes(peer.groupId)).some((e) => [...e.privateIps, ...e.ipv6Addresses].includes(client));
		}),
	);
}

function routeVerdict(inv: Inventory, client: string): Verdict | null {
	// "A subnet can only be associated with one route table at a time … if you don't explicitly
	// associate a subnet with a particular route table, the subnet is implicitly associated with
	// the main route table" (VPC User Guide, "Subnet route tables").
	const table = inv.routeTables.find((t) => t.subnetIds.includes('subnet-a')) ?? inv.routeTables.find((t) => t.main)!;
	const eniWeb = inv.networkInterfaces.find((e) => e.id === 'eni-web')!;
	let best: {prefix: number; list: boolean; route: (typeof table.routes)[number]} | null = null;
	for (const r of table.routes) {
		const list = r.destination.kind === 'prefix-list';
		const cidrs = r.destination.kind === 'prefix-list' ? inv.prefixLists.find((l) => l.id === (r.destination as {prefixListId: string}).prefixListId)!.cidrs! : [r.destination.cidr];
		for (const cidr of cidrs) {
			if (!inCidr(client, cidr)) continue;
			const prefix = Number(cidr.split('/')[1]);
			if (!best || prefix > best.prefix || (prefix === best.prefix && best.list && !list)) best = {prefix, list, route: r};
		}
	}
	if (!best || best.route.state !== 'active') return 'no-route';
	const target = best.route.target;
	if (target.kind === 'internet-gateway') {
		const hasAddress = client.includes(':') ? eniWeb.ipv6Addresses.length > 0 : eniWeb.publicIp !== null;
		return hasAddress ? null : 'no-public-address';
	}
	return 'no-route'; // NAT gateway, egress-only gateway, gateway endpoint
}

/**
 * Each layer is judged for every client address; the first layer in path order that stops any of
 * them names the verdict (a range is reachable only if all of it is). The route layer says
 * no-public-address only when that is all that stops it.
 */
function modelVerdict(inv: Inventory, scene: Scene): Verdict {
	const clients = clientsOf(scene);
	const {proto, port, replyType} = packetOf(scene);
	// "Each subnet … must be associated with a network ACL. If you don't explicitly associate a
	// subnet with a network ACL, the subnet is automatically associated with the default network ACL."
	const entries = (inv.networkAcls.find((a) => a.subnetIds.includes('subnet-a')) ?? inv.networkAcls.find((a) => a.isDefault)!).entries;
	const ephemeral = CLIENT_EPHEMERAL[scene.clientOs];
	const routes = clients.map((client) => routeVerdict(inv, client)).filter((v): v is Verdict => v !== null);
	if (routes.length > 0) return routes.includes('no-route') ? 'no-route' : 'no-public-address';
	if (!clients.every((client) => naclAllows(entries, false, client, proto, port, port))) return 'blocked-by-nacl-inbound';
	if (!clients.every((client) => sgAllows(inv, client, proto, port))) return 'blocked-by-security-group';
	const replyOut = (client: string) => (scene.protocol === 'icmp' ? naclAllows(entries, true, client, proto, replyType, replyType) : naclAllowsRange(entries, true, client, proto, ephemeral.from, ephemeral.to));
	if (!clients.every(replyOut)) return 'blocked-by-nacl-return';
	return 'reachable';
}

// ---------------------------------------------------------------------------------------------
// The engine's fix commands, applied to the inventory as EC2 would.

/** Applies one fix line; asserts it is as narrow as the request allows. */
function apply(inv: Inventory, line: string, scene: Scene): void {
	const {proto, port, replyType} = packetOf(scene);
	const argv = words(line);
	expect(argv.slice(0, 2)).toEqual(['aws', 'ec2']);
	const verb = argv[2];
	const eniWeb = inv.networkInterfaces.find((e) => e.id === 'eni-web')!;
	if (verb === 'authorize-security-group-ingress') {
		const permission = option(argv, '--ip-permissions')!;
		const protocol = /IpProtocol=([^,]+)/.exec(permission)![1]!;
		const fromPort = Number(/FromPort=(-?\d+)/.exec(permission)![1]);
		const toPort = Number(/ToPort=(-?\d+)/.exec(permission)![1]);
		const cidrs = [...permission.matchAll(/CidrIpv?6?=([^,}]+)/g)].map((m) => m[1]!);
		expect(cidrs.length).toBeGreaterThan(0);
		for (const cidr of cidrs) expectNarrow(cidr, scene);
		expect(NUMBERS[protocol]).toBe(proto);
		// ICMP: the checked type and code (echo request, code 0), not every code of the type.
		if (scene.protocol === 'icmp') expect([fromPort, toPort]).toEqual([port, 0]);
		else expect([fromPort, toPort]).toEqual([port, port]);
		const groupId = option(argv, '--group-id')!;
		const group = inv.securityGroups.find((g) => g.id === groupId)!;
		expect(eniWeb.groupIds).toContain(groupId);
		for (const cidr of cidrs) group.ingress.push({groupId, direction: 'ingress', protocol, fromPort, toPort, peer: cidr.includes(':') ? {kind: 'cidr6', cidr} : {kind: 'cidr4', cidr}});
	} else if (verb === 'create-network-acl-entry' && option(argv, '--rule-action') === 'deny') {
		applyDenyCopy(inv.networkAcls.find((a) => a.id === option(argv, '--network-acl-id'))!, argv);
	} else if (verb === 'create-network-acl-entry' || verb === 'replace-network-acl-entry') {
		if (verb === 'replace-network-acl-entry') removeReplaced(inv.networkAcls.find((a) => a.id === option(argv, '--network-acl-id'))!, argv);
		const egress = argv.includes('--egress');
		const cidr = option(argv, '--cidr-block') ?? option(argv, '--ipv6-cidr-block')!;
		expectNarrow(cidr, scene);
		expect(option(argv, '--rule-action')).toBe('allow');
		const protocol = option(argv, '--protocol')!;
		expect(NUMBERS[protocol]).toBe(proto);
		const entry: NetworkAclEntry = {ruleNumber: Number(option(argv, '--rule-number')), protocol: String(NUMBERS[protocol]), action: 'allow', egress, cidr: cidr.includes(':') ? null : cidr, ipv6Cidr: cidr.includes(':') ? cidr : null, portRange: null, icmpTypeCode: null};
		const acl = inv.networkAcls.find((a) => a.id === option(argv, '--network-acl-id'))!;
		expect(acl.entries.some((e) => e.egress === egress && e.ruleNumber === entry.ruleNumber)).toBe(false);
		if (scene.protocol === 'icmp') {
			const [, type, code] = /Type=(-?\d+),Code=(-?\d+)/.exec(option(argv, '--icmp-type-code')!)!;
			expect(Number(code)).toBe(0);
			expect(Number(type)).toBe(egress ? replyType : port);
			entry.icmpTypeCode = {type: Number(type), code: Number(code)};
		} else {
			const [, from, to] = /From=(\d+),To=(\d+)/.exec(option(argv, '--port-range')!)!;
			entry.portRange = {from: Number(from), to: Number(to)};
			const ephemeral = CLIENT_EPHEMERAL[scene.clientOs];
			// Inbound: the one port. The reply: inside the client's ephemeral range, never wider.
			if (egress) expect(ephemeral.from <= entry.portRange.from && entry.portRange.to <= ephemeral.to).toBe(true);
			else expect(entry.portRange).toEqual({from: port, to: port});
		}
		acl.entries.push(entry);
	} else if (verb === 'create-route' || verb === 'replace-route') {
		const cidr = option(argv, '--destination-cidr-block') ?? option(argv, '--destination-ipv6-cidr-block')!;
		expectNarrow(cidr, scene);
		expect(option(argv, '--gateway-id')).toBe('igw-1');
		const table = inv.routeTables.find((t) => t.id === option(argv, '--route-table-id'))!;
		// EC2: create-route fails when the destination exists (RouteAlreadyExists); replace-route needs it.
		const same = table.routes.findIndex((r) => r.destination.kind !== 'prefix-list' && ipaddr.parseCIDR(r.destination.cidr).toString() === ipaddr.parseCIDR(cidr).toString());
		expect(same >= 0).toBe(verb === 'replace-route');
		if (same >= 0) table.routes.splice(same, 1);
		table.routes.push(route(cidr, 'igw-1'));
	} else if (verb === 'associate-address') {
		expect(scene.family).toBe('ipv4');
		expect(option(argv, '--network-interface-id')).toBe('eni-web');
		eniWeb.publicIp = '198.51.100.99';
	} else if (verb === 'assign-ipv6-addresses') {
		expect(scene.family).toBe('ipv6');
		expect(option(argv, '--ipv6-address-count')).toBe('1');
		eniWeb.ipv6Addresses.push('2001:db8:1::99');
	} else {
		throw new Error(`unexpected fix: ${line}`);
	}
}

function requestOf(scene: Scene): CheckRequest {
	const source: CheckRequest['source'] = scene.bits === 0 ? {kind: 'address', address: clientAddress(scene.family, scene.n)} : {kind: 'cidr', cidr: sourceCidrOf(scene)};
	return {target: 'i-web', protocol: scene.protocol, port: packetOf(scene).port, source, clientOs: scene.clientOs};
}

const listening = host(['tcp', '0.0.0.0', PORT], ['tcp', '::', PORT], ['udp', '0.0.0.0', PORT], ['udp', '::', PORT]);

describe('an internet client on random snapshots vs a model of AWS\'s documented semantics', () => {
	it('the verdict equals the model\'s; the fixes are the narrowest and, applied, make the connection reachable', () => {
		fc.assert(
			fc.property(sceneArb, (scene) => {
				const inv = buildInventory(scene);
				const result = check({inventory: inv, host: listening, request: requestOf(scene)});
				const expected = modelVerdict(inv, scene);
				expect(result.verdict).toBe(expected);
				if (expected === 'reachable') return;
				const fixed = structuredClone(inv);
				// A deny with no number in front of it and none behind it before the next rule: the fix says to renumber.
				if (result.problems.some((problem) => problem.fix.summary.includes('no free rule number'))) return;
				for (const problem of result.problems) {
					expect(problem.fix.command, problem.fix.summary).toBeTruthy();
					for (const line of problem.fix.command!.split('\n')) apply(fixed, line, scene);
				}
				expect(modelVerdict(fixed, scene)).toBe('reachable');
				expect(check({inventory: fixed, host: listening, request: requestOf(scene)}).verdict).toBe('reachable');
			}),
			{numRuns: 400, seed: 20261201, verbose: 0},
		);
	}, 120_000);
});

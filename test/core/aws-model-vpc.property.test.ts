// A client inside the VPC (an ENI of the snapshot, or `--from sg-…` for every member of its
// group) against random rules, decided by a reference model of AWS's documented semantics, packet
// by packet; then the engine's fixes applied: the connection must become reachable, and every fix
// must be the narrowest (the target's address on the client's outbound rule and ACL, the client's
// address — or its group — on the target's, one port, the reply's ephemeral range at most).
//
// The model: the client's groups' EGRESS rules must allow the packet to the target's address
// (stateful: nothing for the reply); a NACL applies only where the packet crosses a subnet boundary
// (not between two ENIs of one subnet), both subnets' ACLs, each way — outbound request and inbound
// reply on the client's side, inbound request and outbound reply on the target's; the `local` route
// carries; the target's groups' INGRESS rules must allow the client's private address (a group
// reference = its members' private addresses). A group source is reachable only if every member is.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {check} from '../../source/core/check.js';
import type {CheckRequest, ClientOs, Inventory, NetworkAclEntry, NetworkInterface, SecurityGroupRule, Verdict} from '../../source/core/types.js';
import {applyDenyCopy, CLIENT_EPHEMERAL, inCidr, naclAllows, naclAllowsRange, naclEntryBodyArb, NUMBERS, option, removeReplaced, words} from '../support/aws-model.js';
import {acl, eni, group, host, instance, inventory, routeTable, VPC_LOCAL} from '../support/inventory-builder.js';

type Family = 'ipv4' | 'ipv6';
const PORT = 443;
const TARGET = {ipv4: '10.0.1.10', ipv6: '2001:db8:1::10'};
const CLIENT = {ipv4: '10.0.2.20', ipv6: '2001:db8:1::2:20'};
const OTHER = {ipv4: '10.0.2.30', ipv6: '2001:db8:1::2:30'};

const peerArb = fc.constantFrom('sg-client', 'sg-web', '10.0.0.0/16', '10.0.2.0/24', '10.0.2.20/32', '10.0.1.10/32', '0.0.0.0/0', '::/0', '2001:db8:1::/56', '2001:db8:1::2:20/128', '2001:db8:1::10/128', '192.0.2.0/24');

function ruleArb(direction: 'ingress' | 'egress', groupId: string): fc.Arbitrary<SecurityGroupRule> {
	return fc
		.record({
			protocol: fc.constantFrom('tcp', 'udp', 'icmp', 'icmpv6', '-1'),
			range: fc.constantFrom<[number, number]>([PORT, PORT], [0, 65535], [400, 500], [444, 450], [22, 22]),
			icmp: fc.tuple(fc.constantFrom(-1, 8, 128, 3), fc.constantFrom(-1, 0, 1)),
			peer: peerArb,
		})
		.map(({protocol, range, icmp, peer}) => {
			const n = NUMBERS[protocol];
			const [fromPort, toPort] = protocol === '-1' ? [null, null] : n === 1 || n === 58 ? icmp : range;
			return {
				groupId,
				direction,
				protocol,
				fromPort,
				toPort,
				peer: peer.startsWith('sg-') ? {kind: 'group' as const, groupId: peer} : peer.includes(':') ? {kind: 'cidr6' as const, cidr: peer} : {kind: 'cidr4' as const, cidr: peer},
				description: null,
			};
		});
}

const entryArb = naclEntryBodyArb(fc.constantFrom('0.0.0.0/0', '10.0.0.0/16', '10.0.1.0/24', '10.0.2.0/24', '10.0.1.10/32', '10.0.2.20/32', '::/0', '2001:db8:1::/56', '2001:db8:1::2:0/112', '2001:db8:1::10/128'), [null, [PORT, PORT], [1024, 65535], [32768, 60999], [49152, 65535], [40000, 50000], [1, 1023]]);

const aclArb = fc
	.tuple(fc.uniqueArray(fc.integer({min: 1, max: 200}), {maxLength: 7}), fc.array(entryArb, {minLength: 7, maxLength: 7}))
	.map(([numbers, bodies]) => numbers.map((ruleNumber, i): NetworkAclEntry => ({...bodies[i]!, ruleNumber})));

interface Scene {
	family: Family;
	/** The client: one ENI by its address, or every member of sg-client. */
	byGroup: boolean;
	clientSubnet: 'subnet-a' | 'subnet-b';
	otherSubnet: 'subnet-a' | 'subnet-b';
	sharedAcl: boolean;
	protocol: 'tcp' | 'udp' | 'icmp';
	clientOs: ClientOs;
	ingress: SecurityGroupRule[];
	egress: SecurityGroupRule[];
	aclA: NetworkAclEntry[];
	aclB: NetworkAclEntry[];
}

const sceneArb: fc.Arbitrary<Scene> = fc
	.record({
		family: fc.constantFrom<Family>('ipv4', 'ipv6'),
		byGroup: fc.boolean(),
		clientSubnet: fc.constantFrom('subnet-a' as const, 'subnet-b' as const, 'subnet-b' as const),
		otherSubnet: fc.constantFrom('subnet-a' as const, 'subnet-b' as const),
		sharedAcl: fc.boolean(),
		protocol: fc.constantFrom('tcp' as const, 'udp' as const, 'icmp' as const),
		clientOs: fc.constantFrom<ClientOs>('linux', 'windows', 'nat'),
		ingress: fc.array(ruleArb('ingress', 'sg-web'), {maxLength: 4}),
		egress: fc.array(ruleArb('egress', 'sg-client'), {maxLength: 4}),
		aclA: aclArb,
		aclB: aclArb,
	})
	// A group source connects over IPv4 here; its members are dual-stack (below), and their IPv6
	// addresses take no part in an IPv4 connection.
	.map((scene) => (scene.byGroup ? {...scene, family: 'ipv4' as const} : scene));

function buildInventory(scene: Scene): Inventory {
	const v6 = scene.family === 'ipv6';
	const members = (where: {ipv4: string; ipv6: string}) => ({privateIps: [where.ipv4], ipv6Addresses: v6 || scene.byGroup ? [where.ipv6] : []});
	const clientGroup = group('sg-client', 'client', []);
	clientGroup.egress = scene.egress;
	return inventory({
		instances: [instance('i-web', ['eni-web']), instance('i-client', ['eni-client'], {subnetId: scene.clientSubnet})],
		networkInterfaces: [
			eni('eni-web', {instanceId: 'i-web', ...members(TARGET), groupIds: ['sg-web']}),
			eni('eni-client', {instanceId: 'i-client', subnetId: scene.clientSubnet, ...members(CLIENT), groupIds: ['sg-client']}),
			eni('eni-other', {subnetId: scene.otherSubnet, ...members(OTHER), groupIds: ['sg-client']}),
		],
		securityGroups: [group('sg-web', 'web', scene.ingress), clientGroup],
		networkAcls: scene.sharedAcl ? [acl('acl-a', ['subnet-a', 'subnet-b'], [...scene.aclA])] : [acl('acl-a', ['subnet-a'], [...scene.aclA]), acl('acl-b', ['subnet-b'], [...scene.aclB])],
		routeTables: [routeTable('rtb-main', [], [...VPC_LOCAL], {main: true})],
		internetGateways: [],
	});
}

function packetOf(scene: Scene): {proto: number; port: number; replyType: number} {
	if (scene.protocol !== 'icmp') return {proto: NUMBERS[scene.protocol]!, port: PORT, replyType: -1};
	return scene.family === 'ipv4' ? {proto: 1, port: 8, replyType: 0} : {proto: 58, port: 128, replyType: 129};
}

/** The client ENIs of the request. */
function clientEnis(inv: Inventory, scene: Scene): NetworkInterface[] {
	return inv.networkInterfaces.filter((e) => (scene.byGroup ? e.groupIds.includes('sg-client') : e.id === 'eni-client'));
}

const addressOf = (e: NetworkInterface, family: Family) => (family === 'ipv4' ? e.privateIps[0]! : e.ipv6Addresses[0]!);

function groupsAllow(inv: Inventory, groupIds: string[], direction: 'ingress' | 'egress', remote: string, proto: number, port: number): boolean {
	return groupIds.some((id) =>
		(inv.securityGroups.find((g) => g.id === id)?.[direction] ?? []).some((r) => {
			if (r.protocol !== '-1') {
				if (NUMBERS[r.protocol] !== proto) return false;
				if (proto === 6 || proto === 17) {
					if (r.fromPort !== null && !(r.fromPort <= port && port <= r.toPort!)) return false;
				} else if ((r.fromPort !== -1 && r.fromPort !== port) || (r.toPort !== -1 && r.toPort !== 0)) return false;
			}
			const peer = r.peer;
			if (peer.kind === 'cidr4' || peer.kind === 'cidr6') return inCidr(remote, peer.cidr);
			if (peer.kind === 'group') return inv.networkInterfaces.some((e) => e.groupIds.includes(peer.groupId) && [...e.privateIps, ...e.ipv6Addresses].includes(remote));
			return false;
		}),
	);
}

function aclOf(inv: Inventory, subnetId: string): NetworkAclEntry[] {
	return inv.networkAcls.find((a) => a.subnetIds.includes(subnetId))!.entries;
}

function modelVerdict(inv: Inventory, scene: Scene): Verdict {
	const {proto, port, replyType} = packetOf(scene);
	const web = inv.networkInterfaces.find((e) => e.id === 'eni-web')!;
	const target = addressOf(web, scene.family);
	const ephemeral = CLIENT_EPHEMERAL[scene.clientOs];
	const clients = clientEnis(inv, scene).map((e) => ({eni: e, address: addressOf(e, scene.family), crosses: e.subnetId !== web.subnetId}));
	const reply = (entries: NetworkAclEntry[], egress: boolean, remote: string) =>
		scene.protocol === 'icmp' ? naclAllows(entries, egress, remote, proto, replyType, replyType) : naclAllowsRange(entries, egress, remote, proto, ephemeral.from, ephemeral.to);
	const layers: Array<[Verdict, (client: (typeof clients)[number]) => boolean]> = [
		['blocked-by-client-security-group', (c) => groupsAllow(inv, c.eni.groupIds, 'egress', target, proto, port)],
		['blocked-by-client-nacl-outbound', (c) => !c.crosses || naclAllows(aclOf(inv, c.eni.subnetId), true, target, proto, port, port)],
		['blocked-by-nacl-inbound', (c) => !c.crosses || naclAllows(aclOf(inv, web.subnetId), false, c.address, proto, port, port)],
		['blocked-by-security-group', (c) => groupsAllow(inv, web.groupIds, 'ingress', c.address, proto, port)],
		['blocked-by-nacl-return', (c) => !c.crosses || reply(aclOf(inv, web.subnetId), true, c.address)],
		['blocked-by-client-nacl-return', (c) => !c.crosses || reply(aclOf(inv, c.eni.subnetId), false, target)],
	];
	for (const [verdict, allows] of layers) if (!clients.every(allows)) return verdict;
	return 'reachable';
}

/** Applies one fix line as EC2 would; asserts it is as narrow as the request allows. */
function apply(inv: Inventory, line: string, scene: Scene): void {
	const {proto, port, replyType} = packetOf(scene);
	const argv = words(line);
	const web = inv.networkInterfaces.find((e) => e.id === 'eni-web')!;
	const target = `${addressOf(web, scene.family)}/${scene.family === 'ipv4' ? 32 : 128}`;
	const clientCidrs = clientEnis(inv, scene).map((e) => `${addressOf(e, scene.family)}/${scene.family === 'ipv4' ? 32 : 128}`);
	const verb = argv[2];
	if (verb === 'authorize-security-group-ingress' || verb === 'authorize-security-group-egress') {
		const egress = verb.endsWith('egress');
		const groupId = option(argv, '--group-id')!;
		expect(groupId).toBe(egress ? 'sg-client' : 'sg-web');
		const permission = option(argv, '--ip-permissions')!;
		const protocol = /IpProtocol=([^,]+)/.exec(permission)![1]!;
		const fromPort = Number(/FromPort=(-?\d+)/.exec(permission)![1]);
		const toPort = Number(/ToPort=(-?\d+)/.exec(permission)![1]);
		expect(NUMBERS[protocol]).toBe(proto);
		// ICMP: the checked type and code (echo request, code 0), not every code of the type.
		expect([fromPort, toPort]).toEqual(scene.protocol === 'icmp' ? [port, 0] : [port, port]);
		const cidrs = [...permission.matchAll(/CidrIpv?6?=([^,}]+)/g)].map((m) => m[1]!);
		const groups = [...permission.matchAll(/GroupId=([^,}]+)/g)].map((m) => m[1]!);
		if (egress) expect(cidrs).toEqual([target]);
		else if (scene.byGroup) expect([cidrs, groups]).toEqual([[], ['sg-client']]);
		else expect(cidrs).toEqual(clientCidrs);
		const group = inv.securityGroups.find((g) => g.id === groupId)!;
		const peers = [...cidrs.map((cidr) => (cidr.includes(':') ? {kind: 'cidr6' as const, cidr} : {kind: 'cidr4' as const, cidr})), ...groups.map((id) => ({kind: 'group' as const, groupId: id}))];
		for (const peer of peers) group[egress ? 'egress' : 'ingress'].push({groupId, direction: egress ? 'egress' : 'ingress', protocol, fromPort, toPort, peer});
	} else if (verb === 'create-network-acl-entry' && option(argv, '--rule-action') === 'deny') {
		applyDenyCopy(inv.networkAcls.find((a) => a.id === option(argv, '--network-acl-id'))!, argv);
	} else if (verb === 'create-network-acl-entry' || verb === 'replace-network-acl-entry') {
		if (verb === 'replace-network-acl-entry') removeReplaced(inv.networkAcls.find((a) => a.id === option(argv, '--network-acl-id'))!, argv);
		const egress = argv.includes('--egress');
		const aclId = option(argv, '--network-acl-id')!;
		const cidr = option(argv, '--cidr-block') ?? option(argv, '--ipv6-cidr-block')!;
		const protocol = option(argv, '--protocol')!;
		expect(NUMBERS[protocol]).toBe(proto);
		expect(option(argv, '--rule-action')).toBe('allow');
		// On the target's ACL the remote end is a client; on the client's, the target.
		expect(cidr === target || clientCidrs.includes(cidr), `${cidr} is the target or a client`).toBe(true);
		const acl = inv.networkAcls.find((a) => a.id === aclId)!;
		const ruleNumber = Number(option(argv, '--rule-number'));
		expect(acl.entries.some((e) => e.egress === egress && e.ruleNumber === ruleNumber)).toBe(false);
		const entry: NetworkAclEntry = {ruleNumber, protocol: String(NUMBERS[protocol]), action: 'allow', egress, cidr: cidr.includes(':') ? null : cidr, ipv6Cidr: cidr.includes(':') ? cidr : null, portRange: null, icmpTypeCode: null};
		// A request leaves the client for the target's port; a reply goes to the client's ephemeral port.
		const request = cidr === target ? egress : !egress;
		if (scene.protocol === 'icmp') {
			const [, type, code] = /Type=(-?\d+),Code=(-?\d+)/.exec(option(argv, '--icmp-type-code')!)!;
			expect(Number(code)).toBe(0);
			expect(Number(type)).toBe(request ? port : replyType);
			entry.icmpTypeCode = {type: Number(type), code: Number(code)};
		} else {
			const [, from, to] = /From=(\d+),To=(\d+)/.exec(option(argv, '--port-range')!)!;
			entry.portRange = {from: Number(from), to: Number(to)};
			const ephemeral = CLIENT_EPHEMERAL[scene.clientOs];
			if (request) expect(entry.portRange).toEqual({from: port, to: port});
			else expect(ephemeral.from <= entry.portRange.from && entry.portRange.to <= ephemeral.to).toBe(true);
		}
		acl.entries.push(entry);
	} else {
		throw new Error(`unexpected fix: ${line}`);
	}
}

function requestOf(inv: Inventory, scene: Scene): CheckRequest {
	const source: CheckRequest['source'] = scene.byGroup ? {kind: 'group', groupId: 'sg-client'} : {kind: 'address', address: addressOf(inv.networkInterfaces.find((e) => e.id === 'eni-client')!, scene.family)};
	return {target: 'i-web', protocol: scene.protocol, port: packetOf(scene).port, source, clientOs: scene.clientOs};
}

const listening = host(['tcp', '0.0.0.0', PORT], ['tcp', '::', PORT], ['udp', '0.0.0.0', PORT], ['udp', '::', PORT]);

describe('a client inside the VPC on random rules vs a model of AWS\'s documented semantics', () => {
	it('the verdict equals the model\'s; the fixes are the narrowest and, applied, make the connection reachable', () => {
		fc.assert(
			fc.property(sceneArb, (scene) => {
				const inv = buildInventory(scene);
				const result = check({inventory: inv, host: listening, request: requestOf(inv, scene)});
				const expected = modelVerdict(inv, scene);
				expect(result.verdict).toBe(expected);
				if (expected === 'reachable') return;
				if (result.problems.some((problem) => problem.fix.summary.includes('no free rule number'))) return;
				const fixed = structuredClone(inv);
				for (const problem of result.problems) {
					expect(problem.fix.command, problem.fix.summary).toBeTruthy();
					for (const line of problem.fix.command!.split('\n')) apply(fixed, line, scene);
				}
				expect(modelVerdict(fixed, scene)).toBe('reachable');
				expect(check({inventory: fixed, host: listening, request: requestOf(fixed, scene)}).verdict).toBe('reachable');
			}),
			{numRuns: 300, seed: 20261201, verbose: 0},
		);
	}, 120_000);
});

// The path layers against deliberately simple reference models written from AWS's documented
// semantics, not from the engine: random route tables decided by brute-force longest-prefix
// match, and random two-subnet scenes decided packet by packet (first matching NACL entry, every
// ephemeral port enumerated, same-subnet traffic never meeting a NACL, SG egress on the client).
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import {describe, expect, it} from 'vitest';
import {check} from '../../source/core/check.js';
import type {CheckRequest, NetworkAclEntry, SecurityGroupRule, Verdict} from '../../source/core/types.js';
import {acl, eni, group, host, instance, internetGateway, inventory, prefixList, route, routeTable, VPC_LOCAL} from '../support/inventory-builder.js';

function inCidr(address: string, cidr: string): boolean {
	const [net, prefix] = ipaddr.parseCIDR(cidr);
	const ip = ipaddr.parse(address);
	return ip.kind() === net.kind() && ip.match(net, prefix);
}

const allowAll = (egress: boolean): NetworkAclEntry => ({ruleNumber: 100, protocol: '-1', action: 'allow', egress, cidr: '0.0.0.0/0', ipv6Cidr: null, portRange: null, icmpTypeCode: null});
const openSg = (id: string) => {
	const g = group(id, id, [{groupId: id, direction: 'ingress', protocol: '-1', fromPort: null, toPort: null, peer: {kind: 'cidr4', cidr: '0.0.0.0/0'}}]);
	return g;
};

describe('route layer vs brute-force longest-prefix match', () => {
	const universe = Array.from({length: 16}, (_, n) => `203.0.113.${n}`);
	const destination = fc.oneof(
		{weight: 4, arbitrary: fc.tuple(fc.integer({min: 0, max: 15}), fc.integer({min: 0, max: 4})).map(([n, host]) => `203.0.113.${(n >> host) << host}/${32 - host}`)},
		{weight: 2, arbitrary: fc.constantFrom('0.0.0.0/0', '203.0.113.0/24', '203.0.0.0/16', '198.51.100.0/24')},
		{weight: 1, arbitrary: fc.constant('pl-1')},
	);
	const target = fc.constantFrom('igw-1', 'nat-1', 'pcx-1', 'tgw-1', 'vgw-1', 'eigw-1');
	const routeArb = fc.record({destination, target, state: fc.constantFrom('active', 'active', 'blackhole', 'filtered')});
	const plEntries = fc.uniqueArray(fc.tuple(fc.integer({min: 0, max: 15}), fc.integer({min: 0, max: 3})).map(([n, host]) => `203.0.113.${(n >> host) << host}/${32 - host}`), {maxLength: 3});

	/** AWS: most specific matching route; a CIDR route beats a prefix-list route of the same length. */
	function reference(routes: Array<{destination: string; target: string; state: string}>, entries: string[], client: string, publicIp: boolean): Verdict {
		let best: {prefix: number; list: boolean; target: string; state: string} | null = null;
		for (const r of routes) {
			const cidrs = r.destination === 'pl-1' ? entries : [r.destination];
			for (const cidr of cidrs) {
				if (!inCidr(client, cidr)) continue;
				const prefix = Number(cidr.split('/')[1]);
				const list = r.destination === 'pl-1';
				if (!best || prefix > best.prefix || (prefix === best.prefix && best.list && !list)) best = {prefix, list, target: r.target, state: r.state};
			}
		}
		// Only an active route carries; a blackhole or filtered one still wins the match.
		if (!best || best.state !== 'active') return 'no-route';
		if (best.target === 'igw-1') return publicIp ? 'reachable' : 'no-public-address';
		if (best.target === 'nat-1' || best.target === 'eigw-1') return 'no-route';
		return 'reachable';
	}

	it('the verdict of an internet client equals the brute-force match', () => {
		fc.assert(
			fc.property(fc.uniqueArray(routeArb, {maxLength: 6, selector: (r) => r.destination}), plEntries, fc.integer({min: 0, max: 15}), fc.boolean(), (routes, entries, n, publicIp) => {
				const inv = inventory({
					instances: [instance('i-web', ['eni-web'])],
					networkInterfaces: [eni('eni-web', {instanceId: 'i-web', privateIps: ['10.0.1.10'], publicIp: publicIp ? '198.51.100.10' : null, groupIds: ['sg-web']})],
					securityGroups: [openSg('sg-web')],
					networkAcls: [acl('acl-a', ['subnet-a'], [allowAll(false), allowAll(true)])],
					prefixLists: [prefixList('pl-1', entries.length ? entries : ['192.0.2.0/24'])],
					routeTables: [routeTable('rtb-a', ['subnet-a'], [...VPC_LOCAL, ...routes.map((r) => route(r.destination, r.target, r.state))])],
					internetGateways: [internetGateway('igw-1')],
				});
				const request: CheckRequest = {target: 'i-web', protocol: 'tcp', port: 443, source: {kind: 'address', address: universe[n]!}, clientOs: 'linux'};
				const result = check({inventory: inv, host: host(['tcp', '0.0.0.0', 443]), request});
				expect(result.verdict).toBe(reference(routes, entries.length ? entries : ['192.0.2.0/24'], universe[n]!, publicIp));
			}),
			{numRuns: 400},
		);
	});
});

describe('two subnets, both directions, vs a packet-by-packet model', () => {
	const PORTS = [22, 80];
	const cidrs = ['0.0.0.0/0', '10.0.0.0/16', '10.0.1.0/24', '10.0.2.0/24', '10.0.1.10/32', '10.0.2.20/32', '10.0.1.20/32', '192.0.2.0/24'];
	const portRanges: Array<[number, number] | null> = [null, [22, 22], [80, 80], [1024, 65535], [32768, 40000], [50000, 65535]];
	const entryArb = fc.record({
		protocol: fc.constantFrom('-1', '6', '17'),
		action: fc.constantFrom('allow' as const, 'deny' as const),
		egress: fc.boolean(),
		cidr: fc.constantFrom(...cidrs),
		ports: fc.constantFrom(...portRanges),
	});
	const aclArb = fc.tuple(fc.uniqueArray(fc.integer({min: 1, max: 200}), {minLength: 0, maxLength: 6}), fc.array(entryArb, {minLength: 6, maxLength: 6})).map(([numbers, bodies]) =>
		numbers.map((ruleNumber, i): NetworkAclEntry => {
			const b = bodies[i]!;
			return {ruleNumber, protocol: b.protocol, action: b.action, egress: b.egress, cidr: b.cidr, ipv6Cidr: null, portRange: b.protocol === '-1' ? null : b.ports ? {from: b.ports[0], to: b.ports[1]} : null, icmpTypeCode: null};
		}),
	);
	const sgRuleArb = fc.record({protocol: fc.constantFrom('tcp', '-1'), port: fc.constantFrom(...PORTS), peer: fc.constantFrom('sg-client', 'sg-web', '10.0.0.0/16', '10.0.1.10/32', '10.0.2.0/24', '192.0.2.0/24')});

	/** First matching entry of one direction decides; nothing matches: the `*` deny. */
	function naclAllows(entries: NetworkAclEntry[], egress: boolean, remote: string, port: number): boolean {
		return firstMatch(entries.filter((e) => e.egress === egress).sort((a, b) => a.ruleNumber - b.ruleNumber), remote, port);
	}
	function firstMatch(ordered: NetworkAclEntry[], remote: string, port: number): boolean {
		const hit = ordered.find((e) => inCidr(remote, e.cidr!) && (e.protocol === '-1' || (e.protocol === '6' && (!e.portRange || (e.portRange.from <= port && port <= e.portRange.to)))));
		return hit?.action === 'allow';
	}
	function overPorts(entries: NetworkAclEntry[], egress: boolean, remote: string, ports: number[]): 'allow' | 'deny' | 'partial' {
		const ordered = entries.filter((e) => e.egress === egress && inCidr(remote, e.cidr!)).sort((a, b) => a.ruleNumber - b.ruleNumber);
		let yes = 0;
		for (const port of ports) if (firstMatch(ordered, remote, port)) yes++;
		return yes === ports.length ? 'allow' : yes === 0 ? 'deny' : 'partial';
	}
	const EPHEMERAL = Array.from({length: 60999 - 32768 + 1}, (_, i) => 32768 + i);

	it('every layer and the verdict match', () => {
		fc.assert(
			fc.property(
				aclArb,
				aclArb,
				fc.boolean(),
				fc.boolean(),
				fc.array(sgRuleArb, {maxLength: 3}),
				fc.array(sgRuleArb, {maxLength: 3}),
				fc.constantFrom(...PORTS),
				(aEntries, bEntries, sameSubnet, sharedAcl, egressRules, ingressRules, port) => {
					const client = sameSubnet ? '10.0.1.20' : '10.0.2.20';
					const clientSubnet = sameSubnet ? 'subnet-a' : 'subnet-b';
					const clientEntries = sharedAcl ? aEntries : bEntries;
					const sgRule = (direction: 'ingress' | 'egress', id: string) => (r: {protocol: string; port: number; peer: string}): SecurityGroupRule => ({
						groupId: id,
						direction,
						protocol: r.protocol,
						fromPort: r.protocol === '-1' ? null : r.port,
						toPort: r.protocol === '-1' ? null : r.port,
						peer: r.peer.startsWith('sg-') ? {kind: 'group', groupId: r.peer} : {kind: 'cidr4', cidr: r.peer},
					});
					const clientGroup = group('sg-client', 'client', []);
					clientGroup.egress = egressRules.map(sgRule('egress', 'sg-client'));
					const inv = inventory({
						instances: [instance('i-web', ['eni-web']), instance('i-client', ['eni-client'], {subnetId: clientSubnet})],
						networkInterfaces: [
							eni('eni-web', {instanceId: 'i-web', privateIps: ['10.0.1.10'], groupIds: ['sg-web']}),
							eni('eni-client', {instanceId: 'i-client', subnetId: clientSubnet, privateIps: [client], groupIds: ['sg-client']}),
							// The other member of sg-client sits in the other subnet, unused as a client.
							eni('eni-other', {subnetId: sameSubnet ? 'subnet-b' : 'subnet-a', privateIps: [sameSubnet ? '10.0.2.20' : '10.0.1.20'], groupIds: ['sg-client']}),
						],
						securityGroups: [group('sg-web', 'web', ingressRules.map(sgRule('ingress', 'sg-web'))), clientGroup],
						networkAcls: sharedAcl ? [acl('acl-a', ['subnet-a', 'subnet-b'], aEntries)] : [acl('acl-a', ['subnet-a'], aEntries), acl('acl-b', ['subnet-b'], bEntries)],
						routeTables: [routeTable('rtb-main', [], [...VPC_LOCAL], {main: true})],
						internetGateways: [],
					});
					const request: CheckRequest = {target: 'i-web', protocol: 'tcp', port, source: {kind: 'address', address: client}, clientOs: 'linux'};
					const result = check({inventory: inv, host: host(['tcp', '0.0.0.0', port]), request});

					const web = '10.0.1.10';
					const sgMembers = (r: {protocol: string; port: number; peer: string}, remote: string) =>
						(r.protocol === '-1' || r.port === port) && (r.peer === 'sg-client' ? ['10.0.2.20', '10.0.1.20'].includes(remote) : r.peer === 'sg-web' ? remote === web : inCidr(remote, r.peer));
					const expected = {
						clientSecurityGroup: egressRules.some((r) => sgMembers(r, web)) ? 'allow' : 'deny',
						clientNaclOutbound: sameSubnet ? 'allow' : naclAllows(clientEntries, true, web, port) ? 'allow' : 'deny',
						route: 'allow',
						naclInbound: sameSubnet ? 'allow' : naclAllows(aEntries, false, client, port) ? 'allow' : 'deny',
						securityGroup: ingressRules.some((r) => sgMembers(r, client)) ? 'allow' : 'deny',
						host: 'allow',
						naclReturn: sameSubnet ? 'allow' : overPorts(aEntries, true, client, EPHEMERAL),
						clientNaclReturn: sameSubnet ? 'allow' : overPorts(clientEntries, false, web, EPHEMERAL),
					} as const;
					const statuses = Object.fromEntries(Object.entries(result.layers).map(([name, layer]) => [name, layer.status]));
					expect(statuses).toEqual(expected);
					const verdicts: Record<string, Verdict> = {
						clientSecurityGroup: 'blocked-by-client-security-group',
						clientNaclOutbound: 'blocked-by-client-nacl-outbound',
						naclInbound: 'blocked-by-nacl-inbound',
						securityGroup: 'blocked-by-security-group',
						naclReturn: 'blocked-by-nacl-return',
						clientNaclReturn: 'blocked-by-client-nacl-return',
					};
					const first = Object.entries(expected).find(([, status]) => status !== 'allow');
					expect(result.verdict).toBe(first ? verdicts[first[0]] : 'reachable');
				},
			),
			{numRuns: 40},
		);
	}, 120_000);
});

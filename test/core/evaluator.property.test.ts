// The SG and NACL evaluators against a deliberately simple reference model: enumerate every
// address of a small source range (and every port), decide each packet alone by brute force,
// then compare the evaluators' interval arithmetic with the enumeration.
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import {describe, expect, it} from 'vitest';
import {setFromCidr, setToCidrs, type AddressSet} from '../../source/core/cidr.js';
import {evaluateNacl} from '../../source/core/nacl-evaluator.js';
import {evaluateSecurityGroups, type Packet} from '../../source/core/sg-evaluator.js';
import type {NetworkAclEntry, SecurityGroupRule} from '../../source/core/types.js';
import {acl, eni, group, inventory} from '../support/inventory-builder.js';

type Family = 'ipv4' | 'ipv6';
const BASE: Record<Family, string> = {ipv4: '10.0.0.', ipv6: '2001:db8::'};
const BITS: Record<Family, number> = {ipv4: 32, ipv6: 128};

/** Address number n (0–15) of the small universe. */
function address(family: Family, n: number): string {
	return family === 'ipv4' ? `${BASE.ipv4}${n}` : `${BASE.ipv6}${n.toString(16)}`;
}

/** A CIDR inside the 16-address universe (prefix /28../32 or /124../128), or a wide/outside one. */
function insideArb(family: Family): fc.Arbitrary<string> {
	return fc.tuple(fc.integer({min: 0, max: 15}), fc.integer({min: 0, max: 4})).map(([n, hostBits]) => {
		const aligned = (n >> hostBits) << hostBits;
		return `${address(family, aligned)}/${BITS[family] - hostBits}`;
	});
}

function cidrArb(family: Family): fc.Arbitrary<string> {
	const inside = insideArb(family);
	const wide = fc.constantFrom(...(family === 'ipv4' ? ['0.0.0.0/0', '10.0.0.0/8', '192.168.0.0/30'] : ['::/0', '2001:db8::/32', 'fd00::/126']));
	return fc.oneof({weight: 4, arbitrary: inside}, {weight: 1, arbitrary: wide});
}

function enumerate(cidr: string): string[] {
	const [ip, prefix] = ipaddr.parseCIDR(cidr);
	const family: Family = ip.kind() === 'ipv4' ? 'ipv4' : 'ipv6';
	const size = 2 ** (BITS[family] - prefix);
	const out: string[] = [];
	for (let n = 0; n < 16; n++) if (ipaddr.parse(address(family, n)).match(ip, prefix)) out.push(address(family, n));
	expect(out.length).toBe(size); // sources are always inside the universe
	return out;
}

function inCidr(addr: string, cidr: string): boolean {
	const ip = ipaddr.parse(addr);
	const [net, prefix] = ipaddr.parseCIDR(cidr);
	return ip.kind() === net.kind() && ip.match(net, prefix);
}

function inSet(set: AddressSet, addr: string): boolean {
	return setToCidrs(set).some((cidr) => inCidr(addr, cidr));
}

const NUMBER: Record<string, number> = {tcp: 6, udp: 17, icmp: 1, icmpv6: 58, '6': 6, '17': 17, '1': 1, '50': 50};

function referenceProtocolMatch(protocol: string, from: number | null, to: number | null, packet: Packet): boolean {
	if (protocol === '-1') return true;
	const n = NUMBER[protocol];
	if (n !== packet.protocol) return false;
	if (n === 6 || n === 17) return from === null || (from <= packet.port && packet.port <= to!);
	if (n === 1 || n === 58) return (from === null || from === -1 || from === packet.port) && (to === null || to === -1 || to === (packet.icmpCode ?? 0));
	return true;
}

const portRangeArb = fc.tuple(fc.integer({min: 1, max: 10}), fc.integer({min: 0, max: 4})).map(([from, span]) => [from, from + span] as [number, number]);
const packetArb: fc.Arbitrary<Packet> = fc.record({
	protocol: fc.constantFrom(6, 17, 1, 50),
	port: fc.integer({min: 1, max: 10}),
	icmpCode: fc.integer({min: 0, max: 3}),
});

function sgRuleArb(family: Family): fc.Arbitrary<SecurityGroupRule> {
	const ports = fc.oneof(
		portRangeArb.map(([a, b]) => [a, b] as [number | null, number | null]),
		fc.tuple(fc.integer({min: -1, max: 10}), fc.integer({min: -1, max: 3})).map(([a, b]) => [a, b] as [number | null, number | null]),
		fc.constant([null, null] as [number | null, number | null]),
	);
	const peer = fc.oneof(
		{weight: 4, arbitrary: cidrArb(family).map((cidr) => (family === 'ipv4' ? {kind: 'cidr4' as const, cidr} : {kind: 'cidr6' as const, cidr}))},
		{weight: 1, arbitrary: fc.constantFrom('sg-a', 'sg-b').map((groupId) => ({kind: 'group' as const, groupId}))},
	);
	return fc.record({protocol: fc.constantFrom('tcp', 'udp', 'icmp', '-1', '50', '6'), ports, peer}).map(({protocol, ports: [fromPort, toPort], peer: p}) => {
		// ICMP rules keep type/code; TCP/UDP rules get a proper range or all ports.
		const isPortProto = protocol === 'tcp' || protocol === 'udp' || protocol === '6';
		const fixed = isPortProto && fromPort !== null && (fromPort < 1 || toPort === null || toPort < fromPort) ? [null, null] : [fromPort, toPort];
		return {groupId: 'sg-target', direction: 'ingress', protocol, fromPort: fixed[0]!, toPort: fixed[1]!, peer: p, description: null};
	});
}

describe('security-group evaluator vs brute force', () => {
	for (const family of ['ipv4', 'ipv6'] as const) {
		it(`${family}: allowed addresses and status match the enumeration`, () => {
			fc.assert(
				fc.property(
					fc.array(sgRuleArb(family), {maxLength: 6}),
					packetArb,
					insideArb(family),
					fc.subarray([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]),
					fc.subarray([3, 7, 11]),
					(rules, packet, source, membersA, membersB) => {
						const inv = inventory({
							securityGroups: [group('sg-target', 't', rules), group('sg-a', 'a', []), group('sg-b', 'b', [])],
							networkInterfaces: [
								...membersA.map((n) => eni(`eni-a${n}`, {...(family === 'ipv4' ? {privateIps: [address(family, n)]} : {ipv6Addresses: [address(family, n)]}), groupIds: ['sg-a']})),
								...membersB.map((n) => eni(`eni-b${n}`, {privateIps: [address('ipv4', n)], groupIds: ['sg-b']})),
							],
						});
						const members: Record<string, string[]> = {
							'sg-a': membersA.map((n) => address(family, n)),
							'sg-b': membersB.map((n) => address('ipv4', n)),
						};
						const result = evaluateSecurityGroups({inventory: inv, groupIds: ['sg-target'], packet, source: {addresses: setFromCidr(source)}});
						const addrs = enumerate(source);
						const expected = addrs.filter((a) =>
							rules.some((r) => referenceProtocolMatch(r.protocol, r.fromPort, r.toPort, packet) && (r.peer.kind === 'group' ? members[r.peer.groupId]!.includes(a) : inCidr(a, (r.peer as {cidr: string}).cidr))),
						);
						const status = expected.length === addrs.length ? 'allow' : expected.length === 0 ? 'deny' : 'partial';
						expect(result.status).toBe(status);
						for (const a of addrs) expect(inSet(result.allowed, a)).toBe(expected.includes(a));
						for (const a of addrs) expect(inSet(result.denied, a)).toBe(!expected.includes(a));
					},
				),
				{numRuns: 400},
			);
		});
	}

	it('a rule referencing the source group admits it whatever its addresses', () => {
		fc.assert(
			fc.property(packetArb, (packet) => {
				const rules: SecurityGroupRule[] = [{groupId: 'sg-target', direction: 'ingress', protocol: '-1', fromPort: null, toPort: null, peer: {kind: 'group', groupId: 'sg-client'}}];
				const inv = inventory({securityGroups: [group('sg-target', 't', rules)]});
				const result = evaluateSecurityGroups({inventory: inv, groupIds: ['sg-target'], packet, source: {addresses: setFromCidr('10.9.9.9/32'), groupId: 'sg-client'}});
				expect(result.status).toBe('allow');
			}),
		);
	});
});

function naclEntryArb(family: Family): fc.Arbitrary<Omit<NetworkAclEntry, 'ruleNumber'>> {
	return fc
		.record({
			protocol: fc.constantFrom('-1', '6', '17', '1'),
			action: fc.constantFrom('allow' as const, 'deny' as const),
			egress: fc.boolean(),
			cidr: fc.oneof({weight: 5, arbitrary: cidrArb(family)}, {weight: 1, arbitrary: cidrArb(family === 'ipv4' ? 'ipv6' : 'ipv4')}),
			ports: fc.option(portRangeArb, {nil: null}),
			icmp: fc.option(fc.record({type: fc.integer({min: -1, max: 3}), code: fc.integer({min: -1, max: 2})}), {nil: null}),
		})
		.map(({protocol, action, egress, cidr, ports, icmp}) => ({
			protocol,
			action,
			egress,
			cidr: cidr.includes(':') ? null : cidr,
			ipv6Cidr: cidr.includes(':') ? cidr : null,
			portRange: ports ? {from: ports[0], to: ports[1]} : null,
			icmpTypeCode: protocol === '1' ? icmp : null,
		}));
}

describe('network-ACL evaluator vs brute force', () => {
	for (const family of ['ipv4', 'ipv6'] as const) {
		it(`${family}: every (address, port) gets the first matching rule's action`, () => {
			fc.assert(
				fc.property(
					fc.uniqueArray(fc.integer({min: 1, max: 300}), {maxLength: 7}),
					fc.array(naclEntryArb(family), {minLength: 7, maxLength: 7}),
					fc.constantFrom('ingress' as const, 'egress' as const),
					fc.constantFrom(6, 17, 1, 50),
					portRangeArb,
					fc.record({type: fc.integer({min: 0, max: 3}), code: fc.integer({min: 0, max: 2})}),
					insideArb(family),
					(numbers, bodies, direction, protocol, [from, to], icmp, source) => {
						const entries = numbers.map((ruleNumber, i) => ({...bodies[i]!, ruleNumber}));
						const result = evaluateNacl({acl: acl('acl-x', [], entries), direction, protocol, ports: {from, to}, icmp, addresses: setFromCidr(source)});
						const ordered = entries.filter((e) => e.egress === (direction === 'egress')).sort((a, b) => a.ruleNumber - b.ruleNumber);
						const ports = protocol === 1 ? [icmp.type] : Array.from({length: to - from + 1}, (_, i) => from + i);
						let allowed = 0;
						let total = 0;
						for (const a of enumerate(source)) {
							for (const port of ports) {
								const packet: Packet = {protocol, port, icmpCode: icmp.code};
								const hit = ordered.find((e) => {
									const peer = e.cidr ?? e.ipv6Cidr!;
									if (!inCidr(a, peer)) return false;
									if (e.protocol === '1' && protocol === 1) {
										return !e.icmpTypeCode || ((e.icmpTypeCode.type === -1 || e.icmpTypeCode.type === icmp.type) && (e.icmpTypeCode.code === -1 || e.icmpTypeCode.code === icmp.code));
									}
									return referenceProtocolMatch(e.protocol, e.portRange?.from ?? null, e.portRange?.to ?? null, packet);
								});
								const action = hit?.action ?? 'deny';
								total++;
								if (action === 'allow') allowed++;
								const piece = result.pieces.find((p) => p.ports.from <= port && port <= p.ports.to && inSet(p.addresses, a));
								expect(piece, `${a}:${port}`).toBeDefined();
								expect(piece!.action).toBe(action);
								expect(piece!.entry?.ruleNumber ?? null).toBe(hit?.ruleNumber ?? null);
							}
						}
						expect(result.status).toBe(allowed === total ? 'allow' : allowed === 0 ? 'deny' : 'partial');
					},
				),
				{numRuns: 300},
			);
		});
	}
});

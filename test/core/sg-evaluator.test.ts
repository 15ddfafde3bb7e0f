import {describe, expect, it} from 'vitest';
import {setFromCidr} from '../../source/core/cidr.js';
import {describeSgRule, evaluateSecurityGroups, ruleMatchesPacket} from '../../source/core/sg-evaluator.js';
import {eni, group, inventory, prefixList, rule} from '../support/inventory-builder.js';

const source = (cidr: string) => ({addresses: setFromCidr(cidr)});

describe('ruleMatchesPacket', () => {
	it('tcp/udp match on the destination port range', () => {
		expect(ruleMatchesPacket(rule('tcp', [8000, 8100], '0.0.0.0/0'), {protocol: 6, port: 8080})).toBe(true);
		expect(ruleMatchesPacket(rule('tcp', [8000, 8100], '0.0.0.0/0'), {protocol: 6, port: 8101})).toBe(false);
		expect(ruleMatchesPacket(rule('tcp', 53, '0.0.0.0/0'), {protocol: 17, port: 53})).toBe(false);
		expect(ruleMatchesPacket(rule('6', 53, '0.0.0.0/0'), {protocol: 6, port: 53})).toBe(true);
	});
	it('-1 and protocols without ports match everything of theirs', () => {
		expect(ruleMatchesPacket(rule('-1', null, '0.0.0.0/0'), {protocol: 17, port: 9})).toBe(true);
		expect(ruleMatchesPacket(rule('50', [0, 0], '0.0.0.0/0'), {protocol: 50, port: 0})).toBe(true);
		expect(ruleMatchesPacket(rule('50', null, '0.0.0.0/0'), {protocol: 6, port: 22})).toBe(false);
	});
	it('ICMP: FromPort is the type, ToPort the code, -1 any', () => {
		expect(ruleMatchesPacket(rule('icmp', [8, -1], '0.0.0.0/0'), {protocol: 1, port: 8, icmpCode: 0})).toBe(true);
		expect(ruleMatchesPacket(rule('icmp', [8, 0], '0.0.0.0/0'), {protocol: 1, port: 8, icmpCode: 1})).toBe(false);
		expect(ruleMatchesPacket(rule('icmp', [-1, -1], '0.0.0.0/0'), {protocol: 1, port: 3, icmpCode: 4})).toBe(true);
		expect(ruleMatchesPacket(rule('icmp', [3, 4], '0.0.0.0/0'), {protocol: 1, port: 3, icmpCode: 4})).toBe(true);
		expect(ruleMatchesPacket(rule('icmpv6', [-1, -1], '::/0'), {protocol: 1, port: 8})).toBe(false);
		expect(ruleMatchesPacket(rule('icmpv6', [128, -1], '::/0'), {protocol: 58, port: 128})).toBe(true);
	});
});

describe('evaluateSecurityGroups', () => {
	it('unions the rules of every group on the ENI', () => {
		const inv = inventory({securityGroups: [group('sg-a', 'a', [rule('tcp', 443, '10.0.0.0/25')]), group('sg-b', 'b', [rule('tcp', 443, '10.0.0.128/25')])]});
		const result = evaluateSecurityGroups({inventory: inv, groupIds: ['sg-a', 'sg-b'], packet: {protocol: 6, port: 443}, source: source('10.0.0.0/24')});
		expect(result.status).toBe('allow');
		expect(result.allowing.map((r) => r.groupId)).toEqual(['sg-a', 'sg-b']);
		expect(evaluateSecurityGroups({inventory: inv, groupIds: ['sg-a'], packet: {protocol: 6, port: 443}, source: source('10.0.0.0/24')}).status).toBe('partial');
	});

	it('IPv6 rules do not admit IPv4 sources and vice versa', () => {
		const inv = inventory({securityGroups: [group('sg-a', 'a', [rule('tcp', 22, '::/0')])]});
		expect(evaluateSecurityGroups({inventory: inv, groupIds: ['sg-a'], packet: {protocol: 6, port: 22}, source: source('192.0.2.1/32')}).status).toBe('deny');
		expect(evaluateSecurityGroups({inventory: inv, groupIds: ['sg-a'], packet: {protocol: 6, port: 22}, source: source('2001:db8::1/128')}).status).toBe('allow');
	});

	it('prefix lists: known entries match, uncaptured ones make the answer unknown', () => {
		const rules = [rule('tcp', 443, 'pl-known'), rule('tcp', 443, 'pl-unknown')];
		const inv = inventory({securityGroups: [group('sg-a', 'a', rules)], prefixLists: [prefixList('pl-known', ['192.0.2.0/24']), prefixList('pl-unknown', null)]});
		const allowed = evaluateSecurityGroups({inventory: inv, groupIds: ['sg-a'], packet: {protocol: 6, port: 443}, source: source('192.0.2.9/32')});
		expect(allowed.status).toBe('allow');
		const unknown = evaluateSecurityGroups({inventory: inv, groupIds: ['sg-a'], packet: {protocol: 6, port: 443}, source: source('198.51.100.9/32')});
		expect(unknown.status).toBe('unknown');
		expect(unknown.summary).toContain('the entries of prefix list pl-unknown were not captured');
	});

	it('a referenced group from another account is unknown; an empty one in the snapshot denies', () => {
		const inv = inventory({
			securityGroups: [group('sg-a', 'a', [rule('tcp', 443, 'sg-peer')]), group('sg-empty', 'e', [])],
			networkInterfaces: [eni('eni-1', {privateIps: ['10.0.0.5'], groupIds: ['sg-a']})],
		});
		const peer = evaluateSecurityGroups({inventory: inv, groupIds: ['sg-a'], packet: {protocol: 6, port: 443}, source: source('10.0.0.9/32')});
		expect(peer.status).toBe('unknown');
		inv.securityGroups[0]!.ingress = [rule('tcp', 443, 'sg-empty')];
		expect(evaluateSecurityGroups({inventory: inv, groupIds: ['sg-a'], packet: {protocol: 6, port: 443}, source: source('10.0.0.9/32')}).status).toBe('deny');
	});

	it('a group on the ENI that is missing from the snapshot leaves the answer unknown unless another rule allows', () => {
		const inv = inventory({securityGroups: [group('sg-a', 'a', [rule('tcp', 443, '0.0.0.0/0')])]});
		expect(evaluateSecurityGroups({inventory: inv, groupIds: ['sg-a', 'sg-gone'], packet: {protocol: 6, port: 443}, source: source('10.0.0.9/32')}).status).toBe('allow');
		const result = evaluateSecurityGroups({inventory: inv, groupIds: ['sg-a', 'sg-gone'], packet: {protocol: 6, port: 22}, source: source('10.0.0.9/32')});
		expect(result.status).toBe('unknown');
		expect(result.summary).toContain('sg-gone is not in the snapshot');
	});

	it('describes rules the way an operator reads them', () => {
		const g = group('sg-a', 'web', []);
		expect(describeSgRule({...rule('tcp', [1000, 2000], 'pl-1'), groupId: 'sg-a'}, g)).toBe('sg-a (web) ingress tcp 1000–2000 from prefix list pl-1');
		expect(describeSgRule({...rule('icmp', [8, -1], '10.0.0.0/8'), groupId: 'sg-a'}, g)).toBe('sg-a (web) ingress icmp type 8 code any from 10.0.0.0/8');
		expect(describeSgRule({...rule('-1', null, 'sg-b'), groupId: 'sg-a'}, g)).toBe('sg-a (web) ingress all traffic from members of sg-b');
	});
});

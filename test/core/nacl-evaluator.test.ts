import {describe, expect, it} from 'vitest';
import {setFrom, setFromCidr} from '../../source/core/cidr.js';
import {evaluateNacl, findNetworkAcl, fullyAllowed} from '../../source/core/nacl-evaluator.js';
import {setToCidrs} from '../../source/core/cidr.js';
import {acl, egress, entry, inventory} from '../support/inventory-builder.js';

describe('evaluateNacl', () => {
	it('first match wins in rule-number order, whatever the list order', () => {
		const a = acl('acl-1', [], [entry(200, 'allow', 'tcp', '0.0.0.0/0', [22, 22]), entry(100, 'deny', 'tcp', '198.51.100.0/24', [22, 22])]);
		const denied = evaluateNacl({acl: a, direction: 'ingress', protocol: 6, ports: {from: 22, to: 22}, addresses: setFromCidr('198.51.100.7/32')});
		expect(denied.status).toBe('deny');
		expect(denied.deciding.map((r) => r.ruleNumber)).toEqual([100]);
		expect(denied.summary).toBe('acl-1 denies inbound tcp 22 from 198.51.100.7 by rule 100.');
		const allowed = evaluateNacl({acl: a, direction: 'ingress', protocol: 6, ports: {from: 22, to: 22}, addresses: setFromCidr('192.0.2.1/32')});
		expect(allowed.status).toBe('allow');
		expect(allowed.summary).toBe('acl-1 allows inbound tcp 22 from 192.0.2.1 (rule 200).');
	});

	it('the final * deny is per family: an IPv4 allow-all leaves IPv6 denied', () => {
		const a = acl('acl-1', [], [entry(100, 'allow', 'all', '0.0.0.0/0'), entry(32767, 'deny', 'all', '0.0.0.0/0')]);
		const v6 = evaluateNacl({acl: a, direction: 'ingress', protocol: 6, ports: {from: 443, to: 443}, addresses: setFromCidr('2001:db8::1/128')});
		expect(v6.status).toBe('deny');
		expect(v6.denied[0]!.rule.text).toBe('acl-1 rule * (inbound): deny everything no other rule matches');
		// AWS lists the IPv6 catch-all as rule 32768: shown as * too.
		const listed = acl('acl-2', [], [entry(100, 'allow', 'all', '0.0.0.0/0'), entry(32768, 'deny', 'all', '::/0')]);
		const v6listed = evaluateNacl({acl: listed, direction: 'ingress', protocol: 6, ports: {from: 443, to: 443}, addresses: setFromCidr('2001:db8::1/128')});
		expect(v6listed.summary).toBe('acl-2 denies inbound tcp 443 from 2001:db8::1 by rule *.');
	});

	it('splits a port range at rule boundaries and merges equal neighbours', () => {
		const a = acl('acl-1', [], [
			egress(entry(100, 'allow', 'tcp', '0.0.0.0/0', [1024, 40000])),
			egress(entry(110, 'allow', 'tcp', '0.0.0.0/0', [40001, 50000])),
			egress(entry(120, 'deny', 'tcp', '0.0.0.0/0', [50001, 65535])),
		]);
		const result = evaluateNacl({acl: a, direction: 'egress', protocol: 6, ports: {from: 32768, to: 60999}, addresses: setFromCidr('203.0.113.5/32')});
		expect(result.status).toBe('partial');
		expect(result.pieces.map((p) => [p.ports.from, p.ports.to, p.entry?.ruleNumber, p.action])).toEqual([
			[32768, 40000, 100, 'allow'],
			[40001, 50000, 110, 'allow'],
			[50001, 60999, 120, 'deny'],
		]);
		expect(result.summary).toBe('acl-1 denies outbound tcp ports 50001–60999 to 203.0.113.5 by rule 120, but allows tcp ports 32768–40000 to 203.0.113.5; tcp ports 40001–50000 to 203.0.113.5.');
		expect(setToCidrs(fullyAllowed(result))).toEqual([]);
	});

	it('splits a source range between rules', () => {
		const a = acl('acl-1', [], [entry(100, 'deny', 'all', '10.0.0.0/25'), entry(200, 'allow', 'all', '0.0.0.0/0')]);
		const result = evaluateNacl({acl: a, direction: 'ingress', protocol: 17, ports: {from: 53, to: 53}, addresses: setFromCidr('10.0.0.0/24')});
		expect(result.status).toBe('partial');
		expect(setToCidrs(result.denied[0]!.addresses)).toEqual(['10.0.0.0/25']);
		expect(setToCidrs(fullyAllowed(result))).toEqual(['10.0.0.128/25']);
	});

	it('ICMP entries match type and code; other protocols match all of theirs', () => {
		const a = acl('acl-1', [], [entry(100, 'allow', 'icmp', '0.0.0.0/0', null, {icmp: {type: 8, code: -1}}), entry(110, 'allow', '50', '0.0.0.0/0')]);
		const q = (protocol: number, type: number) => evaluateNacl({acl: a, direction: 'ingress', protocol, ports: {from: type, to: type}, icmp: {type, code: 0}, addresses: setFrom(['192.0.2.1'])}).status;
		expect(q(1, 8)).toBe('allow');
		expect(q(1, 13)).toBe('deny');
		expect(q(50, 0)).toBe('allow');
		expect(q(6, 0)).toBe('deny');
	});
});

describe('findNetworkAcl', () => {
	it('the explicit association, else the VPC default', () => {
		const inv = inventory({networkAcls: [acl('acl-default', [], [], {isDefault: true}), acl('acl-b', ['subnet-b'], [])]});
		expect(findNetworkAcl(inv, 'subnet-b', 'vpc-1')).toMatchObject({how: 'associated', acl: {id: 'acl-b'}});
		expect(findNetworkAcl(inv, 'subnet-c', 'vpc-1')).toMatchObject({how: 'vpc-default', acl: {id: 'acl-default'}});
		expect(findNetworkAcl(inv, 'subnet-c', 'vpc-2')).toBeNull();
	});
});

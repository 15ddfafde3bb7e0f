import {describe, expect, it} from 'vitest';
import {addressInCidr, cidrContains, describeSet, familyOf, hostCidr, isValidAddress, isValidCidr, isWholeInternet, setFrom, setHas, setToCidrs, subtract, setFromCidr} from '../../source/core/cidr.js';

describe('cidr helpers', () => {
	it('validates addresses and CIDRs', () => {
		expect(isValidAddress('203.0.113.25')).toBe(true);
		expect(isValidAddress('2001:db8::1')).toBe(true);
		expect(isValidAddress('10')).toBe(false);
		expect(isValidAddress('999.1.1.1')).toBe(false);
		expect(isValidCidr('10.0.0.0/8')).toBe(true);
		expect(isValidCidr('10.0.0.0/33')).toBe(false);
		expect(isValidCidr('::/0')).toBe(true);
		expect(isValidCidr('10.0.0.0')).toBe(false);
	});
	it('family, containment, host CIDRs', () => {
		expect(familyOf('::ffff:10.0.0.1')).toBe('ipv4');
		expect(familyOf('2001:db8::/32')).toBe('ipv6');
		expect(addressInCidr('10.0.1.10', '10.0.0.0/16')).toBe(true);
		expect(addressInCidr('10.1.0.1', '10.0.0.0/16')).toBe(false);
		expect(addressInCidr('2001:db8::1', '0.0.0.0/0')).toBe(false);
		expect(cidrContains('10.0.0.0/8', '10.2.0.0/16')).toBe(true);
		expect(cidrContains('10.2.0.0/16', '10.0.0.0/8')).toBe(false);
		expect(hostCidr('2001:DB8:0::1')).toBe('2001:db8::1/128');
		expect(hostCidr('192.0.2.1')).toBe('192.0.2.1/32');
		expect(isWholeInternet('::/0')).toBe(true);
		expect(isWholeInternet('0.0.0.0/1')).toBe(false);
	});
	it('sets: subtract, membership, back to minimal CIDRs', () => {
		const rest = subtract(setFromCidr('10.0.0.0/24'), setFrom(['10.0.0.0/26', '10.0.0.200']));
		expect(setToCidrs(rest)).toEqual(['10.0.0.64/26', '10.0.0.128/26', '10.0.0.192/29', '10.0.0.201/32', '10.0.0.202/31', '10.0.0.204/30', '10.0.0.208/28', '10.0.0.224/27']);
		expect(setHas(rest, '10.0.0.201')).toBe(true);
		expect(setHas(rest, '10.0.0.200')).toBe(false);
		expect(setHas(rest, 'garbage')).toBe(false);
		expect(describeSet(setFrom(['10.0.0.1', '10.0.0.3']))).toBe('10.0.0.1, 10.0.0.3');
		expect(setToCidrs(subtract(setFromCidr('::/0'), setFromCidr('8000::/1')))).toEqual(['::/1']);
	});

	it('describes a nearly-whole family by its holes, and lists a set that is not', () => {
		const world = setFromCidr('0.0.0.0/0');
		expect(describeSet(subtract(world, setFrom(['10.20.3.30'])))).toBe('0.0.0.0/0 except 10.20.3.30');
		expect(describeSet(subtract(world, setFrom(['10.20.3.0/24', '10.20.2.20'])))).toBe('0.0.0.0/0 except 10.20.2.20, 10.20.3.0/24');
		// Holes are only the short form when few: four holes and max 4 stay a capped list.
		expect(describeSet(subtract(world, setFrom(['10.0.0.1', '10.0.0.3', '10.0.0.5', '10.0.0.7'])))).toMatch(/ and \d+ more ranges$/);
		// Families are described separately; a short IPv4 list stays a list.
		const mixed = subtract(setFrom(['::/0', '10.0.0.0/24']), setFrom(['2001:db8::1']));
		expect(describeSet(mixed)).toBe('10.0.0.0/24, ::/0 except 2001:db8::1');
		expect(describeSet(setFrom(['10.0.0.0/25', '10.0.1.0/25', '10.0.2.0/25', '10.0.3.0/25', '10.0.4.0/25']), 4)).toBe('10.0.0.0/25, 10.0.1.0/25, 10.0.2.0/25, 10.0.3.0/25 and 1 more ranges');
	});
});

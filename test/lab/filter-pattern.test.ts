import {describe, expect, it} from 'vitest';
import {compileFilterPattern} from '../../source/lab/filter-pattern.js';

const reject22 = '2 111122223333 eni-0abc 203.0.113.7 10.0.1.10 40000 22 6 1 60 1767225600 1767225660 REJECT OK';
const accept443 = '2 111122223333 eni-0abc 198.51.100.23 10.0.1.10 41000 443 6 12 4200 1767225600 1767225660 ACCEPT OK';
const nodata = '2 111122223333 eni-0abc - - - - - - - 1767225600 1767225660 - NODATA';
const FIELDS = 'version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action, flowlogstatus';

function delimited(conditions: Record<string, string>): string {
	return '[' + FIELDS.split(', ').map((field) => (conditions[field] ? `${field}${conditions[field]}` : field)).join(', ') + ']';
}

describe('term patterns', () => {
	it('matches every event for an empty pattern', () => {
		expect(compileFilterPattern('')(nodata)).toBe(true);
		expect(compileFilterPattern(undefined)(reject22)).toBe(true);
	});

	it('requires every term, any of the ?terms, none of the -terms', () => {
		expect(compileFilterPattern('REJECT')(reject22)).toBe(true);
		expect(compileFilterPattern('REJECT')(accept443)).toBe(false);
		expect(compileFilterPattern('REJECT 203.0.113.7')(reject22)).toBe(true);
		expect(compileFilterPattern('REJECT 198.51.100.23')(reject22)).toBe(false);
		expect(compileFilterPattern('?REJECT ?NODATA')(nodata)).toBe(true);
		expect(compileFilterPattern('?REJECT ?NODATA')(accept443)).toBe(false);
		expect(compileFilterPattern('eni-0abc -ACCEPT')(accept443)).toBe(false);
		expect(compileFilterPattern('eni-0abc -ACCEPT')(reject22)).toBe(true);
	});

	it('treats a quoted term as one phrase', () => {
		expect(compileFilterPattern('"22 6 1"')(reject22)).toBe(true);
		expect(compileFilterPattern('"6 22"')(reject22)).toBe(false);
	});

	it('rejects JSON patterns and unbalanced quotes with InvalidParameterException', () => {
		expect(() => compileFilterPattern('{ $.action = "REJECT" }')).toThrow(expect.objectContaining({code: 'InvalidParameterException'}));
		expect(() => compileFilterPattern('"REJECT')).toThrow(expect.objectContaining({code: 'InvalidParameterException'}));
	});
});

describe('space-delimited patterns', () => {
	it('matches by field with = on strings and numbers', () => {
		const pattern = compileFilterPattern(delimited({destport: '="22"', action: '="REJECT"'}));
		expect(pattern(reject22)).toBe(true);
		expect(pattern(accept443)).toBe(false);
		expect(compileFilterPattern(delimited({destport: '=22'}))(reject22)).toBe(true);
		expect(compileFilterPattern(delimited({action: '=REJECT'}))(reject22)).toBe(true);
	});

	it('supports != , numeric comparisons and * wildcards', () => {
		expect(compileFilterPattern(delimited({action: '!="ACCEPT"'}))(reject22)).toBe(true);
		expect(compileFilterPattern(delimited({action: '!="ACCEPT"'}))(accept443)).toBe(false);
		expect(compileFilterPattern(delimited({bytes: '>=1000'}))(accept443)).toBe(true);
		expect(compileFilterPattern(delimited({bytes: '>=1000'}))(reject22)).toBe(false);
		expect(compileFilterPattern(delimited({destport: '<1024', packets: '<2'}))(reject22)).toBe(true);
		expect(compileFilterPattern(delimited({source: '="198.51.*"'}))(accept443)).toBe(true);
		expect(compileFilterPattern(delimited({source: '="198.51.*"'}))(reject22)).toBe(false);
		// A numeric comparison never matches `-`.
		expect(compileFilterPattern(delimited({bytes: '>0'}))(nodata)).toBe(false);
	});

	it('supports && and || inside a field, and ... for any number of fields', () => {
		expect(compileFilterPattern(delimited({destport: '=22 || destport=443'}))(accept443)).toBe(true);
		expect(compileFilterPattern(delimited({destport: '>20 && destport<30'}))(accept443)).toBe(false);
		expect(compileFilterPattern('[..., action="REJECT", status]')(reject22)).toBe(true);
		expect(compileFilterPattern('[v, a, eni, src, ..., action="REJECT", status]')(reject22)).toBe(true);
		expect(compileFilterPattern('[..., action="REJECT", status]')(accept443)).toBe(false);
	});

	it('needs the field count to match without an ellipsis', () => {
		expect(compileFilterPattern('[a, b, c]')(reject22)).toBe(false);
		expect(compileFilterPattern(delimited({}))(reject22)).toBe(true);
	});

	it('reports malformed patterns', () => {
		expect(() => compileFilterPattern('[a, b=')).toThrow(expect.objectContaining({code: 'InvalidParameterException'}));
		expect(() => compileFilterPattern('[a, b>"x"]')).toThrow(/needs a number/);
	});
});

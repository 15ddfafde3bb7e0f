import {describe, expect, it} from 'vitest';
import {DEFAULT_FLOW_FORMAT} from '../../source/core/flow-format.js';
import {FlowLineClassifier} from '../../source/core/flow-lines.js';

const V2 = '2 123456789010 eni-1 198.51.100.7 10.0.1.15 40000 22 6 1 40 1000 1060 REJECT OK';
const HEADER_V2 = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

function classify(lines: string[], format?: string) {
	const classifier = new FlowLineClassifier(format);
	const outcomes = lines.map((line) => {
		const outcome = classifier.next(line);
		return typeof outcome === 'object' ? 'record' : outcome;
	});
	return {outcomes, stats: classifier.stats};
}

describe('FlowLineClassifier', () => {
	it('uses the default format when the file has no header', () => {
		const {outcomes, stats} = classify([V2, '', 'not a record', V2]);
		expect(outcomes).toEqual(['record', 'blank', 'malformed', 'record']);
		expect(stats).toEqual({lines: 4, records: 2, nodata: 0, skipdata: 0, malformed: 1, firstMalformedLine: 3, format: DEFAULT_FLOW_FORMAT});
	});

	it('obeys a header line on the first non-blank line', () => {
		const {outcomes, stats} = classify(['', 'srcaddr dstport action', '198.51.100.7 22 REJECT', V2]);
		expect(outcomes).toEqual(['blank', 'header', 'record', 'malformed']);
		expect(stats.format).toBe('${srcaddr} ${dstport} ${action}');
		expect(stats.firstMalformedLine).toBe(4);
	});

	it('switches format at a header in the middle (files joined with cat)', () => {
		const {outcomes, stats} = classify([HEADER_V2, V2, 'version srcaddr action', '3 198.51.100.7 REJECT', V2]);
		expect(outcomes).toEqual(['header', 'record', 'header', 'record', 'malformed']);
		expect(stats.format).toBe('${version} ${srcaddr} ${action}');
	});

	it('skips, but does not obey, headers when the format was given', () => {
		const {outcomes, stats} = classify(['srcaddr dstport action', V2], DEFAULT_FLOW_FORMAT);
		expect(outcomes).toEqual(['header', 'record']);
		expect(stats.format).toBe(DEFAULT_FLOW_FORMAT);
	});

	it('takes a first line that is a record over a header look-alike of string-only formats', () => {
		const {outcomes} = classify(['eni-0abc vpc-0abc', 'eni-0abd vpc-0abc'], '${interface-id} ${vpc-id}');
		expect(outcomes).toEqual(['record', 'record']);
	});

	it('counts NODATA and SKIPDATA', () => {
		const {stats} = classify([
			'2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - NODATA',
			'2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - SKIPDATA',
		]);
		expect(stats).toMatchObject({records: 2, nodata: 1, skipdata: 1, malformed: 0});
	});
});

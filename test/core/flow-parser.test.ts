import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {DEFAULT_FLOW_FORMAT, FLOW_FIELDS, formatString, type FlowField} from '../../source/core/flow-format.js';
import {createFlowLineParser} from '../../source/core/flow-parser.js';

const parseDefault = createFlowLineParser(DEFAULT_FLOW_FORMAT);

describe('createFlowLineParser (default format)', () => {
	it('reads an accepted record: numbers are numbers, keys are camelCase', () => {
		expect(parseDefault('2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK')).toEqual({
			version: 2, accountId: '123456789010', interfaceId: 'eni-1235b8ca123456789', srcAddr: '172.31.16.139', dstAddr: '172.31.16.21',
			srcPort: 20641, dstPort: 22, protocol: 6, packets: 20, bytes: 4249, start: 1418530010, end: 1418530070, action: 'ACCEPT', logStatus: 'OK',
		});
	});

	it('keeps the order of the format in the record keys (NDJSON reads like the line)', () => {
		expect(Object.keys(parseDefault('2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 REJECT OK')!)).toEqual(FLOW_FIELDS.slice(0, 14).map((field) => field.key));
	});

	it('keeps NODATA and SKIPDATA records, with - as null', () => {
		expect(parseDefault('2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA')).toEqual({
			version: 2, accountId: '123456789010', interfaceId: 'eni-1235b8ca123456789', srcAddr: null, dstAddr: null, srcPort: null, dstPort: null,
			protocol: null, packets: null, bytes: null, start: 1431280876, end: 1431280934, action: null, logStatus: 'NODATA',
		});
		expect(parseDefault('2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA')?.logStatus).toBe('SKIPDATA');
	});

	it('reads IPv6 addresses and an "unknown" account', () => {
		const record = parseDefault('2 unknown eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 1477913708 1477913820 REJECT OK');
		expect(record).toMatchObject({accountId: 'unknown', srcAddr: '2001:db8:1234:a100:8d6e:3477:df66:f105', dstPort: 22, action: 'REJECT'});
	});

	it('tolerates runs of spaces, tabs and a trailing CR', () => {
		expect(parseDefault('  2 123456789010\teni-1 10.0.0.1  10.0.0.2 1 2 6 1 1 1 2 REJECT OK\r')).toMatchObject({interfaceId: 'eni-1', srcAddr: '10.0.0.1', logStatus: 'OK'});
	});

	it.each([
		['too few values', '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 REJECT'],
		['too many values', '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 REJECT OK extra'],
		['a word where a number belongs', '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 ssh 6 1 1 1 2 REJECT OK'],
		['a negative number', '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 -22 6 1 1 1 2 REJECT OK'],
		['a decimal number', '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 22 6 1.5 1 1 2 REJECT OK'],
		['an unknown action', '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 1 1 2 DENY OK'],
		['a lowercase action', '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 1 1 2 reject OK'],
		['an unknown log-status', '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 1 1 2 REJECT FAIL'],
		['an empty line', ''],
		['a header line', 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'],
		['a destination port above 65535', '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 65536 6 1 1 1 2 REJECT OK'],
		['a source port of 23 digits', '2 123456789010 eni-1 10.0.0.1 10.0.0.2 99999999999999999999999 22 6 1 1 1 2 REJECT OK'],
		['a protocol above 255', '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 22 256 1 1 1 2 REJECT OK'],
		['a start no Date can hold', '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 1 99999999999999999999 2 REJECT OK'],
		['an end no Date can hold', '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 1 1 8640000000001 REJECT OK'],
		['a byte count past the exact integers', '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 9007199254740992 1 2 REJECT OK'],
	])('returns null (malformed) for %s', (_name, line) => {
		expect(parseDefault(line)).toBeNull();
	});

	it('reads the largest values each field holds', () => {
		expect(parseDefault('2 123456789010 eni-1 10.0.0.1 10.0.0.2 0 65535 255 9007199254740991 9007199254740991 0 8640000000000 REJECT OK')).toMatchObject({
			srcPort: 0, dstPort: 65535, protocol: 255, packets: Number.MAX_SAFE_INTEGER, bytes: Number.MAX_SAFE_INTEGER, start: 0, end: 8_640_000_000_000,
		});
		// The last second a Date holds is a Date.
		expect(new Date(8_640_000_000_000 * 1000).toISOString()).toBe('+275760-09-13T00:00:00.000Z');
	});
});

describe('createFlowLineParser (custom formats)', () => {
	it('reads every v3–v8 field under its Logs Insights name', () => {
		const format = '${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${account-id} ${type} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${pkt-srcaddr} ${pkt-dstaddr} ${protocol} ${bytes} ${packets} ${start} ${end} ${action} ${tcp-flags} ${log-status} ${region} ${az-id} ${sublocation-type} ${sublocation-id} ${pkt-src-aws-service} ${pkt-dst-aws-service} ${flow-direction} ${traffic-path} ${ecs-cluster-name} ${ecs-task-id} ${reject-reason}';
		const line = '8 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 REJECT 2 OK us-east-1 use1-az4 outpost op-0123 AMAZON - ingress 1 web-cluster 0123456789abcdef BPA';
		expect(createFlowLineParser(format)(line)).toEqual({
			version: 8, vpcId: 'vpc-abcdefab012345678', subnetId: 'subnet-aaaaaaaa012345678', instanceId: 'i-01234567890123456', interfaceId: 'eni-1235b8ca123456789',
			accountId: '123456789010', type: 'IPv4', srcAddr: '52.213.180.42', dstAddr: '10.0.0.62', srcPort: 43416, dstPort: 5001, pktSrcAddr: '52.213.180.42',
			pktDstAddr: '10.0.0.62', protocol: 6, bytes: 568, packets: 8, start: 1566848875, end: 1566848933, action: 'REJECT', tcpFlags: 2, logStatus: 'OK',
			region: 'us-east-1', azId: 'use1-az4', sublocationType: 'outpost', sublocationId: 'op-0123', pktSrcAwsService: 'AMAZON', pktDstAwsService: null,
			flowDirection: 'ingress', trafficPath: 1, ecsClusterName: 'web-cluster', ecsTaskId: '0123456789abcdef', rejectReason: 'BPA',
		});
	});

	it('accepts parsed fields as well as a format string', () => {
		const parse = createFlowLineParser([FLOW_FIELDS[3]!, FLOW_FIELDS[6]!]);
		expect(parse('10.0.0.9 443')).toEqual({srcAddr: '10.0.0.9', dstPort: 443});
	});

	it('round-trips any record of any format (property)', () => {
		const value = (field: FlowField) => {
			const {kind} = field;
			if (kind === 'number') return fc.oneof(fc.constant(null), fc.nat({max: field.max ?? 2 ** 40}));
			if (kind === 'action') return fc.constantFrom(null, 'ACCEPT', 'REJECT');
			if (kind === 'log-status') return fc.constantFrom(null, 'OK', 'NODATA', 'SKIPDATA');
			return fc.oneof(fc.constant(null), fc.stringMatching(/^[\x21-\x7e]{1,20}$/).filter((text) => text !== '-'));
		};
		const formatAndRecord = fc.shuffledSubarray([...FLOW_FIELDS], {minLength: 1}).chain((fields) =>
			fc.tuple(fc.constant(fields), fc.tuple(...fields.map((field) => value(field)))),
		);
		fc.assert(
			fc.property(formatAndRecord, fc.constantFrom(' ', '  ', '\t'), ([fields, values], separator) => {
				const line = values.map((v) => (v === null ? '-' : String(v))).join(separator);
				const record = createFlowLineParser(formatString(fields))(line);
				expect(record).toEqual(Object.fromEntries(fields.map((field, index) => [field.key, values[index]])));
			}),
			{numRuns: 300},
		);
	});
});

import {describe, expect, it} from 'vitest';
import {parseQuery, runQuery} from '../../source/lab/insights.js';
import type {LogEvent} from '../../source/lab/log-store.js';

const FORMAT = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';
const lines = [
	'2 1 eni-a 203.0.113.7 10.0.1.10 40000 22 6 1 60 100 160 REJECT OK',
	'2 1 eni-a 203.0.113.7 10.0.1.10 40001 22 6 1 60 200 260 REJECT OK',
	'2 1 eni-a 203.0.113.9 10.0.1.10 40002 3389 6 1 60 150 210 REJECT OK',
	'2 1 eni-a 198.51.100.1 10.0.1.10 40003 443 6 9 900 120 180 ACCEPT OK',
	'2 1 eni-a - - - - - - - 300 360 - NODATA',
];
const events = lines.map((message, i) => ({
	event: {timestamp: 1_000_000 + i * 1000, ingestionTime: 1_000_000 + i * 1000, message, eventId: String(i), seq: i} satisfies LogEvent,
	logGroup: '/vpc/flow-logs',
	logStream: 'eni-a',
	flowFormat: FORMAT,
}));

function table(query: string) {
	return runQuery(query, {events, accountId: '111122223333', limit: 10_000}).results.map((row) => Object.fromEntries(row.map(({field, value}) => [field, value])));
}

describe('Logs Insights subset', () => {
	it('runs the reject summary query sgtui sends', () => {
		const rows = table('filter action="REJECT" | stats count(*) as rejects, min(start) as first, max(end) as last by srcAddr, dstPort, protocol | sort rejects desc | limit 50');
		expect(rows).toEqual([
			{srcAddr: '203.0.113.7', dstPort: '22', protocol: '6', rejects: '2', first: '100', last: '260'},
			{srcAddr: '203.0.113.9', dstPort: '3389', protocol: '6', rejects: '1', first: '150', last: '210'},
		]);
	});

	it('counts matched and scanned records', () => {
		const out = runQuery('filter action = "REJECT" and dstPort = 22', {events, accountId: '1', limit: 10_000});
		expect(out.recordsScanned).toBe(5);
		expect(out.recordsMatched).toBe(2);
	});

	it('projects fields with @ptr, sorts and limits', () => {
		const rows = table('fields @timestamp, srcAddr, dstPort | filter dstPort != 22 and ispresent(dstPort) | sort dstPort desc | limit 1');
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({'@timestamp': '1970-01-01 00:16:42.000', srcAddr: '203.0.113.9', dstPort: '3389'});
		expect(rows[0]!['@ptr']).toBeTruthy();
	});

	it('supports or, like (text and regex), in, sum, avg, count_distinct and bin()', () => {
		expect(table('filter srcAddr like /^203\\./ or action = "ACCEPT" | stats count(*) as n')).toEqual([{n: '4'}]);
		expect(table('filter srcAddr like "198.51" | stats sum(bytes) as total, avg(packets) as packets')).toEqual([{total: '900', packets: '9'}]);
		expect(table('filter dstPort in [22, 443] | stats count_distinct(srcAddr) as sources')).toEqual([{sources: '2'}]);
		expect(table('filter action = "REJECT" | stats count(*) as n by bin(1h)')).toEqual([{'bin(1h)': '1970-01-01 00:00:00.000', n: '3'}]);
	});

	it('rejects what it does not implement with MalformedQueryException', () => {
		expect(() => parseQuery('parse @message "* *" as a, b')).toThrow(expect.objectContaining({code: 'MalformedQueryException'}));
		expect(() => parseQuery('filter action = ')).toThrow(expect.objectContaining({code: 'MalformedQueryException'}));
		expect(() => parseQuery('stats median(bytes)')).toThrow(/unsupported stats function/);
	});
});

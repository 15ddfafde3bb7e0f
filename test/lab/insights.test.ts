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
		expect(() => parseQuery('dedup srcAddr')).toThrow(expect.objectContaining({code: 'MalformedQueryException'}));
		expect(() => parseQuery('filter action = ')).toThrow(expect.objectContaining({code: 'MalformedQueryException'}));
		expect(() => parseQuery('stats median(bytes)')).toThrow(/unsupported stats function/);
	});
});

describe('Logs Insights parse', () => {
	// No discovered fields: what Insights gives a custom-format flow log, so only `parse` names them.
	const undiscovered = events.map((event) => ({...event, flowFormat: null}));
	const plain = (query: string) =>
		runQuery(query, {events: undiscovered, accountId: '1', limit: 10_000}).results.map((row) => Object.fromEntries(row.filter(({field}) => field !== '@ptr').map(({field, value}) => [field, value])));
	const FIELDS = 'version, accountId, interfaceId, srcAddr, dstAddr, srcPort, dstPort, protocol, packets, bytes, start, end, action, logStatus';
	const GLOB = `parse @message "${Array(14).fill('*').join(' ')}" as ${FIELDS}`;

	it('names the fields of each message with a glob, so the reject summary needs no discovery', () => {
		const summary = '| filter action = "REJECT" | stats count(*) as count, min(start) as first, max(end) as last by srcAddr, dstPort, protocol | sort count desc | limit 50';
		expect(plain(summary.slice(2))).toEqual([]);
		const parsed = plain(`fields @timestamp, @message\n| ${GLOB}\n${summary}`);
		expect(parsed).toEqual([
			{srcAddr: '203.0.113.7', dstPort: '22', protocol: '6', count: '2', first: '100', last: '260'},
			{srcAddr: '203.0.113.9', dstPort: '3389', protocol: '6', count: '1', first: '150', last: '210'},
		]);
		// The same answer as the discovered fields give.
		expect(parsed).toEqual(table(`${GLOB} ${summary}`));
	});

	it('captures lazily, gives a trailing * the rest, matches anywhere, and leaves non-matching events without the fields', () => {
		expect(plain('parse "* *" as first, rest | fields first, rest | limit 1')).toEqual([{first: '2', rest: '1 eni-a 203.0.113.7 10.0.1.10 40000 22 6 1 60 100 160 REJECT OK'}]);
		expect(plain('parse @message "eni-a * " as source | stats count(*) as n by source | sort n desc | limit 1')).toEqual([{source: '203.0.113.7', n: '2'}]);
		expect(plain('parse @message "* 3389 * " as head, proto | filter ispresent(proto) | fields proto')).toEqual([{proto: '6'}]);
		expect(plain('parse @message "NODATA*" as tail | filter ispresent(tail) | stats count(*) as n')).toEqual([{n: '1'}]);
		expect(plain('parse @message "REJECT *" as status | stats count(*) as all, count(status) as rejects')).toEqual([{all: '5', rejects: '3'}]);
		// Regex metacharacters in the literal text are literal.
		expect(plain('parse @message "203.0.113.* " as host | filter ispresent(host) | stats count_distinct(host) as hosts')).toEqual([{hosts: '2'}]);
	});

	it('parses any field, and fields extracted by an earlier parse', () => {
		expect(plain('parse @logStream "eni-*" as suffix | parse @message "* * * *" as v, a, eni, rest | parse rest "*.*.*.* " as o1, o2, o3, o4 | filter o4 = "9" | fields suffix, eni, o1, o4')).toEqual([
			{suffix: 'a', eni: 'eni-a', o1: '203', o4: '9'},
		]);
	});

	it('extracts named capturing groups with a /regex/, even one holding | or an escaped /', () => {
		expect(plain('parse @message /(?<NetworkInterface>eni-.*?) / | stats count(*) as n by NetworkInterface')).toEqual([{NetworkInterface: 'eni-a', n: '5'}]);
		expect(plain('parse @message / (?<port>22|3389) \\d+ / | filter ispresent(port) | stats count(*) as n by port | sort port')).toEqual([
			{port: '22', n: '2'},
			{port: '3389', n: '1'},
		]);
		expect(plain('parse /(?<verdict>ACCEPT|REJECT)(?<never>\\/x)?/ | filter verdict = "ACCEPT" | fields verdict, never')).toEqual([{verdict: 'ACCEPT'}]);
	});

	it('refuses a malformed parse with MalformedQueryException', () => {
		const malformed = expect.objectContaining({code: 'MalformedQueryException'});
		expect(() => parseQuery('parse @message "* *" as a')).toThrow(/has 2 \* but 1 field name/);
		expect(() => parseQuery('parse @message "no wildcard" as a')).toThrow(malformed);
		expect(() => parseQuery('parse @message "*"')).toThrow(malformed);
		expect(() => parseQuery('parse @message /(unnamed)/')).toThrow(/no named capturing group/);
		expect(() => parseQuery('parse @message /(?<a>[/')).toThrow(malformed);
		expect(() => parseQuery('parse @message /(?<a>x)')).toThrow(/unterminated regular expression/);
	});
});

import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {DEFAULT_FLOW_FORMAT} from '../../source/core/flow-format.js';
import {createFlowLineParser} from '../../source/core/flow-parser.js';
import {FlowSummary, formatMalformedNote, formatReplyNote, summarizeRejects} from '../../source/core/flow-summary.js';
import type {FlowRecord} from '../../source/core/types.js';

const parse = createFlowLineParser(DEFAULT_FLOW_FORMAT);
// The parser refuses a port above 65535; the summary must still keep one apart (its keys pack
// ports into numbers), so such a record is made by hand.
const record = (src: string, port: number, protocol: number, action: string, start: number, end: number, status = 'OK'): FlowRecord => ({
	...parse(`2 123456789010 eni-1 ${src} 10.0.1.15 40000 22 ${protocol} 1 40 ${start} ${end} ${action} ${status}`)!,
	dstPort: port,
});

describe('FlowSummary', () => {
	it('groups REJECTs by (source, port, protocol) with count and first/last seen', () => {
		const summary = summarizeRejects([
			record('198.51.100.7', 22, 6, 'REJECT', 1000, 1060),
			record('198.51.100.7', 22, 6, 'REJECT', 900, 950),
			record('198.51.100.7', 22, 6, 'REJECT', 1100, 1200),
			record('198.51.100.7', 22, 17, 'REJECT', 1000, 1060),
			record('203.0.113.9', 3389, 6, 'REJECT', 500, 560),
			record('198.51.100.7', 22, 6, 'ACCEPT', 1, 5000),
		]);
		expect(summary.rows()).toEqual([
			{srcAddr: '198.51.100.7', dstPort: 22, protocol: 6, action: 'REJECT', count: 3, firstSeen: 900, lastSeen: 1200},
			{srcAddr: '198.51.100.7', dstPort: 22, protocol: 17, action: 'REJECT', count: 1, firstSeen: 1000, lastSeen: 1060},
			{srcAddr: '203.0.113.9', dstPort: 3389, protocol: 6, action: 'REJECT', count: 1, firstSeen: 500, lastSeen: 560},
		]);
		expect(summary.totals).toEqual({records: 6, rejects: 5, accepts: 1, nodata: 0, skipdata: 0, noAction: 0, malformed: 0, firstMalformedLine: null});
	});

	it('counts NODATA and SKIPDATA records without making tuples of them', () => {
		const summary = new FlowSummary();
		summary.add(parse('2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - NODATA')!);
		summary.add(parse('2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - SKIPDATA')!);
		summary.add(parse('2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - NODATA')!);
		expect(summary.totals).toMatchObject({records: 3, nodata: 2, skipdata: 1, rejects: 0});
		expect(summary.rows()).toEqual([]);
	});

	// A LogFormat without ${action}, or `-` in it on an OK record: such records were in the total
	// and in no category, so the totals line did not add up.
	it('counts records without an action as their own category, so the categories add up to the total', () => {
		const summary = summarizeRejects([
			{srcAddr: '198.51.100.7', dstPort: 22, protocol: 6},
			{srcAddr: '198.51.100.7', dstPort: 22, protocol: 6, action: null, logStatus: 'OK'},
			record('198.51.100.7', 22, 6, 'REJECT', 1, 2),
			parse('2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - NODATA')!,
		] as FlowRecord[]);
		expect(summary.totals).toMatchObject({records: 4, rejects: 1, accepts: 0, nodata: 1, skipdata: 0, noAction: 2});
		const other = new FlowSummary();
		other.add({srcAddr: '203.0.113.9'});
		summary.merge({totals: other.totals, rows: other.rows()});
		expect(summary.totals).toMatchObject({records: 5, noAction: 3});
	});

	it('keeps every action (NODATA included) when asked', () => {
		const summary = summarizeRejects([
			record('198.51.100.7', 22, 6, 'ACCEPT', 1, 2),
			record('198.51.100.7', 22, 6, 'REJECT', 1, 2),
			parse('2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - NODATA')!,
		], {actions: 'all'});
		expect(summary.rows().map((row) => [row.srcAddr, row.action, row.count])).toEqual([[null, null, 1], ['198.51.100.7', 'ACCEPT', 1], ['198.51.100.7', 'REJECT', 1]]);
	});

	it('is incremental: rows() can be sampled while records keep coming', () => {
		const summary = new FlowSummary();
		summary.add(record('198.51.100.7', 22, 6, 'REJECT', 10, 20));
		const before = summary.rows();
		summary.add(record('198.51.100.7', 22, 6, 'REJECT', 30, 40));
		expect(before[0]!.count).toBe(1);
		expect(summary.rows()[0]).toMatchObject({count: 2, firstSeen: 10, lastSeen: 40});
		expect(summary.rows(0)).toEqual([]);
	});

	it('works on records of a format without ports or times (e.g. ${srcaddr} ${action})', () => {
		const summary = summarizeRejects([{srcAddr: '198.51.100.7', action: 'REJECT'}, {srcAddr: '198.51.100.7', action: 'REJECT'}] as FlowRecord[]);
		expect(summary.rows()).toEqual([{srcAddr: '198.51.100.7', dstPort: null, protocol: null, action: 'REJECT', count: 2, firstSeen: null, lastSeen: null}]);
	});

	it('keeps garbage port numbers apart instead of colliding', () => {
		const summary = summarizeRejects([
			record('198.51.100.7', 99999999, 6, 'REJECT', 1, 2),
			record('198.51.100.7', 99999999, 6, 'REJECT', 3, 4),
			record('198.51.100.7', 22, 6, 'REJECT', 1, 2),
		]);
		expect(summary.rows().map((row) => [row.dstPort, row.count])).toEqual([[99999999, 2], [22, 1]]);
		expect(summary.size).toBe(2);
	});

	it('merging partial summaries equals summarizing everything at once (property)', () => {
		const arbitraryRecord = fc.record({
			src: fc.constantFrom('198.51.100.7', '203.0.113.9', '10.0.0.1'),
			port: fc.constantFrom(22, 80, 3389, 0),
			protocol: fc.constantFrom(6, 17, 1),
			action: fc.constantFrom('ACCEPT', 'REJECT', '-'),
			start: fc.integer({min: 1_700_000_000, max: 1_700_100_000}),
			length: fc.integer({min: 0, max: 600}),
		});
		fc.assert(
			fc.property(fc.array(arbitraryRecord, {maxLength: 60}), fc.nat(), fc.constantFrom('reject' as const, 'all' as const), (items, cut, actions) => {
				const records = items.map((item) => record(item.src, item.port, item.protocol, item.action, item.start, item.start + item.length));
				const at = records.length === 0 ? 0 : cut % (records.length + 1);
				const whole = summarizeRejects(records, {actions});
				const merged = summarizeRejects(records.slice(0, at), {actions});
				merged.merge(summarizeRejects(records.slice(at), {actions}));
				expect(merged.rows()).toEqual(whole.rows());
				expect(merged.totals).toEqual(whole.totals);
				const {records: total, rejects, accepts, nodata, skipdata, noAction} = whole.totals;
				expect(rejects + accepts + nodata + skipdata + noAction).toBe(total);
			}),
			{numRuns: 200},
		);
	});

	it('remembers the first malformed line, in whatever order parts report', () => {
		const summary = new FlowSummary();
		summary.addMalformed(40);
		summary.addMalformed(17);
		summary.addMalformed(90);
		expect(summary.totals).toMatchObject({malformed: 3, firstMalformedLine: 17});
	});
});

// Flow logs may spell one IPv6 peer several ways (leading zeros, upper case, :: or not); rows
// were keyed by the text, so one client showed as several rows. The reference below builds the
// RFC 5952 text from the eight groups by the RFC's rules, independently of the code under test.
describe('FlowSummary with IPv6 peers', () => {
	function rfc5952(groups: number[]): string {
		// §5: an IPv4-mapped address keeps its IPv4 part dotted.
		if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
			return `::ffff:${[groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.')}`;
		}
		let best = {at: -1, length: 1};
		for (let at = 0; at < 8; ) {
			let end = at;
			while (end < 8 && groups[end] === 0) end++;
			if (end - at > best.length) best = {at, length: end - at};
			at = end === at ? at + 1 : end;
		}
		const hex = groups.map((group) => group.toString(16));
		if (best.at < 0) return hex.join(':');
		return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
	}

	/** One spelling: groups padded with 0 to any width, any case, any run of zero groups as ::. */
	const spelling = (groups: number[]) =>
		fc.record({pads: fc.array(fc.integer({min: 1, max: 4}), {minLength: 8, maxLength: 8}), upper: fc.array(fc.boolean(), {minLength: 8, maxLength: 8}), cut: fc.nat()}).map(({pads, upper, cut}) => {
			const text = groups.map((group, index) => {
				const hex = group.toString(16).padStart(pads[index]!, '0');
				return upper[index] ? hex.toUpperCase() : hex;
			});
			const runs: Array<[number, number]> = [];
			for (let at = 0; at < 8; at++) for (let end = at + 1; end <= 8 && groups[end - 1] === 0; end++) runs.push([at, end]);
			if (runs.length === 0 || cut % 3 === 0) return text.join(':');
			const [at, end] = runs[cut % runs.length]!;
			return `${text.slice(0, at).join(':')}::${text.slice(end).join(':')}`;
		});
	const groups = fc.oneof(
		fc.array(fc.oneof(fc.constant(0), fc.integer({min: 0, max: 0xffff})), {minLength: 8, maxLength: 8}),
		fc.tuple(fc.integer({min: 0, max: 0xffff}), fc.integer({min: 0, max: 0xffff})).map(([high, low]) => [0, 0, 0, 0, 0, 0xffff, high, low]),
	);

	it('merges every spelling of one address into one row, shown in RFC 5952 form (property)', () => {
		fc.assert(
			fc.property(groups.chain((address) => fc.tuple(fc.constant(address), fc.array(spelling(address), {minLength: 1, maxLength: 6}))), ([address, spellings]) => {
				const summary = summarizeRejects(spellings.map((src) => ({srcAddr: src, dstPort: 22, protocol: 6, action: 'REJECT'})));
				expect(summary.rows()).toEqual([{srcAddr: rfc5952(address), dstPort: 22, protocol: 6, action: 'REJECT', count: spellings.length, firstSeen: null, lastSeen: null}]);
			}),
			{numRuns: 300},
		);
	});

	it('merges spellings in partial summaries (worker threads) too, and leaves IPv4 and non-addresses as written', () => {
		const summary = summarizeRejects([record('2001:db8::1', 22, 6, 'REJECT', 1, 2), record('10.0.0.1', 22, 6, 'REJECT', 1, 2), record('not:an:address', 22, 6, 'REJECT', 1, 2)]);
		summary.merge(summarizeRejects([record('2001:0DB8:0:0::1', 22, 6, 'REJECT', 3, 4)]));
		summary.addTuple('2001:db8:0:0:0:0:0:1', 22, 6, 'REJECT', 5, 6);
		expect(summary.rows().map((row) => [row.srcAddr, row.count, row.firstSeen, row.lastSeen])).toEqual([['2001:db8::1', 3, 1, 6], ['10.0.0.1', 1, 1, 2], ['not:an:address', 1, 1, 2]]);
	});

	it('keeps an IPv4-mapped address in its dotted form (RFC 5952 §5)', () => {
		const summary = summarizeRejects([record('::FFFF:198.51.100.7', 22, 6, 'REJECT', 1, 2), record('0:0:0:0:0:ffff:c633:6407', 22, 6, 'REJECT', 1, 2)]);
		expect(summary.rows().map((row) => [row.srcAddr, row.count])).toEqual([['::ffff:198.51.100.7', 2]]);
	});

	it("tells the interface's own address in any spelling (replies by direction)", () => {
		const summary = new FlowSummary({byDirection: true, eniAddresses: ['2001:DB8:0:0::15']});
		summary.add({srcAddr: '2001:db8::15', dstAddr: '2001:db8::99', srcPort: 22, dstPort: 22, protocol: 6, action: 'REJECT'});
		expect(summary.rows().map((row) => [row.direction, row.srcAddr])).toEqual([['out', '2001:db8::99']]);
	});
});

describe('formatMalformedNote', () => {
	it('says how many lines were skipped and where the first one is', () => {
		expect(formatMalformedNote({malformed: 3, firstMalformedLine: 17})).toBe('skipped 3 malformed lines, first at line 17');
		expect(formatMalformedNote({malformed: 1, firstMalformedLine: 2})).toBe('skipped 1 malformed line, first at line 2');
		expect(formatMalformedNote({malformed: 0, firstMalformedLine: null})).toBeNull();
	});
});

// A NACL that drops return traffic REJECTs the instance's replies: src = the ENI, srcPort = the
// service port, dstPort = the client's random ephemeral port. Keyed by (source, destination port)
// that is one row per connection with the instance as "source"; by direction it is one row.
describe('FlowSummary by direction', () => {
	const line = (src: string, dst: string, srcPort: number, dstPort: number, action = 'REJECT', start = 1000): FlowRecord => ({
		...parse(`2 123456789010 eni-1 ${src} ${dst} ${srcPort} 22 6 1 40 ${start} ${start + 60} ${action} OK`)!,
		dstPort,
	});
	const replies = [line('10.20.1.5', '198.51.100.23', 22, 39568), line('10.20.1.5', '198.51.100.23', 22, 32777, 'REJECT', 2000), line('10.20.1.5', '198.51.100.23', 22, 43456, 'REJECT', 500)];

	it('groups the replies to one client as one row: (peer = client, service port, protocol)', () => {
		const summary = summarizeRejects([...replies, line('192.0.2.95', '10.20.1.5', 56731, 23)], {byDirection: true});
		expect(summary.rows()).toEqual([
			{direction: 'reply', srcAddr: '198.51.100.23', dstPort: 22, protocol: 6, action: 'REJECT', count: 3, firstSeen: 500, lastSeen: 2060},
			{direction: 'in', srcAddr: '192.0.2.95', dstPort: 23, protocol: 6, action: 'REJECT', count: 1, firstSeen: 1000, lastSeen: 1060},
		]);
		// Without the option: the old, per-ephemeral-port rows, and no direction field.
		const legacy = summarizeRejects(replies);
		expect(legacy.rows().map((row) => [row.srcAddr, row.dstPort, row.direction])).toEqual([['10.20.1.5', 32777, undefined], ['10.20.1.5', 39568, undefined], ['10.20.1.5', 43456, undefined]]);
	});

	it('keeps the same (peer, port) apart by direction, and tells outbound traffic by the ENI\'s addresses', () => {
		const records = [line('198.51.100.23', '10.20.1.5', 40000, 22), line('10.20.1.5', '198.51.100.23', 22, 40000), line('10.20.1.5', '198.51.100.23', 50000, 22)];
		const summary = summarizeRejects(records, {byDirection: true, eniAddresses: ['10.20.1.5']});
		expect(summary.rows().map((row) => [row.direction, row.srcAddr, row.dstPort, row.count])).toEqual([
			['in', '198.51.100.23', 22, 1],
			['reply', '198.51.100.23', 22, 1],
			['out', '198.51.100.23', 22, 1],
		]);
		// Without the addresses the last one is neither recognizably leaving nor a reply: inbound by default.
		expect(summarizeRejects(records, {byDirection: true}).rows().map((row) => row.direction)).toEqual(['in', 'in', 'reply']);
	});

	it('merging partial direction-aware summaries equals summarizing at once (property)', () => {
		const item = fc.record({
			src: fc.constantFrom('198.51.100.7', '10.20.1.5', '203.0.113.9'),
			dst: fc.constantFrom('10.20.1.5', '198.51.100.7'),
			srcPort: fc.constantFrom(22, 443, 40000, 55555),
			dstPort: fc.constantFrom(22, 443, 40000, 99999999),
			action: fc.constantFrom('ACCEPT', 'REJECT'),
		});
		fc.assert(
			fc.property(fc.array(item, {maxLength: 50}), fc.nat(), fc.constantFrom('reject' as const, 'all' as const), fc.boolean(), (items, cut, actions, withAddresses) => {
				const options = {actions, byDirection: true, eniAddresses: withAddresses ? ['10.20.1.5'] : null};
				const records = items.map((i) => line(i.src, i.dst, i.srcPort, i.dstPort, i.action));
				const at = records.length === 0 ? 0 : cut % (records.length + 1);
				const whole = summarizeRejects(records, options);
				const merged = summarizeRejects(records.slice(0, at), options);
				merged.merge(summarizeRejects(records.slice(at), options));
				expect(merged.rows()).toEqual(whole.rows());
				expect(whole.rows().reduce((sum, row) => sum + row.count, 0)).toBe(actions === 'all' ? records.length : records.filter((r) => r.action === 'REJECT').length);
			}),
			{numRuns: 200},
		);
	});

	it('explains reply rows in one line that names the check to run', () => {
		const rows = summarizeRejects([...replies, line('192.0.2.95', '10.20.1.5', 56731, 23)], {byDirection: true}).rows();
		expect(formatReplyNote(rows)).toBe("reply rows: the instance's answers were REJECTed on the way out — the signature of a network ACL that drops return traffic (see `sgtui check … --port 22 --from 198.51.100.23`)");
		expect(formatReplyNote(rows.filter((row) => row.direction !== 'reply'))).toBeNull();
		// The peer comes from the record: one that is no address goes into no command (it held a
		// command substitution and a cursor move), the placeholder does.
		const hostile = rows.map((row) => (row.direction === 'reply' ? {...row, srcAddr: '$(touch\u001b[2A\r/tmp/pwn)'} : row));
		expect(formatReplyNote(hostile)).toBe("reply rows: the instance's answers were REJECTed on the way out — the signature of a network ACL that drops return traffic (see `sgtui check … --port 22 --from CLIENT`)");
		const ipv6 = rows.map((row) => (row.direction === 'reply' ? {...row, srcAddr: '2001:db8::7'} : row));
		expect(formatReplyNote(ipv6)).toContain('--from 2001:db8::7`');
	});
});

describe('FlowSummary with maxRows (a long live session)', () => {
	it('folds the smallest groups into others, keeping the record count exact and the big groups', () => {
		const summary = new FlowSummary({byDirection: true, maxRows: 8});
		const reject = (src: string, port: number) => ({srcAddr: src, dstAddr: '10.0.0.5', srcPort: 40000, dstPort: port, protocol: 6, action: 'REJECT' as const, start: 1, end: 2});
		for (let n = 0; n < 30; n++) summary.add(reject('198.51.100.7', 22));
		for (let n = 0; n < 200; n++) summary.add(reject(`100.64.0.${n}`, 443));
		const rows = summary.rows();
		expect(rows.length).toBeLessThanOrEqual(8);
		expect(rows[0]).toMatchObject({srcAddr: '198.51.100.7', dstPort: 22, count: 30});
		expect(rows.reduce((sum, row) => sum + row.count, 0) + summary.others.count).toBe(230);
		expect(summary.others.groups + rows.length).toBe(201);
		expect(summary.totals.rejects).toBe(230);
	});

	it('stays exact when a fold empties the source whose new group is being added (found by the 8-hour soak)', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.integer({min: 0, max: 12}), fc.constantFrom(22, 443, 3389)), {minLength: 1, maxLength: 400}), fc.integer({min: 2, max: 10}), (adds, maxRows) => {
				const summary = new FlowSummary({byDirection: true, maxRows});
				for (const [peer, port] of adds) summary.add({srcAddr: `100.64.0.${peer}`, dstAddr: '10.0.0.5', srcPort: 40000, dstPort: port, protocol: 6, action: 'REJECT', start: 1, end: 2});
				expect(summary.rows().reduce((sum, row) => sum + row.count, 0) + summary.others.count).toBe(adds.length);
			}),
		);
	});
});

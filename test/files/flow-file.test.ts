import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import fc from 'fast-check';
import {afterAll, describe, expect, it} from 'vitest';
import {generateFlowLines, HEADER} from '../../bench/generate-flows.mjs';
import {EvidenceError} from '../../source/core/evidence-error.js';
import {DEFAULT_FLOW_FORMAT} from '../../source/core/flow-format.js';
import {FlowSummary, type FlowSummaryOptions} from '../../source/core/flow-summary.js';
import type {FlowRecord} from '../../source/core/types.js';
import {MAX_LINE_BYTES, openFlowFile, scanFlowJson} from '../../source/files/flow-file.js';
import {summarizeFlowFile} from '../../source/files/flow-summarize.js';

const fixtures = fileURLToPath(new URL('../fixtures/flows/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sgtui-flows-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

let fileCount = 0;
function tempFile(content: string | Buffer, name = `flows-${fileCount++}.log`): string {
	const path = join(dir, name);
	writeFileSync(path, content);
	return path;
}

async function readAll(path: string, format?: string) {
	const {records, stats} = openFlowFile(path, {format});
	const all: FlowRecord[] = [];
	for await (const record of records) all.push(record);
	return {records: all, stats};
}

/** The reference: every record through the generic parser, then the incremental summary. */
async function genericSummary(path: string, options: FlowSummaryOptions & {format?: string} = {}) {
	const {records, stats} = await readAll(path, options.format);
	const summary = new FlowSummary(options);
	for (const record of records) summary.add(record);
	return {rows: summary.rows(), totals: {...summary.totals, malformed: stats.malformed, firstMalformedLine: stats.firstMalformedLine}, stats};
}

async function fastSummary(path: string, options: FlowSummaryOptions & {format?: string} = {}) {
	const {summary, stats} = await summarizeFlowFile(path, {...options, threads: 1});
	return {rows: summary.rows(), totals: summary.totals, stats};
}

describe('openFlowFile', () => {
	it('streams the records of a default-format file and counts what it skipped', async () => {
		const {records, stats} = await readAll(join(fixtures, 'default-v2.txt'));
		expect(records).toHaveLength(11);
		expect(records[1]).toEqual({
			version: 2, accountId: '123456789010', interfaceId: 'eni-1235b8ca123456789', srcAddr: '172.31.9.69', dstAddr: '172.31.9.12', srcPort: 49761,
			dstPort: 3389, protocol: 6, packets: 20, bytes: 4249, start: 1418530010, end: 1418530070, action: 'REJECT', logStatus: 'OK',
		});
		expect(records.filter((record) => record.logStatus === 'NODATA')).toHaveLength(1);
		expect(stats).toEqual({lines: 13, records: 11, nodata: 1, skipdata: 1, malformed: 2, firstMalformedLine: 10, format: DEFAULT_FLOW_FORMAT});
	});

	it('takes the format from an S3 header line', async () => {
		const {records, stats} = await readAll(join(fixtures, 's3-v5.txt'));
		expect(stats).toMatchObject({lines: 4, records: 3, malformed: 0, nodata: 1});
		expect(stats.format).toMatch(/^\$\{version\} .* \$\{flow-direction\} \$\{traffic-path\}$/);
		expect(records[0]).toMatchObject({version: 5, srcAddr: '198.51.100.7', dstPort: 22, action: 'REJECT', vpcId: 'vpc-0abc1234', tcpFlags: 2, type: 'IPv4', flowDirection: 'ingress', trafficPath: null, pktSrcAwsService: null});
		expect(records[1]).toMatchObject({pktDstAwsService: 'S3', trafficPath: 8});
	});

	it('decompresses gzip by its magic bytes, whatever the file is called', async () => {
		const plain = await readAll(join(fixtures, 'default-v2.txt'));
		const gz = gzipSync(readFileSync(join(fixtures, 'default-v2.txt')));
		const named = await readAll(tempFile(gz, 'no-suffix.log'));
		expect(named.records).toEqual(plain.records);
		expect(named.stats).toEqual(plain.stats);
		// And a text file called .gz is read as text.
		const text = await readAll(tempFile(readFileSync(join(fixtures, 'default-v2.txt')), 'not-really.gz'));
		expect(text.stats.records).toBe(11);
	});

	it('reads lines split across chunks, and a last line without a newline', async () => {
		const lines = [...generateFlowLines({records: 30_000, seed: 7})];
		const path = tempFile(lines.join('\n'));
		const {records, stats} = await readAll(path);
		expect(stats).toMatchObject({lines: 30_000, records: 30_000, malformed: 0});
		expect(records[29_999]!.start).toBe(Number(lines[29_999]!.split(' ')[10]));
		// Every record equals the naive split of its line.
		for (const index of [0, 1, 9_000, 17_777, 29_999]) {
			expect(records[index]!.srcAddr ?? '-').toBe(lines[index]!.split(' ')[3]);
		}
	});

	it('stops at a line too long to be a flow record, or at binary data, with one line naming the file', async () => {
		const long = tempFile(`${[...generateFlowLines({records: 2})].join('\n')}\n${'y'.repeat(MAX_LINE_BYTES * 2)}`);
		await expect(readAll(long)).rejects.toThrow(new EvidenceError(`cannot read ${long}: a line longer than 1 MiB, not a flow log`));
		await expect(fastSummary(long)).rejects.toThrow(/a line longer than 1 MiB/);
		const binary = tempFile(`${[...generateFlowLines({records: 2})].join('\n')}\n${'\0'.repeat(100)}`);
		await expect(readAll(binary)).rejects.toThrow(/binary data \(NUL bytes/);
		await expect(fastSummary(binary)).rejects.toThrow(/binary data \(NUL bytes/);
	});

	it('fails with one clear line for a missing file, a directory, or corrupt gzip', async () => {
		await expect(readAll(join(dir, 'missing.log'))).rejects.toThrow(new EvidenceError(`cannot read ${join(dir, 'missing.log')}: no such file`));
		await expect(readAll(dir)).rejects.toThrow(/it is a directory/);
		const corrupt = tempFile(Buffer.concat([gzipSync(Buffer.from('2 1 eni-1 - - - - - - - 1 2 - NODATA\n'.repeat(1000))).subarray(0, 60)]));
		await expect(readAll(corrupt)).rejects.toThrow(/corrupt gzip data|unexpected end of file/);
		await expect(summarizeFlowFile(join(dir, 'missing.log'))).rejects.toThrow(/no such file/);
	});
});

// The fast byte scanner must agree with the generic parser on everything, odd lines included.
describe('summarizeFlowFile (fast path) agrees with the generic parser', () => {
	const custom = 'version srcaddr dstport protocol action start end log-status flow-direction';
	const messy = [
		...generateFlowLines({records: 20_000, seed: 3, header: true, malformed: 40}),
		'',
		'   ',
		'2 123456789010 eni-1 198.51.100.7 10.0.1.15 40000 22 6 1 40 1000 1060 REJECT OK\r',
		'2 123456789010 eni-1 198.51.100.7 10.0.1.15 40000 22 6 1 40 1000 1060\tREJECT   OK',
		'  2 123456789010 eni-1 198.51.100.7 10.0.1.15 40000 22 6 1 40 1000 1060 REJECT OK',
		'2 123456789010 eni-1 198.51.100.7 10.0.1.15 40000 22 6 1 40 1000 1060 REJECT OK ',
		'2 123456789010 eni-1 198.51.100.8 10.0.1.15 40000 0022 6 1 40 1000 1060 REJECT OK',
		'2 123456789010 eni-1 198.51.100.8 10.0.1.15 40000 22 6 1 40 12345678901234567 12345678901234568 REJECT OK',
		'2 123456789010 eni-1 198.51.100.9 10.0.1.15 40000 99999999999 6 1 40 1000 1060 REJECT OK',
		'2 123456789010 eni-1 адрес 10.0.1.15 40000 22 6 1 40 1000 1060 REJECT OK',
		'2 123456789010 eni-1 198.51.100.9\u00a0 10.0.1.15 40000 22 6 1 40 1000 1060 REJECT OK',
		'\u00a0 2 123456789010 eni-1 198.51.100.9 10.0.1.15 40000 22 6 1 40 1000 1060 REJECT OK',
		'2 123456789010 eni-1 198.51.100.9 10.0.1.15 40000 22 6 1 40 1000 1060 REJECT OK\u00a0',
		'2 123456789010 eni-1 198.51.100.9 10.0.1.15 40000 22 6 1 40 1000 1060 REJECT OK \u00a0',
		'2 123456789010 eni-1 198.51.100.9 10.0.1.15 40000 22 6 1 40 1000 1060 REJECT -',
		'2 123456789010 eni-1 198.51.100.9 10.0.1.15 40000 22 6 1 40 1000 1060 - OK',
		'2 123456789010 eni-1 198.51.100.9 10.0.1.15 40000 -22 6 1 40 1000 1060 REJECT OK',
		'2 123456789010 eni-1 198.51.100.9 10.0.1.15 40000 - 6 1 40 1000 1060 REJECT OK',
		'2 123456789010 eni-1 198.51.100.9 10.0.1.15 40000 22 6 1 40 1000 1060 REJECTED OK',
		'2 123456789010 eni-1 198.51.100.9 10.0.1.15 40000 22 6 1 40 1000 1060 REJECT NODATA',
		'2 123456789010 eni-1 198.51.100.9 10.0.1.15 40000 22 6 1 40 1000 1060 REJECT OKAY',
		'2\v123456789010 eni-1 198.51.100.9 10.0.1.15 40000 22 6 1 40 1000 1060 REJECT OK',
		'2 123456789010 eni-1 198.51.100.9 10.0.1.15 40000 22 6 1 40 1000 1060 REJECT\0 OK',
		'2 123456789010 eni-1 10.0.1.15 198.51.100.7 22 40000 6 1 40 1000 1060 REJECT OK',
		'2 123456789010 eni-1 10.0.1.15 198.51.100.7 22 40001 6 1 40 1100 1160 REJECT OK',
		'2 123456789010 eni-1 10.0.1.15 198.51.100.7 50000 443 6 1 40 1100 1160 REJECT OK',
		'2 123456789010 eni-1 10.0.1.15 адрес 22 40001 6 1 40 1100 1160 REJECT OK',
		'2 123456789010 eni-1 10.0.1.15 198.51.100.7 22 99999999999 6 1 40 1100 1160 REJECT OK',
		'2 123456789010 eni-1 10.0.1.15 198.51.100.7 3 99999999999 6 1 40 1100 1160 REJECT OK',
		'2 123456789010 eni-1 10.0.1.15 198.51.100.7 - 40001 6 1 40 1100 1160 REJECT OK',
		'2 123456789010 eni-1 198.51.100.9 10.0.1.15 40000 65536 6 1 40 1000 1060 REJECT OK',
		'2 123456789010 eni-1 198.51.100.9 10.0.1.15 40000 65535 256 1 40 1000 1060 REJECT OK',
		'2 123456789010 eni-1 198.51.100.9 10.0.1.15 40000 65535 255 1 40 1000 8640000000001 REJECT OK',
		'2 123456789010 eni-1 198.51.100.9 10.0.1.15 40000 65535 255 1 40 1000 8640000000000 REJECT OK',
		custom,
		'5 203.0.113.5 3389 6 REJECT 2000 2060 OK ingress',
		'5 203.0.113.5 3389 6 REJECT 2100 2160 OK egress',
		'5 203.0.113.5 3389 6 ACCEPT 2100 2160 OK egress',
		'5 203.0.113.5 3389 6 REJECT 2100 2160 OK sideways',
		'5 203.0.113.5 3389 6 REJECT 2100 2160 OK -',
		'5 203.0.113.5 3389 6 REJECT 2100 2160 OK egreß',
		'2 123456789010 eni-1 198.51.100.7 10.0.1.15 40000 22 6 1 40 1000 1060 REJECT OK',
		HEADER,
		...generateFlowLines({records: 500, seed: 4, malformed: 3}),
		'2 123456789010 eni-1 198.51.100.7 10.0.1.15 40000 22 6 1 40 1000 1060 REJECT OK',
	];

	it.each(['reject', 'all'] as const)('on a messy file (actions: %s)', async (actions) => {
		const path = tempFile('\ufeff' + messy.join('\n'));
		const fast = await fastSummary(path, {actions});
		const generic = await genericSummary(path, {actions});
		expect(fast.stats).toEqual(generic.stats);
		expect(fast.totals).toEqual(generic.totals);
		expect(fast.rows).toEqual(generic.rows);
		// The file really exercised the odd cases.
		expect(generic.stats.malformed).toBeGreaterThan(40);
		expect(generic.rows.some((row) => row.dstPort === 3389 && row.srcAddr === '203.0.113.5')).toBe(true);
	});

	it.each([
		['reject', null],
		['all', null],
		['reject', ['10.0.1.15']],
		['all', ['10.0.1.15', '203.0.113.5']],
	] as const)('on a messy file, by direction (actions: %s, ENI addresses: %j)', async (actions, addresses) => {
		const path = tempFile('\ufeff' + messy.join('\n'));
		const options = {actions, byDirection: true, eniAddresses: addresses};
		const fast = await fastSummary(path, options);
		const generic = await genericSummary(path, options);
		expect(fast.stats).toEqual(generic.stats);
		expect(fast.totals).toEqual(generic.totals);
		expect(fast.rows).toEqual(generic.rows);
		const directions = new Set(generic.rows.map((row) => row.direction));
		expect(directions).toEqual(new Set(['in', 'reply', 'out']));
		// Two replies from port 22; those to a client port above 65535 are malformed lines, not replies.
		expect(generic.rows.filter((row) => row.srcAddr === '198.51.100.7' && row.direction === 'reply')).toEqual([
			{direction: 'reply', srcAddr: '198.51.100.7', dstPort: 22, protocol: 6, action: 'REJECT', count: 2, firstSeen: 1000, lastSeen: 1160},
		]);
		expect(generic.rows).toContainEqual(expect.objectContaining({direction: 'reply', srcAddr: 'адрес', dstPort: 22}));
	});

	it('by direction, on the demo bastion\'s flow log: one reply row for the client, not one per ephemeral port', async () => {
		const demo = fileURLToPath(new URL('../../demo/snapshot/flowlogs/eni-03c4d5e6f708192a3.log', import.meta.url));
		const format = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} ${flow-direction} ${traffic-path}';
		// With the format's flow-direction field, and with only the v2 fields (the ports decide).
		const v2 = tempFile(readFileSync(demo, 'utf8').split('\n').map((line) => line.split(' ').slice(0, 14).join(' ')).join('\n'));
		for (const [path, options] of [[demo, {format, byDirection: true}], [v2, {byDirection: true}], [v2, {byDirection: true, eniAddresses: ['10.20.1.5']}]] as const) {
			const fast = await fastSummary(path, options);
			expect(fast).toEqual(await genericSummary(path, options));
			const replies = fast.rows.filter((row) => row.direction === 'reply');
			expect(replies).toEqual([
				{direction: 'reply', srcAddr: '198.51.100.23', dstPort: 22, protocol: 6, action: 'REJECT', count: 5, firstSeen: 1748854928, lastSeen: 1748856420},
				{direction: 'reply', srcAddr: '198.51.100.57', dstPort: 22, protocol: 6, action: 'REJECT', count: 1, firstSeen: 1748855953, lastSeen: 1748856001},
			]);
			expect(fast.rows.some((row) => row.srcAddr === '10.20.1.5')).toBe(false);
		}
		// The old grouping: the instance as source, one row per ephemeral port.
		const legacy = await fastSummary(demo, {format});
		expect(legacy.rows.filter((row) => row.srcAddr === '10.20.1.5')).toHaveLength(4);
	});

	it('with a format given on the command line, headers skipped', async () => {
		const lines = [custom, '5 203.0.113.5 3389 6 REJECT 2000 2060 OK ingress', HEADER, '5 203.0.113.5 3389 6 REJECT 2100 2160 OK egress', '5 203.0.113.5 22'];
		const path = tempFile(lines.join('\n') + '\n');
		const format = '${version} ${srcaddr} ${dstport} ${protocol} ${action} ${start} ${end} ${log-status} ${flow-direction}';
		const fast = await fastSummary(path, {format});
		expect(fast).toEqual(await genericSummary(path, {format}));
		expect(fast.stats).toMatchObject({records: 2, malformed: 1, firstMalformedLine: 5});
		expect(fast.rows).toEqual([{srcAddr: '203.0.113.5', dstPort: 3389, protocol: 6, action: 'REJECT', count: 2, firstSeen: 2000, lastSeen: 2160}]);
	});

	it('on a file with CRLF line ends (and a stray CR mid-line)', async () => {
		const lines = [...generateFlowLines({records: 3000, seed: 5, malformed: 4}), '2 123456789010 eni-1 198.51.100.7 10.0.1.15 40000 22 6 1 40 1000\r1060 REJECT OK'];
		const crlf = tempFile(lines.join('\r\n') + '\r\n');
		const fast = await fastSummary(crlf);
		expect(fast).toEqual(await genericSummary(crlf));
		const lf = await fastSummary(tempFile(lines.join('\n') + '\n'));
		expect(fast.rows).toEqual(lf.rows);
		expect(fast.stats).toEqual(lf.stats);
		expect(fast.stats.malformed).toBe(5);
	});

	it('on gzip input', async () => {
		const text = messy.join('\n') + '\n';
		const plain = await fastSummary(tempFile(text));
		const gz = await fastSummary(tempFile(gzipSync(Buffer.from(text)), 'messy.log.gz'));
		expect(gz).toEqual(plain);
	});

	it('on random lines built from valid and broken tokens (property)', async () => {
		const token = fc.constantFrom('2', '123456789010', 'eni-1', '198.51.100.7', '203.0.113.9', '10.0.1.15', '22', '3389', '6', '17', '1000', '1060', 'REJECT', 'ACCEPT', 'OK', 'NODATA', 'SKIPDATA', '-', 'x', '0x1F', '1e3', 'version', 'srcaddr', 'action');
		const line = fc.oneof(
			{weight: 6, arbitrary: fc.tuple(fc.constantFrom('198.51.100.7', '203.0.113.9', '-'), fc.constantFrom('22', '3389', '-', '0'), fc.constantFrom('6', '17', '-'), fc.constantFrom('REJECT', 'ACCEPT', '-'), fc.constantFrom('OK', 'NODATA', 'SKIPDATA', '-')).map(([src, port, proto, action, status]) => `2 123456789010 eni-1 ${src} 10.0.1.15 40000 ${port} ${proto} 1 40 1000 1060 ${action} ${status}`)},
			{weight: 3, arbitrary: fc.array(token, {minLength: 1, maxLength: 16}).chain((tokens) => fc.constantFrom(' ', '  ', '\t').map((separator) => tokens.join(separator)))},
			{weight: 1, arbitrary: fc.constantFrom('', ' ', HEADER, 'srcaddr dstport action', '198.51.100.7 22 REJECT', 'version srcaddr action log-status')},
		);
		await fc.assert(
			fc.asyncProperty(fc.array(line, {maxLength: 40}), fc.boolean(), fc.constantFrom('reject' as const, 'all' as const), async (lines, trailingNewline, actions) => {
				const path = tempFile(lines.join('\n') + (trailingNewline ? '\n' : ''));
				const fast = await fastSummary(path, {actions});
				const generic = await genericSummary(path, {actions});
				expect(fast).toEqual(generic);
			}),
			{numRuns: 150},
		);
	});

	it('by direction, on random records either way (property)', async () => {
		const address = fc.constantFrom('198.51.100.7', '10.0.1.15', '203.0.113.9', '-');
		const port = fc.constantFrom('22', '3389', '40000', '1024', '0', '-', '99999999999');
		const record = fc
			.tuple(address, address, port, port, fc.constantFrom('6', '17'), fc.constantFrom('REJECT', 'ACCEPT', '-'), fc.constantFrom('ingress', 'egress', '-', 'x'))
			.map(([src, dst, srcPort, dstPort, proto, action, direction]) => ({v2: `2 123456789010 eni-1 ${src} ${dst} ${srcPort} ${dstPort} ${proto} 1 40 1000 1060 ${action} OK`, direction}));
		const v5 = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction}';
		await fc.assert(
			fc.asyncProperty(fc.array(record, {maxLength: 40}), fc.boolean(), fc.constantFrom('reject' as const, 'all' as const), fc.constantFrom(null, ['10.0.1.15']), async (records, withDirection, actions, eniAddresses) => {
				const path = tempFile(records.map((r) => (withDirection ? `${r.v2} ${r.direction}` : r.v2)).join('\n') + '\n');
				const options = {actions, byDirection: true, eniAddresses, ...(withDirection ? {format: v5} : {})};
				const fast = await fastSummary(path, options);
				expect(fast).toEqual(await genericSummary(path, options));
			}),
			{numRuns: 150},
		);
	});
});

// The NDJSON path copies bytes between pre-encoded keys; the reference is the parser's record
// through JSON.stringify, line for line, for the same stats.
describe('scanFlowJson (flows --json) matches JSON.stringify of the parsed records', () => {
	async function reference(path: string, all: boolean, format?: string) {
		const {records, stats} = await readAll(path, format);
		const wanted = records.filter((record) => all || record.action === 'REJECT');
		return {text: wanted.map((record) => JSON.stringify(record) + '\n').join(''), stats};
	}
	async function fast(path: string, all: boolean, format?: string) {
		const parts: Buffer[] = [];
		const stats = await scanFlowJson(path, {all, format}, async (bytes) => {
			parts.push(Buffer.from(bytes));
			return true;
		});
		return {text: Buffer.concat(parts).toString('utf8'), stats};
	}

	it('on generated files, with a header and malformed lines, over many chunks', async () => {
		const path = tempFile([...generateFlowLines({records: 40_000, seed: 5, header: true, malformed: 9})].join('\n') + '\n');
		for (const all of [false, true]) expect(await fast(path, all)).toEqual(await reference(path, all));
	});

	it('on random lines: quotes, backslashes, non-ASCII, leading zeros, dashes, odd spacing (property)', async () => {
		const text = fc.constantFrom('eni-1', '198.51.100.7', 'a"b', 'c\\d', 'é', '-', '\u007f', 'x');
		const number = fc.constantFrom('22', '007', '0', '-', '99999999999999999999', '1060');
		const line = fc
			.tuple(text, text, number, number, fc.constantFrom('REJECT', 'ACCEPT', '-', 'DENY'), fc.constantFrom('OK', 'NODATA', '-'), fc.constantFrom(' ', '  ', '\t'))
			.map(([account, src, srcPort, dstPort, action, status, gap]) => `2 ${account} eni-1 ${src} 10.0.1.15 ${srcPort}${gap}${dstPort} 6 1 40 1000 1060 ${action} ${status}`);
		const custom = '${srcaddr} ${dstport} ${action} ${vpc-id} ${dstaddr}';
		await fc.assert(
			fc.asyncProperty(fc.array(fc.oneof({weight: 8, arbitrary: line}, {weight: 1, arbitrary: fc.constantFrom('', HEADER, '198.51.100.7 22 REJECT vpc-1 203.0.113.9')})), fc.boolean(), fc.boolean(), async (lines, all, withCustom) => {
				const path = tempFile(lines.join('\n') + '\n');
				const format = withCustom ? custom : undefined;
				expect(await fast(path, all, format)).toEqual(await reference(path, all, format));
			}),
			{numRuns: 150},
		);
	});
});

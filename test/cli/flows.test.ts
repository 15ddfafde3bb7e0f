import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {gzipSync} from 'node:zlib';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {generateFlowLines, HEADER} from '../../bench/generate-flows.mjs';
import {run, type FlowsIo} from '../../source/cli/commands/flows.js';
import {InputError, UsageError} from '../../source/cli/errors.js';
import {DEFAULT_FLOW_FORMAT} from '../../source/core/flow-format.js';
import {createFlowLineParser} from '../../source/core/flow-parser.js';
import {builtCli, builtDir, runCli} from '../support/built-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = join(root, 'test/fixtures/flows');
const fixture = (name: string) => join(fixtures, name);
const work = mkdtempSync(join(tmpdir(), 'sgtui-flows-cli-'));
afterAll(() => rmSync(work, {recursive: true, force: true}));

function capture(options: {stdinTTY?: boolean; stderrTTY?: boolean} = {}): {io: FlowsIo; stdout: () => string; stderr: () => string} {
	let out = '';
	let err = '';
	const io: FlowsIo = {
		stdout: {write: (text: string) => ((out += text), true), on: () => undefined, off: () => undefined, isTTY: false},
		stderr: {write: (text: string) => (err += text), isTTY: options.stderrTTY ?? false},
		stdin: {isTTY: options.stdinTTY ?? false},
	};
	return {io, stdout: () => out, stderr: () => err};
}

describe('sgtui flows, in process', () => {
	it('summarizes the REJECTs by (direction, peer, port, protocol), most first, then the totals', async () => {
		const {io, stdout, stderr} = capture();
		expect(await run({input: fixture('default-v2.txt')}, [], io)).toBe(0);
		expect(stdout()).toBe([
			'DIR  PEER          PORT  PROTOCOL  COUNT  FIRST SEEN            LAST SEEN',
			'in   198.51.100.7    22  tcp           3  2014-12-14T04:08:20Z  2014-12-14T04:16:00Z',
			'in   172.31.9.69   3389  tcp           2  2014-12-14T04:06:50Z  2014-12-14T04:14:20Z',
			'in   198.51.100.7     0  icmp          1  2014-12-14T04:11:40Z  2014-12-14T04:12:40Z',
			'in   203.0.113.9     53  udp           1  2014-12-14T04:16:40Z  2014-12-14T04:17:40Z',
			'',
			'11 records: 7 REJECT, 2 ACCEPT, 1 NODATA, 1 SKIPDATA',
			'',
		].join('\n'));
		expect(stderr()).toBe(`sgtui: ${fixture('default-v2.txt')}: skipped 2 malformed lines, first at line 10\n`);
	});

	it('--all groups every action, NODATA included', async () => {
		const {io, stdout} = capture();
		await run({input: fixture('default-v2.txt'), all: true}, [], io);
		const lines = stdout().split('\n');
		expect(lines[0]).toMatch(/^DIR\s+PEER\s+PORT\s+PROTOCOL\s+ACTION\s+COUNT\s+FIRST SEEN\s+LAST SEEN$/);
		expect(lines).toContainEqual(expect.stringMatching(/^in\s+-\s+-\s+-\s+-\s+2\s+2015-05-10T18:01:16Z\s+2015-05-10T18:02:14Z$/));
		expect(lines).toContainEqual(expect.stringMatching(/^in\s+2001:db8:1234:a100:8d6e:3477:df66:f105\s+22\s+tcp\s+ACCEPT\s+1\s/));
	});

	it('--json prints one REJECT record per line, camelCase keys, - as null', async () => {
		const {io, stdout} = capture();
		await run({input: fixture('default-v2.txt'), json: true}, [], io);
		const records = stdout().trimEnd().split('\n').map((line) => JSON.parse(line));
		expect(records).toHaveLength(7);
		expect(records.every((record) => record.action === 'REJECT')).toBe(true);
		expect(records[0]).toEqual({
			version: 2, accountId: '123456789010', interfaceId: 'eni-1235b8ca123456789', srcAddr: '172.31.9.69', dstAddr: '172.31.9.12', srcPort: 49761,
			dstPort: 3389, protocol: 6, packets: 20, bytes: 4249, start: 1418530010, end: 1418530070, action: 'REJECT', logStatus: 'OK',
		});
	});

	it('--json --all keeps ACCEPT, NODATA and SKIPDATA records', async () => {
		const {io, stdout} = capture();
		await run({input: fixture('default-v2.txt'), json: true, all: true}, [], io);
		const records = stdout().trimEnd().split('\n').map((line) => JSON.parse(line));
		expect(records).toHaveLength(11);
		expect(records[2]).toMatchObject({srcAddr: null, dstPort: null, action: null, logStatus: 'NODATA'});
	});

	it('reads the fields of an S3 file from its header line', async () => {
		const {io, stdout} = capture();
		await run({input: fixture('s3-v5.txt'), json: true}, [], io);
		expect(JSON.parse(stdout())).toMatchObject({version: 5, vpcId: 'vpc-0abc1234', flowDirection: 'ingress', tcpFlags: 2, trafficPath: null});
	});

	it('--format reads a custom format (and skips a header it finds)', async () => {
		const path = join(work, 'custom.log');
		writeFileSync(path, ['srcaddr dstport action', '198.51.100.7 22 REJECT', '198.51.100.7 22 REJECT', '198.51.100.7 80 ACCEPT'].join('\n'));
		const {io, stdout, stderr} = capture();
		await run({input: path, format: '${srcaddr} ${dstport} ${action}'}, [], io);
		expect(stdout()).toBe('DIR  PEER          PORT  PROTOCOL  COUNT  FIRST SEEN  LAST SEEN\nin   198.51.100.7    22  -             2  -           -\n\n3 records: 2 REJECT, 1 ACCEPT, 0 NODATA, 0 SKIPDATA\n');
		expect(stderr()).toBe('');
	});

	it('counts records without an action (a format lacking ${action}, or -) in their own category of the totals', async () => {
		const path = join(work, 'no-action.log');
		writeFileSync(path, ['198.51.100.7 22 6', '198.51.100.7 22 6', '203.0.113.9 3389 6'].join('\n'));
		const {io, stdout} = capture();
		await run({input: path, format: '${srcaddr} ${dstport} ${protocol}'}, [], io);
		expect(stdout()).toBe(`no REJECT records in ${path}\n3 records: 0 REJECT, 0 ACCEPT, 0 NODATA, 0 SKIPDATA, 3 without action\n`);
		const dash = join(work, 'dash-action.log');
		writeFileSync(dash, ['198.51.100.7 22 REJECT OK', '198.51.100.7 22 - OK', '- - - NODATA'].join('\n'));
		const second = capture();
		await run({input: dash, format: '${srcaddr} ${dstport} ${action} ${log-status}'}, [], second.io);
		expect(second.stdout().split('\n').at(-2)).toBe('3 records: 1 REJECT, 0 ACCEPT, 1 NODATA, 0 SKIPDATA, 1 without action');
	});

	it('merges the spellings of one IPv6 peer into one row, in RFC 5952 form', async () => {
		const path = join(work, 'ipv6-spellings.log');
		writeFileSync(path, ['2001:db8::1 22 REJECT', '2001:0DB8:0:0::1 22 REJECT', '2001:db8:0:0:0:0:0:1 22 REJECT', '2001:DB8::1 22 REJECT', '198.51.100.7 22 REJECT'].join('\n'));
		const {io, stdout} = capture();
		await run({input: path, format: '${srcaddr} ${dstport} ${action}'}, [], io);
		expect(stdout().split('\n').slice(1, 3)).toEqual(['in   2001:db8::1     22  -             4  -           -', 'in   198.51.100.7    22  -             1  -           -']);
	});

	// QA: a NACL dropping return traffic REJECTs the bastion's replies (src = the instance, srcPort
	// 22, dstPort = the client's random port). Grouped by (source, destination port) that was one
	// row per connection with the instance itself as SOURCE.
	it('shows the REJECTed replies of the demo bastion as one reply row per client, with the note', async () => {
		const {io, stdout} = capture();
		const format = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} ${flow-direction} ${traffic-path}';
		expect(await run({input: join(root, 'demo/snapshot/flowlogs/eni-03c4d5e6f708192a3.log'), format}, [], io)).toBe(0);
		const lines = stdout().split('\n');
		expect(lines[0]).toMatch(/^DIR\s+PEER\s+PORT\s+PROTOCOL\s+COUNT\s+FIRST SEEN\s+LAST SEEN$/);
		expect(lines[1]).toBe('reply  198.51.100.23    22  tcp           5  2025-06-02T09:02:08Z  2025-06-02T09:27:00Z');
		expect(lines.filter((line) => /^reply {2}/.test(line))).toEqual([lines[1], 'reply  198.51.100.57    22  tcp           1  2025-06-02T09:19:13Z  2025-06-02T09:20:01Z']);
		expect(lines.filter((line) => /^in\s/.test(line))).toHaveLength(6);
		expect(stdout()).not.toMatch(/10\.20\.1\.5/);
		expect(lines[9]).toBe("reply rows: the instance's answers were REJECTed on the way out — the signature of a network ACL that drops return traffic (see `sgtui check … --port 22 --from 198.51.100.23`)");
		expect(lines.slice(10)).toEqual(['', '40 records: 14 REJECT, 10 ACCEPT, 16 NODATA, 0 SKIPDATA', '']);
	});

	it('says so when nothing was rejected', async () => {
		const path = join(work, 'accepts.log');
		writeFileSync(path, '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 1 1 2 ACCEPT OK\n');
		const {io, stdout} = capture();
		await run({input: path}, [], io);
		expect(stdout()).toBe(`no REJECT records in ${path}\n1 record: 0 REJECT, 1 ACCEPT, 0 NODATA, 0 SKIPDATA\n`);
	});

	it.each([
		['a missing file', {input: join(fixtures, 'nope.log')}, InputError, `cannot read ${join(fixtures, 'nope.log')}: no such file`],
		['a directory', {input: fixtures}, InputError, 'it is a directory'],
		['a broken --format', {input: fixture('default-v2.txt'), format: '${srcaddr} ${Dst}'}, UsageError, '--format: invalid flow log format field "${Dst}"'],
		['a format that matches no line', {input: fixture('default-v2.txt'), format: '${srcaddr} ${dstport}'}, InputError, 'no line of'],
		['stdin that is a terminal', {input: '-'}, UsageError, 'standard input, but it is a terminal'],
	])('%s: a one-line error', async (_name, options, type, message) => {
		const {io} = capture({stdinTTY: true});
		const attempt = run(options, [], io);
		await expect(attempt).rejects.toBeInstanceOf(type);
		await expect(attempt).rejects.toThrow(message);
	});

	it('a format that matches no line is an error in --json mode too', async () => {
		const {io} = capture();
		await expect(run({input: fixture('default-v2.txt'), format: '${srcaddr}', json: true}, [], io)).rejects.toThrow(/pass --format with the flow log's LogFormat/);
	});
});

// The built CLI as a user runs it, on a file big enough for workers, progress and pipes.
describe('sgtui flows (built CLI)', () => {
	let main = '';
	let big = '';
	let bigLines: string[] = [];

	beforeAll(() => {
		main = builtCli();
		expect(existsSync(join(builtDir(), 'files/flow-scan-worker.js'))).toBe(true);
		// ~34 MB: a header, then records with malformed lines sprinkled in.
		bigLines = [...generateFlowLines({records: 300_000, seed: 11, header: true, malformed: 25})];
		big = join(work, 'big.log');
		writeFileSync(big, bigLines.join('\n') + '\n');
	}, 300_000);

	const sgtui = (args: string[], input?: Buffer | string) => runCli(args, {input, maxBuffer: 512 * 1024 * 1024});

	/** Runs a module script against the build (for what the CLI doesn't expose); `./` imports mean the build's modules. */
	function script(name: string, code: string, nodeArgs: string[] = []) {
		const path = join(work, `${name}.mjs`);
		// The script lives in the temp dir, not in dist/: point its imports at the build.
		writeFileSync(path, code.replaceAll("from './", `from '${pathToFileURL(builtDir()).href}/`));
		return spawnSync(process.execPath, [...nodeArgs, path], {encoding: 'utf8'});
	}

	it('summarizes a file, exit 0, the malformed note on stderr', () => {
		const result = sgtui(['flows', '--input', big]);
		expect(result.status).toBe(0);
		expect(result.stderr).toBe(`sgtui: ${big}: skipped 25 malformed lines, first at line ${bigLines.indexOf('2 123456789010 eni-0a1b2c3d4e5f60718 10.0.1.15') + 1}\n`);
		const parse = createFlowLineParser(DEFAULT_FLOW_FORMAT);
		const rejects = bigLines.filter((line) => parse(line)?.action === 'REJECT').length;
		expect(rejects).toBeGreaterThan(20_000);
		expect(result.stdout).toContain(`300,000 records: ${rejects.toLocaleString('en-US')} REJECT`);
	});

	it('reads gzip from stdin', () => {
		const plain = sgtui(['flows', '--input', fixture('default-v2.txt')]);
		const piped = sgtui(['flows', '--input', '-'], gzipSync(readFileSync(fixture('default-v2.txt'))));
		expect(piped.status).toBe(0);
		expect(piped.stdout).toBe(plain.stdout);
		expect(piped.stderr).toBe('sgtui: stdin: skipped 2 malformed lines, first at line 10\n');
	});

	it('stops quietly when the reader of a pipe goes away (| head)', () => {
		const result = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${main}" flows --input "${big}" --json --all | head -n 2`], {encoding: 'utf8'});
		expect(result.status).toBe(0);
		expect(result.stdout.trimEnd().split('\n')).toHaveLength(2);
		expect(result.stderr).toBe('');
	});

	it('shows progress on a terminal, and none in a pipe', {timeout: 60_000}, () => {
		const tty = spawnSync('script', ['-qec', `"${process.execPath}" "${main}" flows --input "${big}" --json --all > /dev/null`, '/dev/null'], {encoding: 'utf8'});
		expect(tty.status).toBe(0);
		expect(tty.stdout).toMatch(/reading .*big\.log: \d+% \(\d+ of 3\d MB\)/);
		expect(sgtui(['flows', '--input', big, '--json']).stderr).not.toContain('reading');
	});

	it('errors are one line and exit 2', () => {
		const missing = sgtui(['flows', '--input', join(work, 'nope.log')]);
		expect(missing.status).toBe(2);
		expect(missing.stderr).toBe(`sgtui: cannot read ${join(work, 'nope.log')}: no such file\n`);
		const format = sgtui(['flows', '--input', big, '--format', '${srcaddr} ${nope nope}']);
		expect(format.status).toBe(2);
		expect(format.stderr.trimEnd().split('\n')).toHaveLength(1);
	});

	it('the parallel scan (worker threads over byte ranges) agrees with the sequential one', () => {
		// A second header mid-file switches format: the parallel scan must notice and fall back.
		const switched = join(work, 'switched.log');
		writeFileSync(switched, [...bigLines.slice(0, 150_000), 'srcaddr dstport protocol action', ...Array.from({length: 5000}, (_, i) => `198.51.100.${i % 7} ${22 + (i % 3)} 6 REJECT`), HEADER, ...bigLines.slice(150_001)].join('\n'));
		const result = script('parallel', `
			import {summarizeFlowFile} from './files/flow-summarize.js';
			const out = {};
			for (const file of ${JSON.stringify([big, switched])}) {
				for (const actions of file === ${JSON.stringify(big)} ? ['reject', 'all', 'by direction'] : ['reject']) {
					// By direction: the ENI's addresses travel to the workers too.
					const options = actions === 'by direction' ? {actions: 'all', byDirection: true, eniAddresses: ['10.0.1.15']} : {actions};
					const one = await summarizeFlowFile(file, {threads: 1, ...options});
					const many = await summarizeFlowFile(file, {threads: 3, ...options, minBytesPerThread: 1 << 20});
					if (actions === 'by direction' && !one.summary.rows().some((row) => row.direction === 'out')) throw new Error('no outbound rows: the addresses did not reach the scan');
					out[file + ' ' + actions] = {
						threads: many.threads,
						same: JSON.stringify([one.stats, one.summary.totals, one.summary.rows()]) === JSON.stringify([many.stats, many.summary.totals, many.summary.rows()]),
						malformed: one.stats.malformed,
					};
				}
			}
			console.log(JSON.stringify(out));`);
		expect(result.stderr).toBe('');
		const out = JSON.parse(result.stdout) as Record<string, {threads: number; same: boolean; malformed: number}>;
		expect(out[`${big} reject`]).toEqual({threads: 3, same: true, malformed: 25});
		expect(out[`${big} all`]).toMatchObject({threads: 3, same: true});
		expect(out[`${big} by direction`]).toMatchObject({threads: 3, same: true});
		// The format switch makes ranges unmergeable: it falls back to one thread, same answer.
		expect(out[`${switched} reject`]).toMatchObject({threads: 1, same: true});
	}, 60_000);

	it('counts records without an action across worker threads, so the totals add up', () => {
		const path = join(work, 'no-action-big.log');
		const lines = Array.from({length: 60_000}, (_, i) => `198.51.100.${i % 7} ${22 + (i % 3)} 6 ${i % 4 === 0 ? 'REJECT' : '-'}`);
		writeFileSync(path, lines.join('\n') + '\n');
		const result = script('no-action-parallel', `
			import {summarizeFlowFile} from './files/flow-summarize.js';
			const many = await summarizeFlowFile(${JSON.stringify(path)}, {threads: 3, format: '\${srcaddr} \${dstport} \${protocol} \${action}', minBytesPerThread: 1 << 16});
			console.log(JSON.stringify({threads: many.threads, totals: many.summary.totals}));`);
		expect(result.stderr).toBe('');
		expect(JSON.parse(result.stdout)).toMatchObject({threads: 3, totals: {records: 60_000, rejects: 15_000, noAction: 45_000}});
	});

	it('a scan worker that has stopped before its first job is known as stopped, so a scan never waits for it', () => {
		const result = script('stopped-worker', `
			import {exitedThreads, startScanThreads} from './files/flow-scan-threads.js';
			const [worker] = startScanThreads(1);
			const before = exitedThreads.has(worker);
			await worker.terminate();
			await new Promise((resolve) => setImmediate(resolve));
			console.log(JSON.stringify({before, after: exitedThreads.has(worker)}));`);
		expect(result.stderr).toBe('');
		expect(JSON.parse(result.stdout)).toEqual({before: false, after: true});
	});

	it('property: any file, split anywhere, scans to the same summary in parallel as in one process', () => {
		// Ranges of a few dozen bytes put range edges everywhere: mid-line, on a CR of a CRLF, next
		// to blank lines, a NUL, a header, a last line without its newline. Errors must match too
		// (more NULs than a text file holds, counted over the whole file, not per range).
		const result = script('parallel-property', `
			import {createRequire} from 'node:module';
			import {writeFileSync} from 'node:fs';
			import {summarizeFlowFile} from './files/flow-summarize.js';
			const fc = createRequire(${JSON.stringify(join(root, 'package.json'))})('fast-check');
			const path = ${JSON.stringify(join(work, 'property.log'))};
			const record = fc.record({
				src: fc.constantFrom('198.51.100.7', '203.0.113.9', '10.0.1.15', '2001:db8::1', '-'),
				dst: fc.constantFrom('10.0.1.15', '172.31.9.12'),
				sport: fc.integer({min: 0, max: 65535}), dport: fc.constantFrom(22, 443, 3389, 0),
				protocol: fc.constantFrom(6, 17, 1), start: fc.integer({min: 1764300000, max: 1764300100}),
				action: fc.constantFrom('REJECT', 'ACCEPT', '-'), status: fc.constantFrom('OK', 'NODATA', 'SKIPDATA'),
			}).map((r) => '2 123456789010 eni-0a1b2c3d4e5f60718 ' + r.src + ' ' + r.dst + ' ' + r.sport + ' ' + r.dport + ' ' + r.protocol + ' 3 180 ' + r.start + ' ' + (r.start + 60) + ' ' + r.action + ' ' + r.status);
			const odd = fc.constantFrom('', 'garbage', '2 123456789010 eni-x 1.2.3.4', '2 123456789010 eni-0a1b2c3d4e5f60718 1.2.3.4 10.0.1.15 1 22 6 1 1 1 2 REJECT OK extra', 'a\\u0000b', '\\u0000', 'caf\\u00e9 22 6 REJECT');
			const line = fc.oneof({weight: 6, arbitrary: record}, {weight: 1, arbitrary: odd});
			const file = fc.record({
				header: fc.boolean(), lines: fc.array(line, {minLength: 1, maxLength: 60}), crlf: fc.boolean(), finalNewline: fc.boolean(),
				rangeBytes: fc.integer({min: 16, max: 400}), threads: fc.integer({min: 2, max: 3}), nuls: fc.integer({min: 0, max: 24}),
			});
			let parallelRuns = 0;
			const outcome = async (options) => {
				try {
					const {summary, stats, threads} = await summarizeFlowFile(path, options);
					if (threads > 1) parallelRuns++;
					return JSON.stringify([stats, summary.totals, summary.rows()]);
				} catch (error) {
					return 'error: ' + error.message;
				}
			};
			await fc.assert(fc.asyncProperty(file, async (f) => {
				const eol = f.crlf ? '\\r\\n' : '\\n';
				const lines = f.header ? [${JSON.stringify(HEADER)}, ...f.lines] : [...f.lines];
				// NULs spread over the file: few per range, maybe too many for the whole file.
				for (let n = 0; n < f.nuls; n++) lines.splice(Math.floor((lines.length * n) / f.nuls) + n, 0, '\\u0000');
				writeFileSync(path, lines.join(eol) + (f.finalNewline ? eol : ''));
				for (const options of [{actions: 'reject', byDirection: true}, {actions: 'all', byDirection: true, eniAddresses: ['10.0.1.15']}]) {
					const one = await outcome({...options, threads: 1});
					const many = await outcome({...options, threads: f.threads, minBytesPerThread: f.rangeBytes});
					if (one !== many) throw new Error('parallel differs:\\n' + one + '\\n' + many);
				}
			}), {numRuns: 25, seed: ${Number(process.env.FC_SEED ?? 13)}});
			console.log(JSON.stringify({parallelRuns}));`);
		expect(result.stderr).toBe('');
		// Most files are big enough to split: the property did exercise the parallel path.
		expect((JSON.parse(result.stdout) as {parallelRuns: number}).parallelRuns).toBeGreaterThan(20);
	}, 180_000);

	it('streams in constant memory: 4x the file fits in a heap far smaller than it', () => {
		const huge = join(work, 'huge.log');
		const block = readFileSync(big);
		writeFileSync(huge, Buffer.concat([block, block, block, block]));
		// 136 MB of records through a 48 MB heap: anything kept per line would run out of memory.
		for (const mode of ['records', 'summary']) {
			const result = script(`rss-${mode}`, `
				import {openFlowFile} from './files/flow-file.js';
				import {summarizeFlowFile} from './files/flow-summarize.js';
				// Sampled, not maxRSS: a spawned child's maxRSS can start at its parent's.
				let peak = 0;
				const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
				let n = 0;
				if (${JSON.stringify(mode)} === 'records') { const {records} = openFlowFile(${JSON.stringify(huge)}); for await (const r of records) n++; }
				else n = (await summarizeFlowFile(${JSON.stringify(huge)}, {threads: 1})).stats.records;
				clearInterval(sampler);
				console.log(JSON.stringify({n, rss: peak}));`, ['--max-old-space-size=48', '--max-semi-space-size=4']);
			expect(result.stderr).toBe('');
			const {n, rss} = JSON.parse(result.stdout) as {n: number; rss: number};
			expect(n).toBe(4 * 300_000);
			expect(rss).toBeLessThan(block.length * 4);
		}
	}, 120_000);
});

import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi} from 'vitest';
import {planTail} from '../../source/aws/tail-targets.js';
import {parseDuration, tail} from '../../source/cli/commands/tail.js';
import {UsageError} from '../../source/cli/errors.js';
import {createFlowLineParser} from '../../source/core/flow-parser.js';
import {labWithClients, type LabFixture} from './lab-clients.js';

const GROUP = '/vpc/flow-logs/shop-prod';

function io(isTTY = false) {
	const out: string[] = [];
	const err: string[] = [];
	const controller = new AbortController();
	return {
		out,
		err,
		controller,
		io: {stdout: {write: (t: string) => out.push(t), isTTY}, stderr: {write: (t: string) => err.push(t), isTTY: false}, signal: controller.signal},
	};
}

describe('sgtui tail against the lab', () => {
	let fixture: LabFixture;
	let rejectingEni: string;
	beforeAll(async () => {
		fixture = await labWithClients({simulate: {ratePerSecond: 20}, liveTailUpdateMs: 200});
		// The ENI whose stream holds the most REJECTs (the demo's blocked clients, plus the simulator's).
		const group = fixture.lab.state.logs.groups.get(GROUP)!;
		const parse = createFlowLineParser(group.flowFormat!);
		const counts = [...group.streams.values()].map((stream) => [stream.name, stream.events.filter((e) => parse(e.message)?.action === 'REJECT').length] as const);
		rejectingEni = counts.sort((a, b) => b[1] - a[1])[0]![0];
	});
	afterAll(async () => fixture?.close());
	beforeEach(() => {
		vi.stubEnv('AWS_ACCESS_KEY_ID', fixture.lab.credentials.accessKeyId);
		vi.stubEnv('AWS_SECRET_ACCESS_KEY', fixture.lab.credentials.secretAccessKey);
		vi.stubEnv('AWS_PROFILE', undefined);
	});
	afterEach(() => vi.unstubAllEnvs());

	const aws = () => ({endpointUrl: fixture.lab.endpoint, region: fixture.lab.region, debugLog: '/dev/null'});

	it('--json prints the simulated REJECT records as NDJSON, each once, with eventTimestamp', async () => {
		const run = io();
		const code = await tail({...aws(), json: true, since: '1s', maxEvents: '10'}, [rejectingEni], run.io);
		expect(code).toBe(0);
		const lines = run.out.join('').split('\n').filter(Boolean);
		expect(lines).toHaveLength(10);
		const records = lines.map((line) => JSON.parse(line));
		const stream = fixture.lab.state.logs.groups.get(GROUP)!.streams.get(rejectingEni)!;
		const parse = createFlowLineParser(fixture.lab.state.logs.groups.get(GROUP)!.flowFormat!);
		const stored = stream.events.map((event) => ({...parse(event.message), eventTimestamp: event.timestamp}));
		for (const record of records) {
			expect(record.action).toBe('REJECT');
			expect(record.interfaceId).toBe(rejectingEni);
			expect(typeof record.eventTimestamp).toBe('number');
			expect(stored).toContainEqual(record);
		}
		expect(new Set(lines).size).toBe(lines.length);
		expect(run.err.join('')).toMatch(/watching REJECTs of 1 network interface\(s\)/);
		expect(run.err.join('')).toMatch(/\/vpc\/flow-logs\/shop-prod: live-tail/);
	});

	it('without --json appends one line per reject and ends with the summary table', async () => {
		const run = io(false);
		await tail({...aws(), since: '10m', maxEvents: '8'}, [rejectingEni], run.io);
		const text = run.out.join('');
		const eventLines = text.split('\n').filter((line) => / REJECT /.test(line));
		expect(eventLines).toHaveLength(8);
		expect(eventLines[0]).toMatch(/^\d\d:\d\d:\d\d eni-\S+ REJECT \S+:\d+ -> \S+:\d+ (tcp|udp|icmp|\d+)$/);
		expect(text).toMatch(/DIR\s+PEER\s+PORT\s+PROTO\s+COUNT\s+FIRST\s+LAST/);
	});

	// QA: reply REJECTs (outbound, the NACL return path) used to be summarized with the instance as
	// SOURCE and the client's random port as PORT: one meaningless row per connection.
	it('summarizes outbound reply REJECTs as one reply row per (client, service port), apart from inbound ones', async () => {
		const run = io(false);
		await tail({...aws(), since: '40m', maxEvents: '40'}, ['eni-04d5e6f708192a3b4'], run.io);
		const text = run.out.join('');
		const [events, table] = text.split(/\n(?=DIR\s+PEER)/);
		expect(table).toMatch(/^DIR\s+PEER\s+PORT\s+PROTO\s+COUNT\s+FIRST\s+LAST\n/);
		// What the table must say, counted from the event lines printed above it.
		const replies = new Map<string, number>();
		let inbound = 0;
		for (const match of events!.matchAll(/ REJECT (\S+):(\d+) -> (\S+):(\d+) tcp$/gm)) {
			if (match[1] === '10.20.1.40' && match[2] === '3389') replies.set(match[3]!, (replies.get(match[3]!) ?? 0) + 1);
			else if (match[3] === '10.20.1.40') inbound++;
		}
		expect(replies.size).toBeGreaterThan(0);
		expect(inbound).toBeGreaterThan(0);
		const replyRows = [...table!.matchAll(/^reply\s+(\S+)\s+(\d+)\s+tcp\s+(\d+)\s/gm)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
		expect(new Set(replyRows.map((row) => row[0])).size).toBe(replyRows.length);
		expect(replyRows.sort()).toEqual([...replies].map(([client, count]) => [client, 3389, count]).sort());
		expect(table).toMatch(/^in\s+\S+\s+\d+\s+tcp\s+\d+/m);
		// The instance is never a "peer", and no row is keyed by a client's ephemeral port.
		expect(table).not.toMatch(/^\w+\s+10\.20\.1\.40\s/m);
		expect(table).toContain("reply rows: the instance's answers were REJECTed on the way out — the signature of a network ACL that drops return traffic (see `sgtui check … --port 3389 --from ");
	});

	it('says it is polling, and why, when Live Tail is denied; Ctrl-C (abort) stops it cleanly', async () => {
		fixture.lab.faults.denyLiveTail = true;
		try {
			const run = io();
			const done = tail({...aws(), json: true, since: '10m'}, [rejectingEni], run.io);
			const deadline = Date.now() + 10_000;
			while (!run.out.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
			run.controller.abort();
			expect(await done).toBe(0);
			expect(run.err.join('')).toMatch(/shop-prod: polling \(Live Tail unavailable: logs:StartLiveTail denied/);
			expect(run.out.length).toBeGreaterThan(0);
		} finally {
			fixture.lab.faults.denyLiveTail = false;
		}
	});

	it('--history aggregates the recent REJECTs server-side (Logs Insights)', async () => {
		const run = io();
		expect(await tail({...aws(), history: '30m', json: true}, [rejectingEni], run.io)).toBe(0);
		const rows = run.out.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line));
		expect(rows.length).toBeGreaterThan(0);
		for (const row of rows) expect(Object.keys(row).sort()).toEqual(['count', 'direction', 'dstPort', 'first', 'last', 'protocol', 'srcAddr']);
		expect(rows.map((row) => row.count)).toEqual([...rows.map((row) => row.count)].sort((a, b) => b - a));
		const table = io();
		await tail({...aws(), history: '30m'}, [rejectingEni], table.io);
		expect(table.out.join('')).toMatch(/^DIR\s+PEER\s+PORT\s+PROTO\s+COUNT\s+FIRST\s+LAST\n/);
	});

	it('resolves an instance and a security group to their ENIs', async () => {
		const bySg = await planTail(fixture.clients.ec2, 'sg-0a11b22c33d44e501');
		expect(bySg.networkInterfaces.map((e) => e.id)).toEqual(['eni-0f1e2d3c4b5a69788']);
		const byInstance = await planTail(fixture.clients.ec2, 'i-0a1b2c3d4e5f60718');
		expect(byInstance.groups).toEqual([expect.objectContaining({logGroupName: GROUP, eniIds: ['eni-0f1e2d3c4b5a69788']})]);
		await expect(planTail(fixture.clients.ec2, 'sg-0000000000000dead')).rejects.toThrow('no network interface uses sg-0000000000000dead (or it does not exist in this region)');
	});

	it('rejects bad arguments with one line', async () => {
		await expect(tail({...aws()}, ['web-1'], io().io)).rejects.toThrow(new UsageError('TARGET "web-1" is not an instance id (i-…), a network interface id (eni-…) or a security group id (sg-…): the prefix, a dash, then 8 or 17 lowercase hex digits'));
		await expect(tail({...aws()}, ['sg-0abc`id`'], io().io)).rejects.toThrow(UsageError);
		await expect(tail({...aws()}, ['eni-0123'], io().io)).rejects.toThrow(UsageError);
		await expect(tail({...aws(), since: 'yesterday'}, [rejectingEni], io().io)).rejects.toThrow('--since "yesterday" is not a duration (e.g. 90s, 10m, 2h)');
		// Zero used to reach AWS: an aborted request (exit 3) for --for 0, an AwsCallError for --history 0.
		await expect(tail({...aws(), for: '0'}, [rejectingEni], io().io)).rejects.toThrow(new UsageError('--for must be longer than 0 (e.g. 30s, 5m), got "0"'));
		await expect(tail({...aws(), history: '0m'}, [rejectingEni], io().io)).rejects.toThrow(new UsageError('--history must be longer than 0 (e.g. 30m), got "0m"'));
		expect(parseDuration('90s', '--since')).toBe(90_000);
		expect(parseDuration('2h', '--since')).toBe(7_200_000);
		expect(parseDuration('15', '--since')).toBe(900_000);
	});

	// Huge values used to get through: --for past 2^31 ms made Node print a TimeoutOverflowWarning
	// and stop at once (its timer fired after 1 ms); --since reaching before any Date ended in
	// 'Invalid time value'; --max-events took 1e999 and 0x10.
	it.each([
		[{for: '25d'}, '--for "25d" is longer than 24d (the longest a timer waits)'],
		[{for: '99999999999999999999s'}, '--for "99999999999999999999s" is longer than 24d (the longest a timer waits)'],
		[{since: '99999999999999999h'}, '--since "99999999999999999h" is longer than 3653d (CloudWatch Logs keeps events at most 10 years)'],
		[{history: '3654d'}, '--history "3654d" is longer than 3653d (CloudWatch Logs keeps events at most 10 years)'],
		[{lateWindow: '25h'}, '--late-window must be at most 24h, got "25h"'],
		[{maxEvents: '1e999'}, '--max-events must be a whole number from 1, got "1e999"'],
		[{maxEvents: '0x10'}, '--max-events must be a whole number from 1, got "0x10"'],
		[{maxEvents: '1.5'}, '--max-events must be a whole number from 1, got "1.5"'],
	])('refuses %j before any AWS call', async (options, message) => {
		await expect(tail({endpointUrl: 'http://127.0.0.1:9', region: 'eu-west-1', debugLog: '/dev/null', ...options}, [rejectingEni], io().io)).rejects.toThrow(new UsageError(message));
	});
});

// A log group name is AWS's to check, but it reaches tail's status lines from DescribeFlowLogs:
// whatever an endpoint serves there (a cursor move, an erase, a BiDi override) shows escaped.
describe('sgtui tail with a hostile log group name', () => {
	const NAME = '/vpc/x\u001b[2A\u001b[2Kfake\u202e';
	let fixture: LabFixture;
	let root: string;
	beforeAll(async () => {
		root = mkdtempSync(path.join(tmpdir(), 'sgtui-tail-hostile-'));
		cpSync('demo/snapshot', root, {recursive: true});
		const file = path.join(root, 'aws', 'describe-flow-logs.json');
		writeFileSync(file, readFileSync(file, 'utf8').replace(`"LogGroupName": "${GROUP}"`, () => `"LogGroupName": ${JSON.stringify(NAME)}`));
		fixture = await labWithClients({snapshotDir: root});
	});
	afterAll(async () => {
		await fixture?.close();
		rmSync(root, {recursive: true, force: true});
	});
	beforeEach(() => {
		vi.stubEnv('AWS_ACCESS_KEY_ID', fixture.lab.credentials.accessKeyId);
		vi.stubEnv('AWS_SECRET_ACCESS_KEY', fixture.lab.credentials.secretAccessKey);
		vi.stubEnv('AWS_PROFILE', undefined);
	});
	afterEach(() => vi.unstubAllEnvs());

	it('names the group escaped in its status line', async () => {
		const run = io();
		expect(await tail({endpointUrl: fixture.lab.endpoint, region: fixture.lab.region, debugLog: '/dev/null', mode: 'polling', for: '1s'}, ['eni-0f1e2d3c4b5a69788'], run.io)).toBe(0);
		const err = run.err.join('');
		expect(err).toContain('sgtui: /vpc/x\\x1b[2A\\x1b[2Kfake\\u202e: polling (--mode polling)');
		expect(err).not.toMatch(/[\u001b\u202e]/);
	});
});

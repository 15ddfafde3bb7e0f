import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi} from 'vitest';
import {planTail} from '../../source/aws/tail-targets.js';
import {parseDuration, tail} from '../../source/cli/commands/tail.js';
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
		expect(text).toMatch(/SOURCE\s+PORT\s+PROTO\s+COUNT\s+FIRST\s+LAST/);
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
		for (const row of rows) expect(Object.keys(row).sort()).toEqual(['count', 'dstPort', 'first', 'last', 'protocol', 'srcAddr']);
		expect(rows.map((row) => row.count)).toEqual([...rows.map((row) => row.count)].sort((a, b) => b - a));
		const table = io();
		await tail({...aws(), history: '30m'}, [rejectingEni], table.io);
		expect(table.out.join('')).toMatch(/^SOURCE\s+PORT\s+PROTO\s+COUNT\s+FIRST\s+LAST\n/);
	});

	it('resolves an instance and a security group to their ENIs', async () => {
		const bySg = await planTail(fixture.clients.ec2, 'sg-0a11b22c33d44e501');
		expect(bySg.networkInterfaces.map((e) => e.id)).toEqual(['eni-0f1e2d3c4b5a69788']);
		const byInstance = await planTail(fixture.clients.ec2, 'i-0a1b2c3d4e5f60718');
		expect(byInstance.groups).toEqual([expect.objectContaining({logGroupName: GROUP, eniIds: ['eni-0f1e2d3c4b5a69788']})]);
		await expect(planTail(fixture.clients.ec2, 'sg-0000000000000dead')).rejects.toThrow('no network interface uses sg-0000000000000dead (or it does not exist in this region)');
	});

	it('rejects bad arguments with one line', async () => {
		await expect(tail({...aws()}, ['web-1'], io().io)).rejects.toThrow('TARGET "web-1" is not an instance (i-…), network interface (eni-…) or security group (sg-…) id');
		await expect(tail({...aws(), since: 'yesterday'}, [rejectingEni], io().io)).rejects.toThrow('--since "yesterday" is not a duration (e.g. 90s, 10m, 2h)');
		expect(parseDuration('90s', '--since')).toBe(90_000);
		expect(parseDuration('2h', '--since')).toBe(7_200_000);
		expect(parseDuration('15', '--since')).toBe(900_000);
	});
});

import {GetQueryResultsCommand, StartQueryCommand} from '@aws-sdk/client-cloudwatch-logs';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {historyQuery, rejectHistory} from '../../source/aws/history.js';
import {filterLogEvents} from '../../source/aws/log-events.js';
import {createFlowLineParser} from '../../source/core/flow-parser.js';
import {FlowSummary} from '../../source/core/flow-summary.js';
import {flowLine} from './flow-lines.js';
import {labInventory} from '../../source/lab/snapshot-state.js';
import {labWithClients, type LabFixture} from './lab-clients.js';

const GROUP = '/vpc/flow-logs/shop-prod';
const ENI = 'eni-0f1e2d3c4b5a69788';

describe('rejectHistory (Logs Insights against the lab)', () => {
	let fixture: LabFixture;
	let format: string;
	beforeAll(async () => {
		fixture = await labWithClients();
		format = fixture.lab.state.logs.groups.get(GROUP)!.flowFormat!;
	});
	afterAll(async () => fixture?.close());
	// A test that fails mid-way must not leave the next one a lab whose queries never finish.
	afterEach(() => {
		if (fixture) fixture.lab.faults.queryRunningPolls = 0;
	});

	it('aggregates the REJECTs of the last N minutes server-side, matching the raw records', async () => {
		fixture.lab.faults.queryRunningPolls = 2;
		const eni = labInventory(fixture.lab.state).networkInterfaces.find((candidate) => candidate.id === ENI)!;
		const eniAddresses = eni.privateIps;
		// Replies dropped on the way out (one client, three ephemeral ports) and one outbound REJECT.
		const own = eniAddresses[0]!;
		const start = Math.floor(Date.now() / 1000) - 120;
		fixture.lab.appendFlowRecords(ENI, [
			...[50001, 50002, 50003].map((port) => flowLine(format, {eni: ENI, src: own, dst: '192.0.2.77', srcPort: 443, dstPort: port, action: 'REJECT', start, flowDirection: 'egress'})),
			flowLine(format, {eni: ENI, src: own, dst: '192.0.2.78', srcPort: 41000, dstPort: 5432, action: 'REJECT', start, flowDirection: 'egress'}),
		]);
		const result = await rejectHistory(fixture.clients.logs, {logGroupName: GROUP, eniIds: [ENI], eniAddresses, format, minutes: 24 * 60, pollIntervalMs: 10});

		// The same window read record by record and summarized locally by direction (core's
		// classifier, independent of the server-side reply condition).
		const parse = createFlowLineParser(format);
		const summary = new FlowSummary({byDirection: true, eniAddresses});
		const now = Date.now();
		for await (const page of filterLogEvents(fixture.clients.logs, {logGroupName: GROUP, logStreamNames: [ENI], startTime: now - 24 * 3_600_000, endTime: now})) {
			for (const event of page) summary.add(parse(event.message!)!);
		}
		const expected = summary.rows().map((row) => ({direction: row.direction, srcAddr: row.srcAddr, dstPort: row.dstPort, protocol: row.protocol, count: row.count, first: row.firstSeen, last: row.lastSeen}));
		expect(expected.length).toBeGreaterThan(0);
		// Every direction is there.
		expect(new Set(expected.map((row) => row.direction))).toEqual(new Set(['in', 'reply', 'out']));
		expect(result.rows.filter((row) => row.direction === 'reply')).toEqual([expect.objectContaining({srcAddr: '192.0.2.77', dstPort: 443, count: 3})]);
		const key = (row: {direction?: string; srcAddr: string | null; dstPort: number | null; protocol: number | null}) => `${row.direction} ${row.srcAddr} ${row.dstPort} ${row.protocol}`;
		const sort = <T extends {direction?: string; srcAddr: string | null; dstPort: number | null; protocol: number | null}>(rows: T[]) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));
		expect(sort(result.rows)).toEqual(sort(expected));
		expect(result.rows[0]!.count).toBeGreaterThanOrEqual(result.rows.at(-1)!.count);
		// The first query, with `parse`, ran: no MalformedQueryException fallback to discovery.
		expect(result.fields).toBe('parse');
		expect(result.queryString).toBe(`${historyQuery({eniIds: [ENI], eniAddresses, format, part: 'others'})}\n\n${historyQuery({eniIds: [ENI], eniAddresses, format, part: 'replies'})}`);
		expect(result.queryString).toMatch(/^fields @timestamp, @message\n\| parse @message "\*( \*)+" as version, /);
	});

	it('gets its fields from parse alone: the same rows when Insights discovers none (as for custom formats)', async () => {
		const group = fixture.lab.state.logs.groups.get(GROUP)!;
		const withDiscovery = await rejectHistory(fixture.clients.logs, {logGroupName: GROUP, format, minutes: 24 * 60, pollIntervalMs: 10});
		group.flowFormat = null;
		try {
			const parsed = await rejectHistory(fixture.clients.logs, {logGroupName: GROUP, format, minutes: 24 * 60, pollIntervalMs: 10});
			expect(parsed.fields).toBe('parse');
			expect(parsed.rows.length).toBeGreaterThan(0);
			expect(parsed.rows).toEqual(withDiscovery.rows);
			// Control: the discovery-only query finds no `action` field to filter on.
			const now = Math.floor(Date.now() / 1000);
			const started = await fixture.clients.logs.send(new StartQueryCommand({logGroupNames: [GROUP], startTime: now - 24 * 3600, endTime: now + 1, queryString: historyQuery({format, parse: false})}));
			const results = await fixture.clients.logs.send(new GetQueryResultsCommand({queryId: started.queryId}));
			expect(results.status).toBe('Complete');
			expect(results.results).toEqual([]);
		} finally {
			group.flowFormat = format;
		}
	});

	it('asks for the window in seconds and restricts to the ENIs\' streams', () => {
		const query = historyQuery({eniIds: ['eni-1', 'eni-2'], format: '${version} ${interface-id} ${srcaddr} ${dstport} ${protocol} ${start} ${end} ${action}'});
		expect(query).toContain('parse @message "* * * * * * * *" as version, interfaceId, srcAddr, dstPort, protocol, start, end, action');
		// Every name AWS gives an interface's stream (core/flow-log-streams.ts).
		expect(query).toContain('filter @logStream in ["eni-1", "eni-1-all", "eni-1-accept", "eni-1-reject", "eni-2", "eni-2-all", "eni-2-accept", "eni-2-reject"]');
		expect(query).toContain('filter not (srcPort < 32768 and dstPort >= 32768)');
		expect(query).toContain('stats count(*) as count, min(start) as first, max(end) as last by srcAddr, dstAddr, dstPort, protocol');
		const replies = historyQuery({eniIds: ['eni-1'], eniAddresses: ['10.0.0.5'], format: '${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${start} ${end} ${action}', part: 'replies'});
		expect(replies).toContain('filter (srcAddr in ["10.0.0.5"] and dstAddr not in ["10.0.0.5"] and srcPort < dstPort and dstPort >= 1024)');
		expect(replies).toContain('by dstAddr, srcPort, protocol');
	});

	it('gives up after the timeout and says so', async () => {
		fixture.lab.faults.queryRunningPolls = 1000;
		await expect(rejectHistory(fixture.clients.logs, {logGroupName: GROUP, minutes: 30, timeoutMs: 200, pollIntervalMs: 20})).rejects.toThrow(/^Logs Insights query did not finish within .* \(stopped it\)$/);
	});

	it('names a missing log group', async () => {
		await expect(rejectHistory(fixture.clients.logs, {logGroupName: '/nope', minutes: 30})).rejects.toThrow(/^logs:StartQuery failed: ResourceNotFoundException/);
	});
});

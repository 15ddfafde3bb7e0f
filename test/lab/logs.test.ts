import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {
	DescribeLogGroupsCommand,
	DescribeLogStreamsCommand,
	FilterLogEventsCommand,
	GetLogEventsCommand,
	GetQueryResultsCommand,
	StartQueryCommand,
	paginateFilterLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {FIXTURE, IDS, expectAwsError, logsClient} from './lab-helpers.js';

let lab: Lab;
let smallPages: Lab;
let started: number;
beforeAll(async () => {
	started = Date.now();
	lab = await startLab({snapshotDir: FIXTURE, simulate: false});
	smallPages = await startLab({snapshotDir: FIXTURE, simulate: false, maxPageSize: {logs: 4}});
});
afterAll(async () => {
	await lab.close();
	await smallPages.close();
});

describe('loading flow logs from the snapshot', () => {
	it('puts each ENI file into the log group of the flow log covering it, one stream per ENI', async () => {
		const groups = await logsClient(lab).send(new DescribeLogGroupsCommand({}));
		expect(groups.logGroups!.map((group) => group.logGroupName)).toEqual([IDS.dbFlowGroup, IDS.flowGroup]);
		expect(groups.logGroups![1]!.logGroupArn).toBe(`arn:aws:logs:eu-west-1:111122223333:log-group:${IDS.flowGroup}`);
		const streams = await logsClient(lab).send(new DescribeLogStreamsCommand({logGroupName: IDS.flowGroup}));
		// The db ENI has its own flow log, so its (gzipped) file went to the db group instead.
		expect(streams.logStreams!.map((stream) => stream.logStreamName)).toEqual([IDS.eniWeb, IDS.eniWindows]);
		const db = await logsClient(lab).send(new DescribeLogStreamsCommand({logGroupIdentifier: `arn:aws:logs:eu-west-1:111122223333:log-group:${IDS.dbFlowGroup}:*`}));
		expect(db.logStreams!.map((stream) => stream.logStreamName)).toEqual([IDS.eniDb]);
		expect(lab.warnings).toEqual([]);
	});

	it('rebases timestamps so the newest record ended about a minute ago, keeping relative timing', async () => {
		const out = await logsClient(lab).send(new FilterLogEventsCommand({logGroupName: IDS.flowGroup, logStreamNames: [IDS.eniWeb]}));
		const ends = out.events!.map((event) => Number(event.message!.split(' ')[11]));
		const newest = Math.max(...ends);
		expect(Math.abs(newest - (Math.floor(started / 1000) - 60))).toBeLessThanOrEqual(5);
		const first = out.events![0]!;
		expect(first.timestamp).toBe(Number(first.message!.split(' ')[10]) * 1000);
		// Six one-minute windows of the fixture: 5 minutes between the first and the last start.
		const starts = out.events!.filter((event) => event.message!.endsWith(' OK')).map((event) => Number(event.message!.split(' ')[10]));
		expect(Math.max(...starts) - Math.min(...starts)).toBe(300);
	});
});

describe('FilterLogEvents', () => {
	it('applies the flow-log filter patterns', async () => {
		const client = logsClient(lab);
		const count = async (filterPattern: string, extra: Record<string, unknown> = {}) =>
			(await client.send(new FilterLogEventsCommand({logGroupName: IDS.flowGroup, filterPattern, ...extra}))).events!.length;
		expect(await count('REJECT')).toBe(12);
		expect(await count('"203.0.113.7"')).toBe(6);
		expect(await count('[version, account, eni, source, destination, srcport, destport="22", protocol, packets, bytes, windowstart, windowend, action="REJECT", flowlogstatus]')).toBe(6);
		expect(await count('[version, account, eni, source, destination, srcport, destport!=22, protocol, packets, bytes>=1000, windowstart, windowend, action, flowlogstatus]')).toBe(6);
		expect(await count('[version, account, eni, source="198.51.*", ..., action="REJECT", flowlogstatus]')).toBe(6);
		expect(await count('REJECT', {logStreamNames: [IDS.eniWindows]})).toBe(0);
		expect(await count('ACCEPT', {logStreamNames: [IDS.eniWindows]})).toBe(3);
	});

	it('restricts by time range and returns events in timestamp order with eventIds', async () => {
		const client = logsClient(lab);
		const all = (await client.send(new FilterLogEventsCommand({logGroupName: IDS.flowGroup, logStreamNames: [IDS.eniWeb]}))).events!;
		const timestamps = all.map((event) => event.timestamp!);
		expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
		expect(new Set(all.map((event) => event.eventId)).size).toBe(all.length);
		const middle = timestamps[Math.floor(timestamps.length / 2)]!;
		const later = (await client.send(new FilterLogEventsCommand({logGroupName: IDS.flowGroup, logStreamNames: [IDS.eniWeb], startTime: middle}))).events!;
		expect(later.every((event) => event.timestamp! >= middle)).toBe(true);
		expect(later.length).toBe(all.filter((event) => event.timestamp! >= middle).length);
		const bounded = (await client.send(new FilterLogEventsCommand({logGroupName: IDS.flowGroup, startTime: middle, endTime: middle}))).events!;
		expect(bounded.every((event) => event.timestamp === middle)).toBe(true);
	});

	it('paginates with limit and nextToken without losing or repeating events', async () => {
		const client = logsClient(lab);
		const first = await client.send(new FilterLogEventsCommand({logGroupName: IDS.flowGroup, filterPattern: 'REJECT', limit: 5}));
		expect(first.events).toHaveLength(5);
		expect(first.nextToken).toBeTruthy();
		const ids: string[] = [];
		for await (const page of paginateFilterLogEvents({client: logsClient(smallPages)}, {logGroupName: IDS.flowGroup, filterPattern: 'REJECT'})) {
			expect(page.events!.length).toBeLessThanOrEqual(4);
			ids.push(...page.events!.map((event) => event.eventId!));
		}
		expect(ids).toHaveLength(12);
		expect(new Set(ids).size).toBe(12);
	});

	it('answers ResourceNotFoundException and InvalidParameterException like the service', async () => {
		const client = logsClient(lab);
		const missing = await expectAwsError(client.send(new FilterLogEventsCommand({logGroupName: '/nope'})), 'ResourceNotFoundException');
		expect(missing.$metadata!.httpStatusCode).toBe(400);
		await expectAwsError(client.send(new FilterLogEventsCommand({logGroupName: IDS.flowGroup, filterPattern: '{ $.a = 1 }'})), 'InvalidParameterException');
		await expectAwsError(client.send(new FilterLogEventsCommand({logGroupName: IDS.flowGroup, limit: 20_000})), 'InvalidParameterException');
	});
});

describe('GetLogEvents', () => {
	it('reads a stream from the head with forward tokens', async () => {
		const client = logsClient(lab);
		const page = await client.send(new GetLogEventsCommand({logGroupName: IDS.flowGroup, logStreamName: IDS.eniWindows, startFromHead: true, limit: 2}));
		expect(page.events!.map((event) => event.message!.split(' ')[3])).toEqual(['192.0.2.0', '192.0.2.1']);
		const next = await client.send(new GetLogEventsCommand({logGroupName: IDS.flowGroup, logStreamName: IDS.eniWindows, nextToken: page.nextForwardToken, limit: 2}));
		expect(next.events!.map((event) => event.message!.split(' ')[3])).toEqual(['192.0.2.2']);
		await expectAwsError(client.send(new GetLogEventsCommand({logGroupName: IDS.flowGroup, logStreamName: 'eni-none'})), 'ResourceNotFoundException');
	});
});

describe('StartQuery / GetQueryResults', () => {
	it('aggregates rejects server-side over a window given in seconds', async () => {
		const client = logsClient(lab);
		const now = Math.floor(Date.now() / 1000);
		const {queryId} = await client.send(
			new StartQueryCommand({
				logGroupNames: [IDS.flowGroup],
				startTime: now - 3600,
				endTime: now,
				queryString: 'filter action="REJECT" | stats count(*) as rejects, min(start) as first, max(end) as last by srcAddr, dstPort, protocol | sort rejects desc | limit 50',
			}),
		);
		const out = await client.send(new GetQueryResultsCommand({queryId}));
		expect(out.status).toBe('Complete');
		const rows = out.results!.map((row) => Object.fromEntries(row.map(({field, value}) => [field, value])));
		expect(rows.map((row) => [row.srcAddr, row.dstPort, row.protocol, row.rejects])).toEqual([
			['203.0.113.7', '22', '6', '6'],
			['198.51.100.23', '8443', '6', '6'],
		]);
		expect(Number(rows[0]!.last) - Number(rows[0]!.first)).toBe(360);
		expect(out.statistics!.recordsMatched).toBe(12);
	});

	it('says Running first when the knob asks, and refuses milliseconds and unknown groups', async () => {
		const client = logsClient(lab);
		lab.faults.queryRunningPolls = 1;
		try {
			const now = Math.floor(Date.now() / 1000);
			const {queryId} = await client.send(new StartQueryCommand({logGroupIdentifiers: [IDS.dbFlowGroup], startTime: now - 3600, endTime: now, queryString: 'stats count(*) as n by flowDirection'}));
			expect((await client.send(new GetQueryResultsCommand({queryId}))).status).toBe('Running');
			const done = await client.send(new GetQueryResultsCommand({queryId}));
			expect(done.status).toBe('Complete');
			expect(done.results!.map((row) => row.map((cell) => cell.value))).toEqual([['ingress', '4'], ['egress', '4']]);
			await expectAwsError(client.send(new StartQueryCommand({logGroupNames: [IDS.flowGroup], startTime: Date.now() - 1000, endTime: Date.now(), queryString: 'stats count(*)'})), 'InvalidParameterException');
			await expectAwsError(client.send(new StartQueryCommand({logGroupNames: ['/nope'], startTime: now - 60, endTime: now, queryString: 'stats count(*)'})), 'ResourceNotFoundException');
			await expectAwsError(client.send(new StartQueryCommand({logGroupNames: [IDS.flowGroup], startTime: now - 60, endTime: now, queryString: 'parse x'})), 'MalformedQueryException');
		} finally {
			lab.faults.queryRunningPolls = 0;
		}
	});
});

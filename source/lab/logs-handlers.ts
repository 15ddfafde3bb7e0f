// CloudWatch Logs (JSON 1.1) actions on the lab's log store. StartLiveTail streams and lives in
// live-tail.ts; everything here is one JSON request, one JSON answer.
import {randomUUID} from 'node:crypto';
import {compileFilterPattern} from './filter-pattern.js';
import {runQuery, type QueryOutput} from './insights.js';
import {LabError} from './lab-error.js';
import {compareEvents, type LogEvent, type LogGroup, type LogStream} from './log-store.js';
import type {LabState} from './snapshot-state.js';

type Doc = Record<string, any>;

export interface LogsContext {
	state: LabState;
	now: () => number;
	/** Largest page the lab returns whatever `limit` says (AWS: 10,000 events); tests make it small. */
	maxPageSize: number;
	queries: Map<string, {output: QueryOutput; pollsUntilComplete: number}>;
	/** GetQueryResults answers "Running" this many times before "Complete" (fault knob). */
	queryRunningPolls: number;
}

type Handler = (input: Doc, context: LogsContext) => Doc;

export function groupArn(state: LabState, name: string): string {
	return `arn:aws:logs:${state.region}:${state.accountId}:log-group:${name}`;
}

/** A group by name or ARN (`arn:aws:logs:region:account:log-group:NAME[:*]`). */
export function findLogGroup(state: LabState, identifier: unknown): LogGroup {
	if (typeof identifier !== 'string' || identifier === '') throw new LabError('InvalidParameterException', 'Either logGroupName or logGroupIdentifier must be specified');
	const match = /^arn:aws[\w-]*:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(identifier);
	const group = state.logs.groups.get(match ? match[1]! : identifier);
	if (!group) throw new LabError('ResourceNotFoundException', 'The specified log group does not exist.');
	return group;
}

function groupFrom(input: Doc, state: LabState): LogGroup {
	if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
		throw new LabError('InvalidParameterException', 'LogGroup name and LogGroup ARN are mutually exclusive parameters.');
	}
	return findLogGroup(state, input.logGroupName ?? input.logGroupIdentifier);
}

function limitOf(input: Doc, max: number, fallback: number, hardMax: number): number {
	if (input.limit === undefined) return Math.min(fallback, max);
	const limit = input.limit;
	if (!Number.isInteger(limit) || limit < 1 || limit > hardMax) {
		throw new LabError('InvalidParameterException', `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${hardMax}`);
	}
	return Math.min(limit, max);
}

function token(value: object): string {
	return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function untoken<T>(text: unknown): T {
	try {
		return JSON.parse(Buffer.from(String(text), 'base64url').toString('utf8')) as T;
	} catch {
		throw new LabError('InvalidParameterException', 'The specified nextToken is invalid.');
	}
}

function pageOf<T>(items: T[], input: Doc, limit: number): {page: T[]; nextToken?: string} {
	const offset = input.nextToken ? untoken<{offset: number}>(input.nextToken).offset : 0;
	const page = items.slice(offset, offset + limit);
	return offset + page.length < items.length ? {page, nextToken: token({offset: offset + page.length})} : {page};
}

const describeLogGroups: Handler = (input, {state, maxPageSize}) => {
	let groups = [...state.logs.groups.values()].sort((a, b) => a.name.localeCompare(b.name));
	if (input.logGroupNamePrefix) groups = groups.filter((group) => group.name.startsWith(input.logGroupNamePrefix));
	if (input.logGroupNamePattern) groups = groups.filter((group) => group.name.toLowerCase().includes(String(input.logGroupNamePattern).toLowerCase()));
	const {page, nextToken} = pageOf(groups, input, limitOf(input, maxPageSize, 50, 50));
	return {
		logGroups: page.map((group) => ({
			logGroupName: group.name,
			creationTime: group.creationTime,
			metricFilterCount: 0,
			arn: `${groupArn(state, group.name)}:*`,
			storedBytes: [...group.streams.values()].reduce((sum, stream) => sum + stream.events.reduce((bytes, event) => bytes + event.message.length, 0), 0),
			logGroupClass: 'STANDARD',
			logGroupArn: groupArn(state, group.name),
		})),
		...(nextToken ? {nextToken} : {}),
	};
};

function streamDoc(state: LabState, group: LogGroup, stream: LogStream): Doc {
	const first = stream.events[0];
	const last = stream.events.at(-1);
	return {
		logStreamName: stream.name,
		creationTime: stream.creationTime,
		...(first ? {firstEventTimestamp: first.timestamp, lastEventTimestamp: last!.timestamp} : {}),
		...(stream.lastIngestionTime ? {lastIngestionTime: stream.lastIngestionTime} : {}),
		arn: `arn:aws:logs:${state.region}:${state.accountId}:log-group:${group.name}:log-stream:${stream.name}`,
		storedBytes: 0,
	};
}

const describeLogStreams: Handler = (input, {state, maxPageSize}) => {
	const group = groupFrom(input, state);
	let streams = [...group.streams.values()];
	if (input.logStreamNamePrefix) {
		if (input.orderBy === 'LastEventTime') throw new LabError('InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.');
		streams = streams.filter((stream) => stream.name.startsWith(input.logStreamNamePrefix));
	}
	if (input.orderBy === 'LastEventTime') streams.sort((a, b) => (a.events.at(-1)?.timestamp ?? 0) - (b.events.at(-1)?.timestamp ?? 0));
	else streams.sort((a, b) => a.name.localeCompare(b.name));
	if (input.descending) streams.reverse();
	const {page, nextToken} = pageOf(streams, input, limitOf(input, maxPageSize, 50, 50));
	return {logStreams: page.map((stream) => streamDoc(state, group, stream)), ...(nextToken ? {nextToken} : {})};
};

function streamsFor(group: LogGroup, input: Doc): LogStream[] {
	const names: unknown = input.logStreamNames;
	if (names !== undefined && input.logStreamNamePrefix !== undefined) {
		throw new LabError('InvalidParameterException', 'Cannot specify both logStreamNames and logStreamNamePrefix.');
	}
	let streams = [...group.streams.values()];
	if (Array.isArray(names)) streams = streams.filter((stream) => names.includes(stream.name));
	if (typeof input.logStreamNamePrefix === 'string') streams = streams.filter((stream) => stream.name.startsWith(input.logStreamNamePrefix));
	return streams;
}

const filterLogEvents: Handler = (input, {state, maxPageSize}) => {
	const group = groupFrom(input, state);
	const matches = compileFilterPattern(input.filterPattern);
	const limit = limitOf(input, maxPageSize, 10_000, 10_000);
	const after = input.nextToken ? untoken<{timestamp: number; seq: number}>(input.nextToken) : null;
	const start = typeof input.startTime === 'number' ? input.startTime : -Infinity;
	const end = typeof input.endTime === 'number' ? input.endTime : Infinity;
	const candidates: Array<{event: LogEvent; stream: string}> = [];
	for (const stream of streamsFor(group, input)) {
		for (const event of stream.events) {
			if (event.timestamp < start || event.timestamp > end) continue;
			if (after && compareEvents(event, after as LogEvent) <= 0) continue;
			if (matches(event.message)) candidates.push({event, stream: stream.name});
		}
	}
	candidates.sort((a, b) => compareEvents(a.event, b.event));
	const page = candidates.slice(0, limit);
	const last = page.at(-1)?.event;
	return {
		events: page.map(({event, stream}) => ({logStreamName: stream, timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime, eventId: event.eventId})),
		searchedLogStreams: [],
		...(candidates.length > page.length && last ? {nextToken: token({timestamp: last.timestamp, seq: last.seq})} : {}),
	};
};

const getLogEvents: Handler = (input, {state, maxPageSize}) => {
	const group = groupFrom(input, state);
	const stream = group.streams.get(input.logStreamName);
	if (!stream) throw new LabError('ResourceNotFoundException', 'The specified log stream does not exist.');
	const limit = limitOf(input, maxPageSize, 10_000, 10_000);
	const start = typeof input.startTime === 'number' ? input.startTime : -Infinity;
	const end = typeof input.endTime === 'number' ? input.endTime : Infinity;
	const events = stream.events.filter((event) => event.timestamp >= start && event.timestamp < end);
	// Tokens are positions: f/<index of the next event forward>, b/<index one past the page's start>.
	let from: number;
	if (typeof input.nextToken === 'string' && /^[fb]\/\d+$/.test(input.nextToken)) {
		const position = Number(input.nextToken.slice(2));
		from = input.nextToken.startsWith('f/') ? position : Math.max(0, position - limit);
	} else if (input.nextToken) {
		throw new LabError('InvalidParameterException', 'The specified nextToken is invalid.');
	} else {
		from = input.startFromHead ? 0 : Math.max(0, events.length - limit);
	}
	const page = events.slice(from, from + limit);
	return {
		events: page.map((event) => ({timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime})),
		nextForwardToken: `f/${from + page.length}`,
		nextBackwardToken: `b/${from}`,
	};
};

const startQuery: Handler = (input, context) => {
	const {state} = context;
	const identifiers: unknown[] = input.logGroupIdentifiers ?? input.logGroupNames ?? (input.logGroupName ? [input.logGroupName] : []);
	if (!Array.isArray(identifiers) || identifiers.length === 0) throw new LabError('InvalidParameterException', 'Log group names or identifiers must be specified.');
	if (typeof input.startTime !== 'number' || typeof input.endTime !== 'number') throw new LabError('InvalidParameterException', 'startTime and endTime (epoch seconds) are required.');
	if (input.startTime > 1e11 || input.endTime > 1e11) throw new LabError('InvalidParameterException', 'startTime and endTime are epoch seconds, not milliseconds.');
	if (typeof input.queryString !== 'string') throw new LabError('InvalidParameterException', 'queryString is required.');
	const groups = identifiers.map((identifier) => findLogGroup(state, identifier));
	const from = input.startTime * 1000;
	const to = input.endTime * 1000 + 999;
	const events = groups.flatMap((group) =>
		[...group.streams.values()].flatMap((stream) =>
			stream.events.filter((event) => event.timestamp >= from && event.timestamp <= to).map((event) => ({event, logGroup: group.name, logStream: stream.name, flowFormat: group.flowFormat})),
		),
	);
	events.sort((a, b) => compareEvents(a.event, b.event));
	const output = runQuery(input.queryString, {events, accountId: state.accountId, limit: typeof input.limit === 'number' ? input.limit : 10_000});
	const queryId = randomUUID();
	context.queries.set(queryId, {output, pollsUntilComplete: context.queryRunningPolls});
	return {queryId};
};

const getQueryResults: Handler = (input, {queries}) => {
	const query = queries.get(input.queryId);
	if (!query) throw new LabError('ResourceNotFoundException', `Query ${String(input.queryId)} does not exist.`);
	if (query.pollsUntilComplete > 0) {
		query.pollsUntilComplete--;
		return {results: [], statistics: {recordsMatched: 0, recordsScanned: 0, bytesScanned: 0}, status: 'Running'};
	}
	const {results, recordsMatched, recordsScanned, bytesScanned} = query.output;
	return {results, statistics: {recordsMatched, recordsScanned, bytesScanned}, status: 'Complete'};
};

const stopQuery: Handler = (input, {queries}) => ({success: queries.delete(input.queryId)});

export const LOGS_HANDLERS: Record<string, Handler> = {
	DescribeLogGroups: describeLogGroups,
	DescribeLogStreams: describeLogStreams,
	FilterLogEvents: filterLogEvents,
	GetLogEvents: getLogEvents,
	StartQuery: startQuery,
	GetQueryResults: getQueryResults,
	StopQuery: stopQuery,
};

// StartLiveTail: an `application/vnd.amazon.eventstream` response of binary frames. initial-response
// and sessionStart go out at once (the SDK's send() resolves only on the first frame), then one sessionUpdate per
// interval with at most 500 events (`sampled` when more arrived), until the session times out
// with a SessionTimeoutException frame, the client goes away, or a fault knob cuts the stream.
import type {ServerResponse} from 'node:http';
import {randomUUID} from 'node:crypto';
import {EventStreamCodec} from '@smithy/eventstream-codec';
import {compileFilterPattern} from './filter-pattern.js';
import {LabError} from './lab-error.js';
import type {FaultKnobs} from './faults.js';
import {findLogGroup, groupArn} from './logs-handlers.js';
import type {LabState} from './snapshot-state.js';

const MAX_EVENTS_PER_UPDATE = 500;

const codec = new EventStreamCodec(
	(bytes: Uint8Array) => Buffer.from(bytes).toString('utf8'),
	(text: string) => new Uint8Array(Buffer.from(text, 'utf8')),
);

type Doc = Record<string, any>;

function frame(kind: 'event' | 'exception', type: string, body: object): Uint8Array {
	const typeHeader = kind === 'event' ? ':event-type' : ':exception-type';
	return codec.encode({
		headers: {
			':message-type': {type: 'string', value: kind},
			[typeHeader]: {type: 'string', value: type},
			':content-type': {type: 'string', value: 'application/json'},
		},
		body: new Uint8Array(Buffer.from(JSON.stringify(body), 'utf8')),
	});
}

export interface LiveTailContext {
	state: LabState;
	faults: FaultKnobs;
	requestId: string;
	/** Milliseconds between sessionUpdates (AWS: 1000). */
	updateIntervalMs: number;
	/** Sessions still open, so closing the lab can end them. */
	sessions: Set<() => void>;
}

interface Session {
	groups: Map<string, string>;
	streams: string[] | null;
	prefixes: string[] | null;
	matches: (message: string) => boolean;
}

/** Validates like the service; throws LabError before any frame is written. */
function openSession(input: Doc, state: LabState, faults: FaultKnobs): Session {
	if (faults.denyLiveTail) {
		throw new LabError('AccessDeniedException', 'User is not authorized to perform: logs:StartLiveTail');
	}
	const identifiers: unknown = input.logGroupIdentifiers;
	if (!Array.isArray(identifiers) || identifiers.length < 1 || identifiers.length > 10) {
		throw new LabError('InvalidParameterException', 'logGroupIdentifiers must list 1 to 10 log groups.');
	}
	const groups = new Map<string, string>();
	for (const identifier of identifiers) {
		if (typeof identifier === 'string' && identifier.endsWith('*')) {
			throw new LabError('InvalidParameterException', `Log group identifier ${identifier} must not end with "*".`);
		}
		const group = findLogGroup(state, identifier);
		groups.set(group.name, groupArn(state, group.name));
	}
	const streams = Array.isArray(input.logStreamNames) ? (input.logStreamNames as string[]) : null;
	const prefixes = Array.isArray(input.logStreamNamePrefixes) ? (input.logStreamNamePrefixes as string[]) : null;
	if (streams && prefixes) throw new LabError('InvalidParameterException', 'logStreamNames and logStreamNamePrefixes are mutually exclusive.');
	if ((streams || prefixes) && identifiers.length !== 1) {
		throw new LabError('InvalidParameterException', 'logStreamNames and logStreamNamePrefixes need exactly one log group in logGroupIdentifiers.');
	}
	const pattern = input.logEventFilterPattern;
	if (typeof pattern === 'string' && pattern.length > 1024) throw new LabError('InvalidParameterException', 'logEventFilterPattern is longer than 1024 characters.');
	return {groups, streams, prefixes, matches: compileFilterPattern(pattern)};
}

/** Starts the stream on `res`, or throws a LabError for the caller to send as a JSON error. */
export function startLiveTail(input: Doc, res: ServerResponse, context: LiveTailContext): void {
	const {state, faults} = context;
	const session = openSession(input, state, faults);
	const sessionSeconds = faults.liveTailSessionSeconds;
	const cutAfter = faults.cutLiveTailAfterUpdates;
	let pending: Doc[] = [];
	let updates = 0;

	res.writeHead(200, {'Content-Type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': context.requestId});
	res.flushHeaders();
	// JSON-protocol event streams open with an `initial-response` event holding the operation's
	// non-stream output (none here). botocore requires it; the JS SDK accepts it.
	res.write(frame('event', 'initial-response', {}));
	res.write(
		frame('event', 'sessionStart', {
			requestId: context.requestId,
			sessionId: randomUUID(),
			logGroupIdentifiers: input.logGroupIdentifiers,
			...(session.streams ? {logStreamNames: session.streams} : {}),
			...(session.prefixes ? {logStreamNamePrefixes: session.prefixes} : {}),
			...(typeof input.logEventFilterPattern === 'string' ? {logEventFilterPattern: input.logEventFilterPattern} : {}),
		}),
	);

	const unsubscribe = state.logs.onAppend(({group, stream, events}) => {
		const arn = session.groups.get(group.name);
		if (!arn) return;
		if (session.streams && !session.streams.includes(stream.name)) return;
		if (session.prefixes && !session.prefixes.some((prefix) => stream.name.startsWith(prefix))) return;
		for (const event of events) {
			if (!session.matches(event.message)) continue;
			pending.push({logStreamName: stream.name, logGroupIdentifier: arn, message: event.message, timestamp: event.timestamp, ingestionTime: event.ingestionTime});
		}
	});

	const tick = setInterval(() => {
		const batch = pending;
		pending = [];
		const sampled = batch.length > MAX_EVENTS_PER_UPDATE;
		// Sampling keeps an even spread of the interval's events, like the service.
		const results = sampled ? Array.from({length: MAX_EVENTS_PER_UPDATE}, (_, i) => batch[Math.floor((i * batch.length) / MAX_EVENTS_PER_UPDATE)]) : batch;
		updates++;
		const cut = cutAfter > 0 && updates >= cutAfter;
		// A cut delivers the update, then drops the connection without ending the chunked body.
		res.write(frame('event', 'sessionUpdate', {sessionMetadata: {sampled}, sessionResults: results}), () => {
			if (cut) res.destroy();
		});
		if (cut) finish();
	}, context.updateIntervalMs);

	const timeout = setTimeout(() => {
		res.end(frame('exception', 'SessionTimeoutException', {message: `Session timed out after ${sessionSeconds} seconds.`}));
		finish();
	}, sessionSeconds * 1000);

	const closeForShutdown = () => {
		finish();
		res.destroy();
	};
	function finish() {
		clearInterval(tick);
		clearTimeout(timeout);
		unsubscribe();
		context.sessions.delete(closeForShutdown);
	}
	context.sessions.add(closeForShutdown);
	res.on('close', finish);
}

// Wizard step 5: "now try the connection". Live REJECTs for exactly this ENI and port, with the
// wait window (aggregation interval + delivery delay) drawn as a bar, and the reminder that
// silence is not proof of access.
import {Box, Text} from 'ink';
import {addressInCidr, hostCidr, isValidAddress} from '../core/cidr.js';
import {checkProtocolNumber} from '../core/protocols.js';
import {modeLabel, timingLabel, waitWindowSeconds} from './stream-labels.js';
import {clock, fit, plural} from './format.js';
import {sparkline, type LiveAggregate} from './live-store.js';
import {color, toneColor} from './theme.js';
import type {AsyncState} from './use-async.js';
import type {CoverageView} from './services.js';
import type {RejectStream} from './use-reject-stream.js';
import type {CheckRequest} from '../core/types.js';

export function matchingRejects(aggregates: readonly LiveAggregate[], request: CheckRequest): LiveAggregate[] {
	const protocol = checkProtocolNumber(request.protocol, 'ipv4');
	return aggregates.filter((row) => row.direction === 'in' && row.action === 'REJECT' && (row.protocol === protocol || (request.protocol === 'icmp' && row.protocol === 58)) && (request.protocol === 'icmp' || row.dstPort === request.port));
}

/** REJECTed replies from the port back to clients: the NACL return path dropping the answer. */
export function droppedReplies(aggregates: readonly LiveAggregate[], request: CheckRequest): LiveAggregate[] {
	return aggregates.filter((row) => row.direction === 'reply' && row.action === 'REJECT' && row.dstPort === request.port);
}

export function fromClient(row: LiveAggregate, request: CheckRequest): boolean {
	if (!row.srcAddr || !isValidAddress(row.srcAddr)) return false;
	const source = request.source;
	if (source.kind === 'address') return addressInCidr(row.srcAddr, hostCidr(source.address));
	if (source.kind === 'cidr') return addressInCidr(row.srcAddr, source.cidr);
	return source.kind === 'any';
}

/** The counts step 5 and the rail both show, from one computation. */
export interface RejectTally {
	/** REJECTed requests to the port on this interface, from anyone. */
	requests: number;
	/** REJECTed replies from the port (the NACL return path), to anyone. */
	replies: number;
	/** Of those, from / to the client the form names (equal to the totals for "any"). */
	requestsFromClient: number;
	repliesToClient: number;
}

export function rejectTally(aggregates: readonly LiveAggregate[], request: CheckRequest): RejectTally {
	const sum = (rows: LiveAggregate[]) => rows.reduce((total, row) => total + row.count, 0);
	const requests = matchingRejects(aggregates, request);
	const replies = droppedReplies(aggregates, request);
	return {
		requests: sum(requests),
		replies: sum(replies),
		requestsFromClient: sum(requests.filter((row) => fromClient(row, request))),
		repliesToClient: sum(replies.filter((row) => fromClient(row, request))),
	};
}

function bar(fraction: number, width: number): string {
	const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
	return '█'.repeat(filled) + '░'.repeat(width - filled);
}

function mmss(seconds: number): string {
	const s = Math.max(0, Math.floor(seconds));
	return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export interface ReproduceStepProps {
	request: CheckRequest;
	stream: RejectStream;
	coverage: AsyncState<CoverageView>;
	elapsedSeconds: number;
	width: number;
	height: number;
}

export function ReproduceStep({request, stream, coverage, elapsedSeconds, width, height}: ReproduceStepProps) {
	const view = coverage.status === 'ready' ? coverage.value : null;
	const windowSeconds = waitWindowSeconds(view);
	const rows = matchingRejects(stream.snapshot.aggregates, request);
	const tally = rejectTally(stream.snapshot.aggregates, request);
	const seen = tally.requests;
	const replies = tally.replies;
	const ofClient = (count: number) => (request.source.kind === 'any' ? '' : ` (${count} ${request.source.kind === 'address' ? 'from your client' : 'from the client range'})`);
	const mode = modeLabel(stream.snapshot.status);
	const noFlowLog = view !== null && !view.coverage.best;
	const listRows = Math.max(1, height - 10);
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold>Now try the connection ({request.protocol}/{request.port}) from the client</Text>
			<Text color={toneColor(mode.tone)} wrap="truncate">{mode.text}</Text>
			{noFlowLog ? (
				<Text color={color.bad} wrap="wrap">✗ No flow log can show rejects for this interface: this step cannot confirm anything. {view.coverage.problem}</Text>
			) : (
				<Text color={color.muted} wrap="truncate">{timingLabel(view)}</Text>
			)}
			{windowSeconds !== null && !noFlowLog ? (
				<Text wrap="truncate">
					<Text color={elapsedSeconds >= windowSeconds ? color.good : color.warn}>{bar(elapsedSeconds / windowSeconds, 24)}</Text>
					<Text> {mmss(elapsedSeconds)} / {mmss(windowSeconds)} {elapsedSeconds >= windowSeconds ? 'window elapsed' : 'waiting for records'}</Text>
				</Text>
			) : <Text> </Text>}
			{seen || replies ? <Text> </Text> : <Text color={color.warn} wrap="wrap">No REJECT yet is not proof of access: records only arrive after the aggregation interval plus the delivery delay.</Text>}
			<Text> </Text>
			<Text bold wrap="truncate">{seen ? <Text color={color.bad}>✗ {plural(seen, 'REJECT')} to {request.protocol}/{request.port} on this interface{ofClient(tally.requestsFromClient)}</Text> : <Text color={color.muted}>no REJECT to {request.protocol}/{request.port} on this interface yet</Text>}</Text>
			{replies ? <Text color={color.bad} wrap="truncate">✗ {plural(replies, 'reply', 'replies')} dropped: from {request.protocol}/{request.port}, REJECTed on the way out{ofClient(tally.repliesToClient)}; the NACL drops the return traffic</Text> : null}
			<Text bold color={color.muted} wrap="truncate">{fit('SOURCE', 40)} {fit('COUNT', 6, 'right')} {fit('LAST', 8)} TREND</Text>
			{rows.slice(0, listRows).map((row) => {
				const client = fromClient(row, request);
				return (
					<Text key={row.key} wrap="truncate" color={client ? color.bad : undefined}>
						{fit(`${row.srcAddr ?? '-'}${client && request.source.kind !== 'any' ? '  ← your client' : ''}`, 40)} {fit(String(row.count), 6, 'right')} {fit(clock(row.lastSeen), 8)} {sparkline(row.trend)}
					</Text>
				);
			})}
			{rows.length > listRows ? <Text color={color.muted}>… {rows.length - listRows} more sources</Text> : null}
		</Box>
	);
}

// Wizard step 5: "now try the connection". Live REJECTs for exactly this ENI and port, with the
// wait window (aggregation interval + delivery delay) drawn as a bar, and the reminder that
// silence is not proof of access.
import {Box, Text} from 'ink';
import {addressInCidr, hostCidr, isValidAddress} from '../core/cidr.js';
import {checkProtocolNumber} from '../core/protocols.js';
import {modeLabel, timingLabel, waitWindowSeconds} from './stream-labels.js';
import stringWidth from 'string-width';
import {clock, fit, plural, wrappedRows} from './format.js';
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

const CLIENT_MARKER = '  ← your client';
const SHORT_MARKER = ' ←';
/** COUNT, LAST and the gaps after SOURCE; the trend takes what is left. */
const AFTER_SOURCE = 1 + 6 + 1 + 8 + 1;

/**
 * The SOURCE column: as wide as its longest address (plus the client marker), at most 40, and
 * never so wide that COUNT and LAST go off the panel (80 columns: ~46). Addresses are never cut:
 * when room is short the marker shrinks to "←" first.
 */
export function sourceColumns(addresses: readonly string[], width: number, marked: boolean): {source: number; marker: string} {
	const longest = Math.max(stringWidth('SOURCE'), ...addresses.map((address) => stringWidth(address)));
	const room = Math.max(longest, width - AFTER_SOURCE - 5);
	const marker = !marked || longest + stringWidth(CLIENT_MARKER) <= room ? CLIENT_MARKER : SHORT_MARKER;
	return {source: Math.min(Math.max(40, longest), longest + (marked ? stringWidth(marker) : 0)), marker};
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
	// Requests come from the client; dropped replies go to it.
	const ofClient = (count: number, way: 'from' | 'to') => (request.source.kind === 'any' ? '' : ` (${count} ${way} ${request.source.kind === 'address' ? 'your client' : 'the client range'})`);
	const mode = modeLabel(stream.snapshot.status);
	const noFlowLog = view !== null && !view.coverage.best;
	const title = `Now try the connection (${request.protocol}/${request.port}) from the client`;
	const seenLine = seen ? `✗ ${plural(seen, 'REJECT')} to ${request.protocol}/${request.port} on this interface${ofClient(tally.requestsFromClient, 'from')}` : `no REJECT to ${request.protocol}/${request.port} on this interface yet`;
	// The count for the client comes before the explanation: at 80 columns the line wraps, and the
	// number the operator is looking for must not be what goes.
	const repliesLine = replies ? `✗ ${plural(replies, 'reply', 'replies')} dropped${ofClient(tally.repliesToClient, 'to')}: from ${request.protocol}/${request.port}, REJECTed on the way out; the NACL drops the return traffic` : null;
	const reminder = 'No REJECT yet is not proof of access: records only arrive after the aggregation interval plus the delivery delay.';
	const timing = noFlowLog ? `✗ No flow log can show rejects for this interface: this step cannot confirm anything. ${view.coverage.problem}` : timingLabel(view);
	const elapsed = windowSeconds === null ? '' : ` ${mmss(elapsedSeconds)} / ${mmss(windowSeconds)} ${elapsedSeconds >= windowSeconds ? 'window elapsed' : 'waiting for records'}`;
	// The bar gives up cells before the words after it do (a 46-column panel at 80×24).
	const barWidth = Math.max(6, Math.min(24, width - stringWidth(elapsed)));
	const textRows = wrappedRows(title, width) + 1 + wrappedRows(timing, width) + 1 + (seen || replies ? 1 : wrappedRows(reminder, width)) + 1 + wrappedRows(seenLine, width) + (repliesLine ? wrappedRows(repliesLine, width) : 0) + 1;
	const listRows = Math.max(1, height - textRows - 1);
	const columns = sourceColumns(rows.map((row) => row.srcAddr ?? '-'), width, request.source.kind !== 'any');
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold wrap="wrap">{title}</Text>
			<Text color={toneColor(mode.tone)} wrap="truncate">{mode.text}</Text>
			{noFlowLog ? (
				<Text color={color.bad} wrap="wrap">{timing}</Text>
			) : (
				<Text color={color.muted} wrap="wrap">{timing}</Text>
			)}
			{windowSeconds !== null && !noFlowLog ? (
				<Text wrap="truncate">
					<Text color={elapsedSeconds >= windowSeconds ? color.good : color.warn}>{bar(elapsedSeconds / windowSeconds, barWidth)}</Text>
					<Text>{elapsed}</Text>
				</Text>
			) : <Text> </Text>}
			{seen || replies ? <Text> </Text> : <Text color={color.warn} wrap="wrap">{reminder}</Text>}
			<Text> </Text>
			<Text bold wrap="wrap" color={seen ? color.bad : color.muted}>{seenLine}</Text>
			{repliesLine ? <Text color={color.bad} wrap="wrap">{repliesLine}</Text> : null}
			<Text bold color={color.muted} wrap="truncate">{fit('SOURCE', columns.source)} {fit('COUNT', 6, 'right')} {fit('LAST', 8)} TREND</Text>
			{rows.slice(0, listRows).map((row) => {
				const client = fromClient(row, request);
				return (
					<Text key={row.key} wrap="truncate" color={client ? color.bad : undefined}>
						{fit(`${row.srcAddr ?? '-'}${client && request.source.kind !== 'any' ? columns.marker : ''}`, columns.source)} {fit(String(row.count), 6, 'right')} {fit(clock(row.lastSeen), 8)} {sparkline(row.trend)}
					</Text>
				);
			})}
			{rows.length > listRows ? <Text color={color.muted}>… {rows.length - listRows} more sources</Text> : null}
		</Box>
	);
}

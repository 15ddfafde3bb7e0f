// Wizard step 3: does anything listen on the port? From the SSH probe (or the snapshot's capture).
import {Box, Text} from 'ink';
import {color} from './theme.js';
import type {HostState} from './data-state.js';
import {hostPortAnswer} from '../core/path/host.js';
import {exposureText, listenerEndpoint} from '../core/listener-endpoint.js';
import type {AddressFamily, CheckRequest, Listener, NetworkInterface} from '../core/types.js';

export type ListenVerdict =
	| {kind: 'pending'}
	/** `rail`: the rail's few words for why (the panel says `reason` whole). */
	| {kind: 'unknown'; reason: string; rail: string}
	| {kind: 'not-listening'; summary?: string; fix?: string}
	| {kind: 'loopback-only'; sockets: Listener[]; summary: string; fix: string}
	| {kind: 'listening'; sockets: Listener[]};

/**
 * Step 3's answer from the host layer itself (core/path/host.ts), for the client's family: the
 * loopback summary and fix are word for word what the Listeners tab and the audit show.
 */
export function listenVerdict(host: HostState | undefined, eni: NetworkInterface | null, platform: string | null, request: CheckRequest, family: AddressFamily = 'ipv4'): ListenVerdict {
	if (!eni?.instanceId) return {kind: 'unknown', reason: 'the interface is not attached to an instance', rail: '– no instance'};
	if (!host || host.status === 'probing') return {kind: 'pending'};
	if (host.status === 'error') return {kind: 'unknown', reason: host.message, rail: '? unknown (no access)'};
	if (request.protocol === 'icmp') return {kind: 'unknown', reason: 'ICMP is answered by the kernel, not by a listening socket', rail: '– not for ICMP'};
	const sockets = host.capture.listeners.filter((listener) => listener.port === request.port && listener.protocol === request.protocol);
	if (sockets.length === 0) return {kind: 'not-listening'};
	const answer = hostPortAnswer({eni, platform, host: host.capture, protocol: request.protocol, port: request.port, family});
	if (answer.result.reason === 'loopback-only') return {kind: 'loopback-only', sockets, summary: answer.result.summary, fix: answer.fix?.summary ?? ''};
	// Sockets on the port that take no client of this family at the ENI's address: not listening for it.
	if (answer.result.status === 'deny') return {kind: 'not-listening', summary: answer.result.summary, fix: answer.fix?.summary};
	return {kind: 'listening', sockets: sockets.filter((socket) => socket.exposure !== 'loopback')};
}

export const LISTEN_INTRO = 'A port no process listens on never needs opening (step 1 of the method).';

function socketText(socket: Listener): string {
	return `${socket.protocol} ${listenerEndpoint(socket)}  ${exposureText(socket)}${socket.process ? `  ${socket.process}` : ''}${socket.pid ? `/${socket.pid}` : ''}`;
}

export function ListenStep({verdict, request, source, width}: {verdict: ListenVerdict; request: CheckRequest; source: string | null; width: number}) {
	const port = `${request.protocol}/${request.port}`;
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>Is anything listening on {port}?</Text>
			{/* Prose, wrapped whole: at 80 columns the panel is ~46 wide. */}
			<Text color={color.muted} wrap="wrap">{LISTEN_INTRO}</Text>
			<Text> </Text>
			{verdict.kind === 'pending' ? <Text color={color.muted}>⠿ Probing the host…</Text> : null}
			{verdict.kind === 'unknown' ? (
				<>
					<Text color={color.warn} bold>? Unknown — no listener evidence</Text>
					<Text wrap="wrap">{verdict.reason}</Text>
					<Text color={color.muted} wrap="wrap">The rules can still be checked, but "not listening" cannot be told from "blocked". Enter continues.</Text>
				</>
			) : null}
			{verdict.kind === 'not-listening' ? (
				<>
					<Text color={color.bad} bold>✗ Not listening: nothing on the host accepts {port}</Text>
					<Text wrap="wrap">{verdict.summary ? `${verdict.summary} ${verdict.fix ?? ''}` : 'Start the service (or fix its port). Opening a rule for this port would change nothing but your exposure.'}</Text>
				</>
			) : null}
			{verdict.kind === 'loopback-only' ? (
				<>
					<Text color={color.bad} bold>✗ Loopback only: the service accepts local connections only</Text>
					{verdict.sockets.map((socket, index) => <Text key={index}>  {socketText(socket)}</Text>)}
					<Text wrap="wrap">{verdict.summary} {verdict.fix}</Text>
				</>
			) : null}
			{verdict.kind === 'listening' ? (
				<>
					<Text color={color.good} bold>✓ Listening</Text>
					{verdict.sockets.map((socket, index) => <Text key={index}>  {socketText(socket)}</Text>)}
				</>
			) : null}
			{/* Wrapped, not cut: the source names a host address and port, which must stay whole. */}
			{source ? <Text color={color.muted} wrap="wrap">evidence: {source}</Text> : null}
		</Box>
	);
}

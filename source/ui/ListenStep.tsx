// Wizard step 3: does anything listen on the port? From the SSH probe (or the snapshot's capture).
import {Box, Text} from 'ink';
import {color} from './theme.js';
import type {HostState} from './data-state.js';
import type {CheckRequest, Listener} from '../core/types.js';

export type ListenVerdict = {kind: 'pending'} | {kind: 'unknown'; reason: string} | {kind: 'not-listening'} | {kind: 'loopback-only'; sockets: Listener[]} | {kind: 'listening'; sockets: Listener[]};

export function listenVerdict(host: HostState | undefined, instanceId: string | null, request: CheckRequest): ListenVerdict {
	if (!instanceId) return {kind: 'unknown', reason: 'the interface is not attached to an instance'};
	if (!host || host.status === 'probing') return {kind: 'pending'};
	if (host.status === 'error') return {kind: 'unknown', reason: host.message};
	if (request.protocol === 'icmp') return {kind: 'unknown', reason: 'ICMP is answered by the kernel, not by a listening socket'};
	const sockets = host.capture.listeners.filter((listener) => listener.port === request.port && listener.protocol === request.protocol);
	if (sockets.length === 0) return {kind: 'not-listening'};
	if (sockets.every((socket) => socket.exposure === 'loopback')) return {kind: 'loopback-only', sockets};
	return {kind: 'listening', sockets: sockets.filter((socket) => socket.exposure !== 'loopback')};
}

function socketText(socket: Listener): string {
	const where = socket.family === 'ipv6' ? `[${socket.address}]:${socket.port}` : `${socket.address}:${socket.port}`;
	return `${socket.protocol} ${where}  ${socket.exposure}${socket.process ? `  ${socket.process}` : ''}${socket.pid ? `/${socket.pid}` : ''}`;
}

export function ListenStep({verdict, request, source, width}: {verdict: ListenVerdict; request: CheckRequest; source: string | null; width: number}) {
	const port = `${request.protocol}/${request.port}`;
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>Is anything listening on {port}?</Text>
			<Text color={color.muted} wrap="truncate">A port no process listens on never needs opening (step 1 of the method).</Text>
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
					<Text wrap="wrap">Start the service (or fix its port). Opening a rule for this port would change nothing but your exposure.</Text>
				</>
			) : null}
			{verdict.kind === 'loopback-only' ? (
				<>
					<Text color={color.bad} bold>✗ Loopback only: the service accepts local connections only</Text>
					{verdict.sockets.map((socket, index) => <Text key={index}>  {socketText(socket)}</Text>)}
					<Text wrap="wrap">Bind it to 0.0.0.0 (or the interface's private address); no rule can reach 127.0.0.1.</Text>
				</>
			) : null}
			{verdict.kind === 'listening' ? (
				<>
					<Text color={color.good} bold>✓ Listening</Text>
					{verdict.sockets.map((socket, index) => <Text key={index}>  {socketText(socket)}</Text>)}
				</>
			) : null}
			{source ? <Text color={color.muted} wrap="truncate">evidence: {source}</Text> : null}
		</Box>
	);
}

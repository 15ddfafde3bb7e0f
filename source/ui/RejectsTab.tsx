// Rejects tab: the live REJECT stream for one ENI, aggregated by (source, port, protocol) with a
// rate trend, and the newest raw records under it. p pauses drawing, c clears, a adds ACCEPTs.
import {useEffect, useLayoutEffect, useRef, useState} from 'react';
import {Box, Text} from 'ink';
import {useAppActions, useAppState} from './app-context.js';
import {wizardProtocol} from './wizard-state.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {commandFor, isCommand} from './key-bindings.js';
import {listActionFor} from './list-window.js';
import {useListWindow} from './use-list-window.js';
import {useAsync} from './use-async.js';
import {useRejectStream} from './use-reject-stream.js';
import {WindowedList, windowLabel} from './WindowedList.js';
import {TableHeader, TableRow} from './TableRow.js';
import {fitColumns, type Column} from './columns.js';
import {sparkline, type LiveAggregate, type LiveRecord} from './live-store.js';
import {modeLabel, timingLabel} from './stream-labels.js';
import {clock, plural} from './format.js';
import {protocolName} from '../core/protocols.js';
import {color, toneColor} from './theme.js';
import type {Inventory, NetworkInterface} from '../core/types.js';

const actionColor = (action: string | null | undefined) => (action === 'REJECT' ? color.bad : action === 'ACCEPT' ? color.good : color.muted);
const proto = (n: number | null | undefined) => (n === null || n === undefined ? '-' : protocolName(n));

/** "10.0.0.5:443", "[2001:db8::5]:443": an IPv6 address keeps its port readable. */
export function endpoint(address: string | null | undefined, port: number | null | undefined): string {
	const host = address ?? '-';
	return `${host.includes(':') ? `[${host}]` : host}:${port ?? '-'}`;
}

const DIRECTION_TEXT = {in: 'in', reply: 'reply', out: 'out'} as const;

const AGGREGATE_COLUMNS: Column<LiveAggregate>[] = [
	// A REJECTed reply (the ENI answering from its service port) is the NACL return-path signature.
	{id: 'dir', title: 'DIR', width: 5, priority: 9, text: (row) => DIRECTION_TEXT[row.direction], color: (row) => (row.direction === 'reply' ? color.warn : color.muted)},
	{id: 'src', title: 'PEER', width: 4, priority: 10, text: (row) => row.srcAddr ?? '-'},
	{id: 'port', title: 'PORT', width: 6, priority: 9, align: 'right', text: (row) => String(row.dstPort ?? '-')},
	{id: 'proto', title: 'PROTO', width: 5, priority: 8, text: (row) => proto(row.protocol)},
	{id: 'action', title: 'ACTION', width: 6, priority: 7, text: (row) => row.action ?? '-', color: (row) => actionColor(row.action)},
	{id: 'count', title: 'COUNT', width: 6, priority: 9, align: 'right', text: (row) => String(row.count)},
	{id: 'first', title: 'FIRST', width: 8, priority: 5, text: (row) => clock(row.firstSeen), color: () => color.muted},
	{id: 'last', title: 'LAST', width: 8, priority: 6, text: (row) => clock(row.lastSeen)},
	{id: 'trend', title: 'TREND', width: 12, priority: 4, text: (row) => sparkline(row.trend), color: (row) => actionColor(row.action)},
];

const RAW_COLUMNS: Column<LiveRecord>[] = [
	{id: 'time', title: 'END', width: 8, priority: 8, text: (row) => clock(row.record.end ?? row.record.start), color: () => color.muted},
	{id: 'src', title: 'SOURCE', width: 6, priority: 10, text: (row) => endpoint(row.record.srcAddr, row.record.srcPort)},
	{id: 'dst', title: 'DESTINATION', width: 11, priority: 9, text: (row) => endpoint(row.record.dstAddr, row.record.dstPort)},
	{id: 'proto', title: 'PROTO', width: 5, priority: 7, text: (row) => proto(row.record.protocol)},
	{id: 'action', title: 'ACTION', width: 6, priority: 9, text: (row) => row.record.action ?? row.record.logStatus ?? '-', color: (row) => actionColor(row.record.action)},
	{id: 'packets', title: 'PKTS', width: 5, priority: 4, align: 'right', text: (row) => String(row.record.packets ?? '-')},
	{id: 'bytes', title: 'BYTES', width: 7, priority: 3, align: 'right', text: (row) => String(row.record.bytes ?? '-')},
];

/** A raw record belongs to a group when it has the group's peer, service port, protocol and action. */
function inGroup(row: LiveRecord, group: LiveAggregate): boolean {
	const record = row.record;
	if (record.protocol !== group.protocol || record.action !== group.action) return false;
	const peerPort = group.direction === 'in' ? [record.srcAddr, record.dstPort] : group.direction === 'reply' ? [record.dstAddr, record.srcPort] : [record.dstAddr, record.dstPort];
	return peerPort[0] === group.srcAddr && peerPort[1] === group.dstPort;
}

export interface RejectsTabProps {
	inventory: Inventory;
	eni: NetworkInterface;
	width: number;
	height: number;
	active: boolean;
}

export function RejectsTab({inventory, eni, width, height, active}: RejectsTabProps) {
	const {services} = useAppState();
	const coverage = useAsync(() => services.flowCoverage(inventory, eni.id), [services, inventory, eni.id]);
	const covered = coverage.status === 'ready' ? coverage.value : null;
	const stream = useRejectStream(services, [eni.id], {bucketSeconds: covered?.aggregationSeconds ?? 60, ownAddresses: [...eni.privateIps, ...eni.ipv6Addresses]});
	const {snapshot} = stream;
	const bodyRows = Math.max(4, height - 3);
	const aggregateRows = Math.max(2, Math.floor((bodyRows - 2) * 0.55));
	const rawRows = Math.max(1, bodyRows - 2 - aggregateRows);
	const aggregates = stream.all ? snapshot.aggregates : snapshot.aggregates.filter((row) => row.action === 'REJECT');
	const [window, move] = useListWindow(aggregates.length, aggregateRows);
	const actions = useAppActions();
	const selected = aggregates[window.selected];
	// The selection follows its group when the live list re-sorts (counts change every few seconds).
	const selectedKey = useRef<string | null>(null);
	useLayoutEffect(() => {
		const key = selectedKey.current;
		if (key === null) return;
		const index = aggregates.findIndex((row) => row.key === key);
		if (index >= 0 && index !== window.selected) move({type: 'select', index});
	});
	useEffect(() => {
		selectedKey.current = selected?.key ?? null;
	}, [selected?.key]);
	// enter on a group: its own raw records below; esc goes back to all of them.
	const [opened, setOpened] = useState<LiveAggregate | null>(null);
	const rawShown = opened ? snapshot.records.filter((row) => inGroup(row, opened)) : snapshot.records;

	useKeyHandler(PRIORITY.tab, (name) => {
		if (isCommand('app.wizard', name) && selected) {
			// The wizard on this interface, filled in from the row: its port, protocol and peer.
			const protocol = wizardProtocol(selected.protocol);
			const prefill = protocol ? {port: selected.dstPort, protocol, client: selected.srcAddr && selected.direction !== 'out' ? selected.srcAddr : null} : null;
			actions.navigate({type: 'push', view: {kind: 'wizard', target: eni.instanceId ?? eni.id, prefill}});
			return true;
		}
		if (isCommand('list.open', name) && selected) {
			setOpened(selected);
			return true;
		}
		if (isCommand('app.back', name) && opened) {
			setOpened(null);
			return true;
		}
		return false;
	}, active);

	useKeyHandler(PRIORITY.screen, (name) => {
		const command = commandFor(name, ['rejects', 'list']);
		if (command === 'rejects.pause') stream.setPaused(!stream.paused);
		else if (command === 'rejects.clear') stream.clear();
		else if (command === 'rejects.accepts') stream.setAll(!stream.all);
		else {
			const action = listActionFor(command);
			if (!action) return false;
			move(action);
		}
		return true;
	}, active);

	const mode = modeLabel(snapshot.status);
	const aggregateColumns = fitColumns(AGGREGATE_COLUMNS.filter((column) => stream.all || column.id !== 'action'), width - 2, aggregates);
	const rawColumns = fitColumns(RAW_COLUMNS, width - 4, rawShown.slice(0, Math.max(0, rawRows - 1)));
	const {totals} = snapshot;
	return (
		<Box flexDirection="column" height={height}>
			<Box height={1}>
				<Text color={toneColor(mode.tone)} wrap="truncate">{mode.text}</Text>
				{stream.paused ? <Text color={color.warn} bold>  ❚❚ PAUSED (p resumes; records keep arriving)</Text> : null}
				<Box flexGrow={1} />
				<Text color={color.muted}>{stream.all ? 'REJECT + ACCEPT' : 'REJECT only'}</Text>
			</Box>
			<Box height={1}>
				<Text color={covered?.coverage.best ? color.muted : color.warn} wrap="truncate">
					{coverage.status === 'error' ? `! flow-log coverage unavailable: ${coverage.message}` : covered?.coverage.problem ? `! ${covered.coverage.problem}` : timingLabel(covered)}
				</Text>
			</Box>
			<Box height={1}>
				<Text wrap="truncate">
					<Text bold>{plural(totals.received, 'record')}</Text>
					<Text color={color.bad}> · {totals.rejects} REJECT</Text>
					<Text color={color.good}> · {totals.accepts} ACCEPT</Text>
					<Text color={color.muted}> · {windowLabel(window)} groups{snapshot.others.count ? ` · others: ${snapshot.others.count} in ${snapshot.others.groups} smaller groups` : ''}{totals.evicted ? ` · ${totals.evicted} older raw records dropped from view (still counted)` : ''}</Text>
					{snapshot.status.message ? <Text color={snapshot.status.state === 'error' ? color.bad : color.muted}> · {snapshot.status.message}</Text> : null}
				</Text>
			</Box>
			<TableHeader columns={aggregateColumns} />
			<Box height={aggregateRows} flexDirection="column">
				<WindowedList
					items={aggregates}
					window={window}
					rowKey={(row) => row.key}
					emptyText={snapshot.status.state === 'error' ? 'The stream failed (see above).' : 'No REJECT yet. That is not proof the traffic is allowed: records arrive after the aggregation interval and delivery delay.'}
					renderRow={(row, _index, selected) => <TableRow columns={aggregateColumns} row={row} selected={selected} />}
				/>
			</Box>
			<Text bold color={opened ? color.accent : color.muted} wrap="truncate">{'  '}{opened ? `Raw records of ${opened.srcAddr ?? '-'} → ${opened.dstPort ?? '-'}/${proto(opened.protocol)} (${rawShown.length} kept; esc: all records)` : 'Newest raw records (enter: the selected group\'s)'}</Text>
			<TableHeader columns={rawColumns} />
			<Box height={rawRows - 1} flexDirection="column" overflow="hidden">
				{rawShown.slice(0, Math.max(0, rawRows - 1)).map((row) => (
					<Box key={row.seq} height={1}>
						<Text>{'  '}</Text>
						<TableRow columns={rawColumns} row={row} />
					</Box>
				))}
			</Box>
		</Box>
	);
}

// Rejects tab: the live REJECT stream for one ENI, aggregated by (source, port, protocol) with a
// rate trend, and the newest raw records under it. p pauses drawing, c clears, a adds ACCEPTs (a
// second stream beside the REJECT one, which keeps running: nothing received is lost).
import {useMemo} from 'react';
import {Box, Text} from 'ink';
import stringWidth from 'string-width';
import {useAppActions, useAppState} from './app-context.js';
import {coversCheck} from './check-focus.js';
import {wizardProtocol} from './wizard-state.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {commandFor, isCommand} from './key-bindings.js';
import {listActionFor} from './list-window.js';
import {useListWindow} from './use-list-window.js';
import type {AsyncState} from './use-async.js';
import {useRejectView} from './use-reject-stream.js';
import type {RejectStreamEntry} from './reject-streams.js';
import {matchesFilter, useListFilter} from './use-list-filter.js';
import {FilterLine, quotedFilter} from './FilterLine.js';
import {useRemembered} from './view-memory.js';
import type {CoverageView, StreamStatus} from './services.js';
import {WindowedList, windowLabel} from './WindowedList.js';
import {TableHeader, TableRow} from './TableRow.js';
import {fitColumns, type Column} from './columns.js';
import {sparkline, TREND_BUCKETS, type LiveAggregate, type LiveRecord} from './live-store.js';
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
	{id: 'first', title: 'FIRST', width: 8, fixed: true, priority: 5, text: (row) => clock(row.firstSeen), color: () => color.muted},
	{id: 'last', title: 'LAST', width: 8, fixed: true, priority: 6, text: (row) => clock(row.lastSeen)},
	{id: 'trend', title: 'TREND', width: TREND_BUCKETS, fixed: true, priority: 4, text: (row) => sparkline(row.trend), color: (row) => actionColor(row.action)},
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

/** The ACCEPT stream's state beside "REJECT + ACCEPT" while it is not simply streaming. */
function othersNote(status: StreamStatus | null): string {
	if (!status || status.state === 'streaming' || status.state === 'done') return '';
	return status.state === 'error' ? ` (ACCEPTs: ✗ ${status.message ?? 'failed'})` : ` (ACCEPTs ${modeLabel(status).text.split(' · ')[1] ?? status.state})`;
}

const PAUSE_NOTICES = ['  ❚❚ PAUSED (p resumes; records keep arriving)', '  ❚❚ PAUSED (p resumes)', '  ❚❚ PAUSED'];

/** The longest pause notice that leaves the stream's mode whole in `room` columns, else the shortest. */
export function pauseNotice(room: number): string {
	return PAUSE_NOTICES.find((notice) => stringWidth(notice) <= room) ?? PAUSE_NOTICES.at(-1)!;
}

export interface RejectsTabProps {
	inventory: Inventory;
	eni: NetworkInterface;
	/** The interface's stream (reject-streams.ts), above this tab: c and a keep their meaning across tab and screen switches. */
	entry: RejectStreamEntry | null;
	coverage: AsyncState<CoverageView>;
	width: number;
	height: number;
	active: boolean;
}

/** A group's texts for `/`: peer, port, protocol, action and direction. */
function aggregateTexts(row: LiveAggregate): string[] {
	return [row.srcAddr ?? '', String(row.dstPort ?? ''), proto(row.protocol), row.action ?? '', DIRECTION_TEXT[row.direction]];
}

function recordTexts(row: LiveRecord): string[] {
	const record = row.record;
	return [endpoint(record.srcAddr, record.srcPort), endpoint(record.dstAddr, record.dstPort), proto(record.protocol), record.action ?? ''];
}

export function RejectsTab({eni, entry, coverage, width, height, active}: RejectsTabProps) {
	const memory = `eni:${eni.id}:rejects`;
	const stream = useRejectView(entry, {memory});
	const {checkFocus} = useAppState();
	const focus = checkFocus?.eniId === eni.id ? checkFocus : null;
	const marked = (row: LiveAggregate) => focus !== null && row.dstPort !== null && coversCheck(focus, row.protocol, row.dstPort, row.dstPort);
	const covered = coverage.status === 'ready' ? coverage.value : null;
	const {snapshot} = stream;
	const filter = useListFilter(memory, active);
	const filterLine = filter.editing || filter.text ? 1 : 0;
	const bodyRows = Math.max(4, height - 3 - filterLine);
	const aggregateRows = Math.max(2, Math.floor((bodyRows - 2) * 0.55));
	const rawRows = Math.max(1, bodyRows - 2 - aggregateRows);
	// Everything derived from the store (up to 1,000 groups, 2,000 raw records) is worked out once
	// per snapshot, not on every render: a key press during a flood redraws without re-filtering or
	// re-measuring the whole store (bench/flood.mjs measures key → frame).
	const kept = useMemo(() => (stream.all ? snapshot.aggregates : snapshot.aggregates.filter((row) => row.action === 'REJECT')), [snapshot.aggregates, stream.all]);
	const aggregates = useMemo(() => (filter.text ? kept.filter((row) => matchesFilter(filter.text, aggregateTexts(row))) : kept), [kept, filter.text]);
	const keys = useMemo(() => aggregates.map((row) => row.key), [aggregates]);
	// The selection is a group, by key: it stays on its group while the counts re-sort the list.
	const [window, move] = useListWindow(aggregates.length, aggregateRows, {keys, memory});
	const actions = useAppActions();
	const selected = aggregates[window.selected];
	// enter on a group: its own raw records below; esc goes back to all of them.
	const [openedKey, setOpenedKey] = useRemembered<string | null>(`${memory}:opened`, null);
	const opened = useMemo(() => (openedKey === null ? null : snapshot.aggregates.find((row) => row.key === openedKey) ?? null), [snapshot.aggregates, openedKey]);
	const rawShown = useMemo(() => {
		const rawAll = opened ? snapshot.records.filter((row) => inGroup(row, opened)) : snapshot.records;
		return filter.text && !opened ? rawAll.filter((row) => matchesFilter(filter.text, recordTexts(row))) : rawAll;
	}, [snapshot.records, opened, filter.text]);

	useKeyHandler(PRIORITY.tab, (name) => {
		if (isCommand('app.wizard', name) && selected) {
			// The wizard on this interface, filled in from the row: its port, protocol and peer.
			const protocol = wizardProtocol(selected.protocol);
			const prefill = protocol ? {port: selected.dstPort, protocol, client: selected.srcAddr && selected.direction !== 'out' ? selected.srcAddr : null} : null;
			actions.navigate({type: 'push', view: {kind: 'wizard', target: eni.instanceId ?? eni.id, prefill}});
			return true;
		}
		if (isCommand('list.open', name) && selected) {
			setOpenedKey(selected.key);
			return true;
		}
		if (isCommand('app.back', name) && opened) {
			setOpenedKey(null);
			return true;
		}
		if (isCommand('app.back', name) && filter.text) {
			filter.clear();
			return true;
		}
		return false;
	}, active && !filter.editing);

	useKeyHandler(PRIORITY.screen, (name) => {
		const command = commandFor(name, ['rejects', 'list']);
		if (command === 'rejects.pause') stream.setPaused(!stream.paused);
		else if (command === 'rejects.clear') {
			stream.clear();
			setOpenedKey(null);
		} else if (command === 'rejects.accepts') stream.setAll(!stream.all);
		else if (command === 'list.filter') filter.open();
		else {
			const action = listActionFor(command);
			if (!action) return false;
			move(action);
		}
		return true;
	}, active);

	const mode = modeLabel(snapshot.status);
	const label = stream.all ? `REJECT + ACCEPT${othersNote(snapshot.othersStatus)}` : 'REJECT only';
	const paused = stream.paused ? pauseNotice(width - stringWidth(mode.text) - stringWidth(label) - 1) : null;
	const aggregateColumns = useMemo(() => fitColumns(AGGREGATE_COLUMNS.filter((column) => stream.all || column.id !== 'action'), width - 2, aggregates), [stream.all, width, aggregates]);
	const rawVisible = useMemo(() => rawShown.slice(0, Math.max(0, rawRows - 1)), [rawShown, rawRows]);
	const rawColumns = useMemo(() => fitColumns(RAW_COLUMNS, width - 4, rawVisible), [width, rawVisible]);
	const {totals} = snapshot;
	return (
		<Box flexDirection="column" height={height}>
			<Box height={1} width={width}>
				{/* The label and the pause notice never shrink (ink drew them over each other at 80 columns); the mode gives way. */}
				<Box flexShrink={1}>
					<Text color={toneColor(mode.tone)} wrap="truncate-end">{mode.text}</Text>
				</Box>
				{paused ? <Box flexShrink={0}><Text color={color.warn} bold>{paused}</Text></Box> : null}
				<Box flexGrow={1} minWidth={1} />
				<Box flexShrink={0}>
					<Text color={snapshot.othersStatus?.state === 'error' ? color.bad : color.muted}>{label}</Text>
				</Box>
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
					<Text color={color.muted}> · {window.count ? `${windowLabel(window)} groups` : 'no groups'}{filter.text ? ` (filtered from ${kept.length})` : ''}{snapshot.others.count ? ` · others: ${snapshot.others.count} in ${snapshot.others.groups} smaller groups` : ''}{totals.evicted ? ` · ${totals.evicted} older raw records dropped from view (still counted)` : ''}</Text>
					{snapshot.status.message ? <Text color={snapshot.status.state === 'error' ? color.bad : color.muted}> · {snapshot.status.message}</Text> : null}
				</Text>
			</Box>
			<TableHeader columns={aggregateColumns} />
			<Box height={aggregateRows} flexDirection="column">
				<WindowedList
					items={aggregates}
					window={window}
					rowKey={(row) => row.key}
					marked={marked}
					emptyText={snapshot.status.state === 'error' ? 'The stream failed (see above).' : filter.text && kept.length ? `No group matches ${quotedFilter(filter.text)} (esc clears the filter).` : 'No REJECT yet. That is not proof the traffic is allowed: records arrive after the aggregation interval and delivery delay.'}
					renderRow={(row, _index, selected) => <TableRow columns={aggregateColumns} row={row} selected={selected} />}
				/>
			</Box>
			<Text bold color={opened ? color.accent : color.muted} wrap="truncate">{'  '}{opened ? `Raw records of ${opened.srcAddr ?? '-'} → ${opened.dstPort ?? '-'}/${proto(opened.protocol)} (${rawShown.length} kept; esc: all records)` : 'Newest raw records (enter: the selected group\'s)'}</Text>
			<TableHeader columns={rawColumns} />
			<Box height={rawRows - 1} flexDirection="column" overflow="hidden">
				{rawVisible.map((row) => (
					<Box key={row.seq} height={1}>
						<Text>{'  '}</Text>
						<TableRow columns={rawColumns} row={row} />
					</Box>
				))}
			</Box>
			{filterLine ? <FilterLine text={filter.text} editing={filter.editing} /> : null}
		</Box>
	);
}

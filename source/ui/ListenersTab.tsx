// Listeners tab: what the host really listens on (SSH or Systems Manager probe, or saved capture) against the rules.
import {useEffect, useMemo} from 'react';
import {Box, Text} from 'ink';
import {useAppActions, useAppState} from './app-context.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {commandFor, isCommand} from './key-bindings.js';
import {listActionFor} from './list-window.js';
import {useListWindow} from './use-list-window.js';
import {WindowedList, windowLabel} from './WindowedList.js';
import {TableHeader, TableRow} from './TableRow.js';
import {fitColumns, type Column} from './columns.js';
import {listenerMatrix, unusedRules, type MatrixRow, type UnusedRule} from './listener-matrix.js';
import {color, toneColor, toneSymbol} from './theme.js';
import {plural, truncateWords, wrappedRows} from './format.js';
import {matchesFilter, useListFilter} from './use-list-filter.js';
import {FilterLine, quotedFilter} from './FilterLine.js';
import type {Inventory, NetworkInterface} from '../core/types.js';

const COLUMNS: Column<MatrixRow>[] = [
	{id: 'proto', title: 'PROTO', width: 5, priority: 9, text: (row) => row.protocol},
	// Never cut: "[fe80::83f:5cff:fe9…" hid which address; the process name shrinks instead.
	{id: 'endpoint', title: 'LISTENING ON', width: 12, priority: 10, text: (row) => row.endpoint, color: (row) => (row.exposure === 'loopback' ? color.warn : undefined)},
	{id: 'process', title: 'PROCESS', width: 6, cut: 'shrink', max: 24, priority: 6, text: (row) => row.process, short: (row) => row.process.replace(/\/\d+$/, ''), color: () => color.muted},
	// A list of CIDRs loses whole items ("10.20.0.0/1…" read as a /1).
	{id: 'sg', title: 'SG ALLOWS FROM', width: 14, cut: 'list', priority: 8, text: (row) => row.sg, color: (row) => (row.sg === 'no rule' ? color.muted : undefined)},
	{id: 'nacl', title: 'NACL INBOUND', width: 12, cut: 'list', max: 40, priority: 5, text: (row) => row.nacl, color: () => color.muted},
	{id: 'verdict', title: 'VERDICT', width: 16, cut: 'shrink', grow: true, priority: 7, text: (row) => `${toneSymbol(row.tone)} ${row.verdict}`, color: (row) => toneColor(row.tone)},
];

type Line = {kind: 'socket'; row: MatrixRow} | {kind: 'heading'; text: string} | {kind: 'unused'; rule: UnusedRule};

export interface ListenersTabProps {
	inventory: Inventory;
	eni: NetworkInterface;
	width: number;
	height: number;
	active: boolean;
}

export function ListenersTab({inventory, eni, width, height, active}: ListenersTabProps) {
	const {data, services, checkFocus} = useAppState();
	const focus = checkFocus?.eniId === eni.id ? checkFocus : null;
	const marked = (line: Line) => focus !== null && line.kind === 'socket' && line.row.port === focus.port && line.row.protocol.startsWith(focus.protocol);
	const actions = useAppActions();
	const instanceId = eni.instanceId;
	const host = instanceId ? data.hosts[instanceId] : undefined;
	useEffect(() => {
		if (instanceId) actions.probe(instanceId);
	}, [instanceId, actions]);

	const memory = `eni:${eni.id}:listeners`;
	const filter = useListFilter(memory, active);
	const lines = useMemo<Line[]>(() => {
		if (host?.status !== 'ready') return [];
		const matrix = listenerMatrix(inventory, eni, host.capture).filter((row) => matchesFilter(filter.text, [row.protocol, row.endpoint, row.process, row.sg, row.nacl, row.verdict]));
		const unused = unusedRules(inventory, eni, host.capture.listeners).filter((rule) => matchesFilter(filter.text, [rule.text, rule.peer]));
		return [
			...matrix.map((row): Line => ({kind: 'socket', row})),
			...(unused.length ? [{kind: 'heading', text: `Open in the groups but nothing listens (${plural(unused.length, 'rule')}): close them`} as Line] : []),
			...unused.map((rule): Line => ({kind: 'unused', rule})),
		];
	}, [host, inventory, eni, filter.text]);
	const filterLine = filter.editing || filter.text ? 1 : 0;
	const lineKey = (line: Line, index: number) => (line.kind === 'socket' ? line.row.key : line.kind === 'unused' ? line.rule.key : `h${index}`);
	// The host layer's answer for the first socket a rule opens but nothing outside can reach: the
	// same summary and fix the wizard's verdict and the audit give. It may take two lines.
	const problems = lines.flatMap((line) => (line.kind === 'socket' && line.row.problem ? [line.row.problem] : []));
	const banner = problems[0] ? `✗ ${problems[0].summary} ${problems[0].fix}${problems.length > 1 ? ` (${plural(problems.length - 1, 'more socket')} alike)` : ''}` : '';
	// Whole at 80 columns too (four lines there): the fix ends with the address to bind.
	const bannerText = `${banner ? `${banner} ` : ''}${host?.status === 'ready' ? host.notes.join(' ') : ''}`;
	const bannerHeight = problems.length ? Math.min(4, Math.max(1, wrappedRows(bannerText, width))) : 1;
	// The selected socket's verdict, groups and NACL entries on a line under the list: at 80
	// columns the verdict cell is cut ("closed by the…") and the NACL column is gone.
	const detailLine = 1;
	const listHeight = Math.max(1, height - 2 - bannerHeight - filterLine - detailLine);
	const [window, move] = useListWindow(lines.length, listHeight, {keys: lines.map(lineKey), memory});
	const current = lines[window.selected];
	useKeyHandler(PRIORITY.tab, (name) => {
		const line = lines[window.selected];
		if (!isCommand('app.wizard', name) || line?.kind !== 'socket') return false;
		const prefill = {port: line.row.port, protocol: line.row.protocol.startsWith('udp') ? 'udp' as const : 'tcp' as const, client: null};
		actions.navigate({type: 'push', view: {kind: 'wizard', target: eni.instanceId ?? eni.id, prefill}});
		return true;
	}, active && !filter.editing);
	useKeyHandler(PRIORITY.tab, (name) => {
		// esc clears a kept filter before it leaves the interface.
		if (!isCommand('app.back', name) || !filter.text) return false;
		filter.clear();
		return true;
	}, active && !filter.editing);
	useKeyHandler(PRIORITY.screen, (name) => {
		const command = commandFor(name, ['list', 'global']);
		if (command === 'list.filter') {
			filter.open();
			return true;
		}
		if (command === 'app.refresh' && instanceId) {
			actions.probe(instanceId, true);
			return true;
		}
		const action = listActionFor(command);
		if (!action) return false;
		move(action);
		return true;
	}, active);

	if (!instanceId) return <Text color={color.muted}>This interface is not attached to an instance: there is no host to probe.</Text>;
	if (!host || host.status === 'probing') {
		return <Text color={color.muted}>⠿ Probing {instanceId} for listening sockets ({services.mode.kind === 'snapshot' ? 'reading the snapshot' : 'over SSH, or Systems Manager Run Command where SSH is not set up'})…</Text>;
	}
	if (host.status === 'error' && services.mode.probeOff) {
		return (
			<Box flexDirection="column" borderStyle="round" borderColor={color.muted} paddingX={1} width={width}>
				<Text bold>Probing is off: no listener evidence for {instanceId}</Text>
				<Text wrap="wrap">{services.mode.probeOff}</Text>
			</Box>
		);
	}
	if (host.status === 'error') {
		return (
			<Box flexDirection="column" borderStyle="round" borderColor={color.warn} paddingX={1} width={width}>
				<Text color={color.warn} bold>! No listener evidence for {instanceId}</Text>
				<Text wrap="wrap">{host.message}</Text>
				<Text color={color.muted} wrap="wrap">Without it sgtui cannot tell "not listening" from "blocked". Enable SSH or Systems Manager access as the message says and press R, or capture `ss -ltnup` (Linux) or `netstat -nao` (Windows) on the host.</Text>
			</Box>
		);
	}
	const columns = fitColumns(COLUMNS, width - 2, lines.flatMap((line) => (line.kind === 'socket' ? [line.row] : [])));
	const capture = host.capture;
	const source = capture.source.startsWith(`${process.cwd()}/`) ? capture.source.slice(process.cwd().length + 1) : capture.source;
	return (
		<Box flexDirection="column" height={height}>
			<Box height={1}>
				{/* Skipped lines before the source: at 80 columns the source's end (its command) is what goes, between words. */}
				<Text color={color.muted} wrap="truncate">{truncateWords(`${windowLabel(window)}${capture.skipped.length ? ` · ${plural(capture.skipped.length, 'line')} skipped` : ''} · ${capture.format} from ${source}`, width)}</Text>
			</Box>
			<Box height={bannerHeight} flexShrink={0} overflow="hidden">
				<Text color={problems.length ? color.bad : color.muted} wrap={problems.length ? 'wrap' : 'truncate'}>
					{bannerText}
				</Text>
			</Box>
			<TableHeader columns={columns} />
			<Box height={listHeight} flexDirection="column">
			<WindowedList
				items={lines}
				window={window}
				rowKey={lineKey}
				marked={marked}
				emptyText={filter.text ? `Nothing matches ${quotedFilter(filter.text)} (esc clears the filter).` : 'The capture lists no listening sockets.'}
				renderRow={(line, _index, selected) => {
					if (line.kind === 'socket') return <TableRow columns={columns} row={line.row} selected={selected} />;
					if (line.kind === 'heading') return <Text bold color={color.warn} wrap="truncate">{line.text}</Text>;
					return <Text wrap="truncate"><Text color={color.warn}>! </Text>{line.rule.text}<Text color={color.muted}> from {line.rule.peer}</Text></Text>;
				}}
			/>
			</Box>
			{filterLine ? <FilterLine text={filter.text} editing={filter.editing} /> : null}
			<Box height={detailLine}>
				{current?.kind === 'socket' ? (
					<Text color={toneColor(current.row.tone)} wrap="truncate">{truncateWords(`${toneSymbol(current.row.tone)} ${current.row.endpoint} ${current.row.verdict} · groups allow from ${current.row.sg} · NACL inbound ${current.row.nacl || 'none'}`, width)}</Text>
				) : null}
			</Box>
		</Box>
	);
}

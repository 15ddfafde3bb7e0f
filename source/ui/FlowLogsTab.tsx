// Flow logs tab: which flow logs cover this ENI (its own, its subnet's, its VPC's), whether sgtui
// can watch rejects through them, and every configuration warning, one sentence each.
import React from 'react';
import {Box, Text} from 'ink';
import {useAppState} from './app-context.js';
import {useAsync} from './use-async.js';
import {timingLabel} from './stream-labels.js';
import {color} from './theme.js';
import {StaticTable} from './StaticTable.js';
import type {Column} from './columns.js';
import type {FlowCoverage} from './services.js';
import type {Inventory, NetworkInterface} from '../core/types.js';

type FlowLogRow = {entry: FlowCoverage['flowLogs'][number]; best: boolean};

const FLOW_LOG_COLUMNS: Column<FlowLogRow>[] = [
	{id: 'use', title: ' ', width: 1, priority: 10, text: (row) => (row.best ? '✓' : '!')},
	{id: 'id', title: 'FLOW LOG', width: 8, priority: 10, text: (row) => row.entry.flowLog.id},
	{id: 'scope', title: 'ON', width: 4, priority: 7, text: (row) => `${row.entry.scope === 'eni' ? 'interface' : row.entry.scope} ${row.entry.flowLog.resourceId}`},
	{id: 'traffic', title: 'TRAFFIC', width: 7, priority: 8, text: (row) => row.entry.flowLog.trafficType},
	{id: 'dest', title: 'TO', width: 8, cut: 'shrink', priority: 5, text: (row) => `${row.entry.flowLog.destinationType}${row.entry.flowLog.logGroupName ? ` ${row.entry.flowLog.logGroupName}` : row.entry.flowLog.destination ? ` ${row.entry.flowLog.destination}` : ''}`},
	{id: 'interval', title: 'INTERVAL', width: 8, priority: 9, text: (row) => `${row.entry.flowLog.maxAggregationInterval} s`},
	{id: 'status', title: 'STATUS', width: 6, cut: 'shrink', priority: 6, text: (row) => `${row.entry.flowLog.status}${row.entry.flowLog.deliverLogsStatus ? ` / ${row.entry.flowLog.deliverLogsStatus}` : ''}${row.best ? ' · used for Rejects' : ''}`},
];

export interface FlowLogsTabProps {
	inventory: Inventory;
	eni: NetworkInterface;
	width: number;
	height: number;
}

export function FlowLogsTab({inventory, eni, width, height}: FlowLogsTabProps) {
	const {services, data: {loadWarnings}} = useAppState();
	const state = useAsync(() => services.flowCoverage(inventory, eni.id), [services, inventory, eni.id]);
	if (state.status === 'pending') return <Text color={color.muted}>⠿ Looking up flow logs…</Text>;
	if (state.status === 'error') return <Text color={color.bad}>✗ Flow-log coverage unavailable: {state.message}</Text>;
	const view = state.value;
	const {coverage} = view;
	const lines: React.ReactNode[] = [];
	if (!inventory.known.flowLogs) {
		const denied = loadWarnings.find((warning) => warning.startsWith('ec2:DescribeFlowLogs '));
		lines.push(<Text key="unknown" color={color.warn} wrap="wrap">! Coverage unknown: {denied ? 'permission denied (ec2:DescribeFlowLogs); grant it to this identity to see which flow logs cover this interface.' : 'the flow log configuration was not captured (describe-flow-logs).'}</Text>);
	}
	if (coverage.flowLogs.length === 0 && inventory.known.flowLogs) {
		lines.push(<Text key="none" color={color.bad} wrap="wrap">✗ {coverage.problem}</Text>);
	}
	if (coverage.flowLogs.length > 0 && !coverage.best && coverage.problem) lines.push(<Text key="problem" color={color.bad} wrap="wrap">✗ {coverage.problem}</Text>);
	// The warnings before the record formats: on a short terminal the formats are what is clipped.
	for (const entry of coverage.flowLogs) {
		for (const [index, note] of entry.notes.entries()) lines.push(<Text key={`${entry.flowLog.id}-note-${index}`} color={color.warn} wrap="wrap">! {note}</Text>);
	}
	for (const entry of coverage.flowLogs) {
		const log = entry.flowLog;
		lines.push(<Text key={`${log.id}-format`} wrap="wrap" color={color.muted}><Text bold color={undefined}>{log.id}</Text> format {log.logFormat}</Text>);
	}
	return (
		<Box flexDirection="column" height={height} width={width} overflow="hidden">
			{/* Never shrunk to the tab's height: yoga would squeeze wrapped lines into fewer rows than
			    they draw, and ink would paint them over each other. What does not fit is clipped. */}
			<Box flexDirection="column" flexShrink={0}>
				{/* Sentences and a log group name: wrapped whole, the tab has the rows. */}
				<Text color={color.muted} wrap="wrap">{timingLabel(view)}{view.streamSource ? ` · rejects read from ${view.streamSource}` : ''}</Text>
				<Text color={color.muted} wrap="wrap">Not logged by any flow log: Amazon DNS, 169.254.169.254 / .123, DHCP, Windows license activation.</Text>
				<Text> </Text>
				{coverage.flowLogs.length ? <StaticTable columns={FLOW_LOG_COLUMNS} rows={coverage.flowLogs.map((entry) => ({entry, best: coverage.best === entry}))} width={width} /> : null}
				{lines}
			</Box>
		</Box>
	);
}

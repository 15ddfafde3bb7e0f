// The first screen: every network interface with its instance, addresses, groups, flow-log
// coverage and audit marker. `/` filters as you type, enter drills into the ENI, w triages it.
import {useMemo, useState} from 'react';
import {Box, Text} from 'ink';
import {FilterLine, quotedFilter} from './FilterLine.js';
import {useAppActions, useAppState} from './app-context.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {commandFor} from './key-bindings.js';
import {FILTER_MAX, useFilterKeys} from './use-list-filter.js';
import {listActionFor} from './list-window.js';
import {useListWindow} from './use-list-window.js';
import {WindowedList, windowLabel} from './WindowedList.js';
import {TableHeader, TableRow} from './TableRow.js';
import {fitColumns, type Column} from './columns.js';
import {filterRows, inventoryRows, type InventoryRow} from './inventory-rows.js';
import {auditMarks, severityTone} from './audit-marks.js';
import {color, toneColor, toneSymbol} from './theme.js';
import {plural} from './format.js';
import {findingLines} from './finding-lines.js';
import type {View} from './navigation.js';

const SEVERITY_RANK = {high: 0, medium: 1, low: 2} as const;

const COLUMNS: Column<InventoryRow>[] = [
	// Names shrink first; ids and addresses are never cut (the column goes whole if it must).
	{id: 'name', title: 'NAME', width: 8, cut: 'shrink', priority: 10, text: (row) => row.name},
	{id: 'instance', title: 'INSTANCE', width: 10, priority: 4, text: (row) => row.instanceId ?? '-', color: () => color.muted},
	{id: 'eni', title: 'ENI', width: 12, priority: 9, text: (row) => row.eniId},
	{id: 'private', title: 'PRIVATE IP', width: 7, priority: 8, text: (row) => row.privateIp},
	{id: 'public', title: 'PUBLIC IP', width: 7, priority: 5, text: (row) => row.publicIp, color: (row) => (row.publicIp === '-' ? color.muted : undefined)},
	{id: 'groups', title: 'SECURITY GROUPS', width: 12, cut: 'list', grow: true, priority: 6, text: (row) => row.groups},
	{id: 'flow', title: 'FLOW LOG', width: 8, priority: 7, text: (row) => row.flow.text, color: (row) => toneColor(row.flow.tone)},
	{id: 'audit', title: 'AUDIT', width: 5, priority: 8, text: (row) => (row.audit ? `! ${row.audit.count}` : '·'), color: (row) => (row.audit ? toneColor(row.audit.tone) : color.muted)},
];

export interface InventoryScreenProps {
	view: Extract<View, {kind: 'inventory'}>;
	width: number;
	height: number;
	active: boolean;
}

export function InventoryScreen({view, width, height, active}: InventoryScreenProps) {
	const {data, nav} = useAppState();
	const actions = useAppActions();
	const [editing, setEditing] = useState(false);
	const inventory = data.inventory.status === 'ready' ? data.inventory.inventory : null;
	const rows = useMemo(() => (inventory ? inventoryRows(inventory, auditMarks(inventory, data.findings)) : []), [inventory, data.findings]);
	const shown = useMemo(() => filterRows(rows, view.filter), [rows, view.filter]);
	const filterLine = editing || view.filter ? 1 : 0;
	const available = Math.max(1, height - 2 - filterLine);
	// The findings fill the room a short inventory leaves: the first screen says what is wrong.
	const findings = useMemo(() => data.findings.filter((finding) => finding.kind !== 'evidence-missing').sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]), [data.findings]);
	// An empty list still takes its row (the "nothing matches" line): at 0 it was drawn over the findings.
	const rowsShown = Math.max(1, shown.length);
	const spare = available - rowsShown - 1;
	const findingRows = findings.length && spare >= 4 ? Math.min(findings.length, spare - 2) : 0;
	const listHeight = findingRows ? rowsShown : available;
	// Under the title and its blank line: one row each, and the rows left over let them wrap.
	const findingText = useMemo(() => findingLines(findings.map((finding) => finding.message), findingRows ? spare - 2 : 0, width - 10), [findings, findingRows, spare, width]);
	const [window, move, selectKey] = useListWindow(shown.length, listHeight, {keys: shown.map((row) => row.eniId), memory: 'inventory'});
	const selected = shown[window.selected];

	// The filter lives in the view (the breadcrumb shows it, :sg sets it); its keys are every list's.
	useFilterKeys(active && editing, {
		type: (text) => {
			// The first row the new filter keeps, by key: 'top' of the rows on screen picked the old
			// filter's first row, and clearing the filter then left the cursor on that one.
			const first = filterRows(rows, (view.filter + text).slice(0, FILTER_MAX))[0];
			actions.navigate({type: 'filterType', text: text.slice(0, FILTER_MAX)});
			if (first) selectKey(first.eniId);
		},
		erase: () => actions.navigate({type: 'filterErase'}),
		clear: () => {
			actions.navigate({type: 'filter', filter: ''});
			setEditing(false);
		},
		done: () => setEditing(false),
	});

	useKeyHandler(PRIORITY.screen, (name) => {
		const command = commandFor(name, ['list', 'global']);
		const listAction = listActionFor(command);
		if (listAction) move(listAction);
		else if (command === 'list.filter') setEditing(true);
		else if (name === 'esc' && view.filter && nav.stack.length === 1) actions.navigate({type: 'filter', filter: ''});
		else if (command === 'list.open' && selected) actions.navigate({type: 'push', view: {kind: 'eni', eniId: selected.eniId, tab: 'rules'}});
		else if (command === 'app.wizard' && selected) actions.navigate({type: 'push', view: {kind: 'wizard', target: selected.instanceId ?? selected.eniId}});
		else return false;
		return true;
	}, active);

	if (data.inventory.status === 'loading') {
		return <Text color={color.muted}>⠿ Loading the inventory… {data.inventory.progress}</Text>;
	}
	if (data.inventory.status === 'error') {
		return (
			<Box flexDirection="column" borderStyle="round" borderColor={color.bad} paddingX={1} width={width}>
				<Text color={color.bad} bold>✗ The inventory could not be loaded</Text>
				<Text wrap="wrap">{data.inventory.message}</Text>
				<Text color={color.muted}>R retries · q quits · sgtui --demo opens the bundled demo</Text>
			</Box>
		);
	}

	const columns = fitColumns(COLUMNS, width - 2, shown);
	const flagged = rows.filter((row) => row.audit).length;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Box height={1}>
				{/* The title and count never shrink (ink would cut them mid-word); the audit hint gives way. */}
				<Box flexShrink={0}>
					<Text bold>Network interfaces </Text>
					<Text color={color.muted}>{windowLabel(window)}{view.filter ? ` (filtered from ${rows.length})` : ''}</Text>
				</Box>
				<Box flexGrow={1} flexShrink={1} justifyContent="flex-end" marginLeft={1}>
					<Text wrap="truncate-end" color={flagged ? color.warn : color.muted}>{flagged ? `${plural(flagged, 'interface')} with audit findings · :audit` : 'no audit findings'}</Text>
				</Box>
			</Box>
			<TableHeader columns={columns} />
			<Box height={listHeight} flexDirection="column">
				<WindowedList
					items={shown}
					window={window}
					rowKey={(row) => row.eniId}
					emptyText={view.filter ? `Nothing matches ${quotedFilter(view.filter)} (esc clears the filter).` : 'No network interfaces in the inventory.'}
					renderRow={(row, _index, isSelected) => <TableRow columns={columns} row={row} selected={isSelected} />}
				/>
			</Box>
			{findingRows ? (
				<Box flexDirection="column" marginTop={1}>
					<Text bold>Audit findings <Text color={color.muted}>{findings.length > findingRows ? `${findingRows} of ${findings.length} · ` : ''}:audit lists them all</Text></Text>
					{findingText.map((lines, index) => {
						const tone = severityTone(findings[index]!.severity);
						return lines.map((line, row) => (
							<Text key={`${index}-${row}`} wrap="truncate">
								{row === 0 ? <Text color={toneColor(tone)}>{toneSymbol(tone)} {findings[index]!.severity.padEnd(7)}</Text> : ' '.repeat(10)}
								<Text>{line}</Text>
							</Text>
						));
					})}
				</Box>
			) : null}
			{filterLine ? <FilterLine text={view.filter} editing={editing} /> : null}
		</Box>
	);
}

// Wizard step 1: which instance or interface. Type to filter, enter to choose.
import {useMemo, useState} from 'react';
import {Box, Text} from 'ink';
import {InputCursor} from './InputCursor.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {useListWindow} from './use-list-window.js';
import {WindowedList} from './WindowedList.js';
import {filterRows, inventoryRows} from './inventory-rows.js';
import {fit} from './format.js';
import {color} from './theme.js';
import type {Inventory} from '../core/types.js';

export interface TargetStepProps {
	inventory: Inventory;
	width: number;
	height: number;
	active: boolean;
	onChoose: (target: string) => void;
}

export function TargetStep({inventory, width, height, active, onChoose}: TargetStepProps) {
	const [filter, setFilter] = useState('');
	const rows = useMemo(() => filterRows(inventoryRows(inventory), filter), [inventory, filter]);
	const [window, move] = useListWindow(rows.length, Math.max(1, height - 4));
	useKeyHandler(PRIORITY.input, (name, input, key) => {
		if (name === 'up' || name === 'down' || name === 'pageup' || name === 'pagedown') move({type: name === 'up' ? 'up' : name === 'down' ? 'down' : name === 'pageup' ? 'pageUp' : 'pageDown'});
		else if (name === 'enter') {
			const row = rows[window.selected];
			if (row) onChoose(row.instanceId ?? row.eniId);
		} else if (name === 'backspace') setFilter((value) => value.slice(0, -1));
		else if (name === 'paste') setFilter((value) => (value + input.trim()).slice(0, 64));
		else if (input && !key.ctrl && !key.meta && !key.escape && !key.tab && input.length === 1) setFilter((value) => (value + input).slice(0, 64));
		else return false;
		return true;
	}, active);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold>Which instance or interface cannot be reached?</Text>
			<Text><Text color={color.muted}>type to filter: </Text>{filter}<InputCursor /></Text>
			<Text> </Text>
			<WindowedList
				items={rows}
				window={window}
				rowKey={(row) => row.eniId}
				emptyText={`Nothing matches "${filter}".`}
				renderRow={(row, _index, selected) => (
					<Text bold={selected} wrap="truncate">
						{fit(row.name, 16)} {fit(row.instanceId ?? '-', 20)}<Text color={color.muted}>{fit(row.eniId, 22)}{row.privateIp}</Text>
					</Text>
				)}
			/>
		</Box>
	);
}

// One network interface: a summary header, then tabs for its rules, its host's listeners, its
// live rejects and its flow-log coverage. tab / [ ] / 1–4 switch tabs, w opens the wizard on it.
import React from 'react';
import {Box, Text} from 'ink';
import {useAppActions, useAppState} from './app-context.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {commandFor} from './key-bindings.js';
import {ENI_TABS, ENI_TAB_TITLES, type View} from './navigation.js';
import {findNetworkAcl} from '../core/nacl-evaluator.js';
import {flowCell, groupName, instanceOf} from './inventory-rows.js';
import {findingsForEni} from './audit-marks.js';
import {RulesTab} from './RulesTab.js';
import {ListenersTab} from './ListenersTab.js';
import {RejectsTab} from './RejectsTab.js';
import {FlowLogsTab} from './FlowLogsTab.js';
import {color, toneColor} from './theme.js';

export interface EniScreenProps {
	view: Extract<View, {kind: 'eni'}>;
	width: number;
	height: number;
	active: boolean;
}

const TAB_KEYS: Record<string, number> = {'eni.tab1': 0, 'eni.tab2': 1, 'eni.tab3': 2, 'eni.tab4': 3};

export function EniScreen({view, width, height, active}: EniScreenProps) {
	const {data} = useAppState();
	const actions = useAppActions();
	const inventory = data.inventory.status === 'ready' ? data.inventory.inventory : null;
	const eni = inventory?.networkInterfaces.find((candidate) => candidate.id === view.eniId) ?? null;

	useKeyHandler(PRIORITY.screen, (name) => {
		const command = commandFor(name, ['eni', 'global']);
		if (command === 'eni.nextTab') actions.navigate({type: 'cycleTab', delta: 1});
		else if (command === 'eni.prevTab') actions.navigate({type: 'cycleTab', delta: -1});
		else if (command && command in TAB_KEYS) actions.navigate({type: 'tab', tab: ENI_TABS[TAB_KEYS[command]!]!});
		else if (command === 'app.wizard' && eni) actions.navigate({type: 'push', view: {kind: 'wizard', target: eni.instanceId ?? eni.id}});
		else return false;
		return true;
	}, active);

	if (!inventory) return <Text color={color.muted}>⠿ Loading the inventory…</Text>;
	if (!eni) return <Text color={color.bad}>✗ {view.eniId} is not in the inventory (it may have been deleted; R reloads).</Text>;

	const instance = instanceOf(inventory, eni);
	const acl = inventory.known.networkAcls ? findNetworkAcl(inventory, eni.subnetId, eni.vpcId) : null;
	const flow = flowCell(inventory, eni);
	const findings = findingsForEni(inventory, data.findings, eni.id);
	const bodyHeight = height - 5;
	const tabProps = {inventory, eni, width, height: bodyHeight};
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate">
				<Text bold color={color.title}>{instance?.name ?? eni.tags.Name ?? (eni.description || eni.id)}</Text>
				<Text>  {eni.id}</Text>
				<Text color={color.muted}>  {instance ? `${instance.id} · ${instance.state} · ${instance.platform}` : `${eni.interfaceType} · ${eni.status}`}</Text>
				{findings.length ? <Text color={color.warn}>  ! {findings.length} audit finding{findings.length === 1 ? '' : 's'}</Text> : null}
			</Text>
			<Text wrap="truncate" color={color.muted}>
				private <Text color={undefined}>{eni.privateIps.join(', ') || '-'}</Text> · public <Text color={undefined}>{eni.publicIp ?? '-'}</Text> · {eni.subnetId} · {eni.vpcId}
			</Text>
			<Text wrap="truncate" color={color.muted}>
				groups <Text color={undefined}>{eni.groupIds.map((id) => `${id} (${groupName(inventory, id)})`).join(', ') || 'none'}</Text> · NACL {acl?.acl.id ?? 'unknown'} · flow log <Text color={toneColor(flow.tone)}>{flow.text}</Text>
			</Text>
			<Box height={1} marginTop={1}>
				{ENI_TABS.map((tab, index) => (
					<Text key={tab}>
						{tab === view.tab
							? <Text bold color="black" backgroundColor={color.accent}>{`[${index + 1} ${ENI_TAB_TITLES[tab]}]`}</Text>
							: <Text color={color.muted}>{` ${index + 1} ${ENI_TAB_TITLES[tab]} `}</Text>}
						<Text> </Text>
					</Text>
				))}
			</Box>
			<Box height={bodyHeight} flexDirection="column" overflow="hidden">
				{view.tab === 'rules' ? <RulesTab {...tabProps} findings={findings} active={active} /> : null}
				{view.tab === 'listeners' ? <ListenersTab {...tabProps} active={active} /> : null}
				{view.tab === 'rejects' ? <RejectsTab {...tabProps} active={active} /> : null}
				{view.tab === 'flowlogs' ? <FlowLogsTab {...tabProps} /> : null}
			</Box>
		</Box>
	);
}

// One network interface: a summary header, then tabs for its rules, its host's listeners, its
// live rejects and its flow-log coverage. tab / [ ] / 1–4 switch tabs, w opens the wizard on it.
import {useState} from 'react';
import {Box, Text} from 'ink';
import stringWidth from 'string-width';
import {useAppActions, useAppState} from './app-context.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {commandFor} from './key-bindings.js';
import {ENI_TABS, ENI_TAB_TITLES, type View} from './navigation.js';
import {findNetworkAcl} from '../core/nacl-evaluator.js';
import {instanceStateText} from '../core/aws-mapper.js';
import {flowCell, groupName, instanceOf} from './inventory-rows.js';
import {findingsForEni} from './audit-marks.js';
import {RulesTab} from './RulesTab.js';
import {ListenersTab} from './ListenersTab.js';
import {RejectsTab} from './RejectsTab.js';
import {FlowLogsTab} from './FlowLogsTab.js';
import {useAsync} from './use-async.js';
import {FOCUS_MARK, focusLabel} from './check-focus.js';
import {useRejectEntry} from './use-reject-stream.js';
import {color, toneColor} from './theme.js';

export interface EniScreenProps {
	view: Extract<View, {kind: 'eni'}>;
	width: number;
	height: number;
	active: boolean;
}

const TAB_KEYS: Record<string, number> = {'eni.tab1': 0, 'eni.tab2': 1, 'eni.tab3': 2, 'eni.tab4': 3};

interface Segment {
	text: string;
	color?: string;
	bold?: boolean;
}

/** Facts into lines of at most `width` columns, broken between facts ("a · b · c"). */
export function packSegments(segments: readonly Segment[], width: number): Segment[][] {
	const lines: Segment[][] = [];
	let line: Segment[] = [];
	let used = 0;
	for (const segment of segments) {
		const size = stringWidth(segment.text);
		if (line.length > 0 && used + 3 + size > width) {
			lines.push(line);
			line = [];
			used = 0;
		}
		used += (line.length > 0 ? 3 : 0) + size;
		line.push(segment);
	}
	if (line.length > 0) lines.push(line);
	return lines;
}

export function EniScreen({view, width, height, active}: EniScreenProps) {
	const {data, services, checkFocus, rejectStreams} = useAppState();
	const actions = useAppActions();
	const inventory = data.inventory.status === 'ready' ? data.inventory.inventory : null;
	const eni = inventory?.networkInterfaces.find((candidate) => candidate.id === view.eniId) ?? null;
	// The reject stream starts with the first visit to the Rejects tab and then runs while this
	// interface is open, and while the user is away in the wizard (reject-streams.ts): switching
	// tabs or screens neither restarts it nor undoes c (clear) or a (ACCEPTs too).
	const [rejectsSeen, setRejectsSeen] = useState(() => view.tab === 'rejects' || rejectStreams.get(view.eniId) !== undefined);
	if (view.tab === 'rejects' && !rejectsSeen) setRejectsSeen(true);
	const coverage = useAsync(
		() => (rejectsSeen && inventory && eni ? services.flowCoverage(inventory, eni.id) : Promise.reject(new Error('the Rejects tab is not open'))),
		[services, inventory, eni?.id, rejectsSeen],
	);
	// Only the entry here, not its records: the screen (header, tabs, Rules…) does not re-render
	// with every record of a flood; the Rejects tab samples the store itself.
	const stream = useRejectEntry(rejectsSeen && eni ? eni.id : null, {
		bucketSeconds: coverage.status === 'ready' ? coverage.value.aggregationSeconds ?? 60 : 60,
		ownAddresses: eni ? [...eni.privateIps, ...eni.ipv6Addresses] : [],
	});

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
	// The facts pack into as many lines as the width needs, broken between facts, never inside an
	// address or id (at 80 columns the subnet and VPC ids used to lose their ends).
	const facts: Segment[] = [
		{text: instance?.name ?? eni.tags.Name ?? (eni.description || eni.id), bold: true, color: color.title},
		{text: eni.id},
		...(instance ? [{text: instance.id, color: color.muted}, {text: `${instanceStateText(instance)} · ${instance.platform}`, color: color.muted}] : [{text: `${eni.interfaceType} · ${eni.status}`, color: color.muted}]),
		...(findings.length ? [{text: `! ${findings.length} audit finding${findings.length === 1 ? '' : 's'}`, color: color.warn}] : []),
		{text: `private ${eni.privateIps.join(', ') || '-'}`},
		{text: `public ${eni.publicIp ?? '-'}`},
		{text: eni.subnetId, color: color.muted},
		{text: eni.vpcId, color: color.muted},
		...(eni.groupIds.length ? eni.groupIds.map((id) => ({text: `${id} (${groupName(inventory, id)})`})) : [{text: 'no security groups'}]),
		{text: `NACL ${acl?.acl.id ?? 'unknown'}`, color: color.muted},
		{text: `flow log ${flow.text}`, color: toneColor(flow.tone)},
	];
	const headerLines = packSegments(facts, width);
	const bodyHeight = height - headerLines.length - 2;
	const tabProps = {inventory, eni, width, height: bodyHeight};
	return (
		<Box flexDirection="column" width={width} height={height}>
			{headerLines.map((line, row) => (
				<Text key={row} wrap="truncate">
					{line.map((segment, index) => (
						<Text key={index}>
							{index > 0 ? <Text color={color.muted}> · </Text> : null}
							<Text bold={segment.bold} color={segment.color}>{segment.text}</Text>
						</Text>
					))}
				</Text>
			))}
			<Box height={1} marginTop={1}>
				{ENI_TABS.map((tab, index) => (
					<Text key={tab}>
						{tab === view.tab
							? <Text bold color="black" backgroundColor={color.accent}>{`[${index + 1} ${ENI_TAB_TITLES[tab]}]`}</Text>
							: <Text color={color.muted}>{` ${index + 1} ${ENI_TAB_TITLES[tab]} `}</Text>}
						<Text> </Text>
					</Text>
				))}
				{checkFocus?.eniId === view.eniId ? <Text color={color.accent} wrap="truncate">{FOCUS_MARK} wizard: {focusLabel(checkFocus)}</Text> : null}
			</Box>
			<Box height={bodyHeight} flexDirection="column" overflow="hidden">
				{view.tab === 'rules' ? <RulesTab {...tabProps} findings={findings} active={active} /> : null}
				{view.tab === 'listeners' ? <ListenersTab {...tabProps} active={active} /> : null}
				{view.tab === 'rejects' ? <RejectsTab {...tabProps} entry={stream} coverage={coverage} active={active} /> : null}
				{view.tab === 'flowlogs' ? <FlowLogsTab {...tabProps} /> : null}
			</Box>
		</Box>
	);
}

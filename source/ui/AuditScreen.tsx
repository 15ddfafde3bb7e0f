// `:audit`: every finding, worst first, with the interfaces it concerns; enter opens the first.
import {useMemo} from 'react';
import {Box, Text} from 'ink';
import {useAppActions, useAppState} from './app-context.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {commandFor, isCommand} from './key-bindings.js';
import {listActionFor} from './list-window.js';
import {useListWindow} from './use-list-window.js';
import {WindowedList, windowLabel} from './WindowedList.js';
import {findingEnis, severityTone} from './audit-marks.js';
import {color, toneColor, toneSymbol} from './theme.js';
import {fit} from './format.js';

const RANK = {high: 0, medium: 1, low: 2} as const;

export function AuditScreen({width, height, active}: {width: number; height: number; active: boolean}) {
	const {data} = useAppState();
	const actions = useAppActions();
	const inventory = data.inventory.status === 'ready' ? data.inventory.inventory : null;
	const findings = useMemo(() => [...data.findings].sort((a, b) => RANK[a.severity] - RANK[b.severity]), [data.findings]);
	const [window, move] = useListWindow(findings.length, Math.max(1, height - 3));
	const selected = findings[window.selected];
	const selectedEnis = inventory && selected ? findingEnis(inventory, selected) : [];
	useKeyHandler(PRIORITY.screen, (name) => {
		const command = commandFor(name, ['list']);
		const action = listActionFor(command);
		if (action) move(action);
		else if (command === 'list.open' && selectedEnis[0]) actions.navigate({type: 'push', view: {kind: 'eni', eniId: selectedEnis[0], tab: 'rules'}});
		else if (isCommand('app.wizard', name) && selected && selectedEnis[0] && inventory) {
			// The wizard on the finding's first interface, for the rule's port and protocol.
			const eni = inventory.networkInterfaces.find((candidate) => candidate.id === selectedEnis[0]);
			const rule = selected.rule;
			const protocol = rule ? ({tcp: 'tcp', udp: 'udp', icmp: 'icmp', icmpv6: 'icmp', '6': 'tcp', '17': 'udp'} as const)[rule.protocol as 'tcp'] ?? null : null;
			const port = rule && rule.fromPort !== null && rule.fromPort === rule.toPort && rule.fromPort >= 0 ? rule.fromPort : null;
			const prefill = protocol ? {port, protocol, client: null} : null;
			actions.navigate({type: 'push', view: {kind: 'wizard', target: eni?.instanceId ?? selectedEnis[0], prefill}});
		} else if (isCommand('app.wizard', name) && selected) actions.setBanner({tone: 'info', text: 'This finding concerns no network interface: nothing to triage (enter opens none either).'});
		else return false;
		return true;
	}, active);
	if (!inventory) return <Text color={color.muted}>⠿ Loading the inventory…</Text>;
	return (
		<Box flexDirection="column" height={height} width={width}>
			<Text><Text bold>Audit findings </Text><Text color={color.muted}>{windowLabel(window)} · risky or useless rules; enter opens the interface</Text></Text>
			<Box height={height - 3} flexDirection="column">
				<WindowedList
					items={findings}
					window={window}
					rowKey={(_finding, index) => String(index)}
					emptyText="No findings: no world-open admin ports, all-traffic rules, unused or unattached rules found."
					renderRow={(finding) => {
						const tone = severityTone(finding.severity);
						return (
							<Text wrap="truncate">
								<Text color={toneColor(tone)}>{toneSymbol(tone)} {fit(finding.severity, 7)}</Text>
								<Text color={color.muted}>{fit(finding.kind, 22)}</Text>
								<Text>{finding.message}</Text>
							</Text>
						);
					}}
				/>
			</Box>
			<Text color={color.muted} wrap="truncate">{selected ? `interfaces: ${selectedEnis.join(', ') || 'none'}` : ''}</Text>
			<Text color={color.accent} wrap="truncate">{selected?.fix?.command ? `fix: ${selected.fix.command.split('\n')[0]}` : selected?.fix ? `fix: ${selected.fix.summary}` : ''}</Text>
		</Box>
	);
}

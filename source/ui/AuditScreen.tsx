// `:audit`: every finding, worst first, with the interfaces it concerns; enter opens the first.
// A finding's fix is shown whole in the copy view (v), copied (y) and written to a file (f), as
// the wizard's verdict is: the list row and the fix line below it only have room for a start.
// Not ink-table (issue 15): the findings are a list with a selection (enter, w, v act on the
// selected one) and grow with the account (one per risky rule, hundreds in a large one);
// ink-table renders every row with no window and no cursor, so the windowed list serves here.
import {useMemo, useState} from 'react';
import {Box, Text} from 'ink';
import {useAppActions, useAppState} from './app-context.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {commandFor, isCommand} from './key-bindings.js';
import {listActionFor} from './list-window.js';
import {useListWindow} from './use-list-window.js';
import {WindowedList, windowLabel} from './WindowedList.js';
import {findingEnis, severityTone} from './audit-marks.js';
import {color, toneColor, toneSymbol} from './theme.js';
import {fit, wrappedRows} from './format.js';
import {FixView, fixScriptLines, type FixItem} from './FixView.js';
import {copyStatus, useCopyText} from './use-copy-text.js';
import {errorLine} from '../core/display-text.js';
import type {AuditFinding} from '../core/audit.js';

/** A finding's fix, then its conditional alternative, as the copy view lays them out. */
export function findingFixItems(finding: AuditFinding | undefined): FixItem[] {
	if (!finding) return [];
	return [
		...(finding.fix ? [{summary: finding.fix.summary, command: finding.fix.command}] : []),
		...(finding.alternative ? [{summary: finding.alternative.summary, command: finding.alternative.command, conditional: true}] : []),
	];
}

const RANK = {high: 0, medium: 1, low: 2} as const;

export function AuditScreen({width, height, active}: {width: number; height: number; active: boolean}) {
	const {data, services} = useAppState();
	const copyText = useCopyText();
	const [fixView, setFixView] = useState(false);
	// Keyed by the finding it is about: moving to another finding drops the line.
	const [status, setStatus] = useState<{finding: AuditFinding; tone: 'good' | 'warn' | 'bad'; text: string} | null>(null);
	const actions = useAppActions();
	const inventory = data.inventory.status === 'ready' ? data.inventory.inventory : null;
	const findings = useMemo(() => [...data.findings].sort((a, b) => RANK[a.severity] - RANK[b.severity]), [data.findings]);
	// Under the list, the selected finding whole (its row is cut at 80 columns) in rows kept for
	// the longest one, so the list does not jump as the selection moves; the status wraps
	// ("✓ written to <path>" cut at the edge hid the file). The list gets the rest.
	const detailRows = useMemo(() => Math.min(4, Math.max(0, ...findings.map((finding) => wrappedRows(finding.message, width)))), [findings, width]);
	// Rows for the status line(s) while there is one (it goes when the selection moves).
	const statusRows = status ? Math.min(3, wrappedRows(status.text, width)) : 1;
	const listRows = Math.max(1, height - 2 - detailRows - statusRows);
	const [window, move] = useListWindow(findings.length, listRows);
	const selected = findings[window.selected];
	const selectedEnis = inventory && selected ? findingEnis(inventory, selected) : [];
	const items = findingFixItems(selected);
	const shownStatus = status && status.finding === selected ? status : null;
	const copyFix = (finding: AuditFinding) => {
		const command = finding.fix?.command;
		if (!command) {
			setStatus({finding, tone: 'warn', text: `✗ nothing to copy: this fix is not a command${finding.alternative ? ' (v shows it whole, with the alternative)' : ''}`});
			return;
		}
		copyText(command).then(
			(outcome) => setStatus({finding, ...copyStatus(outcome)}),
			(error: unknown) => setStatus({finding, tone: 'bad', text: `✗ could not copy: ${errorLine(error)}`}),
		);
	};
	const writeFix = (finding: AuditFinding) => {
		if (!services.saveFix) {
			setStatus({finding, tone: 'bad', text: '✗ this mode cannot write files'});
			return;
		}
		const script = ['#!/bin/sh', `# sgtui audit: ${finding.message}`, '# Review before running: sgtui builds commands and never runs them.', ...fixScriptLines(findingFixItems(finding), 100, true), ''].join('\n');
		const base = `sgtui-audit-${finding.kind}${finding.groupId ? `-${finding.groupId}` : ''}-fix`;
		services.saveFix({baseName: base, script}).then(
			(file) => setStatus({finding, tone: 'good', text: `✓ written to ${file}`}),
			(error: unknown) => setStatus({finding, tone: 'bad', text: `✗ could not write the fix: ${errorLine(error)}`}),
		);
	};
	useKeyHandler(PRIORITY.screen, (name) => {
		const own = commandFor(name, ['audit']);
		if (own && selected && items.length) {
			if (own === 'audit.viewFix') setFixView((open) => !open);
			else if (own === 'audit.copy') copyFix(selected);
			else writeFix(selected);
			return true;
		}
		if (fixView) return false;
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
	if (fixView && items.length) {
		return <FixView items={items} status={shownStatus} width={width} height={height} active={active} onClose={() => setFixView(false)} keys={{copy: 'audit.copy', write: 'audit.writeFix'}} backLabel="back to the findings" />;
	}
	return (
		<Box flexDirection="column" height={height} width={width}>
			<Text><Text bold>Audit findings </Text><Text color={color.muted}>{windowLabel(window)} · risky or useless rules; enter opens the interface</Text></Text>
			<Box height={listRows} flexDirection="column">
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
			{detailRows ? (
				<Box height={detailRows} overflow="hidden">
					<Text wrap="wrap">{selected?.message ?? ''}</Text>
				</Box>
			) : null}
			<Text color={color.muted} wrap="truncate">{selected ? `interfaces: ${selectedEnis.join(', ') || 'none'}` : ''}</Text>
			{shownStatus ? (
				<Box height={statusRows} overflow="hidden">
					<Text color={color[shownStatus.tone]} wrap="wrap">{shownStatus.text}</Text>
				</Box>
			) : (
				<Text color={color.accent} wrap="truncate">{selected?.fix?.command ? `fix: ${selected.fix.command.split('\n')[0]}` : selected?.fix ? `fix: ${selected.fix.summary}` : ''}</Text>
			)}
		</Box>
	);
}

// Rules tab: the ENI's security groups, subnet NACL and route table, one windowed list, audit
// findings and the route that decides internet traffic marked.
import {useMemo} from 'react';
import {Box, Text} from 'ink';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {commandFor, isCommand} from './key-bindings.js';
import {listActionFor} from './list-window.js';
import {useListWindow} from './use-list-window.js';
import {WindowedList, windowLabel} from './WindowedList.js';
import {ruleRows, type RuleRow} from './rule-rows.js';
import {matchesFilter, useListFilter} from './use-list-filter.js';
import {FilterLine, quotedFilter} from './FilterLine.js';
import {useAppState} from './app-context.js';
import {coversCheck} from './check-focus.js';
import stringWidth from 'string-width';
import {fit, fitWords, truncateWords} from './format.js';
import {color, toneColor, toneSymbol} from './theme.js';
import type {Inventory, NetworkInterface} from '../core/types.js';
import type {AuditFinding} from './services.js';

export interface RulesTabProps {
	inventory: Inventory;
	eni: NetworkInterface;
	findings: readonly AuditFinding[];
	width: number;
	height: number;
	active: boolean;
}

/** Widths from the rows' content: the rule and its peer (CIDR, group) whole, the note takes the rest. */
export function ruleWidths(rows: readonly RuleRow[], width: number): {what: number; peer: number; note: number} {
	const rules = rows.flatMap((row) => (row.kind === 'rule' ? [row] : []));
	const what = Math.max(4, ...rules.map((row) => stringWidth(row.what)));
	const fixed = 4 + 6 + 6 + what + 1;
	const peer = Math.min(Math.max(4, ...rules.map((row) => stringWidth(row.peer))), Math.max(18, width - fixed - 12));
	return {what, peer, note: Math.max(0, width - fixed - peer - 1)};
}

function RuleLine({row, widths, width}: {row: RuleRow; widths: {what: number; peer: number; note: number}; width: number}) {
	if (row.kind === 'heading') {
		// The heading's own id stays whole; its detail (a description, the subnets) gives way between words.
		const detail = row.detail ? truncateWords(row.detail, width - stringWidth(row.text) - 2) : '';
		return (
			<Text wrap="truncate">
				<Text bold color={color.accent}>{row.text}</Text>
				{detail && detail !== '…' ? <Text color={color.muted}>  {detail}</Text> : null}
			</Text>
		);
	}
	if (row.kind === 'note') return <Text color={toneColor(row.tone)} wrap="truncate">{truncateWords(row.text, width)}</Text>;
	return (
		<Text wrap="truncate">
			<Text color={color.muted}>{fit(row.direction, 4)}</Text>
			<Text color={color.muted}>{fit(row.label, 6)}</Text>
			<Text color={row.action === 'allow' ? (row.layer === 'route' ? color.muted : color.good) : color.bad}>{fit(row.layer === 'sg' ? 'allow' : row.layer === 'route' ? (row.action === 'deny' ? 'drop' : 'route') : row.action, 6)}</Text>
			<Text>{fit(row.what, widths.what)} </Text>
			<Text>{fitWords(row.peer, widths.peer)} </Text>
			<Text color={row.tone ? toneColor(row.tone) : color.muted}>{fitWords(`${row.tone ? `${toneSymbol(row.tone)} ` : ''}${row.note}`, widths.note)}</Text>
		</Text>
	);
}

/** The rules whose text matches, each under its (group, NACL, route table) heading; notes only when they match. */
export function filterRuleRows(rows: readonly RuleRow[], filter: string): RuleRow[] {
	if (!filter.trim()) return [...rows];
	const shown: RuleRow[] = [];
	let heading: RuleRow | null = null;
	for (const row of rows) {
		if (row.kind === 'heading') {
			heading = row;
			continue;
		}
		const texts = row.kind === 'rule' ? [row.direction, row.label, row.layer === 'sg' ? 'allow' : row.action, row.what, row.peer, row.note, heading?.kind === 'heading' ? heading.text : ''] : [row.text];
		if (!matchesFilter(filter, texts)) continue;
		if (heading) shown.push(heading);
		heading = null;
		shown.push(row);
	}
	return shown;
}

export function RulesTab({inventory, eni, findings, width, height, active}: RulesTabProps) {
	const memory = `eni:${eni.id}:rules`;
	const {checkFocus} = useAppState();
	const focus = checkFocus?.eniId === eni.id ? checkFocus : null;
	// Inbound rules decide whether the check's port gets in (replies are the NACL's outbound ephemeral range).
	const marked = (row: RuleRow) => focus !== null && row.kind === 'rule' && row.direction === 'in' && row.ports !== undefined && coversCheck(focus, row.ports.protocol, row.ports.from, row.ports.to);
	const all = useMemo(() => ruleRows(inventory, eni, findings), [inventory, eni, findings]);
	const filter = useListFilter(memory, active);
	const rows = useMemo(() => filterRuleRows(all, filter.text), [all, filter.text]);
	const filterLine = filter.editing || filter.text ? 1 : 0;
	const listHeight = Math.max(1, height - 3 - filterLine);
	const [window, move] = useListWindow(rows.length, listHeight, {keys: rows.map((row) => row.key), memory});
	const current = rows[window.selected];
	useKeyHandler(PRIORITY.tab, (name) => {
		// esc clears a kept filter before it leaves the interface.
		if (!isCommand('app.back', name) || !filter.text) return false;
		filter.clear();
		return true;
	}, active && !filter.editing);
	useKeyHandler(PRIORITY.screen, (name) => {
		const command = commandFor(name, ['list']);
		if (command === 'list.filter') {
			filter.open();
			return true;
		}
		const action = listActionFor(command);
		if (!action) return false;
		move(action);
		return true;
	}, active);
	// The note goes on the first line only when the second holds the fix: each is said once.
	const about = current?.kind === 'rule' && current.fix && current.note ? ` · ${current.note}` : '';
	const flagged = all.filter((row) => row.kind === 'rule' && row.tone).length;
	const widths = ruleWidths(rows, width - 2);
	const count = `${windowLabel(window)}${filter.text ? ` (filtered from ${all.length})` : ''}`;
	const flaggedText = flagged ? ` ! ${flagged} rule${flagged === 1 ? '' : 's'} flagged by the audit` : '';
	// Cut between words, and only when at least its first clause fits.
	const said = truncateWords('groups, NACL in rule order, then the subnet\'s routes (▶ decides internet traffic)', width - stringWidth(count) - stringWidth(flaggedText) - 3);
	const explanation = said.startsWith('groups, NACL') ? ` · ${said}` : '';
	return (
		<Box flexDirection="column" height={height}>
			<Box height={1}>
				{/* One line at any width: the count never shrinks, the explanation gives way (it wrapped over the first row at 80 columns). */}
				<Box flexShrink={0}>
					<Text color={color.muted}>{count}</Text>
				</Box>
				<Box flexGrow={1} flexShrink={1}>
					<Text color={color.muted} wrap="truncate-end">{explanation}</Text>
				</Box>
				{flagged ? <Box flexShrink={0}><Text color={color.warn}>{flaggedText}</Text></Box> : null}
			</Box>
			<Box height={listHeight} flexDirection="column">
				<WindowedList items={rows} window={window} rowKey={(row) => row.key} emptyText={`No rule matches ${quotedFilter(filter.text)} (esc clears the filter).`} marked={marked} renderRow={(row) => <RuleLine row={row} widths={widths} width={width - 2} />} />
			</Box>
			{filterLine ? <FilterLine text={filter.text} editing={filter.editing} /> : null}
			<Box height={2} flexDirection="column">
				{current?.kind === 'rule' ? (
					<>
						<Text wrap="truncate" color={current.tone ? toneColor(current.tone) : color.muted}>{current.layer === 'route' ? `Route ${current.what} → ${current.peer}${about}` : `${current.layer === 'sg' ? 'SG rule' : `NACL rule ${current.label}`} · ${current.direction === 'in' ? 'inbound' : 'outbound'} ${current.what} ${current.direction === 'in' ? 'from' : 'to'} ${current.peer}${about}`}</Text>
						<Text wrap="truncate" color={current.tone ? toneColor(current.tone) : color.muted}>{current.fix ? `fix: ${current.fix}` : current.note || ' '}</Text>
					</>
				) : null}
			</Box>
		</Box>
	);
}

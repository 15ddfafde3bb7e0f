// Key bindings as data: command → keys → description. The dispatcher matches keys through this
// table, the help overlay lists it, and the README's key table is generated from it
// (`npm run docs:keys`), so the three can never disagree.
import type {Key} from 'ink';

export type Scope = 'global' | 'list' | 'filter' | 'eni' | 'rejects' | 'wizard' | 'audit' | 'palette' | 'help';

export interface Binding {
	command: string;
	scope: Scope;
	keys: string[];
	description: string;
	/** One or two words for the status bar. */
	hint?: string;
}

export const SCOPE_TITLES: Record<Scope, string> = {
	global: 'Everywhere',
	list: 'Lists (inventory, rules, listeners, rejects, audit)',
	filter: 'Filter, after / (inventory, rules, listeners, rejects)',
	eni: 'ENI drill-down',
	rejects: 'Rejects tab',
	wizard: 'Triage wizard',
	audit: 'Audit findings',
	palette: 'Command palette',
	help: 'Help',
};

export const BINDINGS = [
	{command: 'app.quit', scope: 'global', keys: ['q', 'ctrl+c'], description: 'Quit', hint: 'quit'},
	{command: 'app.back', scope: 'global', keys: ['esc'], description: 'Back one level (breadcrumbs)', hint: 'back'},
	{command: 'app.help', scope: 'global', keys: ['?'], description: 'Help for the current view', hint: 'help'},
	{command: 'app.palette', scope: 'global', keys: [':'], description: 'Commands: :eni :instance :sg :wizard :audit :quit', hint: 'commands'},
	{command: 'app.refresh', scope: 'global', keys: ['R'], description: 'Reload / re-probe listeners', hint: 'refresh'},
	{command: 'app.wizard', scope: 'global', keys: ['w'], description: 'Triage wizard on the selection', hint: 'wizard'},

	{command: 'list.up', scope: 'list', keys: ['up', 'k'], description: 'Move up'},
	{command: 'list.down', scope: 'list', keys: ['down', 'j'], description: 'Move down', hint: 'move'},
	{command: 'list.pageUp', scope: 'list', keys: ['pageup', 'ctrl+b'], description: 'Page up'},
	{command: 'list.pageDown', scope: 'list', keys: ['pagedown', 'ctrl+f'], description: 'Page down'},
	{command: 'list.top', scope: 'list', keys: ['home', 'g'], description: 'First row'},
	{command: 'list.bottom', scope: 'list', keys: ['end', 'G'], description: 'Last row'},
	{command: 'list.open', scope: 'list', keys: ['enter'], description: 'Open the selected row', hint: 'open'},
	{command: 'list.filter', scope: 'list', keys: ['/'], description: 'Filter as you type', hint: 'filter'},

	{command: 'filter.accept', scope: 'filter', keys: ['enter'], description: 'Keep the filter', hint: 'keep'},
	{command: 'filter.cancel', scope: 'filter', keys: ['esc'], description: 'Clear the filter', hint: 'clear'},
	{command: 'filter.erase', scope: 'filter', keys: ['backspace'], description: 'Delete a character'},

	{command: 'eni.nextTab', scope: 'eni', keys: ['tab', ']', 'right', 'l'], description: 'Next tab', hint: 'tabs'},
	{command: 'eni.prevTab', scope: 'eni', keys: ['shift+tab', '[', 'left', 'h'], description: 'Previous tab'},
	{command: 'eni.tab1', scope: 'eni', keys: ['1'], description: 'Rules tab'},
	{command: 'eni.tab2', scope: 'eni', keys: ['2'], description: 'Listeners tab'},
	{command: 'eni.tab3', scope: 'eni', keys: ['3'], description: 'Rejects tab'},
	{command: 'eni.tab4', scope: 'eni', keys: ['4'], description: 'Flow logs tab'},

	{command: 'rejects.pause', scope: 'rejects', keys: ['p'], description: 'Pause / resume the view', hint: 'pause'},
	{command: 'rejects.clear', scope: 'rejects', keys: ['c'], description: 'Clear the records', hint: 'clear'},
	{command: 'rejects.accepts', scope: 'rejects', keys: ['a'], description: 'ACCEPTs too / REJECTs only', hint: 'accepts'},

	{command: 'wizard.next', scope: 'wizard', keys: ['enter'], description: 'Next step', hint: 'next'},
	{command: 'wizard.prev', scope: 'wizard', keys: ['esc'], description: 'Previous step', hint: 'back'},
	{command: 'wizard.any', scope: 'wizard', keys: ['ctrl+a'], description: 'Client address: any', hint: 'any client'},
	{command: 'wizard.copy', scope: 'wizard', keys: ['y'], description: 'Copy the fix (step 6: OSC 52, and tmux\'s paste buffer under tmux)', hint: 'copy'},
	{command: 'wizard.viewFix', scope: 'wizard', keys: ['v'], description: 'Show the fix whole, laid out for copying (step 6)', hint: 'view fix'},
	{command: 'wizard.writeFix', scope: 'wizard', keys: ['f'], description: 'Write the fix to a .sh file (step 6)', hint: 'write fix'},
	{command: 'wizard.save', scope: 'wizard', keys: ['s'], description: 'Save the report (step 7)', hint: 'save report'},
	{command: 'wizard.newCheck', scope: 'wizard', keys: ['n'], description: 'New check on the same target (step 7, once saved)', hint: 'new check'},

	{command: 'audit.viewFix', scope: 'audit', keys: ['v'], description: 'Show the finding\'s fix whole, laid out for copying', hint: 'view fix'},
	{command: 'audit.copy', scope: 'audit', keys: ['y'], description: 'Copy the finding\'s fix command', hint: 'copy'},
	{command: 'audit.writeFix', scope: 'audit', keys: ['f'], description: 'Write the finding\'s fix to a .sh file', hint: 'write fix'},

	{command: 'palette.run', scope: 'palette', keys: ['enter'], description: 'Run the command', hint: 'run'},
	{command: 'palette.complete', scope: 'palette', keys: ['tab'], description: 'Complete a command, id or name (again: next match)', hint: 'complete'},
	{command: 'palette.cancel', scope: 'palette', keys: ['esc'], description: 'Close the palette', hint: 'close'},

	{command: 'help.close', scope: 'help', keys: ['esc', '?', 'q'], description: 'Close help', hint: 'close'},
	{command: 'help.scroll', scope: 'help', keys: ['j', 'k', 'down', 'up'], description: 'Scroll down / up when the keys do not fit'},
] as const satisfies readonly Binding[];

/** Every command id in the table: a typo in `isCommand('app.qiut', …)` is a compile error. */
export type CommandId = (typeof BINDINGS)[number]['command'];

/** Canonical name of a key press: 'up', 'enter', 'esc', 'shift+tab', 'ctrl+f', or the character. */
export function keyName(input: string, key: Key): string {
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.leftArrow) return 'left';
	if (key.rightArrow) return 'right';
	if (key.pageUp) return 'pageup';
	if (key.pageDown) return 'pagedown';
	if (key.home) return 'home';
	if (key.end) return 'end';
	if (key.return) return 'enter';
	if (key.escape) return 'esc';
	if (key.tab) return key.shift ? 'shift+tab' : 'tab';
	if (key.backspace || key.delete) return 'backspace';
	if (key.ctrl && input.length === 1) return `ctrl+${input.toLowerCase()}`;
	return input;
}

const TABLE: readonly Binding[] = BINDINGS;
const byCommand = new Map<CommandId, Binding>(BINDINGS.map((binding) => [binding.command, binding]));

function bindingOf(command: CommandId): Binding {
	// Total by construction: CommandId is the table's own key set.
	return byCommand.get(command) as Binding;
}

/** True when the key press is bound to `command`. */
export function isCommand(command: CommandId, name: string): boolean {
	return bindingOf(command).keys.includes(name);
}

/** The command a key triggers within the given scopes (first scope wins), or null. */
export function commandFor(name: string, scopes: readonly Scope[]): CommandId | null {
	for (const scope of scopes) {
		const binding = TABLE.find((candidate) => candidate.scope === scope && candidate.keys.includes(name));
		if (binding) return binding.command as CommandId;
	}
	return null;
}

/** "s save report": a command's first key and its hint (or `label`), for the screens' key hints. */
export function keyHint(command: CommandId, label?: string): string {
	const binding = bindingOf(command);
	return `${binding.keys[0] ?? '?'} ${label ?? binding.hint ?? binding.description.toLowerCase()}`;
}

export function formatKeys(keys: readonly string[]): string {
	return keys.join(' / ');
}

function escapeCell(text: string): string {
	return text.replaceAll('|', '\\|');
}

/** The README's key table: one Markdown table per scope, generated from BINDINGS. */
export function keyTableMarkdown(): string {
	const scopes = Object.keys(SCOPE_TITLES) as Scope[];
	const sections: string[] = [];
	for (const scope of scopes) {
		const rows = TABLE.filter((binding) => binding.scope === scope);
		if (rows.length === 0) continue;
		const lines = [`**${SCOPE_TITLES[scope]}**`, '', '| Keys | Action |', '| --- | --- |'];
		for (const row of rows) {
			lines.push(`| ${row.keys.map((key) => `\`${escapeCell(key)}\``).join(' ')} | ${escapeCell(row.description)} |`);
		}
		sections.push(lines.join('\n'));
	}
	return sections.join('\n\n');
}

export const KEY_TABLE_START = '<!-- keys:start (generated by npm run docs:keys from source/ui/key-bindings.ts) -->';
export const KEY_TABLE_END = '<!-- keys:end -->';

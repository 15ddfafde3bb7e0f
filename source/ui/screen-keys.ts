// Which commands of the bindings table work on which screen. The help overlay lists exactly these
// (grouped by the table's scopes) and the status bar's hints are drawn from them, so `?` never
// promises a key the screen ignores. Typed from the table: a misspelt command is a compile error.
import type {CommandId} from './key-bindings.js';
import type {View} from './navigation.js';

export type ScreenId = 'inventory' | 'eni.rules' | 'eni.listeners' | 'eni.rejects' | 'eni.flowlogs' | 'wizard' | 'audit';

const GLOBAL = ['app.quit', 'app.back', 'app.help', 'app.palette', 'app.refresh'] as const satisfies readonly CommandId[];
const MOVE = ['list.up', 'list.down', 'list.pageUp', 'list.pageDown', 'list.top', 'list.bottom'] as const satisfies readonly CommandId[];
const FILTER = ['list.filter', 'filter.accept', 'filter.cancel', 'filter.erase'] as const satisfies readonly CommandId[];
const TABS = ['eni.nextTab', 'eni.prevTab', 'eni.tab1', 'eni.tab2', 'eni.tab3', 'eni.tab4'] as const satisfies readonly CommandId[];
const PALETTE = ['palette.run', 'palette.complete', 'palette.cancel'] as const satisfies readonly CommandId[];

export const SCREEN_COMMANDS: Record<ScreenId, readonly CommandId[]> = {
	// At the root esc has nowhere to go back to (it clears a kept filter: filter.cancel).
	inventory: [...GLOBAL.filter((command) => command !== 'app.back'), 'app.wizard', ...MOVE, 'list.open', ...FILTER, ...PALETTE],
	'eni.rules': [...GLOBAL, 'app.wizard', ...TABS, ...MOVE, ...FILTER, ...PALETTE],
	'eni.listeners': [...GLOBAL, 'app.wizard', ...TABS, ...MOVE, ...FILTER, ...PALETTE],
	'eni.rejects': [...GLOBAL, 'app.wizard', ...TABS, ...MOVE, 'list.open', ...FILTER, 'rejects.pause', 'rejects.clear', 'rejects.accepts', ...PALETTE],
	'eni.flowlogs': [...GLOBAL, 'app.wizard', ...TABS, ...PALETTE],
	// In the wizard esc is "previous step" (leaving from the first), and w would reopen itself.
	wizard: ['app.quit', 'app.help', 'app.palette', 'app.refresh', 'wizard.next', 'wizard.prev', 'wizard.any', 'wizard.copy', 'wizard.viewFix', 'wizard.writeFix', 'wizard.save', 'wizard.newCheck', ...PALETTE],
	audit: [...GLOBAL, 'app.wizard', ...MOVE, 'list.open', 'audit.viewFix', 'audit.copy', 'audit.writeFix', ...PALETTE],
};

export function screenOf(view: View): ScreenId {
	switch (view.kind) {
		case 'inventory': return 'inventory';
		case 'eni': return `eni.${view.tab}`;
		case 'wizard': return 'wizard';
		case 'audit': return 'audit';
	}
}

/** The status bar's hints, in order: a few of the screen's commands. */
export const SCREEN_HINTS: Record<ScreenId, readonly CommandId[]> = {
	inventory: ['list.down', 'list.open', 'list.filter', 'app.wizard', 'app.palette', 'app.help', 'app.quit'],
	'eni.rules': ['eni.nextTab', 'list.down', 'list.filter', 'app.wizard', 'app.back', 'app.palette', 'app.help', 'app.quit'],
	'eni.listeners': ['eni.nextTab', 'list.down', 'list.filter', 'app.wizard', 'app.refresh', 'app.back', 'app.help', 'app.quit'],
	'eni.rejects': ['eni.nextTab', 'list.open', 'list.filter', 'rejects.pause', 'rejects.clear', 'rejects.accepts', 'app.wizard', 'app.back', 'app.help'],
	'eni.flowlogs': ['eni.nextTab', 'app.wizard', 'app.back', 'app.palette', 'app.help', 'app.quit'],
	wizard: ['wizard.next', 'wizard.prev', 'app.palette', 'app.help'],
	audit: ['list.down', 'list.open', 'audit.viewFix', 'audit.copy', 'audit.writeFix', 'app.wizard', 'app.back', 'app.help'],
};

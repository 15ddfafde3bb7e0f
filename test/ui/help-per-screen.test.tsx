// `?` shows the keys that work on the screen under it, from the bindings table: each screen's
// help lists its commands and none of the others, and what it leaves out really does nothing there.
import {afterEach, describe, expect, it} from 'vitest';
import {BINDINGS} from '../../source/ui/key-bindings.js';
import {SCREEN_COMMANDS, SCREEN_HINTS, type ScreenId} from '../../source/ui/screen-keys.js';
import type {Rendered} from '../support/render-and-wait.js';
import {renderSnapshotApp} from '../support/snapshot-app.js';
import {openWizard} from '../support/wizard-steps.js';

let current: Rendered | null = null;
function open() {
	// Tall and wide enough that the help never has to cut a line.
	const ui = renderSnapshotApp({columns: 200, rows: 70});
	current = ui;
	return ui;
}
afterEach(() => {
	current?.unmount();
	current = null;
});

/** Opens `?` and checks the help against the screen's commands: all of them, and nothing else. */
async function expectHelpOf(ui: Rendered, screen: ScreenId) {
	const frame = await ui.press('?', 'esc / ? closes help');
	const wanted = new Set<string>(SCREEN_COMMANDS[screen]);
	for (const binding of BINDINGS) {
		if (binding.scope === 'help') continue;
		const line = new RegExp(`${binding.keys.map((key) => key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(' / ')}\\s+${binding.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
		if (wanted.has(binding.command)) expect(frame, `${screen} help lists ${binding.command}`).toMatch(line);
		else expect(frame, `${screen} help leaves out ${binding.command}`).not.toMatch(line);
	}
	await ui.press('esc', (text) => !text.includes('esc / ? closes help'));
	return frame;
}

describe('help for the current screen', () => {
	it('status-bar hints are commands of their screen', () => {
		for (const [screen, hints] of Object.entries(SCREEN_HINTS)) {
			for (const hint of hints) expect(SCREEN_COMMANDS[screen as ScreenId], `${screen}: ${hint}`).toContain(hint);
		}
	});

	it('inventory, every ENI tab, the audit and the wizard each list their own keys', async () => {
		const ui = open();
		await ui.waitForFrame('web-1');
		await expectHelpOf(ui, 'inventory');
		await ui.press(':');
		await ui.type('eni eni-0f1e2d3c4b5a69788');
		await ui.press('enter', '[1 Rules]');
		await expectHelpOf(ui, 'eni.rules');
		await ui.press('2', '[2 Listeners]');
		await expectHelpOf(ui, 'eni.listeners');
		await ui.press('3', '[3 Rejects]');
		await expectHelpOf(ui, 'eni.rejects');
		await ui.press('4', '[4 Flow logs]');
		const flowHelp = await expectHelpOf(ui, 'eni.flowlogs');
		expect(flowHelp).not.toContain('Filter as you type');
		// What the help leaves out does nothing: / opens no filter on Flow logs.
		const frame = await ui.press('/');
		await ui.press('1', '[1 Rules]');
		expect(frame).not.toContain('(enter keeps, esc clears)');
		await ui.press(':');
		await ui.type('audit');
		await ui.press('enter', 'Audit findings');
		await expectHelpOf(ui, 'audit');
		await ui.press('j', /› ✗ high\s+\S+\s+sg-0e11b22c33d44e505/);
		await ui.press('w', 'What fails?');
		// In the form's fields ? is text; on the next step it is help.
		await ui.press('enter', 'Is anything listening on');
		await expectHelpOf(ui, 'wizard');
	}, 90_000);

	it('at 80×24 the keys that do not fit scroll into view with j', async () => {
		const ui = renderSnapshotApp({columns: 80, rows: 24});
		current = ui;
		await ui.waitForFrame('web-1');
		let frame = await ui.press('?', /1–\d+ of \d+ lines · j\/k scroll/);
		expect(frame).not.toContain('Run the command');
		const total = Number(/of (\d+) lines/.exec(frame)![1]);
		for (let line = 0; line < total && !frame.includes('Run the command'); line++) frame = await ui.press('j', new RegExp(`${line + 2}–\\d+ of`));
		expect(frame).toContain('Run the command');
		expect(frame).not.toMatch(/^│ Lists/m);
	});

	it('keys that arrive in one read (a held j, tmux send-keys) scroll once each, and q in them closes', async () => {
		const ui = renderSnapshotApp({columns: 80, rows: 24});
		current = ui;
		await ui.waitForFrame('web-1');
		await ui.press('?', /1–\d+ of \d+ lines/);
		// The run was taken whole as a "paste" by the modal help and did nothing.
		await ui.press('jjjj', /5–\d+ of \d+ lines/);
		await ui.press('kkjk', /3–\d+ of \d+ lines/);
		const frame = await ui.press('jq', (next) => !next.includes('closes help'));
		expect(frame).toContain('Network interfaces');
	});

	it('opening help in the wizard keeps what was typed', async () => {
		const ui = open();
		await ui.waitForFrame('web-1');
		await openWizard(ui, 'i-0a1b2c3d4e5f60718');
		await ui.type('8443', /Port\s+8443/);
		await ui.press('enter', 'Is anything listening on');
		await ui.press('?', 'esc / ? closes help');
		await ui.press('esc', 'Is anything listening on');
		const frame = await ui.press('esc', 'What fails?');
		expect(frame).toMatch(/Port\s+8443/);
	});
});

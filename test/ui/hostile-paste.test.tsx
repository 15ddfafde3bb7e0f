// Pastes with escape sequences and invisible characters into the TUI's text fields (the palette,
// a list filter, the wizard's form). A paste is the user's own text, but it can come from a web
// page or a coloured terminal log: it must never crash the UI (ink 6.8's useInput threw on a CSI
// sequence whose modifier says ctrl and whose key it cannot name, `\x1b[31m`, before any handler
// ran), and no control or invisible character may go into a field or onto the screen.
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {renderAndWait, type Rendered} from '../support/render-and-wait.js';
import {openWizard} from '../support/wizard-steps.js';

let current: Rendered | null = null;

afterEach(() => {
	current?.unmount();
	current = null;
});

/** What is left of a raw frame once ink's own SGR styling is taken out: must hold no control. */
function foreign(raw: string): string[] {
	const rest = raw.replace(/\u001b\[[0-9;]*m/g, '');
	return [...rest.matchAll(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu)].map((match) => JSON.stringify(match[0]));
}

async function inventory(): Promise<Rendered> {
	current = renderAndWait(<App services={new SnapshotServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 200})} onQuit={() => current?.unmount()} />, {columns: 120, rows: 40});
	await current.waitForFrame('web-1');
	return current;
}

// CSI sequences ink cannot name but reads as ctrl+something: SGR colours, an erase with a ctrl
// modifier, an unknown `~` key with one.
const CRASHERS = ['\u001b[31m', '\u001b[0m', '\u001b[1;5J', '\u001b[99;5~'];

describe('hostile pastes into the TUI', () => {
	it.each(CRASHERS)('survives %j anywhere: on the inventory, in the palette, in a filter', async (sequence) => {
		const ui = await inventory();
		ui.stdin.write(sequence);
		await ui.press('/', '(enter keeps, esc clears)');
		ui.stdin.write(`we${sequence}b`);
		await ui.waitForFrame(/\/web\s/);
		await ui.press('esc');
		await ui.press(':', /^:/m);
		ui.stdin.write(`au${sequence}dit`);
		await ui.waitForFrame(/^:audit/m);
		expect(foreign(ui.rawFrame())).toEqual([]);
	});

	it('a filter takes the printable text of a paste: no BiDi override, zero-width or C1 character', async () => {
		const ui = await inventory();
		await ui.press('/', '(enter keeps, esc clears)');
		ui.stdin.write('we\u202e\u200b\u009bb\u2066-1');
		const frame = await ui.waitForFrame(/\/web-1\s/);
		expect(frame).toContain('web-1');
		expect(foreign(ui.rawFrame())).toEqual([]);
	});

	it('the palette takes the printable text of a paste, and a command that fails says so inert', async () => {
		const ui = await inventory();
		await ui.press(':', /^:/m);
		ui.stdin.write('eni \u202eeni-0f1e2d3c4b5a69788\u200b');
		await ui.waitForFrame(/^:eni eni-0f1e2d3c4b5a69788/m);
		expect(foreign(ui.rawFrame())).toEqual([]);
		ui.stdin.write('\u00adx');
		await ui.waitForFrame(/^:eni eni-0f1e2d3c4b5a69788x/m);
		await ui.press('enter', /is not a network interface id/);
		expect(foreign(ui.rawFrame())).toEqual([]);
	});

	it("the wizard's Port takes a paste's digits, and its refusal quotes what was typed, inert", async () => {
		const ui = await inventory();
		await openWizard(ui, 'i-0a1b2c3d4e5f60718');
		ui.stdin.write('84\u202e43\u200b');
		await ui.waitForFrame(/Port\s+8443/);
		ui.stdin.write('x\u009b\u202ey');
		await ui.waitForFrame(/Port takes digits only: the paste "xy"/);
		expect(foreign(ui.rawFrame())).toEqual([]);
	});
});

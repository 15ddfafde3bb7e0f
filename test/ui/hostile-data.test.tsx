// The TUI over the hostile corpus: tag values, group names and process names carry OSC 52,
// window-title and clear-screen sequences, 8-bit CSI and BiDi overrides. Every frame ink writes
// may hold its own SGR styling and nothing else: the planted sequences show escaped.
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {renderAndWait, type Rendered} from '../support/render-and-wait.js';

const HOSTILE = 'test/fixtures/hostile/snapshot';
let current: Rendered | null = null;

afterEach(() => {
	current?.unmount();
	current = null;
});

/** What is left of a raw frame once ink's own SGR styling is taken out: must hold no control. */
function foreign(raw: string): string[] {
	const rest = raw.replace(/\u001b\[[0-9;]*m/g, '');
	return [...rest.matchAll(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu)].map((match) => JSON.stringify(match[0]));
}

describe('TUI over hostile data', () => {
	it('inventory, ENI rules and listeners show the planted sequences escaped', async () => {
		const ui = renderAndWait(<App services={new SnapshotServices({dir: HOSTILE, replayTickMs: 1, replayBatch: 200})} onQuit={() => current?.unmount()} />, {columns: 160, rows: 40});
		current = ui;
		const frame = await ui.waitForFrame('web-1\\x1b]52;c;');
		expect(frame).toContain('web-sg\\x1b]0;pwned\\x07\\x1b[2J');
		expect(foreign(ui.rawFrame())).toEqual([]);
		await ui.press('enter');
		await ui.press('enter', 'Security group');
		expect(foreign(ui.rawFrame())).toEqual([]);
		const listeners = await ui.press('tab', 'LISTENING ON');
		expect(foreign(ui.rawFrame())).toEqual([]);
		expect(listeners).not.toContain('\u001b]0;');
	}, 30_000);
});

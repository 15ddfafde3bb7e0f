// Wizard step 4 on a big terminal (200×60), from anywhere to app-1: the route's summary wraps, and
// the client's layers ("Not evaluated: …") have a sentence too long for one row while half the
// panel is empty. Ink's wrap (wrap-ansi, trim off) started the row after one exactly as wide as the
// panel with the space between the words, one column in from the rows around it; and the "Not
// evaluated" sentences were cut ("…") whatever the room.
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {frameLines, renderAndWait, type Rendered} from '../support/render-and-wait.js';
import {openWizard} from '../support/wizard-steps.js';

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

/** The panel right of the rail, one string per row, blank rows dropped. */
function panelRows(frame: string): string[] {
	return frameLines(frame).map((line) => line.split('│ ')[1] ?? '').filter((row) => row.trim() !== '');
}

/** Step 4 from anywhere to app-1 on tcp/8080 (the route, the groups and the host all object). */
async function layersToApp1(columns: number, rows: number): Promise<string> {
	current = renderAndWait(<App services={new SnapshotServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 200})} onQuit={() => current?.unmount()} />, {columns, rows});
	const ui = current;
	await ui.waitForFrame('web-1');
	await openWizard(ui, 'i-0b2c3d4e5f6071829');
	await ui.type('8080');
	await ui.press('enter', 'Loopback only');
	return ui.press('enter', 'The path, layer by layer');
}

describe('step 4 at 200×60', () => {
	it('starts every wrapped row under the one before and cuts no summary while rows are free', async () => {
		const frame = await layersToApp1(200, 60);
		const rows = panelRows(frame);
		// A layer's title at the panel's edge; its summary and rules, every row of them, two in.
		for (const row of rows) expect(row, row).toMatch(/^(\S| {2}\S)/);
		// The route's summary is wider than the panel here: the case above is actually drawn.
		expect(rows.findIndex((row) => row.startsWith('! Route'))).toBeGreaterThan(-1);
		for (const row of rows) expect(row.trimEnd(), row).not.toMatch(/ …$/);
		expect(rows.filter((row) => row.startsWith('  Not evaluated:'))).toHaveLength(3);
		expect(frameLines(frame).length).toBeLessThanOrEqual(59);
	});
});

describe('step 4 at 120×40', () => {
	it('shows every layer: long summaries take the rows of the rule lists, not of the last layers', async () => {
		// Room for four rows a layer, but the route's, the groups' and the NACLs' summaries wrap to
		// three to six: the last two layers fell off the bottom of the panel.
		const rows = panelRows(await layersToApp1(120, 40));
		const titles = rows.filter((row) => /^[✓✗!?–] /.test(row)).map((row) => row.slice(2).split(' · ')[0]);
		expect(titles).toEqual(['Client security groups', 'Client NACL outbound', 'Route', 'NACL inbound', 'Security groups', 'Host listener', 'NACL return path', 'Client NACL return']);
		for (const row of rows) expect(row, row).toMatch(/^(\S| {2}\S)/);
	});
});

// The Listeners tab at 80×24 cuts the verdict cell ("closed by the…") and drops the NACL column:
// the selected socket's verdict, groups and NACL entries are said whole on a line under the list.
import {afterEach, describe, expect, it} from 'vitest';
import {frameLines, type Rendered} from '../support/render-and-wait.js';
import {openWebEni, renderSnapshotApp} from '../support/snapshot-app.js';

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

describe('Listeners tab at 80×24', () => {
	it('says the selected socket\'s verdict whole under the list', async () => {
		const ui = renderSnapshotApp({columns: 80, rows: 24});
		current = ui;
		await openWebEni(ui);
		await ui.press('2', 'LISTENING ON');
		await ui.press('/');
		await ui.type('8443');
		const kept = await ui.press('enter', (next) => frameLines(next).some((line) => line.startsWith('› tcp') && line.includes(':8443')));
		const lines = frameLines(kept);
		expect(lines.length).toBeLessThanOrEqual(23);
		expect(lines.at(-2), kept).toMatch(/^· 0\.0\.0\.0:8443 closed by the groups · groups allow from no rule · NACL inbound/);
	});
});

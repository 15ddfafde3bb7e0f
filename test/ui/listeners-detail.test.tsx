// The Listeners tab at 80×24 cuts the verdict cell ("closed by the…") and drops the NACL column:
// the selected socket's verdict, groups and NACL entries are said whole on a line under the list.
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {frameLines, renderAndWait, type Rendered} from '../support/render-and-wait.js';

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

describe('Listeners tab at 80×24', () => {
	it('says the selected socket\'s verdict whole under the list', async () => {
		const services = new SnapshotServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 200});
		const ui = renderAndWait(<App services={services} onQuit={() => ui.unmount()} />, {columns: 80, rows: 24});
		current = ui;
		await ui.waitForFrame('web-1');
		await ui.press(':');
		await ui.type('eni eni-0f1e2d3c4b5a69788');
		await ui.press('enter', 'Security group');
		await ui.press('2', 'LISTENING ON');
		await ui.press('/');
		await ui.type('8443');
		const kept = await ui.press('enter', (next) => frameLines(next).some((line) => line.startsWith('› tcp') && line.includes(':8443')));
		const lines = frameLines(kept);
		expect(lines.length).toBeLessThanOrEqual(23);
		expect(lines.at(-2), kept).toMatch(/^· 0\.0\.0\.0:8443 closed by the groups · groups allow from no rule · NACL inbound/);
	});
});

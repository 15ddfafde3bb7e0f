// :audit at 80×24: a finding's row is cut at the edge ("ingress tc…"), so the selected finding is
// also shown whole under the list (it was nowhere on screen, above a dozen empty rows).
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {frameLines, renderAndWait, type Rendered} from '../support/render-and-wait.js';

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

const prose = (frame: string) => frameLines(frame).join(' ').replace(/\s+/g, ' ');

describe(':audit at 80×24', () => {
	it('shows the selected finding whole, and follows the selection', async () => {
		const services = new SnapshotServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 200});
		const inventory = await services.loadInventory(() => {});
		const ui = renderAndWait(<App services={services} onQuit={() => ui.unmount()} />, {columns: 80, rows: 24});
		current = ui;
		await ui.waitForFrame('web-1');
		await ui.press(':');
		await ui.type('audit');
		let frame = await ui.press('enter', 'risky or useless rules');
		expect(frameLines(frame).length).toBeLessThanOrEqual(23);
		const messages = services.audit(inventory, {}).filter((finding) => finding.kind !== 'evidence-missing').map((finding) => finding.message);
		const rdp = messages.find((message) => message.includes('win-jump-rdp'))!;
		const ftp = messages.find((message) => message.includes('legacy-ftp') && message.includes('21'))!;
		expect(prose(frame)).toContain(ftp);
		frame = await ui.press('j', (next) => prose(next).includes(rdp));
		expect(frameLines(frame).length).toBeLessThanOrEqual(23);
	});
});

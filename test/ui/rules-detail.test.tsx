// The Rules tab's two lines about the selected row say each thing once: a route's meaning was on
// both ("Route ::/0 → igw-… · decides internet traffic: internet ga…" over "decides internet
// traffic: internet gateway (public subnet)").
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {frameLines, renderAndWait, type Rendered} from '../support/render-and-wait.js';

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

describe('Rules tab detail lines', () => {
	it('name the selected route on the first and say what it means on the second', async () => {
		const services = new SnapshotServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 200});
		const ui = renderAndWait(<App services={services} onQuit={() => ui.unmount()} />, {columns: 80, rows: 24});
		current = ui;
		await ui.waitForFrame('web-1');
		await ui.press(':');
		await ui.type('eni eni-0f1e2d3c4b5a69788');
		await ui.press('enter', 'Security group');
		const frame = await ui.press('G', /^Route ::\/0/m);
		const lines = frameLines(frame);
		const at = lines.findIndex((line) => line.startsWith('Route ::/0'));
		expect(lines[at]).toMatch(/^Route ::\/0 → igw-0c3d4e5f6a7b80912\s*$/);
		expect(lines[at + 1]).toContain('decides internet traffic: internet gateway (public subnet)');
	});
});

// The Rules tab's two lines about the selected row say each thing once: a route's meaning was on
// both ("Route ::/0 → igw-… · decides internet traffic: internet ga…" over "decides internet
// traffic: internet gateway (public subnet)").
import {afterEach, describe, expect, it} from 'vitest';
import {frameLines, type Rendered} from '../support/render-and-wait.js';
import {openWebEni, renderSnapshotApp} from '../support/snapshot-app.js';

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

describe('Rules tab detail lines', () => {
	it('name the selected route on the first and say what it means on the second', async () => {
		const ui = renderSnapshotApp({columns: 80, rows: 24});
		current = ui;
		await openWebEni(ui);
		const frame = await ui.press('G', /^Route ::\/0/m);
		const lines = frameLines(frame);
		const at = lines.findIndex((line) => line.startsWith('Route ::/0'));
		expect(lines[at]).toMatch(/^Route ::\/0 → igw-0c3d4e5f6a7b80912\s*$/);
		expect(lines[at + 1]).toContain('decides internet traffic: internet gateway (public subnet)');
	});
});

// The Rejects tab paused at 80×24: the header says PAUSED on a line of its own width (the notice
// was drawn over the stream's mode and the REJECT/ACCEPT label: "late wi  ❚❚ PAUSED (p resumes;
// records keeREJECT +"), and c clears the frozen view at once (it cleared the store but the paused
// view kept showing every record until p).
import {afterEach, describe, expect, it} from 'vitest';
import {frameLines, type Rendered} from '../support/render-and-wait.js';
import {openWebEni, renderSnapshotApp} from '../support/snapshot-app.js';

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

/** The tab's first line: under the tab bar. */
function headerLine(frame: string): string {
	const lines = frameLines(frame);
	return lines[lines.findIndex((line) => line.includes('[3 Rejects]')) + 1] ?? '';
}

describe('Rejects tab, paused', () => {
	it('keeps its header whole at 80 columns with ACCEPTs on, and c empties the paused view', async () => {
		const ui = renderSnapshotApp({columns: 80, rows: 24});
		current = ui;
		await openWebEni(ui);
		await ui.press('3', 'DIR');
		await ui.press('a', 'REJECT + ACCEPT');
		await ui.waitForFrame(/replay finished/);
		let frame = await ui.press('p', 'PAUSED');
		const header = headerLine(frame);
		expect(header.length, header).toBeLessThanOrEqual(80);
		// The three parts, each whole and in order: the mode, the pause notice, the label.
		expect(header, header).toMatch(/^replaying the snapshot · \S.*\S {2}❚❚ PAUSED\b.*\S\s+REJECT \+ ACCEPT$/);
		expect(frame).toMatch(/[1-9]\d* records/);
		frame = await ui.press('c', '0 records');
		expect(frame).toContain('PAUSED');
		expect(frame).toContain('No REJECT yet');
	});
});

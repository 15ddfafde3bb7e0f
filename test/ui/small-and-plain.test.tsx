// The too-small message fits at any size (never cut itself), and without colours (NO_COLOR) the
// text fields still show where the cursor is.
import stringWidth from 'string-width';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {tooSmallLines} from '../../source/ui/too-small.js';
import {frameLines, renderAndWait, type Rendered} from '../support/render-and-wait.js';

let current: Rendered | null = null;
const savedNoColor = process.env.NO_COLOR;
afterEach(() => {
	current?.unmount();
	current = null;
	if (savedNoColor === undefined) delete process.env.NO_COLOR;
	else process.env.NO_COLOR = savedNoColor;
});

const need = {columns: 80, rows: 24};
const open = (columns: number, rows: number) => {
	const services = new SnapshotServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 200});
	const ui = renderAndWait(<App services={services} onQuit={() => ui.unmount()} />, {columns, rows});
	current = ui;
	return ui;
};

describe('too small', () => {
	it('every wording chosen fits its terminal, whole words only, and names the minimum when it can', () => {
		for (let columns = 1; columns < 100; columns++) {
			for (let rows = 1; rows < 30; rows++) {
				if (columns >= need.columns && rows >= need.rows) continue;
				const lines = tooSmallLines(columns, rows, need);
				expect(lines.length, `${columns}×${rows}`).toBeLessThanOrEqual(Math.max(1, rows - 1));
				for (const line of lines) expect(stringWidth(line), `${columns}×${rows}: ${line}`).toBeLessThanOrEqual(columns);
				// "80×24" is never split between lines or cut once it fits at all.
				if (columns >= 5) expect(lines.join('\n'), `${columns}×${rows}`).toContain('80×24');
			}
		}
		expect(tooSmallLines(60, 20, need)).toEqual(['Terminal too small: 60×20.', 'sgtui needs 80×24.', 'Enlarge it (nothing is lost), or q quits.']);
	});

	it('at 20×4 the frame says so in lines that fit, and the inventory is back on resize', async () => {
		const ui = open(20, 4);
		const frame = await ui.waitForFrame('80×24');
		const lines = frameLines(frame);
		expect(lines.length).toBeLessThanOrEqual(3);
		for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(20);
		expect(frame).toMatch(/(Too small: 20×4,|Needs 80×24\.)/);
		ui.resize(100, 30);
		await ui.waitForFrame('web-1');
	});
});

describe('NO_COLOR', () => {
	it('the palette and a list filter show a visible input cursor', async () => {
		process.env.NO_COLOR = '1';
		const ui = open(100, 30);
		await ui.waitForFrame('web-1');
		await ui.press(':', /^:▏/m);
		await ui.press('esc', (text) => !/^:▏/m.test(text));
		let frame = await ui.press('/', /^\/▏/m);
		expect(frame).toContain('(enter keeps, esc clears)');
		frame = await ui.type('web', /^\/web▏/m);
		expect(frame).toContain('web-1');
	});
});

// The Rejects tab's selection under a live stream: a key press moves it (and is not undone by the
// "follow the group when the list re-sorts" logic), and pressing keys while records pour in never
// loops React's updates (it once crashed with "Maximum update depth exceeded" under a flood).
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {renderAndWait, type Rendered} from '../support/render-and-wait.js';

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

/** The aggregate rows in frame order (DIR PEER PORT), and which one carries the › marker. */
function rows(frame: string): {rows: string[]; selected: number} {
	const found = [...frame.matchAll(/^([› ]) (in|reply|out)\s+(\S+)\s+(\d+)\s+tcp/gm)];
	return {rows: found.map((match) => `${match[2]} ${match[3]} ${match[4]}`), selected: found.findIndex((match) => match[1] === '›')};
}

describe('Rejects tab selection', () => {
	it('j and k move the selection while records stream in, and the selected group stays selected', async () => {
		const services = new SnapshotServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 20});
		const ui = renderAndWait(<App services={services} onQuit={() => ui.unmount()} />, {columns: 120, rows: 36});
		current = ui;
		await ui.waitForFrame('web-1');
		await ui.press(':');
		await ui.type('eni eni-0f1e2d3c4b5a69788');
		await ui.press('enter', 'Security group');
		await ui.press('3', /› (in|reply|out) /);
		// Keys while the replay is still re-sorting the list.
		for (let press = 0; press < 6; press++) await ui.press(press % 2 === 0 ? 'j' : 'k');
		let frame = await ui.waitForFrame('replay finished');
		expect(frame).not.toContain('Maximum update depth');
		// g: the first row, a known place to move from.
		frame = await ui.press('g', (text) => rows(text).selected === 0);
		const list = rows(frame).rows;
		expect(list.length).toBeGreaterThan(2);
		await ui.press('j', (text) => rows(text).selected === 1);
		frame = await ui.press('j', (text) => rows(text).selected === 2);
		expect(rows(frame).rows[2]).toBe(list[2]);
		frame = await ui.press('k', (text) => rows(text).selected === 1);
		expect(rows(frame).rows[1]).toBe(list[1]);
	});
});

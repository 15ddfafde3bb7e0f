// Drill-down from evidence: enter on a Rejects group opens its raw records, w on a Rejects row, a
// listener or an audit finding starts the wizard filled in from it.
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {renderAndWait, type Rendered} from '../support/render-and-wait.js';

let current: Rendered | null = null;
function open() {
	const services = new SnapshotServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 200});
	const ui = renderAndWait(<App services={services} onQuit={() => ui.unmount()} />, {columns: 120, rows: 36});
	current = ui;
	return ui;
}
afterEach(() => {
	current?.unmount();
	current = null;
});

describe('drill-down from evidence', () => {
	it('enter on a Rejects group shows its raw records; w starts the wizard filled in from the row', async () => {
		const ui = open();
		await ui.waitForFrame('web-1');
		await ui.press(':');
		await ui.type('eni eni-0f1e2d3c4b5a69788');
		await ui.press('enter', 'Security group');
		let frame = await ui.press('3', 'replay finished');
		const row = /› in\s+(\S+)\s+(\d+)\s+tcp/.exec(frame);
		expect(row).not.toBeNull();
		const [, peer, port] = row!;
		frame = await ui.press('enter', `Raw records of ${peer} → ${port}/tcp`);
		const raw = frame.slice(frame.indexOf('Raw records of'));
		const endpoints = [...raw.matchAll(/(\d+\.\d+\.\d+\.\d+):\d+\s+(\d+\.\d+\.\d+\.\d+):(\d+)/g)];
		expect(endpoints.length).toBeGreaterThan(0);
		for (const match of endpoints) {
			expect(match[1]).toBe(peer);
			expect(match[3]).toBe(port);
		}
		frame = await ui.press('esc', 'Newest raw records');
		expect(frame).toContain('[3 Rejects]');
		frame = await ui.press('w', 'What fails?');
		expect(frame).toMatch(new RegExp(`Port\\s+${port}`));
		expect(frame).toMatch(new RegExp(`Client address\\s+${peer!.replace(/\./g, '\\.')}`));
		expect(frame).toContain('[tcp]');
	});

	it('w on a listener starts the wizard for its port', async () => {
		const ui = open();
		await ui.waitForFrame('web-1');
		await ui.press(':');
		await ui.type('eni eni-0f1e2d3c4b5a69788');
		await ui.press('enter', 'Security group');
		const frame = await ui.press('2', 'LISTENING ON');
		const port = /› tcp\S*\s+\S+:(\d+)/.exec(frame)![1];
		const wizard = await ui.press('w', 'What fails?');
		expect(wizard).toMatch(new RegExp(`Port\\s+${port}`));
	});

	it('w on an audit finding starts the wizard on its interface and port', async () => {
		const ui = open();
		await ui.waitForFrame('web-1');
		await ui.press(':');
		await ui.type('audit');
		const frame = await ui.press('enter', 'Audit findings');
		expect(frame).toMatch(/tcp 3389 from 0\.0\.0\.0\/0/);
		await ui.press('j', /› ✗ high\s+\S+\s+sg-0e11b22c33d44e505/);
		const wizard = await ui.press('w', 'What fails?');
		expect(wizard).toMatch(/Port\s+3389/);
		expect(wizard).toContain('Wizard i-');
	});
});

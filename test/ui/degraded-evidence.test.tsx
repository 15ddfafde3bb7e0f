// Missing evidence shows up in the panel it concerns, in words, never as a stack trace.
import {cpSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {renderAndWait, type Rendered} from '../support/render-and-wait.js';
import {fillRequest} from '../support/wizard-steps.js';

let ui: Rendered | null = null;
afterEach(() => {
	ui?.unmount();
	ui = null;
});

describe('degraded evidence', () => {
	it('an unreadable snapshot is an error panel with what to do, not a crash', async () => {
		ui = renderAndWait(<App services={new SnapshotServices({dir: '/nonexistent/snapshot'})} onQuit={() => {}} />);
		const frame = await ui.waitForFrame('The inventory could not be loaded');
		expect(frame).toContain('/nonexistent/snapshot');
		expect(frame).toContain('R retries');
		expect(frame).not.toMatch(/\n\s+at /);
	});

	it('without host captures or flow records each panel says what is missing and the wizard still decides the rules', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'sgtui-partial-'));
		try {
			cpSync('demo/snapshot/aws', path.join(dir, 'aws'), {recursive: true});
			ui = renderAndWait(<App services={new SnapshotServices({dir, replayTickMs: 1})} onQuit={() => {}} />, {columns: 120, rows: 36});
			await ui.waitForFrame('web-1');
			await ui.press(':');
			await ui.type('eni eni-0f1e2d3c4b5a69788');
			await ui.press('enter', 'Security group');
			let frame = await ui.press('2', 'No listener evidence for i-0a1b2c3d4e5f60718');
			expect(frame).toContain('hosts/i-0a1b2c3d4e5f60718.txt');
			frame = await ui.press('3', 'the snapshot has no flow records for eni-0f1e2d3c4b5a69788');
			expect(frame).toContain('✗ failed');

			await ui.press('w', 'What fails?');
			await fillRequest(ui, '8443', '198.51.100.23');
			frame = await ui.press('enter', '? Unknown — no listener evidence');
			frame = await ui.press('enter', 'The path, layer by layer');
			expect(frame).toContain('✗ Security groups');
			expect(frame).toMatch(/\? Host/);
			await ui.press('enter', 'Now try the connection');
			await ui.press('enter');
			frame = await ui.waitForFrame(/Unknown: evidence is missing|Blocked by the security groups/);
			// The first layer that stops the packet decides; the missing capture is listed, not guessed.
			expect(frame).toContain('Blocked by the security groups');
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});

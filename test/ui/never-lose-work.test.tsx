// Never lose work: keys are text in the wizard's fields, a paste is one edit, quitting a check
// under way asks first, the wizard survives the terminal shrinking below the minimum, and the last
// step leads back to the interface or into a new check.
import {mkdtempSync, readdirSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {frameLines, renderAndWait, type Rendered} from '../support/render-and-wait.js';
import {panelText} from '../support/wizard-panel.js';
import {openWizard, fillRequest} from '../support/wizard-steps.js';

let current: Rendered | null = null;

function open(size: {columns?: number; rows?: number} = {columns: 80, rows: 24}, onQuit: () => void = () => current?.unmount(), reportDir = process.cwd()) {
	const services = new SnapshotServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 200, reportDir});
	current = renderAndWait(<App services={services} onQuit={onQuit} />, size);
	return current;
}

afterEach(() => {
	current?.unmount();
	current = null;
});

async function wizardOnWeb1(ui: Rendered) {
	await ui.waitForFrame('web-1');
	await openWizard(ui, 'i-0a1b2c3d4e5f60718');
}

describe('never lose work', () => {
	it('types q into a field instead of quitting, and refuses it on Port with a message', async () => {
		const onQuit = vi.fn();
		const ui = open(undefined, onQuit);
		await wizardOnWeb1(ui);
		await ui.press('q', 'Port takes digits only: "q" not typed');
		expect(onQuit).not.toHaveBeenCalled();
		await ui.type('8443');
		await ui.press('down');
		await ui.press('down');
		// A pasted run with a q in it is one edit into the field, and never quits.
		ui.stdin.write('10.0.0.0/8q');
		const frame = await ui.waitForFrame('10.0.0.0/8q');
		expect(onQuit).not.toHaveBeenCalled();
		// The label is still there: the value never overwrites it.
		expect(frame).toMatch(/Client address\s+10\.0\.0\.0\/8q/);
	});

	it('takes a 3,000-character paste as one edit: refused whole, in a frame or two, label intact', async () => {
		const ui = open();
		await wizardOnWeb1(ui);
		await ui.press('down');
		await ui.press('down', '› Client address');
		const before = ui.stdout.frames.length;
		ui.stdin.write('198.51.100.23 '.repeat(215).slice(0, 3000));
		const frame = await ui.waitForFrame('holds at most 64 characters');
		// One edit means one state change: a handful of frames, not one per character.
		expect(ui.stdout.frames.length - before).toBeLessThan(10);
		expect(panelText(frame)).toContain('(3000 characters) was not typed');
		expect(frame).toMatch(/› Client address\s/);
		for (const line of frameLines(frame)) expect(line.length).toBeLessThanOrEqual(80);
		// An address pasted into Port is refused whole (it used to become "19851").
		await ui.press('up');
		await ui.press('up', '› Port');
		ui.stdin.write('198.51.100.23');
		const port = await ui.waitForFrame(/Port takes digits only: the paste\s+"198\.51\.100\.23"/);
		expect(port).toMatch(/› Port\s+▏?\s*e\.g\. 443/);
	});

	it('asks before quitting a check under way; n stays, q again quits', async () => {
		const onQuit = vi.fn();
		const ui = open(undefined, onQuit);
		await wizardOnWeb1(ui);
		await ui.type('8443');
		await ui.press('down', '› Protocol');
		await ui.press('q', 'Quit sgtui and lose this check?');
		expect(onQuit).not.toHaveBeenCalled();
		await ui.press('n', (frame) => !frame.includes('Quit sgtui and lose this check?'));
		expect(ui.frame()).toMatch(/Port\s+8443/);
		await ui.press('q', 'Quit sgtui and lose this check?');
		await ui.press('q');
		await vi.waitFor(() => expect(onQuit).toHaveBeenCalledTimes(1));
	});

	it('keeps the wizard, its step and its fields through a resize below the minimum', async () => {
		const ui = open({columns: 100, rows: 30});
		await wizardOnWeb1(ui);
		await fillRequest(ui, '8443', '198.51.100.23');
		await ui.press('enter', 'Is anything listening on tcp/8443?');
		ui.resize(60, 20);
		const small = await ui.waitForFrame('Terminal too small: 60×20');
		expect(small).toContain('Enlarge it (nothing is lost), or q quits.');
		for (const line of frameLines(small)) expect(line.length).toBeLessThanOrEqual(60);
		ui.resize(100, 30);
		const back = await ui.waitForFrame('Is anything listening on tcp/8443?');
		expect(back).toContain('tcp/8443 from 198.51.100.23');
		await ui.press('esc', 'What fails?');
		expect(ui.frame()).toMatch(/Client address\s+198\.51\.100\.23/);
	});

	it('esc out of a changed form asks before discarding it; an untouched form leaves at once', async () => {
		const ui = open();
		await wizardOnWeb1(ui);
		await ui.type('8443');
		await ui.press('esc', 'Leave the wizard? What you entered is discarded.');
		let frame = await ui.press('esc', (next) => !next.includes('Leave the wizard?'));
		expect(frame).toMatch(/Port\s+8443/);
		await ui.press('esc', 'Leave the wizard?');
		frame = await ui.press('y', (next) => !next.includes('What fails?'));
		expect(frame).toContain('Network interfaces');
		await openWizard(ui, 'i-0a1b2c3d4e5f60718');
		frame = await ui.press('esc', (next) => !next.includes('What fails?'));
		expect(frame).not.toContain('Leave the wizard?');
	});

	it('":" typed into the target filter is text, not the command palette', async () => {
		const ui = open();
		await ui.waitForFrame('web-1');
		await ui.press(':');
		await ui.type('wizard');
		await ui.press('enter', 'Which instance or interface cannot be reached?');
		const frame = await ui.type('fe80:', 'type to filter: fe80:');
		expect(frame).toContain('Which instance or interface cannot be reached?');
	});

	it('after saving, enter goes back to the interface and n starts a new check', async () => {
		const reports = mkdtempSync(path.join(os.tmpdir(), 'sgtui-nlw-'));
		const ui = open({columns: 80, rows: 24}, undefined, reports);
		await ui.waitForFrame('web-1');
		await ui.press('enter', 'Security group');
		await ui.press('w', 'What fails?');
		await ui.type('8443');
		await ui.press('enter', 'Is anything listening');
		await ui.press('enter', 'The path, layer by layer');
		await ui.press('enter', 'Now try the connection');
		await ui.press('enter', '▸6 Verdict');
		await ui.press('enter', 'Save the evidence');
		let frame = await ui.press('enter', '✓ Saved');
		expect(readdirSync(reports).filter((name) => name.endsWith('.md'))).toHaveLength(1);
		expect(frame).toContain('back to the interface');
		expect(frame).toContain('new check');
		frame = await ui.press('n', 'What fails?');
		expect(frame).toMatch(/› Port\s+▏?\s*e\.g\. 443/);
		await ui.type('22');
		for (let step = 0; step < 4; step++) await ui.press('enter');
		await ui.press('enter', 'Save the evidence');
		await ui.press('s', '✓ Saved');
		frame = await ui.press('enter', 'Security group');
		expect(frame).toMatch(/\(eni-[0-9a-f]+\) › Rules/);
		expect(frame).not.toContain('Triage');
	});
});

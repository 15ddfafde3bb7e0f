// `/` filters every list the help says it does (inventory, Rules, Listeners, Rejects): the field
// takes every printable key as text, digits included, until enter keeps it or esc clears it.
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {frameLines, renderAndWait, type Rendered} from '../support/render-and-wait.js';

let current: Rendered | null = null;
function open(size = {columns: 120, rows: 36}) {
	const services = new SnapshotServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 200});
	const ui = renderAndWait(<App services={services} onQuit={() => ui.unmount()} />, size);
	current = ui;
	return ui;
}
afterEach(() => {
	current?.unmount();
	current = null;
});

async function openWeb1(ui: Rendered) {
	await ui.waitForFrame('web-1');
	await ui.press(':');
	await ui.type('eni eni-0f1e2d3c4b5a69788');
	return ui.press('enter', 'Security group');
}

/** The list rows (lines starting with the selection column) of a frame. */
function listRows(frame: string): string[] {
	return frameLines(frame).filter((line) => /^(› | {2})\S/.test(line));
}

describe('list filters', () => {
	it('Inventory: typing selects the first match; esc clears the filter and the cursor stays on that row', async () => {
		const ui = open();
		await ui.waitForFrame('web-1');
		const selected = (frame: string) => frame.split('\n').find((line) => line.startsWith('› ')) ?? '';
		// Typed fast (one read, as tmux send-keys or a quick typist delivers it) or pasted: "web"
		// arrives as one edit, and the cursor went to the first row of the list before it (app-1).
		await ui.press('/');
		await ui.press('web', (frame) => selected(frame).includes('web-1') && frame.includes('filtered from'));
		const frame = await ui.press('esc', (next) => !next.includes('filtered from'));
		expect(selected(frame)).toContain('web-1');
	});

	it('Inventory: nothing matching says so on its own row, under a long pasted filter too (it was drawn over the findings)', async () => {
		const ui = open({columns: 80, rows: 24});
		await ui.waitForFrame('web-1');
		await ui.press('/');
		const frame = await ui.press('x'.repeat(100), 'Nothing matches');
		const lines = frameLines(frame);
		const at = lines.findIndex((line) => line.includes('Nothing matches'));
		expect(lines[at]).toBe(`  Nothing matches "${'x'.repeat(23)}…" (esc clears the filter).`);
		expect(lines[at + 1]).toBe('');
		expect(lines[at + 2]).toMatch(/^Audit findings/);
		// The filter line shows its end, where the cursor is.
		expect(lines.find((line) => line.startsWith('/'))).toMatch(/^\/…x+.? {2}\(enter keeps, esc clears\)/);
	});

	it('Rules: digits after / go into the filter (not to the tabs); enter keeps it, esc clears it', async () => {
		const ui = open();
		await openWeb1(ui);
		await ui.press('/', '(enter keeps, esc clears)');
		let frame = await ui.type('443', '/443');
		// Still the Rules tab: "4" did not open Flow logs, "3" did not open Rejects.
		expect(frame).toContain('[1 Rules]');
		const rules = listRows(frame).filter((line) => /\b(allow|deny|route)\b/.test(line));
		expect(rules.length).toBe(2);
		for (const line of rules) expect(line).toMatch(/tcp 443\b/);
		expect(frame).toContain('Security group sg-0a11b22c33d44e501 web-sg');
		expect(frame).not.toContain('Network ACL acl-');
		expect(frame).toContain('(filtered from 22)');
		await ui.press('enter', '(/ edits, esc clears)');
		// Kept: keys are keys again (2 opens Listeners), and the filter is still there on return.
		await ui.press('2', '[2 Listeners]');
		frame = await ui.press('1', '[1 Rules]');
		expect(frame).toContain('/443');
		frame = await ui.press('esc', (text) => !text.includes('/443'));
		expect(frame).toContain('1–22 of 22');
		expect(frame).toContain('[1 Rules]');
	});

	it('Listeners: / filters the sockets by port or process', async () => {
		const ui = open();
		await openWeb1(ui);
		await ui.press('2', 'LISTENING ON');
		await ui.press('/');
		const frame = await ui.type('8443', '/8443');
		expect(frame).toContain('[2 Listeners]');
		const rows = listRows(frame).filter((line) => /\b(tcp|udp)6?\s/.test(line));
		expect(rows).toHaveLength(1);
		expect(rows[0]).toContain('0.0.0.0:8443');
	});

	it('Rejects: / filters the groups and the raw records; a pasted filter is one edit', async () => {
		const ui = open();
		await openWeb1(ui);
		await ui.press('3', 'replay finished');
		await ui.press('/');
		// tmux send-keys and pastes arrive as one run: one edit, never tab switches.
		ui.stdin.write('9200');
		const frame = await ui.waitForFrame('/9200');
		expect(frame).toContain('[3 Rejects]');
		const groups = listRows(frame).filter((line) => /^(› | {2})in\s/.test(line));
		expect(groups.length).toBe(3);
		for (const line of groups) expect(line).toMatch(/\s9200\s+tcp/);
		const raw = frame.slice(frame.indexOf('Newest raw records'));
		const destinations = [...raw.matchAll(/10\.20\.2\.10:(\d+)/g)].map((match) => match[1]);
		expect(destinations.length).toBeGreaterThan(0);
		expect(new Set(destinations)).toEqual(new Set(['9200']));
		expect(frame).toMatch(/of 3 groups \(filtered from 14\)/);
	});
});

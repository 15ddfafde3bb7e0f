// The static tables through ink-table: content-sized columns that never cut an id or address,
// hostile cell content shown inert, and the Flow logs tab drawn with it at 80 columns.
import {afterEach, describe, expect, it} from 'vitest';
import {StaticTable} from '../../source/ui/StaticTable.js';
import {SaveStep} from '../../source/ui/SaveStep.js';
import type {Column} from '../../source/ui/columns.js';
import {frameLines, renderAndWait, type Rendered} from '../support/render-and-wait.js';
import {openWebEni, renderSnapshotApp} from '../support/snapshot-app.js';
import {cutTokens} from '../support/cut-tokens.js';
import {panelText} from '../support/wizard-panel.js';
import {openWizard, fillRequest} from '../support/wizard-steps.js';

interface Row {
	name: string;
	cidr: string;
}
const COLUMNS: Column<Row>[] = [
	{id: 'name', title: 'NAME', width: 4, cut: 'shrink', priority: 5, text: (row) => row.name},
	{id: 'cidr', title: 'CIDR', width: 4, priority: 9, text: (row) => row.cidr},
];

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

describe('StaticTable (ink-table)', () => {
	it('fits 80 columns, shrinking the name and keeping every CIDR whole', async () => {
		const rows = [
			{name: 'x'.repeat(200), cidr: '2001:db8:1234:5678::/64'},
			{name: 'short', cidr: '10.20.0.0/16'},
		];
		current = renderAndWait(<StaticTable columns={COLUMNS} rows={rows} width={80} />, {columns: 80, rows: 10});
		const frame = await current.waitForFrame('CIDR');
		for (const line of frameLines(frame)) expect(line.length).toBeLessThanOrEqual(80);
		expect(frame).toContain('2001:db8:1234:5678::/64');
		expect(frame).toContain('10.20.0.0/16');
		expect(frame).toMatch(/x+…/);
		expect(frame).toContain('┌');
	});

	it('shows hostile cell content inert: no escape reaches the terminal', async () => {
		const rows = [{name: 'evil\u001B]52;c;ZWNobyBvd25lZA==\u0007\u001B[2J\u202Ename', cidr: '10.0.0.0/8'}];
		current = renderAndWait(<StaticTable columns={COLUMNS} rows={rows} width={80} />, {columns: 80, rows: 10});
		await current.waitForFrame('10.0.0.0/8');
		const raw = current.rawFrame();
		expect(raw).not.toContain('\u001B]52');
		expect(raw).not.toContain('\u001B[2J');
		expect(raw).not.toContain('\u202E');
		expect(current.frame()).toContain('evil');
	});

	it('draws the Flow logs tab at 80×24 without cutting an id', async () => {
		const ui = renderSnapshotApp({columns: 80, rows: 24});
		current = ui;
		await openWebEni(ui);
		const frame = await ui.press('4', 'FLOW LOG');
		expect(frame).toMatch(/│ ✓ │ fl-[0-9a-f]+ │/);
		expect(cutTokens(frame)).toEqual([]);
		for (const line of frameLines(frame)) expect(line.length).toBeLessThanOrEqual(80);
	});

	/** The demo's wizard driven to step 7 (the report preview) at `columns`. */
	async function reportPreviewAt(columns: number, rows: number, until: string): Promise<string> {
		const ui = renderSnapshotApp({columns, rows});
		current = ui;
		await ui.waitForFrame('web-1');
		await openWizard(ui, 'i-0a1b2c3d4e5f60718');
		await fillRequest(ui, '8443', '198.51.100.23');
		await ui.press('enter', 'Is anything listening');
		await ui.press('enter', 'The path, layer by layer');
		await ui.press('enter', 'Now try the connection');
		await ui.press('enter', '▸6 Verdict');
		return ui.press('enter', until);
	}

	it('previews the evidence report at step 7 (160×45) as an ink-table: every cell whole', async () => {
		const frame = await reportPreviewAt(160, 45, 'EVIDENCE');
		expect(frame).toMatch(/│ eni-0f1e2d3c4b5a69788 10\.20\.2\.10 +│ web-1 +│/);
		expect(frame).toMatch(/│ tcp\/8443 from 198\.51\.100\.23 +│ client OS linux +│/);
		expect(frame).toMatch(/│ 1 of 8 layers stop it +│ Blocked by the security groups +│/);
		expect(frame).toMatch(/│ \d+ REJECT, \d+ ACCEPT +│ \S+/);
		expect(frame).toContain('└');
		expect(cutTokens(frame)).toEqual([]);
		for (const line of frameLines(frame)) expect(line.length).toBeLessThanOrEqual(160);
	});

	it('at 80×24, beside the rail, the preview is a list: each detail whole under its evidence', async () => {
		const frame = await reportPreviewAt(80, 24, 'Save the evidence');
		expect(frame).not.toContain('EVIDENCE');
		const panel = panelText(frame);
		expect(panel).toContain('Target eni-0f1e2d3c4b5a69788 10.20.2.10 web-1');
		expect(panel).toContain('Request tcp/8443 from 198.51.100.23 client OS linux');
		expect(panel).toContain('Verdict 1 of 8 layers stop it Blocked by the security groups');
		expect(panel).toMatch(/Records \d+ REJECT, \d+ ACCEPT \S+/);
		expect(frame).toContain('Press s (or enter) to write');
		expect(cutTokens(frame)).toEqual([]);
		for (const line of frameLines(frame)) expect(line.length).toBeLessThanOrEqual(80);
	});

	const hostile = '\u001B]52;c;ZWNobyBvd25lZA==\u0007\u001B[2J\u202E';
	const hostilePreview = [
		{section: 'Target', evidence: 'eni-0f1e2d3c4b5a69788 10.20.2.10', detail: `web${hostile}-1 ${'x'.repeat(80)}`},
		{section: 'Request', evidence: 'tcp/8443 from 2001:db8::1', detail: `client OS ${hostile}linux`},
	];
	// Only SGR styling (ESC [ … m) may reach the terminal: no OSC, no screen clear, no bidi override.
	const inert = (raw: string) => expect(raw.replace(/\u001B\[[0-9;]*m/g, '')).not.toMatch(/[\u001B\u0007\u202E]/);

	it('keeps a hostile report preview inert and whole: the table when every cell fits (110 columns)', async () => {
		const fitting = hostilePreview.map((row) => ({...row, detail: row.detail.replace(/ x+$/, '')}));
		current = renderAndWait(<SaveStep save={{status: 'idle'}} baseName="sgtui-triage" preview={fitting} width={110} />, {columns: 120, rows: 24});
		const frame = await current.waitForFrame('EVIDENCE');
		inert(current.rawFrame());
		expect(frame).toContain('│ eni-0f1e2d3c4b5a69788 10.20.2.10 │');
		expect(frame).toContain('tcp/8443 from 2001:db8::1');
		expect(frame).toMatch(/│ web\\x1b\]52;c;ZWNobyBvd25lZA==\\x07\\x1b\[2J\\u202e-1 +│/);
		for (const line of frameLines(frame)) expect(line.length).toBeLessThanOrEqual(110);
	});

	it('keeps a hostile report preview inert and its evidence whole: the list at 48 columns', async () => {
		current = renderAndWait(<SaveStep save={{status: 'idle'}} baseName="sgtui-triage" preview={hostilePreview} width={48} />, {columns: 80, rows: 24});
		const frame = await current.waitForFrame('Request');
		inert(current.rawFrame());
		expect(frame).toContain('eni-0f1e2d3c4b5a69788 10.20.2.10');
		expect(frame).toContain('tcp/8443 from 2001:db8::1');
		expect(frame).toContain('web\\x1b]52;c;ZWNobyBvd25lZA==\\x07');
		for (const line of frameLines(frame)) expect(line.length).toBeLessThanOrEqual(48);
	});
});

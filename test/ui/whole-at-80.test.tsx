// The demo at 80×24, screen by screen as a person walks it: prose wraps or is said shorter, key
// hints are dropped whole (help lists them all), and nothing is cut inside a word, id or address.
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {frameLines, renderAndWait, type Rendered} from '../support/render-and-wait.js';
import {cutTokens} from '../support/cut-tokens.js';
import {panelText} from '../support/wizard-panel.js';
import {openWizard, fillRequest} from '../support/wizard-steps.js';

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

function open(): Rendered {
	const services = new SnapshotServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 200});
	current = renderAndWait(<App services={services} onQuit={() => current?.unmount()} />, {columns: 80, rows: 24});
	return current;
}

/**
 * Lines that end (at the frame's edge or the rail's border) in a word cut with "…" glued to it;
 * a progress word ("connecting…", "Probing the host…") ends so on purpose.
 */
function wordCuts(frame: string): string[] {
	return frameLines(frame).filter((line) => /[^\s…]…\s*(│|$)/.test(line) && !/\b\w+ing(?: the host)?…\s*(│|$)/.test(line));
}

function expectWhole(frame: string) {
	expect(cutTokens(frame), frame).toEqual([]);
	expect(wordCuts(frame), frame).toEqual([]);
	const lines = frameLines(frame);
	expect(lines.length).toBeLessThanOrEqual(23);
	for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
}

describe('the demo at 80×24: nothing cut mid-word', () => {
	it('the interface tabs: status keys whole, flow-log sentences wrapped', async () => {
		const ui = open();
		await ui.waitForFrame('web-1');
		let frame = await ui.press(':', 'eni <eni-id>');
		// The palette's suggestions at 80 columns: whole ones only, not one and half of the next.
		const suggestions = frameLines(frame).at(-2) ?? '';
		expect(suggestions).toMatch(/^eni <eni-id> Open a network interface/);
		expect(suggestions).not.toContain('…');
		await ui.type('eni eni-0f1e2d3c4b5a69788');
		frame = await ui.press('enter', 'Security group');
		// The Rules tab's explanation gives way between words to the count and the audit's flag.
		expectWhole(frame);
		frame = await ui.press('2', 'LISTENING ON');
		// Cells give way at word ends ("open to those…"), never inside an address or CIDR.
		expect(cutTokens(frame), frame).toEqual([]);
		frame = await ui.press('3', 'DIR');
		const status = frameLines(frame).at(-1) ?? '';
		// The Rejects tab has more keys than fit: the last ones go whole, `? help` stays.
		expect(status).toMatch(/\? help\s*$/);
		expect(status).not.toContain('…');
		frame = await ui.press('4', 'FLOW LOG');
		expectWhole(frame);
		expect(frame.replace(/\s+/g, ' ')).toContain('Not logged by any flow log: Amazon DNS, 169.254.169.254 / .123, DHCP, Windows license activation.');
	});

	it('a Flow logs tab taller than its rows: clipped at the bottom, warnings before formats, nothing drawn over anything', async () => {
		const ui = open();
		await ui.waitForFrame('web-1');
		await ui.press(':', 'eni <eni-id>');
		await ui.type('eni eni-02b3c4d5e6f708192');
		await ui.press('enter', 'Security group');
		const frame = await ui.press('4', 'FLOW LOG');
		const lines = frameLines(frame);
		const bottom = lines.findIndex((line) => line.startsWith('└'));
		expect(bottom, frame).toBeGreaterThan(0);
		// Both flow logs' rows are whole, and the S3 log's warning comes right under the table.
		expect(lines.filter((line) => /^│ [✓!] │ fl-0[ab]/.test(line)), frame).toHaveLength(2);
		expect(lines[bottom + 1], frame).toMatch(/^! fl-0b2c3d4e5f6789012 delivers to S3/);
		// Squeezed into fewer rows than they draw, wrapped lines were painted over each other ("${a! fl-…").
		expect(frame).not.toMatch(/\$\{[a-z-]*!/);
		expectWhole(frame);
	});

	it('the wizard, step by step', async () => {
		const ui = open();
		await ui.waitForFrame('web-1');
		await openWizard(ui, 'i-0a1b2c3d4e5f60718');
		let frame = ui.frame();
		expect(panelText(frame)).toContain('The connection you try: its port, protocol and — if you know it — the client\'s address.');
		await ui.press('down');
		frame = await ui.press('down', 'Client address:');
		// The client field's hint is too long to sit beside it: it goes under the form, whole.
		expect(panelText(frame)).toContain('Client address: empty = any client (ctrl+a clears)');
		expectWhole(frame);
		await ui.press('up');
		await ui.press('up', (screen) => !screen.includes('Client address:'));
		await fillRequest(ui, '8443', '198.51.100.23');
		frame = await ui.press('enter', '✓ Listening');
		expectWhole(frame);
		frame = await ui.press('enter', 'The path, layer by layer');
		expectWhole(frame);
		// The layer that blocks keeps its summary whole; layers that let it through share a line.
		expect(panelText(frame)).toMatch(/✗ Security groups No rule of sg-0a11b22c33d44e501 allows tcp\/8443 from 198\.51\.100\.23/);
		frame = await ui.press('enter', 'Now try the connection');
		expectWhole(frame);
		expect(panelText(frame)).toMatch(/a REJECT can take ~\S+ \S+ to show/);
		frame = await ui.press('enter', '▸6 Verdict');
		expectWhole(frame);
		// Its keys take two lines rather than lose "enter next" to a cut.
		expect(panelText(frame)).toContain('y copy · v view whole · f to file enter next (7/7) · esc back');
		frame = await ui.press('enter', 'Save the evidence');
		expectWhole(frame);
	});
});

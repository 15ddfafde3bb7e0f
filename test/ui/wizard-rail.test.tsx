// The wizard's rail at 80 columns (32 wide): a finding longer than the rail wraps between words
// while rows are spare — the verdict and the blocking layers first — and otherwise is said short
// or cut between words, never inside an id.
import {afterEach, describe, expect, it} from 'vitest';
import {WizardRail, railLines} from '../../source/ui/WizardRail.js';
import type {RailFinding} from '../../source/ui/wizard-findings.js';
import {frameLines, renderAndWait, type Rendered} from '../support/render-and-wait.js';

const findings: Array<RailFinding | null> = [
	{text: 'app-1 (eni-01a2b3c4d5e6f7081)', short: 'eni-01a2b3c4d5e6f7081', tone: 'muted'},
	{text: 'tcp/8080 from 10.20.1.5', tone: 'muted'},
	{text: '✗ loopback only', tone: 'bad'},
	{text: '✗ blocked: Security groups, Host listener', tone: 'bad'},
	{text: 'no REJECT yet', tone: 'muted'},
	{text: 'Blocked by the security groups', tone: 'bad'},
	null,
];

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

describe('WizardRail', () => {
	it('wraps the verdict and the blocking layers whole when rows are spare (80×24: 20 rows)', async () => {
		current = renderAndWait(<WizardRail step={5} findings={findings} width={32} height={20} />, {columns: 32, rows: 24});
		const frame = await current.waitForFrame('6 Verdict');
		const rail = frameLines(frame).map((line) => line.replace(/│\s*$/, '').trim());
		expect(rail).toContain('Blocked by the security');
		expect(rail).toContain('groups');
		expect(rail).toContain('✗ blocked: Security groups,');
		expect(rail).toContain('Host listener');
		// The target had rows left too: its name, then the id whole.
		expect(rail).toContain('app-1');
		expect(rail).toContain('(eni-01a2b3c4d5e6f7081)');
		expect(frameLines(frame).length).toBeLessThanOrEqual(20);
		expect(frame).not.toContain('…');
	});

	it('with no row to spare, the short form or a cut between words, never inside an id', () => {
		const lines = railLines(findings, 27, 0);
		expect(lines.every((finding) => finding.length <= 1)).toBe(true);
		expect(lines[0]).toEqual(['eni-01a2b3c4d5e6f7081']);
		expect(lines[3]).toEqual(['✗ blocked: Security …']);
		expect(lines[5]).toEqual(['Blocked by the security …']);
	});

	it('spares rows for the verdict before the target', () => {
		const lines = railLines(findings, 27, 1);
		expect(lines[5]).toEqual(['Blocked by the security', 'groups']);
		expect(lines[3]).toEqual(['✗ blocked: Security …']);
		expect(lines[0]).toEqual(['eni-01a2b3c4d5e6f7081']);
	});
});

// One story per screen: app-1's API listens on 127.0.0.1:8080 while web-sg's rule opens the port.
// The Listeners tab, the audit and the wizard must give the host layer's one answer — the bind
// address is the fix, no group change helps — and none may offer the revoke as "the fix".
import {mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {beforeAll, afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {loadSnapshot} from '../../source/files/load-snapshot.js';
import {hostPortAnswer} from '../../source/core/path/host.js';
import {frameLines, renderAndWait, type Rendered} from '../support/render-and-wait.js';
import {panelText} from '../support/wizard-panel.js';
import {openWizard} from '../support/wizard-steps.js';

let current: Rendered | null = null;
let answer: {summary: string; fix: string};

beforeAll(async () => {
	const snapshot = await loadSnapshot('demo/snapshot');
	const eni = snapshot.inventory.networkInterfaces.find((candidate) => candidate.id === 'eni-01a2b3c4d5e6f7081')!;
	const result = hostPortAnswer({eni, platform: 'linux', host: snapshot.hosts['i-0b2c3d4e5f6071829']!, protocol: 'tcp', port: 8080, family: 'ipv4'});
	expect(result.result.reason).toBe('loopback-only');
	answer = {summary: result.result.summary, fix: result.fix!.summary};
});

function open(reportDir = process.cwd(), size = {columns: 160, rows: 40}) {
	const services = new SnapshotServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 200, reportDir});
	current = renderAndWait(<App services={services} onQuit={() => current?.unmount()} />, size);
	return current;
}

afterEach(() => {
	current?.unmount();
	current = null;
});

/** The frame as one line of prose (wrapped messages joined). */
function prose(frame: string): string {
	return frameLines(frame).join(' ').replace(/\s+/g, ' ');
}

describe('a loopback-only listener gets one answer everywhere', () => {
	it('the engine says: loopback only, bind it, no group change', () => {
		expect(answer.summary).toBe('Only node (pid 3141) on 127.0.0.1:8080 listens on tcp 8080: it accepts local connections only.');
		expect(answer.fix).toContain('No security-group change is needed');
	});

	it('Listeners tab: the engine summary and fix, and the rule is not listed as "nothing listens: close"', async () => {
		const ui = open();
		await ui.waitForFrame('app-1');
		await ui.press(':');
		await ui.type('eni eni-01a2b3c4d5e6f7081');
		await ui.press('enter', 'Security group');
		const frame = await ui.press('2', 'loopback only: accepts local connections only');
		expect(prose(frame)).toContain(`✗ ${answer.summary} ${answer.fix}`);
		expect(frame).not.toContain('nothing listens');
		expect(frame).not.toMatch(/close (them|the rule)/);
	});

	it('Listeners tab at 80×24: the whole answer, down to the address to bind', async () => {
		const ui = open(process.cwd(), {columns: 80, rows: 24});
		await ui.waitForFrame('app-1');
		await ui.press(':');
		await ui.type('eni eni-01a2b3c4d5e6f7081');
		await ui.press('enter', 'Security group');
		const frame = await ui.press('2', 'LISTENING ON');
		expect(prose(frame)).toContain(`✗ ${answer.summary} ${answer.fix}`);
	});

	it('Audit: the fix line is the engine fix; the revoke is only the stated alternative, in the copy view', async () => {
		const reportDir = mkdtempSync(path.join(os.tmpdir(), 'sgtui-audit-fix-'));
		const ui = open(reportDir);
		await ui.waitForFrame('app-1');
		await ui.press(':');
		await ui.type('audit');
		let frame = await ui.press('enter', 'risky or useless rules');
		const rows = frameLines(frame).filter((line) => /^[ ›] \S+ (high|medium|low) /.test(line));
		const at = rows.findIndex((line) => line.includes('loopback-only'));
		expect(at).toBeGreaterThan(0);
		for (let i = 0; i < at; i++) frame = await ui.press('j', (next) => frameLines(next).some((line) => line === `› ${rows[i + 1]!.slice(2)}`));
		expect(frame).toMatch(/› \S+ medium\s+loopback-only/);
		expect(prose(frame)).toContain(`fix: ${answer.fix}`);
		expect(frame).not.toMatch(/fix: aws ec2 revoke/);
		frame = await ui.press('v', 'The fix, whole');
		const text = prose(frame);
		expect(text).toContain(answer.fix);
		expect(text).toMatch(/Only if the service is meant to stay local.*aws ec2 revoke-security-group-ingress --group-id sg-0b11b22c33d44e502/);
		expect(text.indexOf(answer.fix)).toBeLessThan(text.indexOf('revoke-security-group-ingress'));
		// y has no command to copy (the fix is a bind address); f writes the whole view to a file
		// whose conditional revoke is commented out, so running it never takes the "only if" way.
		await ui.press('y', 'nothing to copy: this fix is not a command');
		await ui.press('f', '✓ written to');
		const file = path.join(reportDir, readdirSync(reportDir).find((name) => name.endsWith('.sh'))!);
		const script = readFileSync(file, 'utf8');
		expect(script).toContain('# 1. Bind the service to 0.0.0.0');
		// The alternative is not step 2 of a sequence: it is headed as `sgtui audit` heads it.
		expect(script).toMatch(/^# Otherwise: Only if the service is meant to stay local/m);
		expect(script).not.toMatch(/^# 2\./m);
		expect(script).toMatch(/^# aws ec2 revoke-security-group-ingress --group-id sg-0b11b22c33d44e502/m);
		expect(script).not.toMatch(/^aws /m);
		frame = await ui.press('esc', 'risky or useless rules');
		expect(frame).toMatch(/› \S+ medium\s+loopback-only/);
	});

	it('Wizard: step 3 and the verdict give the same summary and fix', async () => {
		const ui = open();
		await ui.waitForFrame('app-1');
		await openWizard(ui, 'i-0b2c3d4e5f6071829');
		await ui.type('8080');
		let frame = await ui.press('enter', 'Loopback only');
		expect(panelText(frame)).toContain(`${answer.summary} ${answer.fix}`);
		await ui.press('enter', 'The path, layer by layer');
		await ui.press('enter', 'Now try the connection');
		frame = await ui.press('enter', '▸6 Verdict');
		expect(panelText(frame)).toContain(answer.fix);
		expect(frame).not.toContain('revoke');
	});
});

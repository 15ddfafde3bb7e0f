// From the verdict to a copyable fix at 80×24: the command is never broken inside an address, the
// fix view lays it out for copying (the same words to bash), y sends it to the clipboard (OSC 52)
// and f writes it to a script that bash accepts.
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {frameLines, type Rendered} from '../support/render-and-wait.js';
import {renderSnapshotApp} from '../support/snapshot-app.js';
import {cutTokens} from '../support/cut-tokens.js';
import {openWizard, fillRequest} from '../support/wizard-steps.js';

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

describe('the fix, copyable at 80×24', () => {
	it('shows the fix unbroken, views it whole, copies it and writes it to a file', async () => {
		const reports = mkdtempSync(path.join(os.tmpdir(), 'sgtui-fix-'));
		const ui = renderSnapshotApp({columns: 80, rows: 24}, {reportDir: reports});
		current = ui;
		await ui.waitForFrame('web-1');
		await openWizard(ui, 'i-0a1b2c3d4e5f60718');
		await fillRequest(ui, '8443', '198.51.100.23');
		await ui.press('enter', 'Is anything listening');
		await ui.press('enter', 'The path, layer by layer');
		await ui.press('enter', 'Now try the connection');
		let frame = await ui.press('enter', 'Blocked by the security groups');
		expect(cutTokens(frame)).toEqual([]);
		for (const line of frameLines(frame)) expect(line.length).toBeLessThanOrEqual(80);

		frame = await ui.press('v', 'The fix, whole');
		// No rail in the copy view: the command gets the full width.
		expect(frame).not.toContain('Triage');
		const commandLines = frameLines(frame).filter((line) => /^(aws | {2}|')/.test(line) && !line.startsWith('  ') || /^ {2}--|^ {2}'|^'/.test(line));
		const script = commandLines.join('\n');
		expect(script).toContain('authorize-security-group-ingress');
		const words = spawnSync('bash', ['-c', `set -- ${script.replace(/^aws /, '')}\nprintf '%s\\n' "$@"`], {encoding: 'utf8'});
		expect(words.status, words.stderr).toBe(0);
		expect(words.stdout).toContain('--ip-permissions\n');
		expect(words.stdout).toMatch(/IpProtocol=tcp,FromPort=8443,ToPort=8443,IpRanges=\[\{CidrIp=198\.51\.100\.23\/32,/);

		const before = ui.stdout.frames.length;
		await ui.press('y', '✓ copied to the terminal (OSC 52)');
		const osc = ui.stdout.frames.slice(before).join('').match(/\u001B\]52;c;([A-Za-z0-9+/=]+)\u0007/);
		expect(osc).not.toBeNull();
		expect(Buffer.from(osc![1]!, 'base64').toString()).toMatch(/^aws ec2 authorize-security-group-ingress --group-id sg-0a11b22c33d44e501 --ip-permissions '/);

		await ui.press('f', '✓ written to');
		const scripts = readdirSync(reports).filter((name) => name.endsWith('-fix.sh'));
		expect(scripts).toHaveLength(1);
		const text = readFileSync(path.join(reports, scripts[0]!), 'utf8');
		expect(text).toContain('198.51.100.23/32');
		expect(spawnSync('bash', ['-n', '-c', text]).status).toBe(0);

		frame = await ui.press('esc', 'Blocked by the security groups');
		expect(frame).toContain('Triage');
		expect(frame).toContain('✓ written to');
		// R re-reads the evidence: the line about what was written goes, even though the fix reads the same.
		frame = await ui.press('R', (next) => next.includes('Blocked by the security groups') && !next.includes('✓ written to'));
		expect(frame).toContain('y copy');
	});
});

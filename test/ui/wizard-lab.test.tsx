// The triage wizard step by step against the lab: the demo's services (lab over the real SDK
// clients, Live Tail, the lab's ssh2 hosts probed over real SSH) behind the real App.
import {mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {createDemoServices} from '../../source/app/live-services.js';
import type {SgtuiServices} from '../../source/ui/services.js';
import {renderAndWait, type Rendered} from '../support/render-and-wait.js';
import {openWizard, fillRequest} from '../support/wizard-steps.js';

// Each step is its own test on a fresh render: wizardAt(n) drives the steps before n without
// asserting them (the earlier tests do), so a failure names its own step, not every one after it.
// The demo services (the lab, its ssh2 hosts) are shared: they are the environment, like a server.
describe('triage wizard against the lab', {timeout: 90_000}, () => {
	let services: SgtuiServices;
	let ui: Rendered;
	let rendered: Rendered | null = null;
	const reports = mkdtempSync(path.join(os.tmpdir(), 'sgtui-reports-'));

	beforeAll(async () => {
		services = await createDemoServices({stateDir: mkdtempSync(path.join(os.tmpdir(), 'sgtui-demo-')), reportDir: reports});
	});
	afterEach(() => {
		rendered?.unmount();
		rendered = null;
	});
	afterAll(async () => {
		await services?.close();
	});

	/** A fresh App on the inventory, driven to just before wizard step `step` (1: the target). */
	async function wizardAt(step: number): Promise<Rendered> {
		const fresh = renderAndWait(<App services={services} onQuit={() => fresh.unmount()} />, {columns: 200, rows: 40});
		rendered = fresh;
		await fresh.waitForFrame('win-jump', 15_000);
		const steps: Array<() => Promise<unknown>> = [
			async () => {
				await openWizard(fresh, 'i-0a1b2c3d4e5f60718');
				await fresh.waitForFrame('web-1 (eni-0f1e2d3c4b5');
				await fillRequest(fresh, '8443', '198.51.100.23');
				await fresh.press('enter', 'Is anything listening on tcp/8443?');
			},
			() => Promise.resolve(),
			() => fresh.waitForFrame('✓ Listening', 15_000),
			async () => {
				await fresh.press('enter', 'The path, layer by layer');
				await fresh.waitForFrame('✗ blocked: Security groups');
			},
			async () => {
				await fresh.press('enter', 'Now try the connection');
				await fresh.waitForFrame(/[1-9]\d* REJECTs? to tcp\/8443 on this interface/, 15_000);
			},
			() => fresh.press('enter', 'Blocked by the security groups'),
		];
		for (const before of steps.slice(0, Math.max(0, step - 1))) await before();
		return fresh;
	}

	it('1–2: target from the palette, then the request form with validation', async () => {
		ui = await wizardAt(1);
		await openWizard(ui, 'i-0a1b2c3d4e5f60718');
		// The rail names the target once it is resolved against the inventory.
		await ui.waitForFrame('web-1 (eni-0f1e2d3c4b5');
		await ui.press('enter', 'port: a number 1–65535');
		await fillRequest(ui, '8443', '198.51.100.999');
		await ui.press('enter', 'not an IP address');
		for (let i = 0; i < 3; i++) await ui.press('backspace');
		await ui.type('23');
		await ui.press('enter', 'Is anything listening on tcp/8443?');
		await ui.waitForFrame('tcp/8443 from 198.51.100');
	});

	it('3: the listen check comes over SSH from the lab host', async () => {
		ui = await wizardAt(3);
		const frame = await ui.waitForFrame('✓ Listening', 15_000);
		expect(frame).toMatch(/tcp 0\.0\.0\.0:8443\s+all-interfaces\s+nginx/);
		expect(frame).toMatch(/evidence: ssh ec2-user\+i-0a1b2c3d4e5f60718@127\.0\.0\.1:\d+/);
	});

	it('4: security groups deny, the NACL allows both ways, with the deciding rules', async () => {
		ui = await wizardAt(4);
		const frame = await ui.press('enter', 'The path, layer by layer');
		expect(frame).toContain('✗ Security groups');
		expect(frame).toContain('✓ NACL inbound');
		expect(frame).toContain('✓ NACL return path');
		await ui.waitForFrame('✗ blocked: Security groups');
	});

	it('5: live REJECTs for exactly that ENI and port, with the wait window and the reminder', async () => {
		ui = await wizardAt(5);
		await ui.press('enter', 'Now try the connection');
		const frame = await ui.waitForFrame(/[1-9]\d* REJECTs? to tcp\/8443 on this interface/, 15_000);
		// One story: the reminder that silence proves nothing goes once REJECTs are on screen,
		// and the rail counts what the panel counts.
		expect(frame).not.toContain('No REJECT yet is not proof of access');
		const panel = /(\d+) REJECTs? to tcp\/8443 on this interface/.exec(frame)![1];
		expect(frame).toMatch(new RegExp(`✗ ${panel} REJECTs?`));
		expect(frame).toMatch(/\d:\d\d \/ \d+:\d\d/);
		expect(frame).toContain('198.51.100.23  ← your client');
		expect(frame).not.toMatch(/\s443\s/);
	});

	it('6: the verdict and the narrowest fix, never 0.0.0.0/0', async () => {
		ui = await wizardAt(6);
		const frame = await ui.press('enter', 'Blocked by the security groups');
		// The demo reads from its lab: the fix goes there too, never to real AWS.
		expect(frame).toMatch(/aws --endpoint-url http:\/\/127\.0\.0\.1:\d+ ec2 authorize-security-group-ingress --group-id/);
		expect(frame).toContain('198.51.100.23/32');
		expect(frame).not.toContain('0.0.0.0/0');
	});

	it('7: saves the evidence report as Markdown and JSON', async () => {
		ui = await wizardAt(7);
		await ui.press('enter', 'Save the evidence');
		await ui.press('s', '✓ Saved');
		const saved = readdirSync(reports).filter((name) => name.endsWith('.md'));
		expect(saved).toHaveLength(1);
		expect(saved[0]).toMatch(/^sgtui-triage-eni-0f1e2d3c4b5a69788-tcp8443-\d{8}T\d{6}Z\.md$/);
		const markdownPath = path.join(reports, saved[0]!);
		const markdown = readFileSync(markdownPath, 'utf8');
		expect(markdown).toContain('## Verdict: Blocked by the security groups');
		expect(markdown).toContain('198.51.100.23/32');
		expect(markdown).toMatch(/tcp 0\.0\.0\.0:8443 \(all-interfaces, takes IPv4\) nginx/);
		const json = JSON.parse(readFileSync(markdownPath.replace(/\.md$/, '.json'), 'utf8'));
		expect(json.verdict).toBe('blocked-by-security-group');
		expect(json.request).toMatchObject({port: 8443, protocol: 'tcp', source: {kind: 'address', address: '198.51.100.23'}});
		expect(json.matchedRecords.length).toBeGreaterThan(0);
		expect(json.matchedRecords.every((record: {dstPort: number; srcPort: number}) => record.dstPort === 8443 || record.srcPort === 8443)).toBe(true);
	});
});

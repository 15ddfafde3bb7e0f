// An unknown host key over real SSH (the lab's ssh2 hosts): the probe asks through the TUI, shows
// the SHA256 fingerprint and the known_hosts file a "y" appends to, and trusts the key only on an
// explicit "y".
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {createDemoServices} from '../../source/app/live-services.js';
import type {SgtuiServices} from '../../source/ui/services.js';
import {renderAndWait, type Rendered} from '../support/render-and-wait.js';
import {until} from '../support/moto.js';

describe('unknown host keys in the TUI', () => {
	const state = mkdtempSync(path.join(os.tmpdir(), 'sgtui-hostkey-'));
	const sshDir = path.join(state, 'ssh');
	let services: SgtuiServices;
	let ui: Rendered;

	beforeAll(async () => {
		services = await createDemoServices({stateDir: state});
		// As a first-time user would have it: nothing in known_hosts, StrictHostKeyChecking ask. (The
		// lab's SSH side starts after its AWS side: its files come a moment after the services.)
		const config = path.join(sshDir, 'ssh_config');
		await until(() => existsSync(config) && readFileSync(config, 'utf8').includes('StrictHostKeyChecking yes'), 15_000, 'the demo lab\'s ssh_config');
		writeFileSync(config, readFileSync(config, 'utf8').replace('StrictHostKeyChecking yes', 'StrictHostKeyChecking ask'));
		writeFileSync(path.join(sshDir, 'known_hosts'), '');
		ui = renderAndWait(<App services={services} onQuit={() => ui.unmount()} />, {columns: 110, rows: 34});
	});
	afterAll(async () => {
		ui?.unmount();
		await services?.close();
	});

	it('asks once per probe with the fingerprint; "n" refuses that host, "y" trusts and records the key', async () => {
		let frame = await ui.waitForFrame('Unknown host key for [127.0.0.1]:', 15_000);
		expect(frame).toMatch(/ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}/);
		// The file a "y" writes to is named (the one UserKnownHostsFile gives, first of its list).
		expect(frame.replace(/\s*│\s*\n\s*│\s*/g, '')).toContain(`y appends it to ${path.join(sshDir, 'known_hosts')}`);
		await ui.press('n');
		// The other SSH probes asked too; each question comes in turn. (The Windows host answers
		// through Systems Manager: no host key.)
		for (let answered = 1; answered < 4; answered++) {
			await ui.waitForFrame('Unknown host key for', 15_000);
			await ui.press('y');
		}
		await ui.waitForFrame((text) => !text.includes('Unknown host key for'), 15_000);
		// The prompt closes on "y"; the append to known_hosts finishes just after it.
		const recorded = () => /^\[127\.0\.0\.1\]:\d+ ssh-ed25519 /m.test(readFileSync(path.join(sshDir, 'known_hosts'), 'utf8'));
		await until(recorded, 15_000, 'the trusted key in known_hosts');
		expect(recorded()).toBe(true);
		// Exactly one host was refused: its panel says why, the others have listeners.
		let refused = 0;
		for (const eni of ['eni-0f1e2d3c4b5a69788', 'eni-01a2b3c4d5e6f7081', 'eni-02b3c4d5e6f708192', 'eni-03c4d5e6f708192a3', 'eni-04d5e6f708192a3b4']) {
			await ui.press(':');
			await ui.type(`eni ${eni}`);
			await ui.press('enter', `(${eni}) › Rules`);
			frame = await ui.press('2', (text) => text.includes('LISTENING ON') || text.includes('No listener evidence'));
			if (frame.includes('No listener evidence')) {
				refused++;
				expect(frame).toMatch(/host key/i);
			}
		}
		expect(refused).toBe(1);
	}, 60_000);
});

// Probes go only where the operator points: with --no-probe no host is dialled and the panels say
// how to turn probing on; against live AWS the session's first probe says which address it will
// dial and goes only on "y". Real SSH (the lab's ssh2 hosts on loopback), real SDK clients.
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {createDemoServices} from '../../source/app/live-services.js';
import {probeOffReason} from '../../source/cli/no-probe.js';
import {run as runTui} from '../../source/app/tui.js';
import type {LabSshServer} from '../../source/lab/ssh-hosts.js';
import type {SgtuiServices} from '../../source/ui/services.js';
import {startLabServices} from '../support/lab-services.js';
import {flat, openListeners} from '../support/listeners-panel.js';
import {renderAndWait, type Rendered} from '../support/render-and-wait.js';

const WEB = 'i-0a1b2c3d4e5f60718';

describe('--no-probe in the demo', () => {
	let services: SgtuiServices;
	let ui: Rendered;
	let probeCalls = 0;

	beforeAll(async () => {
		const off = probeOffReason({probe: false}, {});
		expect(off).toMatch(/^Probing is off \(--no-probe\): .*run sgtui without --no-probe/);
		const demo = await createDemoServices({stateDir: mkdtempSync(path.join(os.tmpdir(), 'sgtui-noprobe-')), probeOff: off!});
		// Everything as the demo has it, with probeHost counted.
		services = Object.assign(Object.create(demo) as SgtuiServices, {
			probeHost: (...args: Parameters<SgtuiServices['probeHost']>) => {
				probeCalls++;
				return demo.probeHost(...args);
			},
		});
		ui = renderAndWait(<App services={services} onQuit={() => ui.unmount()} />, {columns: 160, rows: 40});
		await ui.waitForFrame('win-jump', 15_000);
	});
	afterAll(async () => {
		ui?.unmount();
		await services?.close();
	});

	it('dials nothing (no background probe, none on opening Listeners or on R) and the panel says how to turn probing on', async () => {
		const frame = await openListeners(ui, 'web-1', 'Probing is off');
		expect(flat(frame)).toContain('Probing is off (--no-probe): sgtui dials no host');
		expect(flat(frame)).toContain('run sgtui without --no-probe');
		await ui.press('R', 'Probing is off');
		expect(probeCalls).toBe(0);
	});

	it('SGTUI_NO_PROBE does the same and is named; empty or 0 leaves probing on', () => {
		expect(probeOffReason({}, {SGTUI_NO_PROBE: '1'})).toMatch(/^Probing is off \(SGTUI_NO_PROBE is set\): .*unset SGTUI_NO_PROBE/);
		expect(probeOffReason({probe: false}, {SGTUI_NO_PROBE: '1'})).toMatch(/^Probing is off \(--no-probe and SGTUI_NO_PROBE is set\)/);
		expect(probeOffReason({}, {SGTUI_NO_PROBE: ''})).toBeNull();
		expect(probeOffReason({}, {SGTUI_NO_PROBE: '0'})).toBeNull();
		expect(probeOffReason({probe: true}, {})).toBeNull();
	});

	it('-F (the probes\' ssh config) is for live AWS only: with --demo or --snapshot it is one usage line', async () => {
		await expect(runTui({demo: true, sshConfig: '/tmp/ssh_config'})).rejects.toThrow('-F/--ssh-config applies to live AWS only (--demo uses its own lab hosts)');
		await expect(runTui({snapshot: 'demo/snapshot', sshConfig: '/tmp/ssh_config'})).rejects.toThrow('-F/--ssh-config applies to live AWS only (--snapshot dials nothing)');
	});
});

describe('live AWS: the first probe says where it dials', () => {
	let ssh: LabSshServer;
	let services: SgtuiServices;
	let ui: Rendered;

	beforeAll(async () => {
		({ssh, services} = await startLabServices());
		ui = renderAndWait(<App services={services} onQuit={() => ui.unmount()} />, {columns: 160, rows: 40});
		await ui.waitForFrame('win-jump', 15_000);
	});
	afterAll(async () => {
		ui?.unmount();
		await services?.close();
	});

	it('nothing is probed in the background; opening Listeners asks with the address, "n" dials nothing, R asks again, "y" probes', async () => {
		expect(ssh.commandCount).toBe(0);
		let frame = await openListeners(ui, 'web-1', `Probe ${WEB}?`);
		expect(flat(frame)).toMatch(/This dials ec2-user\+i-0a1b2c3d4e5f60718@127\.0\.0\.1:\d+/);
		frame = await ui.press('n', 'you chose not to dial');
		expect(flat(frame)).toMatch(/Not probed: you chose not to dial ec2-user\+i-0a1b2c3d4e5f60718@127\.0\.0\.1:\d+\. R asks again/);
		expect(ssh.commandCount).toBe(0);
		await ui.press('R', `Probe ${WEB}?`);
		await ui.press('y', 'LISTENING ON', 20_000);
		expect(ssh.commandCount).toBeGreaterThan(0);
	}, 90_000);

	it('later probes in the session go without asking', async () => {
		await ui.press('esc');
		await ui.press('esc');
		const frame = await openListeners(ui, 'app-1', /LISTENING ON|No listener evidence|Probe i-0b2c3d4e5f6071829\?/);
		expect(frame).toContain('LISTENING ON');
		expect(ui.stdout.frames.some((text) => text.includes('Probe i-0b2c3d4e5f6071829?'))).toBe(false);
	});
});

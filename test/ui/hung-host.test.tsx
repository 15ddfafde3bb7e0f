// A host that logs in, takes the probe's command and never answers: the TUI's Listeners panel
// fails that host with the command timeout's one line instead of waiting forever, and the other
// hosts still probe. Real SSH (the lab's ssh2 hosts on loopback), real SDK clients.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import type {LabSshServer} from '../../source/lab/ssh-hosts.js';
import type {SgtuiServices} from '../../source/ui/services.js';
import {startLabServices} from '../support/lab-services.js';
import {flat, openListeners} from '../support/listeners-panel.js';
import {renderAndWait, type Rendered} from '../support/render-and-wait.js';

const WEB = 'i-0a1b2c3d4e5f60718';

describe('a hung host in the TUI', () => {
	let ssh: LabSshServer;
	let services: SgtuiServices;
	let ui: Rendered;

	beforeAll(async () => {
		({ssh, services} = await startLabServices({stalls: [WEB], commandTimeoutMs: 1000}));
		ui = renderAndWait(<App services={services} onQuit={() => ui.unmount()} />, {columns: 160, rows: 40});
		await ui.waitForFrame('win-jump', 15_000);
	});
	afterAll(async () => {
		ui?.unmount();
		await services?.close();
	});

	it('the hung host\'s panel says which command never answered; another host still lists its listeners', async () => {
		await openListeners(ui, 'web-1', `Probe ${WEB}?`);
		const frame = await ui.press('y', 'gave no result within 1s', 20_000);
		expect(flat(frame)).toMatch(/`sh -s [0-9a-f]{16}` gave no result within 1s \(the host took the command and never answered\)/);
		expect(flat(frame)).toContain('the host is hung or overloaded');
		expect(ssh.commandCount).toBeGreaterThan(0);
		await ui.press('esc');
		await ui.press('esc');
		expect(await openListeners(ui, 'app-1', /LISTENING ON|No listener evidence/)).toContain('LISTENING ON');
	}, 60_000);
});

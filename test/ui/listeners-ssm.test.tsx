// The demo's Windows jump host runs no SSH server: its Listeners tab and the wizard's listen step
// must get the listing through Systems Manager Run Command (the lab's SSM side, real SDK client)
// and say so. With both transports gone the panel says what to enable.
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {createDemoServices, LiveServices} from '../../source/app/live-services.js';
import {createAwsClients} from '../../source/aws/clients.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import type {SgtuiServices} from '../../source/ui/services.js';
import {renderAndWait, type Rendered} from '../support/render-and-wait.js';
import {openWizard} from '../support/wizard-steps.js';

describe('Listeners through Systems Manager in the demo', () => {
	let services: SgtuiServices;
	let ui: Rendered;

	beforeAll(async () => {
		services = await createDemoServices({stateDir: mkdtempSync(path.join(os.tmpdir(), 'sgtui-demo-'))});
		ui = renderAndWait(<App services={services} onQuit={() => ui.unmount()} />, {columns: 200, rows: 40});
		await ui.waitForFrame('win-jump', 15_000);
	});
	afterAll(async () => {
		ui?.unmount();
		await services?.close();
	});

	it('the Windows host\'s Listeners tab names Run Command as its source', async () => {
		await ui.type('/win-jump');
		await ui.press('enter');
		await ui.press('enter', 'Security group');
		const frame = await ui.press('2', /ssm i-0e5f60718293a4b52 \(AWS-RunPowerShellScript\): netstat -nao \+ tasklist/, 20_000);
		expect(frame).toMatch(/netstat-windows from ssm i-0e5f60718293a4b52/);
		expect(frame).toMatch(/0\.0\.0\.0:3389\s+svchost\.exe/);
	});

	it('the wizard\'s listen step shows the same evidence', async () => {
		await openWizard(ui, 'i-0e5f60718293a4b52');
		await ui.press('enter', 'port: a number 1–65535');
		await ui.type('3389');
		const frame = await ui.press('enter', '✓ Listening', 20_000);
		expect(frame).toMatch(/evidence: ssm i-0e5f60718293a4b52 \(AWS-RunPowerShellScript\)/);
	});
});

describe('Listeners with neither SSH nor Systems Manager', () => {
	let lab: Lab;
	let services: SgtuiServices;
	let ui: Rendered;

	beforeAll(async () => {
		// app-1 has only a private address (no SSH without a bastion) and is not a managed instance.
		lab = await startLab({simulate: false, faults: {ssmStepMs: 20, ssmUnmanaged: ['i-0b2c3d4e5f6071829']}});
		const clients = createAwsClients({endpointUrl: lab.endpoint, region: lab.region, debugLogPath: null}, {credentials: lab.credentials, maxAttempts: 1});
		services = new LiveServices({clients, mode: {kind: 'lab', label: 'lab'}, sshConfigPath: '/dev/null', agentSocket: null, onClose: () => lab.close()});
		ui = renderAndWait(<App services={services} onQuit={() => ui.unmount()} />, {columns: 200, rows: 40});
		await ui.waitForFrame('app-1', 15_000);
	});
	afterAll(async () => {
		ui?.unmount();
		await services?.close();
	});

	it('the panel names both failures and what to enable', async () => {
		await ui.type('/app-1');
		await ui.press('enter');
		await ui.press('enter', 'Security group');
		const frame = await ui.press('2', 'No listener evidence', 20_000);
		expect(frame.replace(/\s*│?\s*\n\s*│?\s*/g, ' ')).toMatch(/neither SSH nor Systems Manager can list i-0b2c3d4e5f6071829's sockets/);
		expect(frame.replace(/\s*│?\s*\n\s*│?\s*/g, ' ')).toMatch(/enable one of them: SSH .* or Systems Manager \(agent, instance profile with AmazonSSMManagedInstanceCore/);
	});
});

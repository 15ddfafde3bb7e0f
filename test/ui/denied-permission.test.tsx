// One denied permission affects only its panel: the lab answers DescribeFlowLogs with AWS's
// UnauthorizedOperation, and the real App over the real SDK clients still shows the inventory,
// with a banner naming the permission and the flow-log panels saying "unknown", not "none".
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {LiveServices} from '../../source/app/live-services.js';
import {labWithClients, type LabFixture} from '../aws/lab-clients.js';
import {frameLines, renderAndWait, type Rendered} from '../support/render-and-wait.js';

describe('a denied ec2:DescribeFlowLogs in the TUI (lab)', () => {
	let fixture: LabFixture;
	let ui: Rendered;

	beforeAll(async () => {
		fixture = await labWithClients({faults: {denyActions: ['DescribeFlowLogs']}});
		const services = new LiveServices({clients: fixture.clients, mode: {kind: 'lab', label: `lab ${fixture.lab.endpoint}`}});
		ui = renderAndWait(<App services={services} onQuit={() => ui.unmount()} />, {columns: 80, rows: 24});
	});
	afterAll(async () => {
		ui?.unmount();
		await fixture?.close();
	});

	it('keeps the inventory, with a banner naming the permission, within 80×24', async () => {
		const frame = await ui.waitForFrame('web-1', 15_000);
		expect(frame).toContain('! ec2:DescribeFlowLogs denied: flow-log coverage unknown');
		// Every instance is listed; the flow-log column says unknown, never "none".
		for (const name of ['app-1', 'bastion', 'db-1', 'NAT gatew', 'web-1', 'win-jump']) expect(frame).toContain(name);
		expect(frame).toContain('? unknown');
		expect(frame).not.toContain('✗ none');
		expect(frameLines(frame).length).toBeLessThanOrEqual(23);
	});

	it('the Flow logs tab says the coverage is unknown because the permission was denied', async () => {
		await ui.press(':');
		await ui.type('eni eni-0f1e2d3c4b5a69788');
		await ui.press('enter', 'Security group');
		const frame = await ui.press('4', 'Coverage unknown');
		expect(frame).toContain('permission denied (ec2:DescribeFlowLogs)');
		expect(frame).not.toContain('no flow log covers');
		// The banner stays while the part is unknown.
		expect(frame).toContain('! ec2:DescribeFlowLogs denied');
		expect(frameLines(frame).length).toBeLessThanOrEqual(23);
	});
});

// tab in the `:` palette: command words, then ids and names from the inventory, cycling on
// repeated tabs; a completed name runs as its id.
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {completionsFor, paletteTargets, resolveArgument} from '../../source/ui/palette-completion.js';
import {renderAndWait, type Rendered} from '../support/render-and-wait.js';

const services = () => new SnapshotServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 200});

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

describe('palette completion (pure)', () => {
	it('offers command words, then the ids and names the command takes', async () => {
		const inventory = await services().loadInventory(() => {});
		const targets = paletteTargets(inventory);
		expect(completionsFor('wiz', targets)).toEqual({head: '', options: ['wizard ']});
		expect(completionsFor('i', targets).options).toEqual(['instance ', 'inventory']);
		const enis = completionsFor('eni eni-', targets);
		expect(enis.head).toBe('eni ');
		// Every ENI id of the inventory, and nothing else.
		expect([...enis.options].sort()).toEqual(inventory.networkInterfaces.map((eni) => eni.id).sort());
		const groups = completionsFor('sg web', targets).options;
		expect(groups).toContain('web-sg');
		for (const option of groups) expect(inventory.securityGroups.some((group) => group.name === option)).toBe(true);
		// The wizard takes instances and interfaces, not groups.
		const wizard = completionsFor('w ', targets).options;
		expect(wizard.some((option) => option.startsWith('i-'))).toBe(true);
		expect(wizard.some((option) => option.startsWith('eni-'))).toBe(true);
		expect(wizard.some((option) => option.startsWith('sg-'))).toBe(false);
		expect(completionsFor('audit x', targets).options).toEqual([]);
		expect(resolveArgument('web-sg', ['sg'], targets)).toEqual({ok: true, id: inventory.securityGroups.find((group) => group.name === 'web-sg')!.id});
		expect(resolveArgument('sg-unknown', ['sg'], targets)).toEqual({ok: true, id: 'sg-unknown'});
	});

	it('a name an instance shares with its own interface is the instance for :wizard (":wizard web-1" asked for an id)', async () => {
		const inventory = await services().loadInventory(() => {});
		const targets = paletteTargets(inventory);
		const web = inventory.networkInterfaces.find((eni) => eni.id === 'eni-0f1e2d3c4b5a69788')!;
		expect(resolveArgument('web-1', ['instance', 'eni'], targets)).toEqual({ok: true, id: web.instanceId});
		expect(resolveArgument('web-1', ['eni'], targets)).toEqual({ok: true, id: web.id});
		// Two resources that are not one target still ask for the id.
		const shared = [...targets, {value: 'twin', kind: 'instance' as const, id: 'i-0000000000000000a'}, {value: 'twin', kind: 'eni' as const, id: web.id, instanceId: web.instanceId}];
		expect(resolveArgument('twin', ['instance', 'eni'], shared)).toMatchObject({ok: false});
	});
});

describe('palette completion (keys)', () => {
	it('a command wider than the line shows its end, where the cursor is', async () => {
		const ui = renderAndWait(<App services={services()} onQuit={() => ui.unmount()} />, {columns: 80, rows: 24});
		current = ui;
		await ui.waitForFrame('web-1');
		await ui.press(':');
		const frame = await ui.press(`eni ${'a'.repeat(100)}END`, 'END');
		expect(frame.split('\n').find((line) => line.startsWith(':'))).toMatch(/^:…a+END/);
	});

	it('tab completes an ENI id, tab again cycles to the next, and a completed name opens its interface', async () => {
		const ui = renderAndWait(<App services={services()} onQuit={() => ui.unmount()} />, {columns: 120, rows: 36});
		current = ui;
		await ui.waitForFrame('web-1');
		await ui.press(':');
		await ui.type('en');
		await ui.press('tab', /^:eni/m);
		await ui.type('eni-0');
		let frame = await ui.press('tab', /tab 1 of \d+:/);
		const first = /:eni (eni-\w+)/.exec(frame)![1]!;
		const count = Number(/tab 1 of (\d+)/.exec(frame)![1]);
		expect(count).toBeGreaterThan(1);
		frame = await ui.press('tab', 'tab 2 of');
		const second = /:eni (eni-\w+)/.exec(frame)![1]!;
		expect(second).not.toBe(first);
		// Back round to the first after the last.
		for (let step = 2; step < count; step++) await ui.press('tab', `tab ${step + 1} of`);
		frame = await ui.press('tab', 'tab 1 of');
		expect(frame).toContain(`:eni ${first}`);
		await ui.press('esc');
		await ui.press(':');
		await ui.type('eni web-');
		await ui.press('tab', /:eni web-1/);
		frame = await ui.press('enter', 'Security group');
		expect(frame).toContain('web-1 (eni-0f1e2d3c4b5a69788) › Rules');
	});
});

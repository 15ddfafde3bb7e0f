// The selection is an item, not a row number: it stays on its item when a live list re-sorts, and
// it is where it was after esc back from a drill-down or the wizard. Rejects' c and a keep their
// meaning across tab switches (the stream lives above the tab).
import {useState} from 'react';
import {Box, Text} from 'ink';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {KeyDispatcherProvider, PRIORITY, useKeyHandler} from '../../source/ui/key-dispatcher.js';
import {ViewMemoryProvider} from '../../source/ui/view-memory.js';
import {useListWindow} from '../../source/ui/use-list-window.js';
import {WindowedList} from '../../source/ui/WindowedList.js';
import {renderAndWait, type Rendered} from '../support/render-and-wait.js';

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

const services = () => new SnapshotServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 200});
const selectedLine = (frame: string) => frame.split('\n').find((line) => line.startsWith('›')) ?? '';

/** A live list in miniature: r re-sorts it (reverses), j moves. */
function Resorting() {
	const [items, setItems] = useState(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
	const [window, move] = useListWindow(items.length, 5, {keys: items, memory: 'harness'});
	useKeyHandler(PRIORITY.screen, (name) => {
		if (name === 'r') setItems((list) => [...list].reverse());
		else if (name === 'j') move({type: 'down'});
		else return false;
		return true;
	});
	return (
		<Box flexDirection="column">
			<Text>order {items.join(',')}</Text>
			<WindowedList items={items} window={window} rowKey={(item) => item} renderRow={(item) => <Text>{item}</Text>} />
		</Box>
	);
}

describe('selection by item', () => {
	it('stays on its item when the list re-sorts under it', async () => {
		const ui = renderAndWait(<KeyDispatcherProvider><ViewMemoryProvider><Resorting /></ViewMemoryProvider></KeyDispatcherProvider>, {columns: 40, rows: 10});
		current = ui;
		await ui.waitForFrame('order alpha');
		await ui.press('j', (frame) => selectedLine(frame).includes('bravo'));
		let frame = await ui.press('r', 'order echo');
		// Same item, now fourth.
		expect(selectedLine(frame)).toContain('bravo');
		expect(frame.split('\n').filter((line) => /^[› ] /.test(line)).findIndex((line) => line.startsWith('›'))).toBe(3);
		frame = await ui.press('j', (text) => !selectedLine(text).includes('bravo'));
		expect(selectedLine(frame)).toContain('alpha');
	});

	it('is restored on esc back from an interface to the inventory, and from the wizard to Rules', async () => {
		const ui = renderAndWait(<App services={services()} onQuit={() => ui.unmount()} />, {columns: 120, rows: 36});
		current = ui;
		await ui.waitForFrame('web-1');
		let frame = ui.frame();
		for (let step = 0; step < 8 && !selectedLine(frame).includes('web-1'); step++) frame = await ui.press('j', (text) => text !== frame);
		expect(selectedLine(frame)).toContain('web-1');
		await ui.press('enter', '[1 Rules]');
		frame = await ui.press('esc', 'Network interfaces');
		expect(selectedLine(frame)).toContain('web-1');

		await ui.press('enter', '[1 Rules]');
		for (let step = 0; step < 4; step++) frame = await ui.press('j', (text) => text !== frame);
		const rule = selectedLine(frame);
		expect(rule).toMatch(/tcp 443/);
		await ui.press('w', 'What fails?');
		// The wizard on an interface from the Rules tab starts at the form; esc leaves it.
		frame = await ui.press('esc', '[1 Rules]');
		expect(selectedLine(frame)).toBe(rule);
	});

	it('on Rejects: the selected group after w and esc, and c / a across tab switches', async () => {
		const ui = renderAndWait(<App services={services()} onQuit={() => ui.unmount()} />, {columns: 120, rows: 36});
		current = ui;
		await ui.waitForFrame('web-1');
		await ui.press(':');
		await ui.type('eni eni-0f1e2d3c4b5a69788');
		await ui.press('enter', 'Security group');
		let frame = await ui.press('3', 'replay finished');
		frame = await ui.press('j', (text) => text !== frame);
		frame = await ui.press('j', (text) => text !== frame);
		const group = /(\S+)\s+(\d+)\s+tcp/.exec(selectedLine(frame))!.slice(1).join(' ');
		await ui.press('w', 'What fails?');
		frame = await ui.press('esc', (text) => text.includes('[3 Rejects]') && text.includes('replay finished'));
		expect(/(\S+)\s+(\d+)\s+tcp/.exec(selectedLine(frame))!.slice(1).join(' ')).toBe(group);

		await ui.press('a', 'REJECT + ACCEPT');
		await ui.press('1', '[1 Rules]');
		frame = await ui.press('3', '[3 Rejects]');
		expect(frame).toContain('REJECT + ACCEPT');
		await ui.press('a', 'REJECT only');
		await ui.waitForFrame('replay finished');
		await ui.press('c', '0 records');
		await ui.press('2', '[2 Listeners]');
		frame = await ui.press('3', (text) => text.includes('[3 Rejects]') && text.includes('replay finished'));
		// Cleared stays cleared: the tab did not start a new stream that replays everything again.
		expect(frame).toContain('0 records');
		expect(frame).not.toContain('22 records');
	});
});

// The selection pointer survives rows wider than the screen (the audit's findings are): flexbox
// would otherwise shrink the pointer column to nothing and no row would look selected.
import {afterEach, expect, it} from 'vitest';
import {Text} from 'ink';
import {WindowedList} from '../../source/ui/WindowedList.js';
import {frameLines, renderAndWait, type Rendered} from '../support/render-and-wait.js';

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

it('keeps the pointer on the selected row when rows are wider than the screen', async () => {
	current = renderAndWait(
		<WindowedList items={['a', 'b']} window={{selected: 1, from: 0, count: 2, height: 5}} rowKey={(item) => item} renderRow={(item) => <Text wrap="truncate">{item} {'y'.repeat(200)}</Text>} />,
		{columns: 80, rows: 10},
	);
	const frame = await current.waitForFrame('b y');
	expect(frameLines(frame).slice(0, 2).map((line) => line.slice(0, 4))).toEqual(['  a ', '› b ']);
});

it('wraps an empty list\'s message under itself', async () => {
	current = renderAndWait(
		<WindowedList items={[] as string[]} window={{selected: 0, from: 0, count: 0, height: 5}} rowKey={(item) => item} renderRow={(item) => <Text>{item}</Text>} emptyText={`No REJECT yet. ${'word '.repeat(20)}delay.`} />,
		{columns: 40, rows: 10},
	);
	const frame = await current.waitForFrame('delay.');
	const lines = frameLines(frame).filter((line) => line.trim() !== '');
	expect(lines.length).toBeGreaterThan(1);
	for (const line of lines) expect(line.startsWith('  ') && line[2] !== ' ').toBe(true);
	expect(lines.at(-1)!.trim()).not.toBe('delay.');
});

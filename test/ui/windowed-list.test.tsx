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

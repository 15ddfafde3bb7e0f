// Columns sized by their content: addresses, ports, CIDRs and ids are never cut; names shrink
// first (with an ellipsis), lists lose whole items, then whole columns go.
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {fitCell, fitColumns, truncateList, type Column} from '../../source/ui/columns.js';
import {endpoint} from '../../source/ui/RejectsTab.js';
import {frameLines, renderAndWait, type Rendered} from '../support/render-and-wait.js';
import {cutTokens} from '../support/cut-tokens.js';

interface Row {
	name: string;
	address: string;
	cidrs: string;
}

const COLUMNS: Column<Row>[] = [
	{id: 'name', title: 'NAME', width: 4, cut: 'shrink', priority: 10, text: (row) => row.name},
	{id: 'address', title: 'ADDRESS', width: 7, priority: 9, text: (row) => row.address},
	{id: 'cidrs', title: 'FROM', width: 12, cut: 'list', priority: 5, text: (row) => row.cidrs},
];
const ROWS: Row[] = [
	{name: 'a-rather-long-instance-name', address: '2001:db8:85a3::8a2e:370:7334', cidrs: '10.20.0.0/16, 192.168.100.0/24, 172.16.0.0/12'},
	{name: 'web', address: '10.0.0.5', cidrs: '0.0.0.0/0'},
];

describe('content-sized columns', () => {
	it('sizes each column to its widest cell when there is room', () => {
		const fitted = fitColumns(COLUMNS, 200, ROWS);
		expect(fitted.map((column) => column.fitted)).toEqual([27, 28, 45]);
	});

	it('shrinks names and lists before anything else, and never cuts the address', () => {
		const fitted = fitColumns(COLUMNS, 60, ROWS);
		const address = fitted.find((column) => column.id === 'address')!;
		expect(address.fitted).toBe(28);
		const cells = fitted.map((column) => fitCell(column, column.text(ROWS[0]!)));
		expect(cells.join(' ').length).toBeLessThanOrEqual(60);
		expect(cells[0]).toMatch(/^a-rather.*…$/);
		expect(cells[1]).toContain('2001:db8:85a3::8a2e:370:7334');
		// Whole CIDRs only, with the number left out.
		expect(cells[2]!.trim()).toMatch(/^10\.20\.0\.0\/16, …\+2$|^…\+3$/);
	});

	it('drops a whole column rather than cut an address when even shrunk names do not fit', () => {
		const fitted = fitColumns(COLUMNS, 34, ROWS);
		expect(fitted.map((column) => column.id)).toEqual(['name', 'address']);
		expect(fitted[1]!.fitted).toBe(28);
	});

	it('never measures a fixed-width column (a live table sizes its columns on every frame)', () => {
		let measured = 0;
		const trend: Column<Row> = {id: 'trend', title: 'TREND', width: 12, fixed: true, priority: 4, text: () => {
			measured++;
			return '▁▂▃▄▅▆▇█▁▂▃▄';
		}};
		const fitted = fitColumns([...COLUMNS, trend], 200, ROWS);
		expect(fitted.at(-1)).toMatchObject({id: 'trend', fitted: 12});
		expect(measured).toBe(0);
		// As wide as its title when the title is wider.
		expect(fitColumns([{...trend, width: 3}], 200, ROWS)[0]!.fitted).toBe(5);
	});

	it('cuts lists between items only', () => {
		expect(truncateList('10.20.0.0/16, 10.21.0.0/16, 10.22.0.0/16', 31)).toBe('10.20.0.0/16, 10.21.0.0/16, …+1');
		expect(truncateList('10.20.0.0/16, 10.21.0.0/16', 16)).toBe('…+2');
		expect(truncateList('10.20.0.0/16', 40)).toBe('10.20.0.0/16');
	});

	it('keeps an IPv6 peer\'s port readable', () => {
		expect(endpoint('2001:db8::5', 443)).toBe('[2001:db8::5]:443');
		expect(endpoint('10.0.0.5', 443)).toBe('10.0.0.5:443');
	});
});

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

describe('no address, port, id or command cut on screen', () => {
	for (const [columns, rows] of [[80, 24], [200, 60]] as const) {
		it(`inventory, rules, listeners and rejects at ${columns}×${rows}`, async () => {
			const services = new SnapshotServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 200});
			const ui = renderAndWait(<App services={services} onQuit={() => ui.unmount()} />, {columns, rows});
			current = ui;
			const frames: string[] = [await ui.waitForFrame('web-1')];
			await ui.type('/web-1');
			// Filtered, the title and its count stay whole; the audit hint is what gives way.
			const filtered = await ui.press('enter', 'filtered from');
			expect(filtered).toMatch(/Network interfaces \d+–\d+ of \d+ \(filtered from \d+\)/);
			frames.push(await ui.press('enter', 'Security group'));
			frames.push(await ui.press('2', 'LISTENING ON'));
			// The listener bound to a link-local IPv6 address is there whole near the end of the list,
			// its device after the brackets as ss prints it ([fe80::…]%ens5:546).
			frames.push(await ui.press('G', /\[fe80::[0-9a-f:]+\]%\w+:\d+/));
			frames.push(await ui.press('3', 'replay finished'));
			for (const frame of frames) {
				expect(cutTokens(frame), frame).toEqual([]);
				for (const line of frameLines(frame)) expect(line.length).toBeLessThanOrEqual(columns);
			}
		});
	}
});

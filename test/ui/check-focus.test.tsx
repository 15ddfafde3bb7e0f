// Rows about the wizard's port are marked (◆, a character: NO_COLOR shows it) in Rules, Listeners
// and Rejects once a check has been set up, and only on that interface.
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {coversCheck} from '../../source/ui/check-focus.js';
import {frameLines, renderAndWait, type Rendered} from '../support/render-and-wait.js';

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

// The two-character gutter: the selection pointer, then the mark.
const marked = (frame: string) => frameLines(frame).filter((line) => /^.◆/.test(line));
const unmarkedRows = (frame: string) => frameLines(frame).filter((line) => /^[› ] \S/.test(line));
const groupRow = /^..(in|reply)\s/;

describe('coversCheck', () => {
	const tcp8443 = {eniId: 'eni-1', protocol: 'tcp' as const, port: 8443};
	it('reads AWS rule spellings: ranges, all traffic, protocol numbers', () => {
		expect(coversCheck(tcp8443, 'tcp', 8443, 8443)).toBe(true);
		expect(coversCheck(tcp8443, 'tcp', 8000, 9000)).toBe(true);
		expect(coversCheck(tcp8443, 'tcp', 443, 443)).toBe(false);
		expect(coversCheck(tcp8443, '6', 8443, 8443)).toBe(true);
		expect(coversCheck(tcp8443, 'udp', 8443, 8443)).toBe(false);
		expect(coversCheck(tcp8443, '-1', null, null)).toBe(true);
		expect(coversCheck(tcp8443, 'tcp', null, null)).toBe(true);
		expect(coversCheck(tcp8443, 17, 8443, 8443)).toBe(false);
		const ping = {eniId: 'eni-1', protocol: 'icmp' as const, port: 8};
		expect(coversCheck(ping, 'icmp', 8, -1)).toBe(true);
		expect(coversCheck(ping, 'icmp', 0, -1)).toBe(false);
		expect(coversCheck(ping, '58', -1, -1)).toBe(true);
	});
});

describe('the wizard port marked in the lists', () => {
	it('after w on a Rejects group, Rejects, Listeners and Rules mark the rows about its port', async () => {
		const services = new SnapshotServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 200});
		const ui = renderAndWait(<App services={services} onQuit={() => ui.unmount()} />, {columns: 120, rows: 40});
		current = ui;
		await ui.waitForFrame('web-1');
		await ui.press(':');
		await ui.type('eni eni-0f1e2d3c4b5a69788');
		await ui.press('enter', 'Security group');
		let frame = await ui.press('3', 'replay finished');
		expect(marked(frame)).toEqual([]);
		const port = /› in\s+\S+\s+(\d+)\s+tcp/.exec(frame)![1]!;
		await ui.press('w', 'What fails?');
		await ui.press('esc', '[3 Rejects]');
		// Back on the interface its stream starts again (the replay, here): wait for it to finish.
		frame = await ui.waitForFrame((text) => text.includes(`◆ wizard: tcp/${port}`) && text.includes('replay finished'));
		const rejects = marked(frame).filter((line) => groupRow.test(line));
		expect(rejects.length).toBeGreaterThan(0);
		for (const line of rejects) expect(line).toMatch(new RegExp(`\\s${port}\\s+tcp`));
		// Every group of that port is marked, none of another.
		for (const line of unmarkedRows(frame).filter((row) => groupRow.test(row))) expect(line).not.toMatch(new RegExp(`\\s${port}\\s+tcp`));

		frame = await ui.press('2', 'LISTENING ON');
		const sockets = marked(frame);
		expect(sockets.length).toBeGreaterThan(0);
		for (const line of sockets) expect(line).toMatch(new RegExp(`:${port}\\s`));

		frame = await ui.press('1', '[1 Rules]');
		const rules = marked(frame);
		// web-sg opens 80, 443 and 22 only; the NACL's inbound allow-all covers the port.
		expect(rules.length).toBeGreaterThan(0);
		for (const line of rules) expect(line).toMatch(/^.◆in /);
		expect(rules.some((line) => /\b100\s+allow all traffic/.test(line))).toBe(true);
		expect(rules.some((line) => /tcp (80|443|22)\b/.test(line))).toBe(false);

		// Another interface: nothing is marked there.
		await ui.press(':');
		await ui.type('eni eni-01a2b3c4d5e6f7081');
		frame = await ui.press('enter', 'app-1');
		expect(frame).not.toContain('◆');
	});
});

// The Rejects tab's stream across screen changes, against the lab with the real SDK clients: a
// trip into the wizard and back keeps the same store and the same Live Tail session (records sent
// while the user was away are there, none twice), and `a` adds ACCEPTs beside the running REJECT
// stream instead of restarting it with an empty store.
import {Profiler} from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import type {SgtuiServices} from '../../source/ui/services.js';
import {renderAndWait, type Rendered} from '../support/render-and-wait.js';
import {startLabServices, type LabServices} from '../support/lab-services.js';
import {flowLine} from '../aws/flow-lines.js';

const ENI = 'eni-0f1e2d3c4b5a69788';
const GROUP = '/vpc/flow-logs/shop-prod';
// Not used by the demo snapshot, so only this test's records carry it.
const PEER = '192.0.2.250';

let current: Rendered | null = null;
let lab: LabServices | null = null;
afterEach(async () => {
	current?.unmount();
	current = null;
	await lab?.services.close();
	lab = null;
});

function sender(fixture: LabServices) {
	const format = fixture.lab.state.logs.groups.get(GROUP)?.flowFormat;
	if (!format) throw new Error('the demo log group has no flow format');
	let port = 41000;
	return (action: 'REJECT' | 'ACCEPT', count = 1) => {
		const lines = Array.from({length: count}, () => flowLine(format, {eni: ENI, src: PEER, dst: '10.20.1.10', srcPort: port++, dstPort: 2222, action, start: Math.floor(Date.now() / 1000)}));
		fixture.lab.appendFlowRecords(ENI, lines);
	};
}

/** Resolves once `condition` holds (checked every few ms; a timeout fails the test). */
function until(condition: () => boolean): Promise<void> {
	return new Promise((resolve) => {
		const poll = setInterval(() => {
			if (!condition()) return;
			clearInterval(poll);
			resolve();
		}, 5);
	});
}

/** COUNT of the test peer's group for `action` in the aggregate table, null when it has no row. */
function peerCount(frame: string, action: 'REJECT' | 'ACCEPT'): number | null {
	for (const match of frame.matchAll(new RegExp(`${PEER.replaceAll('.', '\\.')}\\s+2222\\s+tcp\\s+(?:(REJECT|ACCEPT)\\s+)?(\\d+)`, 'g'))) {
		if ((match[1] ?? 'REJECT') === action) return Number(match[2]);
	}
	return null;
}

async function openRejects(ui: Rendered): Promise<string> {
	await ui.waitForFrame('web-1');
	await ui.press(':');
	await ui.type(`eni ${ENI}`);
	await ui.press('enter', 'Security group');
	await ui.press('3', 'Live Tail · ● streaming');
	// Only this test's peer: the demo's own records fill the table otherwise.
	await ui.press('/');
	await ui.type(PEER);
	return ui.press('enter', `/${PEER}`);
}

describe('the Rejects stream across screen changes (lab)', () => {
	it('w and esc come back to the same records and the same Live Tail session; what arrived meanwhile is there once', async () => {
		const requests: string[] = [];
		lab = await startLabServices({log: (line) => requests.push(line), liveTailUpdateMs: 100, probeOff: 'probing is off in this test'});
		const send = sender(lab);
		const ui = renderAndWait(<App services={lab.services} onQuit={() => ui.unmount()} />, {columns: 120, rows: 36});
		current = ui;
		await openRejects(ui);
		send('REJECT', 3);
		await ui.waitForFrame((frame) => peerCount(frame, 'REJECT') === 3);
		const sessions = requests.filter((line) => line.includes('StartLiveTail')).length;
		expect(sessions).toBe(1);

		// Into the wizard from the group (the Rejects tab unmounts), records arrive while away.
		await ui.press('w', 'What fails?');
		send('REJECT', 2);
		const frame = await ui.press('esc', (text) => text.includes('[3 Rejects]') && peerCount(text, 'REJECT') === 5);
		expect(frame).toContain('Live Tail · ● streaming');
		// One more after coming back: exactly one more (nothing replayed twice by a new session's backfill).
		send('REJECT');
		await ui.waitForFrame((text) => peerCount(text, 'REJECT') === 6);
		expect(requests.filter((line) => line.includes('StartLiveTail')).length).toBe(sessions);
		// The whole palette round trip (jump to the wizard, jump back to the interface) keeps it too.
		await ui.press(':');
		await ui.type(`wizard ${ENI}`);
		await ui.press('enter', 'What fails?');
		send('REJECT');
		await ui.press(':');
		await ui.type(`eni ${ENI}`);
		await ui.press('enter', 'Security group');
		await ui.press('3', (text) => peerCount(text, 'REJECT') === 7);
		expect(requests.filter((line) => line.includes('StartLiveTail')).length).toBe(sessions);
	});

	it('a adds ACCEPTs beside the running REJECT stream (REJECT counts kept), and a again drops only the ACCEPTs', async () => {
		const requests: string[] = [];
		lab = await startLabServices({log: (line) => requests.push(line), liveTailUpdateMs: 100, probeOff: 'probing is off in this test'});
		const send = sender(lab);
		const ui = renderAndWait(<App services={lab.services} onQuit={() => ui.unmount()} />, {columns: 120, rows: 36});
		current = ui;
		await openRejects(ui);
		send('REJECT', 4);
		send('ACCEPT', 2);
		await ui.waitForFrame((frame) => peerCount(frame, 'REJECT') === 4);

		let frame = await ui.press('a', (text) => text.includes('REJECT + ACCEPT') && peerCount(text, 'ACCEPT') === 2);
		expect(peerCount(frame, 'REJECT')).toBe(4);
		send('REJECT');
		send('ACCEPT');
		await ui.waitForFrame((text) => peerCount(text, 'REJECT') === 5 && peerCount(text, 'ACCEPT') === 3);
		// The REJECT session was never restarted: one more session, for the non-REJECT records.
		expect(requests.filter((line) => line.includes('StartLiveTail')).length).toBe(2);

		frame = await ui.press('a', (text) => text.includes('REJECT only') && text.includes(' · 0 ACCEPT'));
		expect(peerCount(frame, 'ACCEPT')).toBe(null);
		expect(peerCount(frame, 'REJECT')).toBe(5);
		send('REJECT');
		await ui.waitForFrame((text) => peerCount(text, 'REJECT') === 6);
		// The REJECT session still the first one: toggling never restarted it.
		expect(requests.filter((line) => line.includes('StartLiveTail')).length).toBe(2);
		// ACCEPTs again: their stream reads its history afresh into a store that no longer holds them, so once each.
		await ui.press('a', (text) => text.includes('REJECT + ACCEPT') && peerCount(text, 'ACCEPT') === 3);
		send('REJECT');
		frame = await ui.waitForFrame((text) => peerCount(text, 'REJECT') === 7);
		expect(peerCount(frame, 'ACCEPT')).toBe(3);
		expect(requests.filter((line) => line.includes('StartLiveTail')).length).toBe(3);
	});

	it('on another tab the interface screen does not re-render with the records that keep arriving', async () => {
		lab = await startLabServices({liveTailUpdateMs: 50, probeOff: 'probing is off in this test'});
		const send = sender(lab);
		// The real services, with the deliveries counted on their way into the store.
		let deliveries = 0;
		const inner = lab.services;
		const services: SgtuiServices = Object.create(inner) as SgtuiServices;
		services.subscribeRejects = (eniIds, options, sink) => inner.subscribeRejects.call(services, eniIds, options, {
			onStatus: (status) => sink.onStatus(status),
			onRecords: (records) => {
				sink.onRecords(records);
				deliveries++;
			},
		});
		let commits = 0;
		const ui = renderAndWait(<Profiler id="app" onRender={() => commits++}><App services={services} onQuit={() => ui.unmount()} /></Profiler>, {columns: 120, rows: 36});
		current = ui;
		await openRejects(ui);
		send('REJECT');
		await ui.waitForFrame((frame) => peerCount(frame, 'REJECT') === 1);
		await ui.press('1', '[1 Rules]');
		// Ten more deliveries, each a store change the Rejects tab would draw (10 frames a second).
		const start = {commits, deliveries};
		for (let index = 0; index < 10; index++) {
			const seen = deliveries;
			send('REJECT');
			await until(() => deliveries > seen);
		}
		expect(deliveries - start.deliveries).toBeGreaterThanOrEqual(10);
		expect(commits - start.commits).toBe(0);
		// The records were not lost on the way: back on Rejects they are all there.
		await ui.press('3', (frame) => peerCount(frame, 'REJECT') === 11);
	});
});

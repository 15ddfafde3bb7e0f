// The banner row holds two things: a message (a palette complaint, a copy, a failed refresh) and
// the mode's standing notice (the demo's "how to reach the lab"). A complaint goes once a command
// succeeds, and the notice comes back from under it; esc hides the notice and `?` shows it again.
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/App.js';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {renderAndWait, type Rendered} from '../support/render-and-wait.js';
import {demoNotice} from '../../source/app/demo-notice.js';

const NOTICE = demoNotice('/home/operator/.local/state/sgtui/demo/77/aws-env.sh', '/home/operator');

class NoticeServices extends SnapshotServices {
	override readonly mode = {kind: 'snapshot' as const, label: 'snapshot demo/snapshot', notice: NOTICE};
}

let ui: Rendered | null = null;
afterEach(() => {
	ui?.unmount();
	ui = null;
});

function open(): Rendered {
	const services = new NoticeServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 200});
	ui = renderAndWait(<App services={services} onQuit={() => ui?.unmount()} />, {columns: 80, rows: 24});
	return ui;
}

async function palette(rendered: Rendered, command: string, until: (frame: string) => boolean): Promise<string> {
	await rendered.press(':', 'eni <eni-id>');
	await rendered.type(command);
	return rendered.press('enter', until);
}

describe('the banner row: messages over the standing notice', () => {
	it('a failed command\'s complaint covers the notice; the next command that succeeds takes it away and the notice returns', async () => {
		const rendered = open();
		await rendered.waitForFrame((frame) => frame.includes('web-1') && frame.includes(NOTICE));
		let frame = await palette(rendered, 'eni i-bad', (screen) => screen.includes('is not a network interface id'));
		expect(frame).not.toContain(NOTICE);
		// A second failure replaces the first complaint rather than stacking under it.
		frame = await palette(rendered, 'eni eni-0000000000000dead', (screen) => screen.includes('No network interface eni-0000000000000dead'));
		expect(frame).not.toContain('is not a network interface id');
		frame = await palette(rendered, 'eni eni-0f1e2d3c4b5a69788', (screen) => screen.includes('Security group sg-0a11b22c33d44e501'));
		expect(frame).not.toContain('No network interface');
		expect(frame).toContain(NOTICE);
	});

	it('esc dismisses a complaint (the notice comes back), then the notice; ? shows the notice again', async () => {
		const rendered = open();
		await rendered.waitForFrame((frame) => frame.includes('web-1') && frame.includes(NOTICE));
		await palette(rendered, 'eni i-bad', (screen) => screen.includes('is not a network interface id'));
		await rendered.press('esc', (frame) => !frame.includes('is not a network interface id') && frame.includes(NOTICE));
		await rendered.press('esc', (frame) => !frame.includes(NOTICE) && frame.includes('web-1'));
		await rendered.press('?', (frame) => frame.includes('esc / ? closes help') && frame.includes(NOTICE));
		await rendered.press('esc', (frame) => frame.includes('web-1') && !frame.includes(NOTICE));
	});

	it('the demo\'s notice is one row at 80 columns, the screen right under it', async () => {
		const rendered = open();
		const frame = await rendered.waitForFrame((screen) => screen.includes('web-1') && screen.includes(NOTICE));
		const lines = frame.split('\n');
		expect(lines[1]).toBe(`· ${NOTICE}`);
		expect(lines[2]).toMatch(/^Network interfaces/);
	});
});

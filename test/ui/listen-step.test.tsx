import {afterEach, describe, expect, it} from 'vitest';
import type {CheckRequest} from '../../source/core/types.js';
import {LISTEN_INTRO, ListenStep} from '../../source/ui/ListenStep.js';
import {frameLines, renderAndWait, type Rendered} from '../support/render-and-wait.js';

let current: Rendered | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
});

describe('ListenStep', () => {
	it('wraps the evidence line at a narrow panel: the host address and port are never cut', async () => {
		const request: CheckRequest = {target: 'i-0b2c3d4e5f6071829', protocol: 'tcp', port: 8443, source: {kind: 'address', address: '198.51.100.23'}, clientOs: 'linux'};
		const source = 'ssh ec2-user+i-0b2c3d4e5f6071829@127.0.0.1:40123 (ss -H -ltnup)';
		current = renderAndWait(<ListenStep verdict={{kind: 'not-listening'}} request={request} source={source} width={46} />, {columns: 46, rows: 20});
		const frame = await current.waitForFrame('evidence:');
		const lines = frameLines(frame);
		expect(lines.every((line) => line.length <= 46)).toBe(true);
		const from = lines.findIndex((line) => line.startsWith('evidence:'));
		expect(lines.slice(from).join(' ').replace(/\s+/g, ' ')).toContain('127.0.0.1:40123');
		expect(frame).toContain('ec2-user+i-0b2c3d4e5f6071829@127.0.0.1:40123');
	});

	it('wraps its intro at a narrow panel: the sentence reads whole', async () => {
		const request: CheckRequest = {target: 'i-0b2c3d4e5f6071829', protocol: 'tcp', port: 8080, source: {kind: 'any'}, clientOs: 'linux'};
		current = renderAndWait(<ListenStep verdict={{kind: 'pending'}} request={request} source={null} width={46} />, {columns: 46, rows: 20});
		const frame = await current.waitForFrame('Probing the host');
		const lines = frameLines(frame);
		expect(lines.every((line) => line.length <= 46)).toBe(true);
		expect(lines.slice(1, 4).join(' ').replace(/\s+/g, ' ')).toContain(LISTEN_INTRO);
	});
});

// The evidence report lists every layer of the path, in order, with its JSON name, and the
// families each listener takes.
import {describe, expect, it} from 'vitest';
import {check} from '../../source/core/check.js';
import {parseListeners} from '../../source/core/listener-parser.js';
import {LAYER_NAMES} from '../../source/core/types.js';
import {buildReport} from '../../source/ui/wizard-report.js';
import {webScene} from '../support/inventory-builder.js';

describe('evidence report', () => {
	it('shows all eight layers and the socket families', () => {
		const capture = {...parseListeners('State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\nLISTEN 0 511 [::]:443 [::]:*'), source: 'test'};
		const request = {target: 'i-web', protocol: 'tcp' as const, port: 443, source: {kind: 'address' as const, address: '203.0.113.25'}, clientOs: 'linux' as const};
		const result = check({inventory: webScene(), host: capture, request});
		expect(result.verdict).toBe('not-listening');
		const report = buildReport({generatedAt: new Date('2026-01-01T00:00:00Z'), mode: 'test', name: null, request, result, host: {status: 'captured', capture}, records: [], stream: 'none'});
		const layerLines = report.markdown.split('\n').filter((line) => /^- \*\*.+\*\* \(`/.test(line));
		expect(layerLines.map((line) => /\(`(\w+)`\)/.exec(line)![1])).toEqual([...LAYER_NAMES]);
		expect(report.markdown).toContain('tcp [::]:443 (all-interfaces, takes IPv6)');
		expect(Object.keys(report.json.layers as object)).toEqual([...LAYER_NAMES]);
	});
});

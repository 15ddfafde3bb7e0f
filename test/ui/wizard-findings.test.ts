// The rail's step-4 line and the verdict come from the same layers: a layer that stops part of the
// traffic (NACL partial) blocks in both. The rail said "✓ rules allow" beside "✗ Blocked by the
// network ACL (inbound)" for port 80 from any client to the NAT gateway's interface.
import {describe, expect, it} from 'vitest';
import {SnapshotServices} from '../../source/app/snapshot-services.js';
import {railFindings} from '../../source/ui/wizard-findings.js';
import {verdictText} from '../../source/ui/verdict-text.js';

describe('rail findings against the verdict', () => {
	it('a partial NACL is a block on the rail as in the verdict', async () => {
		const services = new SnapshotServices({dir: 'demo/snapshot'});
		const inventory = await services.loadInventory(() => {});
		const result = services.check({inventory, request: {target: 'eni-05e6f708192a3b4c5', protocol: 'tcp', port: 80, source: {kind: 'any'}, clientOs: 'linux'}, host: null, flows: []});
		expect(verdictText(result.verdict).tone).toBe('bad');
		const findings = railFindings({step: 5, targetLabel: null, targetId: null, request: null, listen: null, result, tally: null, saved: false});
		expect(findings[3]?.tone).toBe('bad');
		expect(findings[3]?.text).toMatch(/^✗ .*NACL inbound/);
	});
});

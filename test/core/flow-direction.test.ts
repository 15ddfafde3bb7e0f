import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {classifyFlowDirection, flowPeer} from '../../source/core/flow-direction.js';
import type {FlowRecord} from '../../source/core/types.js';

const own = new Set(['10.20.1.5', '2001:db8::5']);
const record = (overrides: Partial<FlowRecord>): FlowRecord => ({srcAddr: '198.51.100.23', dstAddr: '10.20.1.5', srcPort: 39568, dstPort: 22, protocol: 6, action: 'REJECT', ...overrides});
const reply = record({srcAddr: '10.20.1.5', dstAddr: '198.51.100.23', srcPort: 22, dstPort: 39568});

describe('classifyFlowDirection', () => {
	it('believes the v5 flow-direction field over addresses and ports', () => {
		expect(classifyFlowDirection({...reply, flowDirection: 'egress'})).toBe('reply');
		// An instance connecting out to 443 from an ephemeral port.
		expect(classifyFlowDirection(record({srcAddr: '10.20.1.5', dstAddr: '203.0.113.200', srcPort: 46927, dstPort: 443, flowDirection: 'egress'}))).toBe('out');
		// The server's answer to that connection comes in: ingress, whatever its ports look like.
		expect(classifyFlowDirection(record({srcAddr: '203.0.113.200', dstAddr: '10.20.1.5', srcPort: 443, dstPort: 46927, flowDirection: 'ingress'}), own)).toBe('in');
		expect(classifyFlowDirection({...reply, flowDirection: 'ingress'}, own)).toBe('in');
	});

	it('uses the interface\'s own addresses when the format has no flow-direction', () => {
		expect(classifyFlowDirection(reply, own)).toBe('reply');
		expect(classifyFlowDirection(record({srcAddr: '10.20.1.5', dstAddr: '52.218.1.1', srcPort: 50000, dstPort: 443}), own)).toBe('out');
		expect(classifyFlowDirection(record({}), own)).toBe('in');
		// Traffic to the ENI from a low source port is still inbound (e.g. NTP 123 → 40000).
		expect(classifyFlowDirection(record({srcPort: 123, dstPort: 40000, protocol: 17}), own)).toBe('in');
		expect(classifyFlowDirection(record({srcAddr: '2001:db8::5', dstAddr: '2001:db8::99', srcPort: 22, dstPort: 50000}), own)).toBe('reply');
	});

	it('falls back to the ports when neither tells: a service port answering an ephemeral one is a reply', () => {
		expect(classifyFlowDirection(reply)).toBe('reply');
		expect(classifyFlowDirection(reply, new Set())).toBe('reply');
		expect(classifyFlowDirection(record({}))).toBe('in');
		expect(classifyFlowDirection(record({srcPort: 8080, dstPort: 50000, srcAddr: '10.20.1.5', dstAddr: '198.51.100.23'}))).toBe('reply');
		// Equal ports, low destinations, missing ports: not a reply.
		expect(classifyFlowDirection(record({srcPort: 123, dstPort: 123}))).toBe('in');
		expect(classifyFlowDirection(record({srcPort: 5, dstPort: 443}))).toBe('in');
		expect(classifyFlowDirection(record({srcPort: null, dstPort: 40000}))).toBe('in');
		// A scanner's low source port to a high service port is inbound, not a reply from 2000.
		expect(classifyFlowDirection(record({srcPort: 2000, dstPort: 3389}))).toBe('in');
		expect(classifyFlowDirection(record({srcPort: 40000, dstPort: 50000}))).toBe('in');
		// A reply to a NAT'd client's low port needs flow-direction or the ENI's addresses to be seen.
		const toNat = {...reply, dstPort: 2000};
		expect(classifyFlowDirection(toNat)).toBe('in');
		expect(classifyFlowDirection(toNat, own)).toBe('reply');
		expect(classifyFlowDirection({...toNat, flowDirection: 'egress'})).toBe('reply');
		expect(classifyFlowDirection({action: 'REJECT'})).toBe('in');
		// Both ends the ENI's own (or neither): the addresses don't tell, the ports decide.
		expect(classifyFlowDirection(record({srcAddr: '10.20.1.5', dstAddr: '10.20.1.5', srcPort: 22, dstPort: 40000}), own)).toBe('reply');
	});

	it('matches an independent model of the documented rules for any record (property)', () => {
		const address = fc.constantFrom('10.20.1.5', '2001:db8::5', '198.51.100.23', '203.0.113.9', null, undefined);
		const port = fc.oneof(fc.constantFrom(0, 22, 443, 1023, 1024, 3389, 32767, 32768, 49152, 65535, null, undefined), fc.integer({min: 0, max: 65535}));
		const ownSet = fc.constantFrom(own, new Set<string>(), null, undefined);
		fc.assert(
			fc.property(address, address, port, port, fc.constantFrom('ingress', 'egress', null, undefined, 'sideways', 7), ownSet, (srcAddr, dstAddr, srcPort, dstPort, flowDirection, addresses) => {
				const r: FlowRecord = {srcAddr, dstAddr, srcPort, dstPort, protocol: 6, action: 'REJECT', flowDirection};
				expect(classifyFlowDirection(r, addresses)).toBe(modelDirection(r, addresses));
			}),
			{numRuns: 2000},
		);
	});
});

/**
 * The reference for the property above, written from the rules (not from flow-direction.ts's
 * functions, so a slip there shows as a disagreement here):
 * 1. Which way the packet went: the v5 flow-direction field says so when it is "ingress" or
 *    "egress" (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html); else the
 *    ENI's own addresses tell when exactly one end is the ENI; else nobody knows.
 * 2. Arriving is "in". Leaving from a lower port to a port ≥ 1024 is a reply, any other leaving
 *    traffic the ENI connecting "out".
 * 3. Unknown way: a reply only when it runs from below 32768 (Linux's lowest ephemeral port) to
 *    32768 or above with the source lower; anything else reads as "in".
 */
function modelDirection(r: FlowRecord, addresses: ReadonlySet<string> | null | undefined): 'in' | 'reply' | 'out' {
	let way: 'arriving' | 'leaving' | 'unknown' = 'unknown';
	if (r.flowDirection === 'ingress') way = 'arriving';
	else if (r.flowDirection === 'egress') way = 'leaving';
	else if (addresses && addresses.size > 0) {
		const fromEni = r.srcAddr != null && addresses.has(r.srcAddr);
		const toEni = r.dstAddr != null && addresses.has(r.dstAddr);
		if (fromEni !== toEni) way = fromEni ? 'leaving' : 'arriving';
	}
	const sp = typeof r.srcPort === 'number' ? r.srcPort : undefined;
	const dp = typeof r.dstPort === 'number' ? r.dstPort : undefined;
	if (way === 'arriving') return 'in';
	if (way === 'leaving') return sp !== undefined && dp !== undefined && sp < dp && dp >= 1024 ? 'reply' : 'out';
	return sp !== undefined && dp !== undefined && sp < 32768 && dp >= 32768 ? 'reply' : 'in';
}

describe('flowPeer', () => {
	it('names the other side and the service port', () => {
		expect(flowPeer(record({}), 'in')).toEqual({peer: '198.51.100.23', port: 22});
		expect(flowPeer(reply, 'reply')).toEqual({peer: '198.51.100.23', port: 22});
		expect(flowPeer(record({srcAddr: '10.20.1.5', dstAddr: '52.218.1.1', srcPort: 50000, dstPort: 443}), 'out')).toEqual({peer: '52.218.1.1', port: 443});
		expect(flowPeer({}, 'reply')).toEqual({peer: null, port: null});
	});
});

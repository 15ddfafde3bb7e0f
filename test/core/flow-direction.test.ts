import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {classifyFlowDirection, directionFrom, flowPeer, leftInterface, looksLikeReply} from '../../source/core/flow-direction.js';
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

	it('agrees with its parts for any record (property)', () => {
		const address = fc.constantFrom('10.20.1.5', '198.51.100.23', '203.0.113.9', null);
		const port = fc.oneof(fc.constantFrom(22, 443, 3389, 1024, 32768, 65535, null), fc.integer({min: 0, max: 70000}));
		fc.assert(
			fc.property(address, address, port, port, fc.constantFrom('ingress', 'egress', null, 'sideways'), (srcAddr, dstAddr, srcPort, dstPort, flowDirection) => {
				const r = record({srcAddr, dstAddr, srcPort, dstPort, flowDirection});
				const direction = classifyFlowDirection(r, own);
				const left = leftInterface(flowDirection, srcAddr, dstAddr, own);
				if (left === false) expect(direction).toBe('in');
				if (direction === 'reply') expect(looksLikeReply(srcPort, dstPort)).toBe(true);
				if (direction === 'out') expect(left).toBe(true);
				expect(direction).toBe(directionFrom(left, srcPort, dstPort));
			}),
			{numRuns: 300},
		);
	});
});

describe('flowPeer', () => {
	it('names the other side and the service port', () => {
		expect(flowPeer(record({}), 'in')).toEqual({peer: '198.51.100.23', port: 22});
		expect(flowPeer(reply, 'reply')).toEqual({peer: '198.51.100.23', port: 22});
		expect(flowPeer(record({srcAddr: '10.20.1.5', dstAddr: '52.218.1.1', srcPort: 50000, dstPort: 443}), 'out')).toEqual({peer: '52.218.1.1', port: 443});
		expect(flowPeer({}, 'reply')).toEqual({peer: null, port: null});
	});
});

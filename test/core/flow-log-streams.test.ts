import {describe, expect, it} from 'vitest';
import {eniOfFlowLogStream, flowLogStreamNames, flowLogStreamNamesOf} from '../../source/core/flow-log-streams.js';

describe('flow-log stream names', () => {
	it('reads the bare id and the three names AWS gives by traffic type', () => {
		expect(flowLogStreamNames('eni-0a1b2c3d4e5f60718')).toEqual(['eni-0a1b2c3d4e5f60718', 'eni-0a1b2c3d4e5f60718-all', 'eni-0a1b2c3d4e5f60718-accept', 'eni-0a1b2c3d4e5f60718-reject']);
		expect(flowLogStreamNamesOf(['eni-12345678', 'eni-9abcdef0'])).toHaveLength(8);
	});

	it('maps a stream back to its interface, and leaves other names alone', () => {
		expect(eniOfFlowLogStream('eni-0a1b2c3d4e5f60718-all')).toBe('eni-0a1b2c3d4e5f60718');
		expect(eniOfFlowLogStream('eni-12345678-reject')).toBe('eni-12345678');
		expect(eniOfFlowLogStream('eni-12345678')).toBe('eni-12345678');
		expect(eniOfFlowLogStream('eni-12345678-other')).toBe('eni-12345678-other');
		expect(eniOfFlowLogStream('my-stream-all')).toBe('my-stream-all');
	});
});

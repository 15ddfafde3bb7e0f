// Builds flow log lines in any format, for feeding the lab.
import {parseLogFormat} from '../../source/core/flow-format.js';

export interface LineValues {
	eni: string;
	src: string;
	dst: string;
	srcPort: number;
	dstPort: number;
	action: 'ACCEPT' | 'REJECT';
	/** Unix seconds. */
	start: number;
	protocol?: number;
	/** v5's flow-direction (default ingress). */
	flowDirection?: 'ingress' | 'egress';
}

export function flowLine(format: string, v: LineValues): string {
	const values: Record<string, string> = {
		version: '5',
		'account-id': '123456789012',
		'interface-id': v.eni,
		srcaddr: v.src,
		dstaddr: v.dst,
		srcport: String(v.srcPort),
		dstport: String(v.dstPort),
		protocol: String(v.protocol ?? 6),
		packets: '1',
		bytes: '60',
		start: String(v.start),
		end: String(v.start + 30),
		action: v.action,
		'log-status': 'OK',
		'tcp-flags': '2',
		type: 'IPv4',
		'pkt-srcaddr': v.src,
		'pkt-dstaddr': v.dst,
		'flow-direction': v.flowDirection ?? 'ingress',
	};
	return parseLogFormat(format)
		.map((field) => values[field.name] ?? '-')
		.join(' ');
}

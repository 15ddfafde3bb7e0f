import {describe, expect, it} from 'vitest';
import {EvidenceError} from '../../source/core/evidence-error.js';
import {DEFAULT_FLOW_FORMAT, FLOW_FIELDS, flowField, formatString, parseHeaderLine, parseLogFormat} from '../../source/core/flow-format.js';

describe('FLOW_FIELDS', () => {
	it('names every field the way CloudWatch Logs Insights does', () => {
		// The list, in AWS's table order.
		const insights = ['version', 'accountId', 'interfaceId', 'srcAddr', 'dstAddr', 'srcPort', 'dstPort', 'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'logStatus', 'vpcId', 'subnetId', 'instanceId', 'tcpFlags', 'type', 'pktSrcAddr', 'pktDstAddr', 'region', 'azId', 'sublocationType', 'sublocationId', 'pktSrcAwsService', 'pktDstAwsService', 'flowDirection', 'trafficPath'];
		expect(FLOW_FIELDS.slice(0, insights.length).map((field) => field.key)).toEqual(insights);
		expect(FLOW_FIELDS.find((field) => field.name === 'reject-reason')?.key).toBe('rejectReason');
		expect(FLOW_FIELDS.find((field) => field.name === 'pkt-src-aws-service')?.key).toBe('pktSrcAwsService');
		expect(FLOW_FIELDS.find((field) => field.name === 'ecs-task-definition-arn')?.key).toBe('ecsTaskDefinitionArn');
	});

	it('covers v2 to v8 including the ten ecs-* fields and reject-reason', () => {
		const byVersion = (version: number) => FLOW_FIELDS.filter((field) => field.version === version).map((field) => field.name);
		expect(byVersion(2)).toHaveLength(14);
		expect(byVersion(3)).toEqual(['vpc-id', 'subnet-id', 'instance-id', 'tcp-flags', 'type', 'pkt-srcaddr', 'pkt-dstaddr']);
		expect(byVersion(4)).toEqual(['region', 'az-id', 'sublocation-type', 'sublocation-id']);
		expect(byVersion(5)).toEqual(['pkt-src-aws-service', 'pkt-dst-aws-service', 'flow-direction', 'traffic-path']);
		expect(byVersion(7)).toEqual([
			'ecs-cluster-arn', 'ecs-cluster-name', 'ecs-container-instance-arn', 'ecs-container-instance-id', 'ecs-container-id',
			'ecs-second-container-id', 'ecs-service-name', 'ecs-task-definition-arn', 'ecs-task-arn', 'ecs-task-id',
		]);
		expect(byVersion(8)).toEqual(['reject-reason']);
	});

	it('marks exactly the integer fields as numeric', () => {
		expect(FLOW_FIELDS.filter((field) => field.kind === 'number').map((field) => field.name)).toEqual([
			'version', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'tcp-flags', 'traffic-path',
		]);
		expect(flowField('action')?.kind).toBe('action');
		expect(flowField('log-status')?.kind).toBe('log-status');
		expect(flowField('srcaddr')?.kind).toBe('string');
	});
});

describe('parseLogFormat', () => {
	it('reads the default format', () => {
		const fields = parseLogFormat(DEFAULT_FLOW_FORMAT);
		expect(fields.map((field) => field.name)).toEqual(['version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status']);
		expect(formatString(fields)).toBe(DEFAULT_FLOW_FORMAT);
	});

	it('reads a custom format as DescribeFlowLogs returns it, in its order', () => {
		const fields = parseLogFormat('${instance-id} ${pkt-srcaddr} ${dstport}  ${action} ${reject-reason} ${ecs-task-id}');
		expect(fields.map((field) => field.key)).toEqual(['instanceId', 'pktSrcAddr', 'dstPort', 'action', 'rejectReason', 'ecsTaskId']);
	});

	it('accepts bare names (as in an S3 header) and fields sgtui does not know yet', () => {
		expect(parseLogFormat('srcaddr dstport').map((field) => field.key)).toEqual(['srcAddr', 'dstPort']);
		expect(parseLogFormat('${srcaddr} ${encryption-status}')[1]).toEqual({name: 'encryption-status', key: 'encryptionStatus', kind: 'string', version: null});
	});

	it.each([
		['', 'empty flow log format'],
		['${srcaddr} ${}', 'invalid flow log format field "${}"'],
		['${srcaddr} ${Src Addr}', 'invalid flow log format field "${Src"'],
		['${srcaddr} $dstport', 'invalid flow log format field "$dstport"'],
		['${srcaddr} ${srcaddr}', 'flow log format names "srcaddr" twice'],
	])('rejects %j with a one-line reason', (format, message) => {
		expect(() => parseLogFormat(format)).toThrow(EvidenceError);
		expect(() => parseLogFormat(format)).toThrow(message);
	});
});

describe('parseHeaderLine', () => {
	it('recognizes the header line of a file delivered to S3', () => {
		const header = parseHeaderLine('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status');
		expect(header && formatString(header)).toBe(DEFAULT_FLOW_FORMAT);
		expect(parseHeaderLine('version vpc-id srcaddr flow-direction traffic-path\r')?.map((field) => field.key)).toEqual(['version', 'vpcId', 'srcAddr', 'flowDirection', 'trafficPath']);
	});

	it('never takes a record for a header', () => {
		expect(parseHeaderLine('2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA')).toBeNull();
		// Lowercase values that look like names, but are not field names.
		expect(parseHeaderLine('eni-0abc1234 vpc-0abc1234')).toBeNull();
		expect(parseHeaderLine('ingress egress')).toBeNull();
		expect(parseHeaderLine('srcaddr srcaddr')).toBeNull();
		expect(parseHeaderLine('')).toBeNull();
	});
});

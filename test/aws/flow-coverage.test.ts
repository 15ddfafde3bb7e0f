import {describe, expect, it} from 'vitest';
import {flowCoverage, worstCaseDelayMinutes} from '../../source/core/flow-coverage.js';
import {DEFAULT_FLOW_FORMAT} from '../../source/core/flow-format.js';
import type {FlowLogConfig, NetworkInterface} from '../../source/core/types.js';

const eni: NetworkInterface = {
	id: 'eni-1',
	subnetId: 'subnet-1',
	vpcId: 'vpc-1',
	instanceId: 'i-1',
	description: '',
	interfaceType: 'interface',
	status: 'in-use',
	privateIps: ['10.0.0.5'],
	ipv6Addresses: [],
	publicIp: null,
	groupIds: ['sg-1'],
	tags: {},
};

function flowLog(overrides: Partial<FlowLogConfig>): FlowLogConfig {
	return {
		id: 'fl-x',
		resourceId: 'vpc-1',
		trafficType: 'ALL',
		destinationType: 'cloud-watch-logs',
		logGroupName: '/flow',
		destination: null,
		logFormat: DEFAULT_FLOW_FORMAT,
		maxAggregationInterval: 60,
		status: 'ACTIVE',
		deliverLogsStatus: 'SUCCESS',
		...overrides,
	};
}

const coverage = (flowLogs: FlowLogConfig[]) => flowCoverage({networkInterfaces: [eni], flowLogs}, 'eni-1');

describe('flowCoverage', () => {
	it('says no flow log covers the ENI and how to create one', () => {
		const result = coverage([flowLog({resourceId: 'vpc-other'})]);
		expect(result.best).toBeNull();
		expect(result.problem).toMatch(/^no flow log covers eni-1/);
		expect(result.problem).toContain('--traffic-type REJECT');
		expect(result.problem).toContain('--max-aggregation-interval 60');
	});

	it('finds flow logs on the ENI, its subnet and its VPC and prefers the usable, fastest, most specific', () => {
		const result = coverage([
			flowLog({id: 'fl-vpc', resourceId: 'vpc-1', maxAggregationInterval: 600}),
			flowLog({id: 'fl-subnet', resourceId: 'subnet-1'}),
			flowLog({id: 'fl-eni', resourceId: 'eni-1'}),
		]);
		expect(result.flowLogs.map((entry) => [entry.flowLog.id, entry.scope])).toEqual([
			['fl-eni', 'eni'],
			['fl-subnet', 'subnet'],
			['fl-vpc', 'vpc'],
		]);
		expect(result.best?.flowLog.id).toBe('fl-eni');
		expect(result.problem).toBeNull();
	});

	it('cannot tail S3 or Firehose destinations and says so', () => {
		const result = coverage([flowLog({id: 'fl-s3', destinationType: 's3', logGroupName: null, destination: 'arn:aws:s3:::bucket/'}), flowLog({id: 'fl-fh', destinationType: 'kinesis-data-firehose', logGroupName: null})]);
		expect(result.best).toBeNull();
		expect(result.problem).toMatch(/fl-s3 delivers to S3 \(arn:aws:s3:::bucket\/\): only CloudWatch Logs can be tailed/);
		expect(result.problem).toMatch(/fl-fh delivers to Kinesis Data Firehose/);
	});

	it('rejects an ACCEPT-only flow log: it can never show a reject', () => {
		const result = coverage([flowLog({trafficType: 'ACCEPT'})]);
		expect(result.best).toBeNull();
		expect(result.problem).toContain('captures only ACCEPT traffic');
	});

	it('prefers a REJECT-capturing CloudWatch flow log over a better-scoped unusable one', () => {
		const result = coverage([flowLog({id: 'fl-eni', resourceId: 'eni-1', trafficType: 'ACCEPT'}), flowLog({id: 'fl-vpc', resourceId: 'vpc-1', trafficType: 'REJECT'})]);
		expect(result.best?.flowLog.id).toBe('fl-vpc');
		expect(result.flowLogs[0]!.flowLog.id).toBe('fl-vpc');
	});

	it('warns about the 10-minute aggregation interval', () => {
		const result = coverage([flowLog({maxAggregationInterval: 600})]);
		expect(result.best).not.toBeNull();
		expect(result.best!.notes.join('\n')).toMatch(/aggregates over 10 min; with ~5 min delivery a reject can take ~15 min to show \(a 60 s interval is better\)/);
		expect(worstCaseDelayMinutes(60)).toBe(6);
	});

	it('reads custom formats: one without ${action} cannot show rejects', () => {
		const ok = coverage([flowLog({logFormat: '${version} ${interface-id} ${srcaddr} ${dstport} ${action} ${tcp-flags}'})]);
		expect(ok.best?.formatUsable).toBe(true);
		const noAction = coverage([flowLog({logFormat: '${version} ${interface-id} ${srcaddr} ${dstport}'})]);
		expect(noAction.best).toBeNull();
		expect(noAction.problem).toContain('no ${action} field');
		const partial = coverage([flowLog({logFormat: '${interface-id} ${action}'})]);
		expect(partial.best!.notes.join()).toContain('lacks ${srcaddr} ${dstport}');
	});

	it('flags inactive flow logs and failing delivery', () => {
		const result = coverage([flowLog({deliverLogsStatus: 'FAILED'})]);
		expect(result.best!.notes.join()).toContain("delivery status is FAILED");
	});
});

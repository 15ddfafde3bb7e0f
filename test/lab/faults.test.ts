import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DescribeFlowLogsCommand, DescribeSecurityGroupsCommand} from '@aws-sdk/client-ec2';
import {DescribeLogGroupsCommand, FilterLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {ManualClock} from '../support/manual-clock.js';
import {FIXTURE, ec2Client, expectAwsError, logsClient} from './lab-helpers.js';

let lab: Lab;
const served: string[] = [];
beforeAll(async () => {
	lab = await startLab({snapshotDir: FIXTURE, simulate: false, log: (line) => served.push(line)});
});
afterAll(async () => {
	await lab.close();
});

function reset() {
	lab.faults.throttleEveryNth = 0;
	lab.faults.serverErrorEveryNth = 0;
	served.length = 0;
}

describe('fault knobs', () => {
	it('throttles every Nth call; the SDK retries RequestLimitExceeded and ThrottlingException', async () => {
		reset();
		lab.faults.throttleEveryNth = 2;
		try {
			const ec2 = ec2Client(lab);
			const logs = logsClient(lab);
			for (let i = 0; i < 2; i++) expect((await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups).toHaveLength(6);
			for (let i = 0; i < 2; i++) expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups).toHaveLength(2);
			expect(served.filter((line) => line.includes('RequestLimitExceeded'))).not.toHaveLength(0);
			expect(served.filter((line) => line.includes('ThrottlingException'))).not.toHaveLength(0);
		} finally {
			reset();
		}
	});

	it('surfaces the throttling error when the client does not retry', async () => {
		reset();
		lab.faults.throttleEveryNth = 1;
		try {
			const error = await expectAwsError(ec2Client(lab, {maxAttempts: 1}).send(new DescribeSecurityGroupsCommand({})), 'RequestLimitExceeded');
			expect(error.$metadata!.httpStatusCode).toBe(503);
			await expectAwsError(logsClient(lab, {maxAttempts: 1}).send(new DescribeLogGroupsCommand({})), 'ThrottlingException');
		} finally {
			reset();
		}
	});

	it('answers 5xx every Nth call; retries recover, a single attempt fails with the 5xx', async () => {
		reset();
		lab.faults.serverErrorEveryNth = 2;
		try {
			expect((await ec2Client(lab).send(new DescribeSecurityGroupsCommand({}))).SecurityGroups).toHaveLength(6);
			expect((await ec2Client(lab).send(new DescribeSecurityGroupsCommand({}))).SecurityGroups).toHaveLength(6);
			expect(served.some((line) => line.endsWith('InternalError 500'))).toBe(true);
			lab.faults.serverErrorEveryNth = 1;
			const error = await expectAwsError(ec2Client(lab, {maxAttempts: 1}).send(new DescribeSecurityGroupsCommand({})), 'InternalError');
			expect(error.$metadata!.httpStatusCode).toBe(500);
			const logsError = await expectAwsError(logsClient(lab, {maxAttempts: 1}).send(new DescribeLogGroupsCommand({})), 'ServiceUnavailableException');
			expect(logsError.$metadata!.httpStatusCode).toBe(500);
		} finally {
			reset();
		}
	});

	it('enforces the FilterLogEvents quota when asked (AWS: 5 per second), over a sliding second of the lab\'s clock', async () => {
		// Its own lab on a manual clock: the window is checked at its edges, not against a loaded machine's wall clock.
		const clock = new ManualClock();
		const timed = await startLab({snapshotDir: FIXTURE, simulate: false, clock, faults: {filterLogEventsPerSecond: 5}});
		try {
			const client = logsClient(timed, {maxAttempts: 1});
			const call = () => client.send(new FilterLogEventsCommand({logGroupName: '/vpc/flow-logs', limit: 1})).then(() => 'ok', (error: Error) => error.name);
			const outcomes = await Promise.all(Array.from({length: 8}, call));
			expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(5);
			expect(outcomes.filter((outcome) => outcome === 'ThrottlingException')).toHaveLength(3);
			// 999 ms later the five are still inside the second; at 1000 ms they have left it.
			clock.advance(999);
			expect(await call()).toBe('ThrottlingException');
			clock.advance(1);
			expect(await Promise.all(Array.from({length: 6}, call))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ThrottlingException']);
			// The knob is read per call: 0 lifts the quota at once.
			timed.faults.filterLogEventsPerSecond = 0;
			expect(await Promise.all(Array.from({length: 8}, call))).toEqual(Array.from({length: 8}, () => 'ok'));
		} finally {
			await timed.close();
		}
	});

	it('denies the actions in denyActions as AWS does for a missing IAM permission, and only those', async () => {
		lab.faults.denyActions = ['DescribeFlowLogs', 'DescribeLogGroups'];
		try {
			// maxAttempts 6: a denial is not retried, so this is one request, not six.
			served.length = 0;
			const error = await expectAwsError(ec2Client(lab).send(new DescribeFlowLogsCommand({})), 'UnauthorizedOperation');
			expect(error.$metadata!.httpStatusCode).toBe(403);
			expect(error.message).toBe('You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/lab is not authorized to perform: ec2:DescribeFlowLogs');
			expect(served).toEqual(['ec2  DescribeFlowLogs -> UnauthorizedOperation 403']);
			const logsError = await expectAwsError(logsClient(lab).send(new DescribeLogGroupsCommand({})), 'AccessDeniedException');
			expect(logsError.message).toContain('logs:DescribeLogGroups');
			// Everything else still answers.
			expect((await ec2Client(lab).send(new DescribeSecurityGroupsCommand({}))).SecurityGroups).toHaveLength(6);
		} finally {
			lab.faults.denyActions = [];
		}
		expect((await ec2Client(lab).send(new DescribeFlowLogsCommand({}))).FlowLogs!.length).toBeGreaterThan(0);
	});

	it('answers unknown actions like the services do', async () => {
		const ec2 = await fetch(lab.endpoint, {method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded'}, body: 'Action=RunInstances&Version=2016-11-15'});
		expect(ec2.status).toBe(400);
		expect(await ec2.text()).toContain('<Code>InvalidAction</Code>');
		const logs = await fetch(lab.endpoint, {method: 'POST', headers: {'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.DeleteLogGroup'}, body: '{}'});
		expect(logs.status).toBe(400);
		expect(await logs.json()).toMatchObject({__type: 'UnknownOperationException'});
		const bad = await fetch(lab.endpoint, {method: 'POST', headers: {'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.FilterLogEvents'}, body: '{not json'});
		expect(await bad.json()).toMatchObject({__type: 'SerializationException'});
	});
});

// errorCode() and httpStatus() answer with the AWS error an AwsCallError wraps, so callers that
// test for a code (InvalidInstanceId, InvocationDoesNotExist, UnknownOperationException…) get the
// same answer before and after explainAwsError. Real SDK errors from the lab, not hand-made ones.
import {afterEach, describe, expect, it} from 'vitest';
import {DescribeInstancesCommand} from '@aws-sdk/client-ec2';
import {FilterLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {AwsCallError, errorCode, explainAwsError, httpStatus, isDenied} from '../../source/aws/errors.js';
import {labWithClients, type LabFixture} from './lab-clients.js';

let fixture: LabFixture | null = null;
afterEach(async () => {
	await fixture?.close();
	fixture = null;
});

async function failure(call: () => Promise<unknown>): Promise<unknown> {
	try {
		await call();
	} catch (error) {
		return error;
	}
	throw new Error('the call succeeded');
}

describe('errorCode through explainAwsError', () => {
	it('a missing log group: ResourceNotFoundException and its HTTP status, wrapped or not', async () => {
		fixture = await labWithClients({}, 1);
		const logs = fixture.clients.logs;
		const raw = await failure(() => logs.send(new FilterLogEventsCommand({logGroupName: '/no/such/group'})));
		const wrapped = explainAwsError(raw, 'logs', 'FilterLogEvents');
		expect(wrapped).toBeInstanceOf(AwsCallError);
		expect(wrapped.name).toBe('AwsCallError');
		expect(errorCode(raw)).toBe('ResourceNotFoundException');
		expect(errorCode(wrapped)).toBe('ResourceNotFoundException');
		expect(httpStatus(raw)).toBe(400);
		expect(httpStatus(wrapped)).toBe(400);
		expect(isDenied(wrapped)).toBe(false);
	});

	it('a denied EC2 call: UnauthorizedOperation (403) and isDenied, wrapped or not', async () => {
		fixture = await labWithClients({faults: {denyActions: ['DescribeInstances']}}, 1);
		const ec2 = fixture.clients.ec2;
		const raw = await failure(() => ec2.send(new DescribeInstancesCommand({})));
		const wrapped = explainAwsError(raw, 'ec2', 'DescribeInstances');
		expect(errorCode(wrapped)).toBe('UnauthorizedOperation');
		expect(httpStatus(wrapped)).toBe(403);
		expect(isDenied(wrapped)).toBe(true);
		expect(wrapped.message).toContain('ec2:DescribeInstances denied');
	});

	it('an AwsCallError made without an AWS error answers with its own code', () => {
		const own = new AwsCallError('nothing to tail', 'NoCoverage', null);
		expect(errorCode(own)).toBe('NoCoverage');
		expect(httpStatus(own)).toBeUndefined();
	});
});

import {describe, expect, it} from 'vitest';
import {endpointOverride, resolveAwsSettings} from '../../source/aws/config.js';
import {explainAwsError} from '../../source/aws/errors.js';

describe('resolveAwsSettings', () => {
	it('takes flags over the environment, and AWS_DEFAULT_REGION like the AWS CLI', () => {
		expect(resolveAwsSettings({region: 'eu-west-1', profile: 'ops'}, {AWS_REGION: 'us-east-1'})).toEqual({profile: 'ops', region: 'eu-west-1', endpoint: undefined});
		expect(resolveAwsSettings({}, {AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'eu-central-1'}).region).toBe('us-east-1');
		expect(resolveAwsSettings({}, {AWS_DEFAULT_REGION: 'eu-central-1'}).region).toBe('eu-central-1');
		expect(resolveAwsSettings({}, {}).region).toBeUndefined();
	});

	it('validates endpoint URLs from the flag and the environment', () => {
		expect(resolveAwsSettings({endpointUrl: 'http://127.0.0.1:4566/'}, {}).endpoint).toBe('http://127.0.0.1:4566');
		expect(() => resolveAwsSettings({endpointUrl: 'localhost:4566'}, {})).toThrow(/--endpoint-url "localhost:4566" must start with http/);
		expect(() => resolveAwsSettings({endpointUrl: 'not a url'}, {})).toThrow(/is not a URL/);
		expect(() => resolveAwsSettings({}, {AWS_ENDPOINT_URL_EC2: 'nope'})).toThrow(/AWS_ENDPOINT_URL_EC2 "nope" is not a URL/);
		expect(() => resolveAwsSettings({profile: ' '}, {})).toThrow(/--profile needs a profile name/);
	});

	it('reports the endpoint override per service in the SDK precedence order', () => {
		const settings = resolveAwsSettings({}, {});
		const env = {AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://logs'};
		expect(endpointOverride('ec2', settings, env)).toBe('http://a');
		expect(endpointOverride('logs', settings, env)).toBe('http://logs');
		expect(endpointOverride('logs', settings, {...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true'})).toBeNull();
		expect(endpointOverride('ec2', resolveAwsSettings({endpointUrl: 'http://flag'}, {}), env)).toBe('http://flag');
	});
});

describe('explainAwsError', () => {
	const sdkError = (name: string, message: string, status = 400) => Object.assign(new Error(message), {name, $metadata: {httpStatusCode: status}});

	it('names the denied permission', () => {
		expect(explainAwsError(sdkError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403), 'ec2', 'DescribeSecurityGroups').message).toBe('ec2:DescribeSecurityGroups denied: grant it to this identity (see the README\'s IAM policy)');
		expect(explainAwsError(sdkError('AccessDeniedException', 'User: arn:aws:iam::1:user/x is not authorized'), 'logs', 'StartLiveTail').message).toMatch(/^logs:StartLiveTail denied/);
	});

	it('turns missing credentials and region into one sentence with the --demo hint', () => {
		expect(explainAwsError(Object.assign(new Error('Could not load credentials from any providers'), {name: 'CredentialsProviderError'}), 'ec2', 'DescribeInstances').message).toBe('no AWS credentials were found (env, shared config, SSO or instance role); try `sgtui --demo`, or set AWS_PROFILE/AWS_REGION');
		expect(explainAwsError(new Error('Region is missing'), 'ec2', 'DescribeInstances').message).toMatch(/^no AWS region is configured; try `sgtui --demo`/);
	});

	it('explains expired or invalid credentials and never echoes key material', () => {
		const error = explainAwsError(sdkError('ExpiredToken', 'The security token included in the request is expired AKIAABCDEFGHIJKLMNOP'), 'ec2', 'DescribeInstances');
		expect(error.message).toMatch(/AWS rejected the credentials \(ExpiredToken\) calling ec2:DescribeInstances/);
		const other = explainAwsError(sdkError('InvalidGroup.NotFound', "The security group 'sg-1' does not exist AKIAABCDEFGHIJKLMNOP"), 'ec2', 'DescribeSecurityGroups');
		expect(other.message).toBe("ec2:DescribeSecurityGroups failed: InvalidGroup.NotFound: The security group 'sg-1' does not exist AKIA…");
	});
});

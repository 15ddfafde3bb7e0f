import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {DescribeSecurityGroupsCommand} from '@aws-sdk/client-ec2';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {clientsFromCliOptions} from '../../source/aws/cli-clients.js';
import {checkAwsAccess, createAwsClients} from '../../source/aws/clients.js';
import {awsCall} from '../../source/aws/errors.js';
import {fetchInventory} from '../../source/aws/inventory.js';
import {startRejectStream} from '../../source/aws/reject-stream.js';
import {createDebugLogger} from '../../source/aws/sdk-logger.js';
import {startLab, type Lab} from '../../source/lab/lab.js';

let lab: Lab;
let dir: string;
beforeAll(async () => {
	lab = await startLab({simulate: false, liveTailUpdateMs: 100});
	dir = await mkdtemp(join(tmpdir(), 'sgtui-clients-'));
});
afterAll(async () => {
	await lab?.close();
	await rm(dir, {recursive: true, force: true});
});
afterEach(() => vi.unstubAllEnvs());

/** No credentials or region anywhere the SDK's default chain looks. */
function emptyEnvironment() {
	for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_EC2', 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN']) vi.stubEnv(name, undefined);
	vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'no-config'));
	vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'no-credentials'));
	vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
}

async function liveTailConnects(clients: ReturnType<typeof createAwsClients>): Promise<string> {
	const stream = startRejectStream({logs: clients.logs, logGroupName: '/vpc/flow-logs/shop-prod', eniIds: ['eni-0f1e2d3c4b5a69788'], mode: 'live-tail', onEvent: () => undefined, logger: createDebugLogger(null)});
	const deadline = Date.now() + 10_000;
	while (!stream.status.connected && Date.now() < deadline) {
		const failed = await Promise.race([stream.done.then(() => 'ended', (error: Error) => error.message), new Promise<null>((resolve) => setTimeout(() => resolve(null), 20))]);
		if (failed) return failed;
	}
	const mode = stream.status.mode;
	await stream.stop();
	return mode;
}

describe('AWS clients', () => {
	it('reports missing region and credentials as one sentence with the --demo hint', async () => {
		emptyEnvironment();
		const noRegion = createAwsClients({debugLogPath: null});
		await expect(checkAwsAccess(noRegion)).rejects.toThrow('no AWS region is configured; try `sgtui --demo`, or set AWS_PROFILE/AWS_REGION');
		const noCredentials = createAwsClients({region: 'eu-west-1', debugLogPath: null});
		await expect(checkAwsAccess(noCredentials)).rejects.toThrow(/^no AWS credentials were found \(env, shared config, SSO or instance role\); try `sgtui --demo`/);
		const badProfile = createAwsClients({region: 'eu-west-1', profile: 'missing', debugLogPath: null});
		await expect(checkAwsAccess(badProfile)).rejects.toThrow(/no AWS credentials were found for profile "missing"/);
	});

	it('uses AWS_ENDPOINT_URL_EC2 / AWS_ENDPOINT_URL_CLOUDWATCH_LOGS natively, Live Tail included (no host prefix)', async () => {
		emptyEnvironment();
		vi.stubEnv('AWS_ENDPOINT_URL_EC2', lab.endpoint);
		vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', lab.endpoint);
		vi.stubEnv('AWS_ACCESS_KEY_ID', lab.credentials.accessKeyId);
		vi.stubEnv('AWS_SECRET_ACCESS_KEY', lab.credentials.secretAccessKey);
		vi.stubEnv('AWS_REGION', lab.region);
		const clients = createAwsClients({debugLogPath: null});
		expect(await checkAwsAccess(clients)).toEqual({region: lab.region});
		const {inventory} = await fetchInventory(clients.ec2);
		expect(inventory.instances.length).toBeGreaterThan(0);
		expect(await liveTailConnects(clients)).toBe('live-tail');
		clients.destroy();
	});

	it('reads a profile from the shared files: region, credentials and endpoint_url', async () => {
		emptyEnvironment();
		await writeFile(join(dir, 'config'), `[profile lab]\nregion = ${lab.region}\nendpoint_url = ${lab.endpoint}\n`);
		await writeFile(join(dir, 'credentials'), `[lab]\naws_access_key_id = ${lab.credentials.accessKeyId}\naws_secret_access_key = ${lab.credentials.secretAccessKey}\n`);
		vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
		vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
		vi.stubEnv('AWS_PROFILE', undefined);
		const clients = await clientsFromCliOptions({profile: 'lab', debugLog: join(dir, 'debug.log')});
		expect(clients.region).toBe(lab.region);
		const {inventory} = await fetchInventory(clients.ec2, {instanceIds: ['i-0a1b2c3d4e5f60718']});
		expect(inventory.instances.map((instance) => instance.id)).toEqual(['i-0a1b2c3d4e5f60718']);
		expect(await liveTailConnects(clients)).toBe('live-tail');
		clients.destroy();
	});

	it('turns AWS errors into one line naming the operation', async () => {
		const clients = createAwsClients({endpointUrl: lab.endpoint, region: lab.region, debugLogPath: null}, {credentials: lab.credentials});
		await expect(awsCall('ec2', 'DescribeSecurityGroups', () => clients.ec2.send(new DescribeSecurityGroupsCommand({GroupIds: ['sg-0000000000000dead']})))).rejects.toThrow(/^ec2:DescribeSecurityGroups failed: InvalidGroup\.NotFound: /);
		clients.destroy();
	});

	it('says when the endpoint cannot be reached', async () => {
		const clients = createAwsClients({endpointUrl: 'http://127.0.0.1:9', region: 'eu-west-1', debugLogPath: null}, {credentials: lab.credentials, maxAttempts: 1});
		await expect(fetchInventory(clients.ec2)).rejects.toThrow(/cannot reach the AWS endpoint for ec2 .*check --endpoint-url/);
		clients.destroy();
	});
});

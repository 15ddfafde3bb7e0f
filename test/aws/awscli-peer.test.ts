// An independent client as the judge of "exactly what `aws ec2 describe-… --output json` prints":
// the AWS CLI (botocore) reads the same lab, and its output must equal the snapshot files.
import {execFile} from 'node:child_process';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {writeSnapshot} from '../../source/aws/snapshot-writer.js';
import {assertLoopbackUrl} from '../support/loopback-peers.js';
import {AWS_CLI, skipWithout} from '../support/peers.js';
import {labWithClients, type LabFixture} from './lab-clients.js';

const run = promisify(execFile);

describe.skipIf(skipWithout('awscli'))('snapshot files equal the AWS CLI\'s output', () => {
	let fixture: LabFixture;
	let dir: string;
	beforeAll(async () => {
		fixture = await labWithClients();
		dir = await mkdtemp(join(tmpdir(), 'sgtui-awscli-'));
		await writeSnapshot({ec2: fixture.clients.ec2, logs: fixture.clients.logs, outDir: dir, minutes: 0});
	});
	afterAll(async () => {
		await fixture?.close();
		await rm(dir, {recursive: true, force: true});
	});

	const commands = ['describe-instances', 'describe-security-groups', 'describe-network-interfaces', 'describe-network-acls', 'describe-flow-logs', 'describe-managed-prefix-lists', 'describe-route-tables', 'describe-internet-gateways'];
	it.each(commands)('aws ec2 %s --output json', async (command) => {
		const env = {
			PATH: process.env.PATH,
			HOME: dir,
			AWS_ENDPOINT_URL: fixture.lab.endpoint,
			AWS_ACCESS_KEY_ID: fixture.lab.credentials.accessKeyId,
			AWS_SECRET_ACCESS_KEY: fixture.lab.credentials.secretAccessKey,
			AWS_DEFAULT_REGION: fixture.lab.region,
			AWS_PAGER: '',
		};
		assertLoopbackUrl(env.AWS_ENDPOINT_URL, 'AWS CLI endpoint');
		// Spelled out: AWS CLI v2 before 2.13 (Debian's 2.9) ignores AWS_ENDPOINT_URL and would dial real AWS.
		const {stdout} = await run(AWS_CLI, ['ec2', command, '--endpoint-url', env.AWS_ENDPOINT_URL, '--output', 'json'], {env});
		// Debian's CLI 2.9 has an older EC2 model than the SDK that wrote the file: it drops members
		// added since (CurrentInstanceBootMode, IsPrimaryIpv6, …). Everything it does print must be in
		// the file with the same value, every list the same length.
		expect(JSON.parse(await readFile(join(dir, 'aws', `${command}.json`), 'utf8'))).toMatchObject(JSON.parse(stdout) as object);
	}, 30_000);
});

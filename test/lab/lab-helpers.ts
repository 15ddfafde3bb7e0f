// Shared setup for the lab tests: the fixture snapshot and real SDK clients pointed at a lab.
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {EC2Client} from '@aws-sdk/client-ec2';
import {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import {startLab, type Lab} from '../../source/lab/lab.js';

export const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'lab-snapshot');

export const IDS = {
	vpc: 'vpc-0a1b2c3d4e5f60718',
	subnetWeb: 'subnet-0aaa1111bbbb2222c',
	subnetDb: 'subnet-0ddd3333eeee4444f',
	sgWeb: 'sg-0eb00000000000001',
	sgDb: 'sg-0db00000000000002',
	sgBastion: 'sg-0ba50000000000003',
	sgWindows: 'sg-0f1d0000000000004',
	eniWeb: 'eni-0eb00000000000001',
	eniDb: 'eni-0db00000000000002',
	eniWindows: 'eni-0f1d0000000000004',
	instanceWeb: 'i-0eb00000000000001',
	instanceDb: 'i-0db00000000000002',
	flowGroup: '/vpc/flow-logs',
	dbFlowGroup: '/vpc/db-flow-logs',
	prefixList: 'pl-0ff1ce00000000001',
} as const;

/** The SDK must stay silent (it warns about Node versions and logs from Live Tail). */
const quiet = {debug() {}, info() {}, warn() {}, error() {}};

export function ec2Client(lab: Lab, extra: Record<string, unknown> = {}): EC2Client {
	return new EC2Client({endpoint: lab.endpoint, region: lab.region, credentials: lab.credentials, logger: quiet, ...extra});
}

export function logsClient(lab: Lab, extra: Record<string, unknown> = {}): CloudWatchLogsClient {
	return new CloudWatchLogsClient({endpoint: lab.endpoint, region: lab.region, credentials: lab.credentials, disableHostPrefix: true, logger: quiet, ...extra});
}

export async function expectAwsError(promise: Promise<unknown>, name: string): Promise<Error & {$metadata?: {httpStatusCode?: number}}> {
	try {
		await promise;
	} catch (error) {
		if ((error as Error).name !== name) throw new Error(`expected ${name}, got ${(error as Error).name}: ${(error as Error).message}`, {cause: error});
		return error as Error;
	}
	throw new Error(`expected ${name}, but the call succeeded`);
}

/** The fixture snapshot served twice: as AWS pages it, and with EC2 pages of 2 (pagination tests). */
export async function startFixtureLabs(): Promise<{lab: Lab; smallPages: Lab}> {
	const [lab, smallPages] = await Promise.all([startLab({snapshotDir: FIXTURE, simulate: false}), startLab({snapshotDir: FIXTURE, simulate: false, maxPageSize: {ec2: 2}})]);
	return {lab, smallPages};
}

/** Closes whichever of `labs` started. */
export async function closeLabs(...labs: Array<Lab | undefined>): Promise<void> {
	await Promise.all(labs.filter((lab): lab is Lab => lab !== undefined).map((lab) => lab.close()));
}

import {describe, expect, it} from 'vitest';
import {DescribeSecurityGroupsCommand, EC2Client} from '@aws-sdk/client-ec2';
import {runLab} from '../../source/cli/commands/lab.js';
import {InputError, UsageError} from '../../source/cli/errors.js';
import {FIXTURE} from './lab-helpers.js';

function sink() {
	const chunks: string[] = [];
	return {write: (text: string) => chunks.push(text), text: () => chunks.join('')};
}

async function waitFor(check: () => boolean): Promise<void> {
	for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
	if (!check()) throw new Error('condition not met in time');
}

describe('sgtui lab', () => {
	it('serves the snapshot, prints how to use it, and stops cleanly', async () => {
		const stdout = sink();
		const stderr = sink();
		let stop!: () => void;
		const stopped = new Promise<void>((resolve) => (stop = resolve));
		const exit = runLab({snapshot: FIXTURE, rate: '0', sessionSeconds: '60'}, {stdout, stderr, stopped});
		await waitFor(() => stdout.text().includes('Ctrl-C'));
		const text = stdout.text();
		const endpoint = /AWS_ENDPOINT_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
		expect(endpoint).toBeTruthy();
		expect(text).toContain('AWS_REGION=eu-west-1');
		expect(text).toContain('aws ec2 describe-security-groups');
		expect(text).toContain('aws logs start-live-tail --log-group-identifiers arn:aws:logs:eu-west-1:111122223333:log-group:/vpc/flow-logs --log-stream-names eni-0web0000000000001 --log-event-filter-pattern REJECT');
		expect(text).toContain('traffic simulator: off');
		const keyId = /AWS_ACCESS_KEY_ID=(\S+)/.exec(text)![1]!;
		const secret = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(text)![1]!;
		const ec2 = new EC2Client({endpoint, region: 'eu-west-1', credentials: {accessKeyId: keyId, secretAccessKey: secret}, logger: {debug() {}, info() {}, warn() {}, error() {}}});
		expect((await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups).toHaveLength(6);
		stop();
		expect(await exit).toBe(0);
		expect(stderr.text()).toContain('stopped');
		await expect(ec2.send(new DescribeSecurityGroupsCommand({}))).rejects.toThrow();
	});

	it('refuses bad flags and a missing snapshot with one-line errors', async () => {
		const io = {stdout: sink(), stderr: sink(), stopped: Promise.resolve()};
		await expect(runLab({port: 'eighty'}, io)).rejects.toThrow(UsageError);
		await expect(runLab({rate: '-1'}, io)).rejects.toThrow(/--rate must be a whole number/);
		await expect(runLab({sessionSeconds: '0'}, io)).rejects.toThrow(UsageError);
		await expect(runLab({snapshot: '/nonexistent/snapshot'}, io)).rejects.toThrow(InputError);
	});

	it('reports a port already in use', async () => {
		const first = {stdout: sink(), stderr: sink()};
		let stop!: () => void;
		const running = runLab({snapshot: FIXTURE, rate: '0'}, {...first, stopped: new Promise<void>((resolve) => (stop = resolve))});
		await waitFor(() => first.stdout.text().includes('Ctrl-C'));
		const port = /127\.0\.0\.1:(\d+)/.exec(first.stdout.text())![1]!;
		await expect(runLab({snapshot: FIXTURE, port, rate: '0'}, {stdout: sink(), stderr: sink(), stopped: Promise.resolve()})).rejects.toThrow(/already in use/);
		stop();
		await running;
	});
});

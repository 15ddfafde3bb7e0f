// sgtui's Systems Manager client against moto's server, an independent implementation of the SSM
// JSON 1.1 protocol. moto decodes what sgtui sends (ListCommands shows the document, the exact
// probe script and the timeouts), answers GetCommandInvocation with Success but no output, and
// has no DescribeInstanceInformation: sgtui must name each of those honestly, never invent a
// listing.
import {ListCommandsCommand} from '@aws-sdk/client-ssm';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {AwsClients} from '../../source/aws/clients.js';
import {describeManagedInstances, runCommandOnInstance} from '../../source/aws/ssm-run-command.js';
import {SSM_LINUX_COMMANDS, SSM_LINUX_DOCUMENT} from '../../source/remote/probe-commands.js';
import {createSsmProber} from '../../source/remote/probe-ssm.js';
import {probeTargets} from '../../source/remote/probe-targets.js';
import {startMoto, type Moto} from '../support/moto.js';
import {skipWithout} from '../support/peers.js';


const INSTANCE = 'i-0123456789abcdef0';
// moto answers slowly on a loaded machine: a generous deadline, as the point is the wire shapes.
const FAST = {firstPollMs: 10, maxPollMs: 200, deadlineMs: 60_000};

describe.skipIf(skipWithout('moto'))('Systems Manager client against moto', () => {
	let moto: Moto | undefined;
	let clients: AwsClients;

	beforeAll(async () => {
		moto = await startMoto({maxAttempts: 1});
		clients = moto.clients;
	}, 30_000);
	afterAll(() => {
		moto?.stop();
	});

	it('sends the fixed script as moto decodes it, and polls GetCommandInvocation to its terminal status', async () => {
		const outcome = await runCommandOnInstance(clients.ssm, INSTANCE, SSM_LINUX_DOCUMENT, SSM_LINUX_COMMANDS, FAST);
		expect(outcome).toMatchObject({ok: true, stdout: '', responseCode: 0});
		const listed = await clients.ssm.send(new ListCommandsCommand({CommandId: outcome.commandId ?? undefined}));
		expect(listed.Commands?.[0]).toMatchObject({
			DocumentName: 'AWS-RunShellScript',
			InstanceIds: [INSTANCE],
			Parameters: {commands: [...SSM_LINUX_COMMANDS], executionTimeout: ['60']},
			TimeoutSeconds: 60,
		});
	}, 90_000);

	it('DescribeInstanceInformation missing: a named lookup failure, not "not managed"', async () => {
		const lookup = await describeManagedInstances(clients.ssm, [INSTANCE]);
		expect(lookup.ok).toBe(false);
		expect(!lookup.ok && lookup.reason).toContain('ssm:DescribeInstanceInformation');
		// moto answers the action it lacks with an HTML 500 page: named as such, not as a JSON parser's error.
		expect(!lookup.ok && lookup.reason).toMatch(/the endpoint did not answer as AWS does \(HTTP 5\d\d, not an AWS response\); it may not implement this operation/);
	}, 90_000);

	it('--via ssm: tries anyway, and an answer without the script\'s output is an incomplete probe, not "nothing listens"', async () => {
		const [result] = await probeTargets([INSTANCE], {via: 'ssm', ssm: async () => createSsmProber(clients.ssm, FAST), configPath: '/dev/null'});
		expect(result).toMatchObject({transport: 'ssm', listeners: [], error: {kind: 'ssm-failed', message: expect.stringContaining('output is incomplete (0 characters, no end marker')}});
		expect(result!.notes.join(' ')).toContain('whether it is managed was not checked: ssm:DescribeInstanceInformation');
	}, 90_000);

	it('auto: with the lookup failing, SSH is the fallback and the error names both transports', async () => {
		const [result] = await probeTargets([INSTANCE], {ssm: async () => createSsmProber(clients.ssm, FAST), configPath: '/dev/null', agentSocket: null});
		expect(result!.transport).toBe('ssh');
		expect(result!.error?.kind).toBe('no-transport');
		expect(result!.error?.message).toMatch(/SSH: .*Systems Manager: not checked: ssm:DescribeInstanceInformation/);
	}, 90_000);
});

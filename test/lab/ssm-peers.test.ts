// The lab's Systems Manager actions read by an independent client: boto3 (botocore's own JSON 1.1
// serializer and its CommandExecuted waiter, which retries InvocationDoesNotExist, Pending,
// InProgress and Delayed until a terminal status). What it gets must be sgtui's probe answer: the
// same sockets as parsing the host's capture directly.
import {spawn} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseListeners} from '../../source/core/listener-parser.js';
import {splitSsmSections} from '../../source/core/ssm-output.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {skipWithout} from '../support/peers.js';
import {SSM_END_SECTION, SSM_SECTION_PREFIX, SSM_WINDOWS_COMMANDS, WINDOWS_TASKLIST} from '../../source/remote/probe-commands.js';


const WINDOWS = 'i-0e5f60718293a4b52';
const APP = 'i-0b2c3d4e5f6071829';

const SCRIPT = String.raw`
import json, sys, boto3
endpoint, region, key, secret, windows, app, commands, mode = sys.argv[1:9]
ssm = boto3.client('ssm', endpoint_url=endpoint, region_name=region, aws_access_key_id=key, aws_secret_access_key=secret)
out = {}
def attempt(name, call):
    try:
        call()
        out[name] = None
    except ssm.exceptions.ClientError as e:
        out[name] = [e.response['Error']['Code'], e.response['Error'].get('Message', '')]
if mode == 'denied':
    attempt('denied', lambda: ssm.send_command(InstanceIds=[app], DocumentName='AWS-RunShellScript', Parameters={'commands': ['id']}))
    print(json.dumps(out), flush=True)
    sys.exit(0)
pages = ssm.get_paginator('describe_instance_information').paginate(PaginationConfig={'PageSize': 5})
infos = [i for p in pages for i in p['InstanceInformationList']]
out['managed'] = sorted((i['InstanceId'], i['PingStatus'], i['PlatformType']) for i in infos)
out['lastPingIsDate'] = all(hasattr(i['LastPingDateTime'], 'year') for i in infos)
sent = ssm.send_command(InstanceIds=[windows], DocumentName='AWS-RunPowerShellScript', Parameters={'commands': json.loads(commands)}, TimeoutSeconds=30)['Command']
out['sent'] = [sent['Status'], sent['DocumentName'], sent['InstanceIds'], hasattr(sent['RequestedDateTime'], 'year')]
ssm.get_waiter('command_executed').wait(CommandId=sent['CommandId'], InstanceId=windows, WaiterConfig={'Delay': 1, 'MaxAttempts': 30})
inv = ssm.get_command_invocation(CommandId=sent['CommandId'], InstanceId=windows)
out['invocation'] = [inv['Status'], inv['StatusDetails'], inv['ResponseCode'], inv['PluginName']]
out['stdout'] = inv['StandardOutputContent']
attempt('unmanaged', lambda: ssm.send_command(InstanceIds=['i-0000000000000dead'], DocumentName='AWS-RunShellScript', Parameters={'commands': ['id']}))
attempt('badCommand', lambda: ssm.get_command_invocation(CommandId='00000000-0000-0000-0000-000000000000', InstanceId=app))
print(json.dumps(out), flush=True)
`;

function boto(lab: Lab, mode: 'run' | 'denied'): Promise<{code: number | null; stdout: string; stderr: string}> {
	const child = spawn('python3', ['-c', SCRIPT, lab.endpoint, lab.region, lab.credentials.accessKeyId, lab.credentials.secretAccessKey, WINDOWS, APP, JSON.stringify(SSM_WINDOWS_COMMANDS), mode], {
		env: {PATH: process.env.PATH, HOME: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent'},
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk) => (stdout += chunk));
	child.stderr.on('data', (chunk) => (stderr += chunk));
	return new Promise((resolve) => child.on('close', (code) => resolve({code, stdout, stderr})));
}

describe.skipIf(skipWithout('boto3'))('boto3 against the lab\'s Systems Manager', () => {
	let lab: Lab;
	beforeAll(async () => {
		lab = await startLab({simulate: false, faults: {ssmStepMs: 300}});
	});
	afterAll(async () => {
		await lab?.close();
	});

	it('describes managed instances, runs the probe script, waits with the CommandExecuted waiter', async () => {
		const {code, stdout, stderr} = await boto(lab, 'run');
		expect(stderr).toBe('');
		expect(code).toBe(0);
		const out = JSON.parse(stdout);
		expect(out.managed).toEqual([
			['i-0a1b2c3d4e5f60718', 'Online', 'Linux'], ['i-0b2c3d4e5f6071829', 'Online', 'Linux'], ['i-0c3d4e5f607182930', 'Online', 'Linux'],
			['i-0d4e5f60718293a41', 'Online', 'Linux'], [WINDOWS, 'Online', 'Windows'],
		]);
		expect(out.lastPingIsDate).toBe(true);
		expect(out.sent).toEqual(['Pending', 'AWS-RunPowerShellScript', [WINDOWS], true]);
		expect(out.invocation).toEqual(['Success', 'Success', 0, 'aws:runPowerShellScript']);
		const split = splitSsmSections(out.stdout, SSM_SECTION_PREFIX, SSM_END_SECTION);
		expect(split.complete).toBe(true);
		const listing = [...split.sections.entries()].find(([name]) => name.startsWith('listing '))![1];
		const fromSsm = parseListeners(listing, {tasklist: split.sections.get(`tasklist ${WINDOWS_TASKLIST}`)!});
		const host = lab.hosts[WINDOWS]!;
		const direct = parseListeners(host.listingText, {tasklist: host.tasklistText!});
		expect(fromSsm.listeners).toEqual(direct.listeners);
		expect(out.unmanaged[0]).toBe('InvalidInstanceId');
		expect(out.badCommand[0]).toBe('InvalidCommandId');
	}, 60_000);

	it('a denied SendCommand is AccessDeniedException naming ssm:SendCommand', async () => {
		lab.faults.denyActions.push('SendCommand');
		const {code, stdout, stderr} = await boto(lab, 'denied');
		lab.faults.denyActions.length = 0;
		expect(stderr).toBe('');
		expect(code).toBe(0);
		const [errorCode, message] = JSON.parse(stdout).denied;
		expect(errorCode).toBe('AccessDeniedException');
		expect(message).toContain(`is not authorized to perform: ssm:SendCommand on resource: arn:aws:ec2:${lab.region}:${lab.accountId}:instance/${APP}`);
	}, 60_000);
});

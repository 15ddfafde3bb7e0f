// `sgtui ports i-… --via ssm` as a user runs it: the built CLI, its AWS settings from the
// environment and --endpoint-url, against the lab's Systems Manager (demo snapshot).
import {spawn} from 'node:child_process';
import {tmpdir} from 'node:os';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {builtCli} from '../support/built-cli.js';

const WINDOWS = 'i-0e5f60718293a4b52';
const APP = 'i-0b2c3d4e5f6071829';

function sgtui(main: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{status: number | null; stdout: string; stderr: string}> {
	// Asynchronous: the lab answering the CLI runs in this process.
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [main, ...args], {
			env: {PATH: process.env.PATH, NO_COLOR: '1', HOME: tmpdir(), AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true', ...env},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('close', (status) => resolve({status, stdout, stderr}));
	});
}

describe('sgtui ports --via ssm (built CLI)', () => {
	let lab: Lab;
	let main: string;
	let aws: NodeJS.ProcessEnv;

	beforeAll(async () => {
		main = builtCli();
		lab = await startLab({simulate: false, faults: {ssmStepMs: 100}});
		aws = {AWS_ACCESS_KEY_ID: lab.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: lab.credentials.secretAccessKey, AWS_REGION: lab.region};
	}, 300_000);
	afterAll(async () => {
		await lab?.close();
	});

	test('the Windows host\'s listeners through Run Command', async () => {
		const result = await sgtui(main, ['ports', WINDOWS, '--via', 'ssm', '--endpoint-url', lab.endpoint], aws);
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout).toContain(`== ${WINDOWS} — ssm ${WINDOWS} (AWS-RunPowerShellScript) — windows — \`netstat -nao + tasklist /fo csv /nh\` — over Systems Manager Run Command`);
		expect(result.stdout).toMatch(/tcp\s+3389\s+0\.0\.0\.0\s+svchost\.exe\s+1032/);
		expect(result.stdout).toContain('host firewall: Windows Firewall: Domain ON, Private ON, Public ON');
	});

	test('auto picks Run Command for a managed instance no ssh config names; --json says so', async () => {
		const result = await sgtui(main, ['ports', APP, '-F', '/dev/null', '--json'], {...aws, AWS_ENDPOINT_URL: lab.endpoint});
		expect(result.stderr).toBe('');
		const host = JSON.parse(result.stdout).hosts[0];
		expect(host).toMatchObject({target: APP, transport: 'ssm', os: 'linux', command: 'ss -H -ltnup', error: null});
	});

	test('every failure is one named line per host, exit 1', async () => {
		lab.faults.denyActions.push('SendCommand');
		const denied = await sgtui(main, ['ports', WINDOWS, '--via', 'ssm', '--endpoint-url', lab.endpoint], aws);
		lab.faults.denyActions.length = 0;
		expect(denied.status).toBe(1);
		expect(denied.stdout).toMatch(/error: i-0e5f60718293a4b52: ssm:SendCommand denied: .*\nhint: grant the permission/);
		lab.faults.ssmUnmanaged.push(WINDOWS);
		const unmanaged = await sgtui(main, ['ports', WINDOWS, '--via', 'ssm', '--endpoint-url', lab.endpoint], aws);
		lab.faults.ssmUnmanaged.length = 0;
		expect(unmanaged.status).toBe(1);
		expect(unmanaged.stdout).toMatch(/error: .*not a managed instance.*\nhint: make it a managed instance: run the SSM agent/);
	});

	test('bad input: one line on stderr, exit 2', async () => {
		const bogus = await sgtui(main, ['ports', WINDOWS, '--via', 'telnet']);
		expect(bogus).toMatchObject({status: 2, stdout: '', stderr: 'sgtui: --via takes auto, ssh, ssm (got "telnet")\n'});
		const noRegion = await sgtui(main, ['ports', WINDOWS, '--via', 'ssm']);
		expect(noRegion.status).toBe(2);
		expect(noRegion.stderr).toMatch(/^sgtui: no AWS region is configured; [^\n]*\n$/);
		const notInstance = await sgtui(main, ['ports', 'web.example.com', '--via', 'ssm', '--endpoint-url', lab.endpoint], aws);
		expect(notInstance.status).toBe(1);
		expect(notInstance.stdout).toContain('error: Systems Manager reaches instances by id: give i-… targets with --via ssm');
	});
});

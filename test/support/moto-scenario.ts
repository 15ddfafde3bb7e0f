// A broad account in moto, made by boto3 (test/fixtures/moto/populate.py): the default VPC's
// defaults, several pages of everything, multi-ENI and stopped instances, odd tags, flow logs in the
// default and a custom format, records in streams named as AWS names them (`<eni>-all`,
// `-accept`, `-reject`). The sgtui CLI then runs against it as a user would: AWS_ENDPOINT_URL,
// placeholder credentials, a private HOME with no AWS config, no instance metadata.
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {builtCli, root} from './built-cli.js';
import {assertLoopbackUrl} from './loopback-peers.js';

export interface MotoScenario {
	region: string;
	defaultVpc: string;
	defaultSubnet: string;
	defaultSg: string;
	vpc: string;
	subnets: Record<'public' | 'app' | 'data', string>;
	igw: string;
	mainRouteTable: string;
	publicRouteTable: string;
	prefixList: string;
	groups: Record<'web' | 'app' | 'db' | 'bastion' | 'mgmt' | 'unused', string>;
	acl: string;
	defaultAcl: string;
	instances: Record<'web' | 'app' | 'db' | 'bastion' | 'stopped' | 'plain' | 'filler0' | 'filler1' | 'filler2' | 'filler3', string>;
	enis: Record<'web' | 'app' | 'app1' | 'app2' | 'db' | 'bastion' | 'stopped' | 'plain' | 'filler0' | 'detached', string>;
	customFormat: string;
	/** Every id of each kind, listed by boto3's paginators: the reference for what sgtui must read. */
	all: Record<'instances' | 'enis' | 'groups' | 'acls' | 'routeTables' | 'flowLogs', string[]>;
}

export function populateMoto(endpoint: string): MotoScenario {
	assertLoopbackUrl(endpoint, 'boto3 endpoint');
	const result = spawnSync('python3', [join(root, 'test/fixtures/moto/populate.py'), endpoint], {encoding: 'utf8', timeout: 120_000, env: {...process.env, AWS_EC2_METADATA_DISABLED: 'true'}});
	if (result.status !== 0) throw new Error(`populate.py failed (${result.status}): ${result.stderr}`);
	return JSON.parse(result.stdout) as MotoScenario;
}

/** The environment a user pointing sgtui at moto has: nothing from this machine's AWS set-up. */
export function motoCliEnv(endpoint: string): NodeJS.ProcessEnv {
	const home = mkdtempSync(join(tmpdir(), 'sgtui-moto-home-'));
	writeFileSync(join(home, 'aws-config'), '');
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
	return {
		...env,
		HOME: home,
		XDG_STATE_HOME: join(home, 'state'),
		XDG_CACHE_HOME: join(home, 'cache'),
		AWS_CONFIG_FILE: join(home, 'aws-config'),
		AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-config'),
		AWS_EC2_METADATA_DISABLED: 'true',
		AWS_ACCESS_KEY_ID: 'testing',
		AWS_SECRET_ACCESS_KEY: 'testing',
		AWS_REGION: 'us-east-1',
		AWS_ENDPOINT_URL: endpoint,
		NO_COLOR: '1',
	};
}

export interface CliRun {
	code: number | null;
	stdout: string;
	stderr: string;
}

/**
 * Runs the built `sgtui ARGS` without blocking the test's event loop (a tail polls for seconds);
 * killed after `timeoutMs` so a hang fails the test instead of the run.
 */
export function runCliAsync(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<CliRun> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [builtCli(), ...args], {cwd: root, env, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({code, stdout, stderr});
		});
	});
}

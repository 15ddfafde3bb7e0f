import {fileURLToPath} from 'node:url';
import SSHConfig from 'ssh-config';
import {describe, expect, test} from 'vitest';
import {parseLinuxFirewallReport, parseWindowsFirewallState} from '../../source/core/host-firewall.js';
import {resolveInstanceAddress} from '../../source/core/ssh-target.js';
import {loadAddressInventory} from '../../source/cli/commands/ports-ssh.js';
import {answerCommand} from '../../source/lab/host-answers.js';
import {guessDefaultUser} from '../../source/remote/default-user.js';
import {planTargets} from '../../source/remote/plan-targets.js';
import {LINUX_FIREWALL, LINUX_LISTINGS} from '../../source/remote/probe-commands.js';

const env = {home: '/home/op', localUser: 'op'};
const snapshotDir = fileURLToPath(new URL('../fixtures/lab-snapshot', import.meta.url));

describe('instance targets from a snapshot inventory', () => {
	test('public IP first; private IP only through a bastion; AMI-based default user', async () => {
		const inventory = await loadAddressInventory(snapshotDir);
		const config = new SSHConfig();
		const [web, db, win, missing] = planTargets(['i-0eb00000000000001', 'i-0db00000000000002', 'i-0f1d0000000000004', 'i-0123456789abcdef0'], config, inventory, {}, env);
		expect(web).toMatchObject({settings: {host: '54.170.0.10', user: 'ec2-user', jumps: []}});
		expect(db).toMatchObject({error: expect.stringMatching(/has no public IP, only 10\.0\.2\.20; .*--jump/)});
		expect(win).toMatchObject({settings: {host: '54.170.0.30', user: 'Administrator'}});
		expect(missing).toMatchObject({error: expect.stringContaining('not in the inventory')});

		const [viaBastion] = planTargets(['i-0db00000000000002'], config, inventory, {jump: 'ec2-user@54.170.0.5'}, env);
		expect(viaBastion).toMatchObject({settings: {host: '10.0.2.20', jumps: [{host: '54.170.0.5', user: 'ec2-user'}]}});
	});

	test('an ssh config Host entry for an instance id wins over the inventory', async () => {
		const inventory = await loadAddressInventory(snapshotDir);
		const config = SSHConfig.parse('Host i-0db00000000000002\n  HostName db.internal\n  User admin\n');
		const [db] = planTargets(['i-0db00000000000002'], config, inventory, {}, env);
		expect(db).toMatchObject({settings: {host: 'db.internal', user: 'admin'}});
	});

	test('no inventory: instance ids cannot be resolved, host names still can', () => {
		const [id, host] = planTargets(['i-0123456789abcdef0', 'admin@web.example.com'], new SSHConfig(), null, {}, env);
		expect(id).toMatchObject({error: expect.stringContaining('--snapshot')});
		expect(host).toMatchObject({settings: {host: 'web.example.com', user: 'admin'}});
	});

	test('a stopped instance is reported, not dialled', () => {
		const inventory = {
			instances: [{id: 'i-0123456789abcdef0', name: null, state: 'stopped', platform: 'linux', imageId: null, keyName: null, privateIp: '10.0.0.1', publicIp: null, subnetId: null, vpcId: null, networkInterfaceIds: [], groupIds: [], tags: {}}],
			networkInterfaces: [], securityGroups: [], networkAcls: [], flowLogs: [], prefixLists: [],
			known: {instances: true, networkInterfaces: true, securityGroups: true, networkAcls: true, flowLogs: true, prefixLists: true},
		} as const;
		expect(resolveInstanceAddress('i-0123456789abcdef0', inventory as never)).toMatchObject({ok: false, reason: expect.stringContaining('stopped')});
	});
});

describe('default user', () => {
	test('guessed from the platform, the AMI name or the instance name', () => {
		const base = {platform: 'linux' as const, name: null, tags: {}};
		expect(guessDefaultUser({...base, platform: 'windows'}).user).toBe('Administrator');
		expect(guessDefaultUser(base, 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240301').user).toBe('ubuntu');
		expect(guessDefaultUser(base, 'debian-12-amd64-20240201-1644').user).toBe('admin');
		expect(guessDefaultUser(base, 'al2023-ami-2023.4.20240401.1-kernel-6.1-x86_64').user).toBe('ec2-user');
		expect(guessDefaultUser({...base, name: 'ubuntu-builder'}).user).toBe('ubuntu');
		expect(guessDefaultUser(base).user).toBe('ec2-user');
	});
});

describe('host firewall reports', () => {
	test('Linux: services, iptables policy and rules, nft', () => {
		expect(parseLinuxFirewallReport('service firewalld active\nservice ufw inactive\niptables policy=ACCEPT rules=0\nnft absent\n'))
			.toMatchObject({state: 'active', summary: 'host firewall active: firewalld active'});
		expect(parseLinuxFirewallReport('service firewalld \nservice ufw \niptables policy=DROP rules=4\nnft rules=0\n'))
			.toMatchObject({state: 'active', summary: 'host firewall active: iptables INPUT policy DROP, 4 rule(s)'});
		expect(parseLinuxFirewallReport('service ufw inactive\niptables policy=ACCEPT rules=0\nnft rules=0\n').state).toBe('inactive');
		expect(parseLinuxFirewallReport('service ufw \niptables absent\nnft absent\n')).toMatchObject({state: 'inactive', summary: expect.stringContaining('neither iptables nor nft')});
		expect(parseLinuxFirewallReport('service ufw \niptables unreadable\nnft unreadable\n')).toMatchObject({state: 'unknown', summary: expect.stringContaining('not readable without root')});
	});

	test('Windows: netsh advfirewall profiles', () => {
		const text = 'Domain Profile Settings:\r\n----\r\nState                                 ON\r\n\r\nPrivate Profile Settings:\r\n----\r\nState                                 OFF\r\n\r\nPublic Profile Settings:\r\n----\r\nState                                 OFF\r\nOk.\r\n';
		expect(parseWindowsFirewallState(text)).toEqual({state: 'active', summary: 'Windows Firewall: Domain ON, Private OFF, Public OFF', details: ['Domain ON', 'Private OFF', 'Public OFF']});
		expect(parseWindowsFirewallState(text.replace('ON', 'OFF')).state).toBe('inactive');
		expect(parseWindowsFirewallState('Access is denied.').state).toBe('unknown');
	});
});

describe('lab answers', () => {
	test('a host answers only the tools its capture came from', () => {
		const netstatHost = {os: 'linux' as const, listingText: 'Active Internet connections (only servers)\nProto Recv-Q Send-Q Local Address Foreign Address State PID/Program name\ntcp 0 0 0.0.0.0:22 0.0.0.0:* LISTEN 1/sshd\n'};
		expect(answerCommand(netstatHost, LINUX_LISTINGS[0]!.command).code).toBe(127);
		expect(answerCommand(netstatHost, LINUX_LISTINGS[1]!.command)).toMatchObject({code: 0, stdout: netstatHost.listingText});
		expect(answerCommand(netstatHost, LINUX_FIREWALL).code).toBe(0);
		expect(answerCommand(netstatHost, 'rm -rf /').code).toBe(127);
		expect(answerCommand({os: 'windows', listingText: ''}, 'uname -s')).toMatchObject({code: 1, stderr: expect.stringContaining('is not recognized')});
	});
});

describe('sgtui ports TARGET: bad input is one clear error', () => {
	const io = {stdout: {write: () => true}, stderr: {write: () => true}, askPassphrase: null, agentSocket: null};
	test('usage and input errors', async () => {
		const {runSshPorts} = await import('../../source/cli/commands/ports-ssh.js');
		const {InputError, UsageError} = await import('../../source/cli/errors.js');
		await expect(runSshPorts({}, [], io)).rejects.toThrow(UsageError);
		await expect(runSshPorts({}, ['web;reboot'], io)).rejects.toThrow(/not a host name/);
		for (const concurrency of ['0', '0x10', '1e2', '257']) {
			await expect(runSshPorts({concurrency}, ['web'], io)).rejects.toThrow(new UsageError(`--concurrency takes a whole number from 1 to 256, got "${concurrency}"`));
		}
		await expect(runSshPorts({identity: '/nonexistent/key'}, ['web'], io)).rejects.toThrow(/--identity .*no such file/);
		await expect(runSshPorts({jump: 'a b'}, ['web'], io)).rejects.toThrow(/--jump/);
		await expect(runSshPorts({config: '/nonexistent/ssh_config'}, ['web'], io)).rejects.toThrow(InputError);
		await expect(runSshPorts({snapshot: '/nonexistent/snap'}, ['i-0123456789abcdef0'], io)).rejects.toThrow(/no such directory/);
	});
});

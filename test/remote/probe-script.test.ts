// The Linux probe in one exec (`sh -s NONCE` fed LINUX_PROBE_SCRIPT) must reach the same result
// as the command-by-command probe it replaces, which still runs for hosts without sh. Compared
// here on the lab's host shapes (root ss, netstat, /proc/net, non-root with sudo refused, Windows)
// and on this machine's real sh, ss and firewall tools (as root, and as an unprivileged user).
import {spawnSync} from 'node:child_process';
import {readFile} from 'node:fs/promises';
import {describe, expect, test} from 'vitest';
import {answerCommand, answerProbeScript, type LabSshHost} from '../../source/lab/host-answers.js';
import {LINUX_PROBE_COMMAND_PATTERN} from '../../source/remote/probe-commands.js';
import {emptyResult, probeSession} from '../../source/remote/probe.js';
import type {ExecResult, SshSession} from '../../source/remote/ssh-connect.js';

const fixture = (name: string) => readFile(new URL(`../fixtures/listeners/${name}`, import.meta.url), 'utf8');

/** A session over `answer`; with `noSh`, `sh -s` is "not found" as on a host without sh. */
function session(answer: (command: string, stdin?: string) => ExecResult, noSh: boolean): {session: SshSession; commands: string[]} {
	const commands: string[] = [];
	return {
		commands,
		session: {
			serverVersion: 'OpenSSH_9.2p1',
			exec: (command, _timeout, stdin) => {
				commands.push(command);
				if (noSh && LINUX_PROBE_COMMAND_PATTERN.test(command)) return Promise.resolve({stdout: '', stderr: 'bash: line 1: sh: command not found\n', code: 127});
				return Promise.resolve(answer(command, stdin));
			},
			close: () => undefined,
		},
	};
}

async function probeBothWays(answer: (command: string, stdin?: string) => ExecResult) {
	const atOnce = session(answer, false);
	const stepwise = session(answer, true);
	const one = {...emptyResult('host', 'user@host')};
	const many = {...emptyResult('host', 'user@host')};
	const errors = await Promise.all([probeSession(atOnce.session, one).catch((error: Error) => error.message), probeSession(stepwise.session, many).catch((error: Error) => error.message)]);
	return {one, many, errors, commands: {atOnce: atOnce.commands, stepwise: stepwise.commands}};
}

const lab = (host: LabSshHost) => (command: string, stdin?: string): ExecResult => {
	const answer = LINUX_PROBE_COMMAND_PATTERN.test(command) ? answerProbeScript(host, command, stdin ?? '') : answerCommand(host, command);
	return {stdout: answer.stdout ?? '', stderr: answer.stderr ?? '', code: answer.code};
};

describe('the one-exec Linux probe', () => {
	test('gives the command-by-command result on every lab host shape, in one exec on Linux', async () => {
		const shapes: Array<[string, LabSshHost]> = [
			['root, ss', {os: 'linux', listingText: 'tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=1,fd=3))\n'}],
			['root, nothing listens', {os: 'linux', listingText: ''}],
			['netstat only', {os: 'linux', listingText: await fixture('method-amazon-linux-netstat-luntp.txt')}],
			['/proc/net only', {os: 'linux', listingText: await fixture('proc-net-all.txt')}],
			['not root, sudo refused', {os: 'linux', listingText: 'tcp LISTEN 0 128 0.0.0.0:8080 0.0.0.0:* users:(("node",pid=4242,fd=20))\n', nonRoot: true}],
			['not root, sudo refused, netstat only', {os: 'linux', listingText: await fixture('method-amazon-linux-netstat-luntp.txt'), nonRoot: true}],
			['a firewall', {os: 'linux', listingText: 'tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n', firewallText: 'service firewalld active\nservice ufw inactive\nservice nftables inactive\nservice iptables inactive\niptables policy=DROP rules=3\nnft absent\n'}],
			['Windows', {os: 'windows', listingText: (await fixture('method-windows-2012-netstat-nao.txt')).replace(/^C:.*\r?\n/, '')}],
		];
		for (const [name, host] of shapes) {
			const {one, many, errors, commands} = await probeBothWays(lab(host));
			expect({name, ...one}, name).toEqual({name, ...many});
			expect(errors[0], name).toEqual(errors[1]);
			expect(one.listeners.length > 0 || host.listingText === '', name).toBe(true);
			if (host.os === 'linux') expect(commands.atOnce, name).toHaveLength(1);
			else expect(commands.atOnce.slice(1), name).toEqual(commands.stepwise.slice(1));
		}
	});

	// The script itself, run by this machine's sh against its real tools.
	const local = (wrap: (command: string) => string[]) => (command: string, stdin?: string): ExecResult => {
		const result = spawnSync(wrap(command)[0]!, wrap(command).slice(1), {input: stdin ?? '', encoding: 'utf8'});
		return {stdout: result.stdout, stderr: result.stderr, code: result.status};
	};
	// Sockets come and go on a shared machine between the two probes: compare everything else.
	const stable = ({listeners: _listeners, raw: _raw, skipped: _skipped, ...rest}: ReturnType<typeof emptyResult>) => rest;

	test('on this machine\'s sh, as the user running the tests', async () => {
		const {one, many, errors, commands} = await probeBothWays(local((command) => ['sh', '-c', command]));
		expect(errors).toEqual([undefined, undefined]);
		expect(stable(one)).toEqual(stable(many));
		expect(one.command).toMatch(/ss -H -ltnup|netstat -ltnup|cat \/proc\/net/);
		expect(commands.atOnce).toHaveLength(1);
	});

	const asNobody = spawnSync('su', ['-s', '/bin/sh', 'nobody', '-c', 'id -u'], {encoding: 'utf8'});
	test.skipIf(asNobody.status !== 0 || asNobody.stdout.trim() === '0')('on this machine\'s sh, as an unprivileged user (sudo refused or absent)', async () => {
		const {one, many, errors} = await probeBothWays(local((command) => ['su', '-s', '/bin/sh', 'nobody', '-c', command]));
		expect(errors).toEqual([undefined, undefined]);
		expect(stable(one)).toEqual(stable(many));
		expect(one.processNamesHidden).toBe(true);
	});
});

// What a lab host answers: each snapshot host's captured listener output (hosts/<instance-id>.txt),
// played back for the probe's commands — over the lab's SSH server (ssh-hosts.ts) or Systems
// Manager Run Command (ssm-handlers.ts). Free of ssh2 on purpose: the lab serves EC2 and Logs
// (which need these answers for SSM) before its SSH side loads.
import {readdir} from 'node:fs/promises';
import {join} from 'node:path';
import {detectListingFormat, numberLines} from '../core/listener-parser.js';
import {isTasklistLine} from '../core/listing-netstat-windows.js';
import {decodeListingBytes} from '../core/listing-text.js';
import {
	DETECT_OS, DETECT_WINDOWS, failedSection, LINUX_FIREWALL, LINUX_LISTINGS, LINUX_PROBE_COMMAND_PATTERN, LINUX_PROBE_SCRIPT, linuxProbeMarker,
	SSM_END_SECTION, USER_ID, WINDOWS_FIREWALL, WINDOWS_LISTING, WINDOWS_TASKLIST, withSudo,
} from '../remote/probe-commands.js';
import {HOST_FILE, snapshotRoot} from '../files/load-snapshot.js';
import {MAX_HOST_FILE_BYTES, readBoundedFile} from '../files/bounded-read.js';

export interface LabSshHost {
	os: 'linux' | 'windows';
	/** What `ss`/`netstat`/`cat /proc/net/*` (Linux) or `netstat -nao` (Windows) printed. */
	listingText: string;
	/** Windows `tasklist /fo csv /nh` output. */
	tasklistText?: string;
	/** Linux: the probe's firewall report; Windows: `netsh advfirewall show allprofiles state`. */
	firewallText?: string;
	/** Linux: log in as an ordinary user whose `sudo -n` wants a password (default: root). */
	nonRoot?: boolean;
	/**
	 * A hung host (tests): it logs in and accepts every command's channel, then never prints,
	 * exits or closes — what a wedged sshd or a host out of process slots looks like.
	 */
	stalls?: boolean;
}

const WINDOWS_NOT_RECOGNIZED = (name: string) => `'${name}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n`;
const DEFAULT_LINUX_FIREWALL = 'service firewalld inactive\nservice ufw inactive\nservice nftables inactive\nservice iptables inactive\niptables policy=ACCEPT rules=0\nnft absent\n';
const DEFAULT_WINDOWS_FIREWALL = [
	'', 'Domain Profile Settings:', '-'.repeat(70), 'State                                 ON', '',
	'Private Profile Settings:', '-'.repeat(70), 'State                                 ON', '',
	'Public Profile Settings:', '-'.repeat(70), 'State                                 ON', 'Ok.', '',
].join('\r\n');

export interface Answer {
	stdout?: string;
	stderr?: string;
	code: number;
}

/** What a host with this capture would print for one of the probe's commands. */
export function answerCommand(host: LabSshHost, command: string): Answer {
	if (host.os === 'windows') {
		switch (command) {
			case DETECT_WINDOWS: return {stdout: '\r\nMicrosoft Windows [Version 10.0.20348.2340]\r\n', code: 0};
			case WINDOWS_LISTING: return {stdout: host.listingText, code: 0};
			case WINDOWS_TASKLIST: return host.tasklistText ? {stdout: host.tasklistText, code: 0} : {stderr: 'ERROR: Access denied\r\n', code: 1};
			case WINDOWS_FIREWALL: return {stdout: host.firewallText ?? DEFAULT_WINDOWS_FIREWALL, code: 0};
			default: return {stderr: WINDOWS_NOT_RECOGNIZED(command.split(' ')[0]!), code: 1};
		}
	}
	const format = detectListingFormat(numberLines(host.listingText));
	const tool = format === 'ss' ? 'ss' : format === 'netstat-linux' ? 'netstat' : 'proc-net';
	switch (command) {
		case DETECT_OS: return {stdout: 'Linux\n', code: 0};
		case USER_ID: return {stdout: host.nonRoot ? '1000\n' : '0\n', code: 0};
		case LINUX_FIREWALL: return {stdout: host.firewallText ?? DEFAULT_LINUX_FIREWALL, code: 0};
		default: break;
	}
	if (command.startsWith('sudo -n ')) {
		return host.nonRoot ? {stderr: 'sudo: a password is required\n', code: 1} : answerCommand(host, command.slice('sudo -n '.length));
	}
	const listing = LINUX_LISTINGS.find((candidate) => candidate.command === command);
	if (listing) {
		if (listing.tool === tool) return {stdout: host.listingText, code: 0};
		if (listing.tool === 'proc-net') return {stdout: host.listingText, code: 0};
		return {stderr: `bash: line 1: ${command.split(' ')[0]}: command not found\n`, code: 127};
	}
	return {stderr: `bash: line 1: ${command.split(' ')[0]}: command not found\n`, code: 127};
}

/**
 * What `sh -s NONCE` fed LINUX_PROBE_SCRIPT prints on this host: the script's steps played with
 * answerCommand's answers, as sh would run them. Windows has no sh; another script is refused
 * as a shell would refuse a command it can't run.
 */
export function answerProbeScript(host: LabSshHost, command: string, script: string): Answer {
	const nonce = LINUX_PROBE_COMMAND_PATTERN.exec(command)?.[1];
	if (host.os === 'windows' || nonce === undefined) return answerCommand(host, command);
	if (script !== LINUX_PROBE_SCRIPT) return {stderr: 'sh: 1: syntax error: not the probe script\n', code: 2};
	const out: string[] = [];
	const section = (name: string, text: string) => out.push(`${linuxProbeMarker(nonce)}${name}\n${text === '' || text.endsWith('\n') ? text : `${text}\n`}`);
	section('os', answerCommand(host, DETECT_OS).stdout ?? '');
	const uid = (answerCommand(host, USER_ID).stdout ?? '').trim();
	section('uid', uid);
	let sudoRefused = false;
	for (const listing of LINUX_LISTINGS) {
		let skip = false;
		if (uid !== '0' && !sudoRefused && listing.namesNeedRoot) {
			const elevated = answerCommand(host, withSudo(listing.command));
			if (elevated.code === 0) {
				section(`listing ${withSudo(listing.command)}`, elevated.stdout ?? '');
				break;
			}
			if ((elevated.stderr ?? '').includes(`sudo: ${listing.command.split(' ')[0]}: command not found`)) skip = true;
			else sudoRefused = true;
		}
		if (skip) continue;
		const plain = answerCommand(host, listing.command);
		const usable = listing.tool === 'proc-net' ? (plain.stdout ?? '').trim() !== '' : plain.code === 0;
		if (usable) {
			section(`listing ${listing.command}`, plain.stdout ?? '');
			break;
		}
		section(failedSection(listing.command), `${plain.code}\n${plain.stderr ?? ''}`);
	}
	section('firewall', answerCommand(host, uid === '0' || sudoRefused ? LINUX_FIREWALL : withSudo(LINUX_FIREWALL)).stdout ?? '');
	out.push(`${linuxProbeMarker(nonce)}${SSM_END_SECTION}\n`);
	return {stdout: out.join(''), code: 0};
}

/**
 * The lab hosts of a snapshot: `hosts/<instance-id>.txt`, as `sgtui snapshot` (or a user) saved
 * them. A Windows capture may hold the tasklist lines too; they are split out so the lab answers
 * `tasklist` separately, like a real host. Platforms come from the inventory when known.
 */
export async function loadLabSshHosts(snapshotDir: string, platforms: Record<string, 'linux' | 'windows'> = {}): Promise<{hosts: Record<string, LabSshHost>; warnings: string[]}> {
	const hosts: Record<string, LabSshHost> = {};
	const warnings: string[] = [];
	let names: string[];
	try {
		names = await readdir(join(snapshotDir, 'hosts'));
	} catch {
		return {hosts, warnings};
	}
	const root = await snapshotRoot(snapshotDir);
	for (const name of names.sort()) {
		const match = HOST_FILE.exec(name);
		if (!match) continue;
		const bytes = await readBoundedFile(join(snapshotDir, 'hosts', name), `hosts/${name}`, MAX_HOST_FILE_BYTES, {within: root});
		if (bytes === null) continue;
		const text = decodeListingBytes(bytes);
		const format = detectListingFormat(numberLines(text));
		if (!format) {
			warnings.push(`hosts/${name}: not a listener listing; the lab's SSH server leaves this host out`);
			continue;
		}
		const os = platforms[match[1]!] ?? (format === 'netstat-windows' ? 'windows' : 'linux');
		if (os === 'windows') {
			const lines = text.split('\n');
			const tasklist = lines.filter((line) => isTasklistLine(line.trim()));
			const listing = lines.filter((line) => !isTasklistLine(line.trim()) && !/^\S*>\s*tasklist\b/i.test(line.trim()));
			hosts[match[1]!] = {os, listingText: listing.join('\n'), ...(tasklist.length > 0 ? {tasklistText: tasklist.join('\n')} : {})};
		} else {
			hosts[match[1]!] = {os, listingText: text};
		}
	}
	return {hosts, warnings};
}

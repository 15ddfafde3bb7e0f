// Step 1 of the method over SSH: detect the OS, list what listens with the first tool that
// works, name the processes when allowed, and read the host firewall state. Errors are returned in
// the result (never thrown) so one bad host never stops the others.
import {parseLinuxFirewallReport, parseWindowsFirewallState, type HostFirewall} from '../core/host-firewall.js';
import {parseListeners} from '../core/listener-parser.js';
import type {Listener, ListingFormat, SkippedLine} from '../core/types.js';
import {randomBytes} from 'node:crypto';
import {splitSsmSections} from '../core/ssm-output.js';
import {
	DETECT_OS, DETECT_WINDOWS, isCommandMissing, LINUX_FIREWALL, LINUX_LISTINGS, LINUX_PROBE_SCRIPT, linuxProbeCommand, linuxProbeMarker,
	SSM_END_SECTION, USER_ID, WINDOWS_FIREWALL, WINDOWS_LISTING, WINDOWS_TASKLIST, withSudo,
} from './probe-commands.js';
import {connectSsh, type ConnectCallbacks, type SshSession} from './ssh-connect.js';
import {DEFAULT_COMMAND_TIMEOUT_MS} from './probe-limits.js';
import {classifySshError, SSH_ERROR_HINTS, SshError, type SshErrorKind} from './ssh-errors.js';
import type {SsmFailureKind} from '../aws/ssm-run-command.js';
import type {KeyStore} from './key-store.js';
import type {SshSettings} from './ssh-settings.js';

export type ProbedOs = 'linux' | 'windows' | 'unix';

/** How a probe reached the host. */
export type ProbeTransport = 'ssh' | 'ssm';

export type ProbeErrorKind = SshErrorKind | SsmFailureKind | 'no-transport';

export interface ProbeError {
	kind: ProbeErrorKind;
	message: string;
	hint: string;
	fingerprint: string | null;
}

export interface HostProbeResult {
	/** As the user typed it. */
	target: string;
	/** Which transport answered (or was tried last); null when none could be tried. */
	transport: ProbeTransport | null;
	/** What was dialled, `user@host:port`, and the bastions on the way. */
	address: string | null;
	via: string[];
	os: ProbedOs | null;
	/** The command whose output gave the listeners (e.g. "sudo -n ss -H -ltnup"). */
	command: string | null;
	format: ListingFormat | null;
	listeners: Listener[];
	skipped: SkippedLine[];
	firewall: HostFirewall | null;
	/** True when other users' processes could not be named (not root, sudo -n refused). */
	processNamesHidden: boolean;
	/** Things the operator should know that are not errors. */
	notes: string[];
	error: ProbeError | null;
	/** The captured outputs, for `sgtui snapshot` (hosts/<id>.txt). */
	raw: {listing: string; tasklist: string | null} | null;
}

export interface ProbeOptions {
	keys: KeyStore;
	callbacks?: ConnectCallbacks;
	agentSocket?: string | null;
	commandTimeoutMs?: number;
}

export function emptyResult(target: string, address: string | null = null): HostProbeResult {
	return {
		target, transport: null, address, via: [], os: null, command: null, format: null, listeners: [], skipped: [], firewall: null,
		processNamesHidden: false, notes: [], error: null, raw: null,
	};
}

export function toProbeError(error: unknown, where: string): ProbeError {
	const sshError = error instanceof SshError ? error : classifySshError(error, where);
	return {kind: sshError.kind, message: sshError.message, hint: SSH_ERROR_HINTS[sshError.kind], fingerprint: sshError.fingerprint};
}

function describe(settings: SshSettings): {address: string; via: string[]} {
	const hop = (h: {user: string; host: string; port: number}) => `${h.user}@${h.host}${h.port === 22 ? '' : `:${h.port}`}`;
	return {address: hop(settings), via: settings.jumps.map(hop)};
}

export async function probeHost(target: string, settings: SshSettings, options: ProbeOptions): Promise<HostProbeResult> {
	const {address, via} = describe(settings);
	const result: HostProbeResult = {...emptyResult(target, address), via, transport: 'ssh'};
	let session: SshSession | null = null;
	try {
		session = await connectSsh({settings, keys: options.keys, callbacks: options.callbacks, agentSocket: options.agentSocket});
		await probeSession(session, result, options.commandTimeoutMs);
	} catch (error) {
		result.error = toProbeError(error, address);
	} finally {
		session?.close();
	}
	return result;
}

/** Runs the probe commands on an open session, filling `result`. */
export async function probeSession(session: SshSession, result: HostProbeResult, timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS): Promise<void> {
	const windowsBanner = /windows/i.test(session.serverVersion ?? '');
	if (!windowsBanner && (await probeLinuxAtOnce(session, result, timeoutMs))) return;
	const run = (command: string) => session.exec(command, timeoutMs);
	const os = await run(DETECT_OS);
	const unameName = os.code === 0 ? os.stdout.trim() : '';
	if (unameName === '') {
		const ver = await run(DETECT_WINDOWS);
		if (!windowsBanner && !/Microsoft Windows/i.test(ver.stdout)) {
			throw new SshError('command-failed', `${result.address}: cannot tell the OS (\`uname -s\` and \`cmd /c ver\` both failed)`);
		}
		result.os = 'windows';
		await probeWindows(run, result);
		return;
	}
	result.os = /^linux/i.test(unameName) ? 'linux' : 'unix';
	if (result.os === 'unix') result.notes.push(`${unameName}: not Linux; trying the Linux tools anyway`);
	await probeLinux(run, result);
}

type Run = (command: string) => Promise<{stdout: string; stderr: string; code: number | null}>;

/**
 * The Linux probe in one exec (LINUX_PROBE_SCRIPT: probeLinux's steps as a sh script). False,
 * with `result` untouched, when the host printed no complete answer (no sh: Windows) or no OS
 * name: the command-by-command probe then finds out what the host is.
 */
async function probeLinuxAtOnce(session: SshSession, result: HostProbeResult, timeoutMs: number): Promise<boolean> {
	const nonce = randomBytes(8).toString('hex');
	const out = await session.exec(linuxProbeCommand(nonce), timeoutMs, LINUX_PROBE_SCRIPT);
	const {sections, complete} = splitSsmSections(out.stdout, linuxProbeMarker(nonce), SSM_END_SECTION);
	const unameName = sections.get('os')?.trim() ?? '';
	if (!complete || unameName === '') return false;
	result.os = /^linux/i.test(unameName) ? 'linux' : 'unix';
	if (result.os === 'unix') result.notes.push(`${unameName}: not Linux; trying the Linux tools anyway`);
	const isRoot = sections.get('uid')?.trim() === '0';
	const withNewline = (text: string) => (text === '' ? '' : `${text}\n`);
	for (const [name, text] of sections) {
		if (name.startsWith('failed ')) {
			const [code = '', ...stderr] = text.split('\n');
			const failed = {code: /^\d+$/.test(code) ? Number(code) : null, stderr: stderr.join('\n')};
			if (!isCommandMissing(failed)) result.notes.push(`\`${name.slice('failed '.length)}\` failed (exit ${failed.code ?? 'signal'}): ${failed.stderr.trim().split('\n')[0] ?? ''}`);
		} else if (name.startsWith('listing ')) {
			const command = name.slice('listing '.length);
			acceptListing(result, command, withNewline(text));
			if (LINUX_LISTINGS.find((listing) => listing.command === command)?.tool === 'proc-net') {
				result.processNamesHidden = true;
				result.notes.push('neither ss nor netstat on the host: read /proc/net, which names no processes');
			} else if (!isRoot && !command.startsWith(withSudo(''))) {
				result.processNamesHidden = true;
				result.notes.push('not root and `sudo -n` refused: only your own processes are named');
			}
			break;
		}
	}
	if (result.command === null) throw new SshError('command-failed', `${result.address}: none of ss, netstat or /proc/net could be read`);
	result.firewall = parseLinuxFirewallReport(withNewline(sections.get('firewall') ?? ''));
	return true;
}

async function probeLinux(run: Run, result: HostProbeResult): Promise<void> {
	const isRoot = (await run(USER_ID)).stdout.trim() === '0';
	let sudoRefused = false;
	for (const listing of LINUX_LISTINGS) {
		if (!isRoot && listing.namesNeedRoot && !sudoRefused) {
			const elevated = await run(withSudo(listing.command));
			if (elevated.code === 0) {
				acceptListing(result, withSudo(listing.command), elevated.stdout);
				break;
			}
			// sudo works but the tool is not installed: the plain command would fail too.
			if (elevated.stderr.includes(`sudo: ${listing.command.split(' ')[0]}: command not found`)) continue;
			// sudo missing, or it wants a password: every later tool would fail the same way.
			sudoRefused = true;
		}
		const plain = await run(listing.command);
		const usable = listing.tool === 'proc-net' ? plain.stdout.trim() !== '' : plain.code === 0;
		if (!usable) {
			if (!isCommandMissing(plain)) result.notes.push(`\`${listing.command}\` failed (exit ${plain.code ?? 'signal'}): ${plain.stderr.trim().split('\n')[0] ?? ''}`);
			continue;
		}
		acceptListing(result, listing.command, plain.stdout);
		if (listing.tool === 'proc-net') {
			result.processNamesHidden = true;
			result.notes.push('neither ss nor netstat on the host: read /proc/net, which names no processes');
		} else if (!isRoot) {
			result.processNamesHidden = true;
			result.notes.push('not root and `sudo -n` refused: only your own processes are named');
		}
		break;
	}
	if (result.command === null) throw new SshError('command-failed', `${result.address}: none of ss, netstat or /proc/net could be read`);
	const firewall = await run(isRoot || sudoRefused ? LINUX_FIREWALL : withSudo(LINUX_FIREWALL));
	result.firewall = parseLinuxFirewallReport(firewall.stdout);
}

async function probeWindows(run: Run, result: HostProbeResult): Promise<void> {
	const netstat = await run(WINDOWS_LISTING);
	if (netstat.code !== 0 && netstat.stdout.trim() === '') {
		throw new SshError('command-failed', `${result.address}: \`${WINDOWS_LISTING}\` failed: ${netstat.stderr.trim().split('\n')[0] ?? ''}`);
	}
	const tasklist = await run(WINDOWS_TASKLIST);
	const tasklistText = tasklist.code === 0 && tasklist.stdout.trim() !== '' ? tasklist.stdout : null;
	acceptListing(result, tasklistText ? `${WINDOWS_LISTING} + ${WINDOWS_TASKLIST}` : WINDOWS_LISTING, netstat.stdout, tasklistText);
	if (!tasklistText) noteUnnamedProcesses(result);
	const firewall = await run(WINDOWS_FIREWALL);
	result.firewall = parseWindowsFirewallState(firewall.stdout);
}

/**
 * Without tasklist, says how many sockets are shown by PID only — only when some really are: a
 * `netstat -b` listing, or a capture that carries its own tasklist lines, names them anyway.
 */
export function noteUnnamedProcesses(result: HostProbeResult): void {
	const withPid = result.listeners.filter((listener) => listener.pid !== null);
	const unnamed = withPid.filter((listener) => !listener.process);
	if (unnamed.length === 0) return;
	result.processNamesHidden = true;
	result.notes.push(unnamed.length === withPid.length ? '`tasklist` gave nothing: processes are shown by PID only' : `\`tasklist\` gave nothing: ${unnamed.length} of ${withPid.length} sockets are shown by PID only`);
}

export function acceptListing(result: HostProbeResult, command: string, stdout: string, tasklist: string | null = null): void {
	result.command = command;
	result.raw = {listing: stdout, tasklist};
	if (stdout.trim() === '') {
		// `ss -H` prints nothing at all when nothing listens: a valid, empty answer.
		result.format = command.includes('ss ') ? 'ss' : null;
		return;
	}
	const parsed = parseListeners(stdout, tasklist ? {tasklist} : {});
	result.format = parsed.format;
	result.listeners = parsed.listeners;
	result.skipped = parsed.skipped;
}

// The listen probe over Systems Manager Run Command: the same answers as the SSH probe (OS,
// listing, process names, host firewall) from one fixed script per platform, for hosts with no
// inbound SSH at all. Returns a HostProbeResult like probeHost, errors included, never throws.
import type {SSMClient} from '@aws-sdk/client-ssm';
import {parseLinuxFirewallReport, parseWindowsFirewallState} from '../core/host-firewall.js';
import {splitSsmSections, SSM_OUTPUT_LIMIT} from '../core/ssm-output.js';
import {describeManagedInstances, runCommandOnInstance, type ManagedInstance, type RunOptions} from '../aws/ssm-run-command.js';
import {
	SSM_END_SECTION, SSM_LINUX_COMMANDS, SSM_LINUX_DOCUMENT, SSM_SECTION_PREFIX, SSM_WINDOWS_COMMANDS, SSM_WINDOWS_DOCUMENT,
	WINDOWS_LISTING, WINDOWS_TASKLIST,
} from './probe-commands.js';
import {acceptListing, noteUnnamedProcesses, emptyResult, type HostProbeResult} from './probe.js';
import {ssmError, type SsmProber} from './ssm-errors.js';

export type {SsmProber} from './ssm-errors.js';

/** Why a managed instance cannot take a command now, or null when its agent is online. */
export function offlineReason(info: ManagedInstance): string | null {
	if (info.pingStatus === 'Online') return null;
	const last = info.lastPing ? `; last heard from ${info.lastPing.toISOString().replace(/\.\d+Z$/, 'Z')}` : '';
	return `${info.instanceId}: its SSM agent is ${info.pingStatus === 'ConnectionLost' ? 'offline (ConnectionLost)' : info.pingStatus}${last}`;
}

export function createSsmProber(ssm: SSMClient, options: RunOptions = {}): SsmProber {
	return {
		describe: (ids) => describeManagedInstances(ssm, ids),
		async probe(target, instanceId, info, platformHint) {
			const result: HostProbeResult = {...emptyResult(target, `ssm ${instanceId}`), transport: 'ssm'};
			if (info) {
				const offline = offlineReason(info);
				if (offline) return ssmError(result, 'ssm-offline', offline);
			}
			const platform = info?.platform ?? platformHint ?? 'linux';
			if (platform === 'macos') result.notes.push('macOS: running the Linux probe script');
			const windows = platform === 'windows';
			const document = windows ? SSM_WINDOWS_DOCUMENT : SSM_LINUX_DOCUMENT;
			result.address = `ssm ${instanceId} (${document})`;
			const outcome = await runCommandOnInstance(ssm, instanceId, document, windows ? SSM_WINDOWS_COMMANDS : SSM_LINUX_COMMANDS, options);
			if (!outcome.ok) return ssmError(result, outcome.kind, outcome.message);
			const split = splitSsmSections(outcome.stdout, SSM_SECTION_PREFIX, SSM_END_SECTION);
			const listingName = [...split.sections.keys()].find((name) => name.startsWith('listing '));
			if (split.truncated) {
				// Parse what arrived, so --json shows it, but the evidence is incomplete: an error.
				if (listingName) fillFromSections(result, split.sections, listingName, windows);
				return ssmError(result, 'ssm-truncated', `${instanceId}: the output was cut at Run Command's ${SSM_OUTPUT_LIMIT.toLocaleString('en-US')}-character limit (${result.listeners.length} listening sockets read before the cut): the listing is incomplete`);
			}
			if (!split.complete || !listingName) {
				return ssmError(result, 'ssm-failed', `${instanceId}: the probe script's output is incomplete (${outcome.stdout.length} characters, ${split.complete ? 'no listing section' : 'no end marker'}, exit code ${outcome.responseCode})`);
			}
			if (listingName.startsWith('listing cat /proc/net') && (split.sections.get(listingName) ?? '').trim() === '') {
				return ssmError(result, 'ssm-failed', `${instanceId}: none of ss, netstat or /proc/net could be read on the host`);
			}
			fillFromSections(result, split.sections, listingName, windows);
			result.os = windows ? 'windows' : /^linux/i.test(split.sections.get('os')?.trim() ?? '') ? 'linux' : 'unix';
			return result;
		},
	};
}

function fillFromSections(result: HostProbeResult, sections: Map<string, string>, listingName: string, windows: boolean): void {
	const listing = sections.get(listingName) ?? '';
	if (windows) {
		const tasklist = sections.get(`tasklist ${WINDOWS_TASKLIST}`);
		const names = tasklist && tasklist.trim() !== '' ? tasklist : null;
		acceptListing(result, names ? `${WINDOWS_LISTING} + ${WINDOWS_TASKLIST}` : WINDOWS_LISTING, listing, names);
		if (!names) noteUnnamedProcesses(result);
		result.firewall = sections.has('firewall') ? parseWindowsFirewallState(sections.get('firewall')!) : null;
		return;
	}
	const command = listingName.slice('listing '.length);
	acceptListing(result, command, listing);
	if (command.startsWith('cat /proc/net')) {
		result.processNamesHidden = true;
		result.notes.push('neither ss nor netstat on the host: read /proc/net, which names no processes');
	} else if ((sections.get('uid') ?? '0').trim() !== '0') {
		result.processNamesHidden = true;
		result.notes.push('the SSM agent does not run as root here: only its own processes are named');
	}
	result.firewall = sections.has('firewall') ? parseLinuxFirewallReport(sections.get('firewall')!) : null;
}

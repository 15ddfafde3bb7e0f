// A host firewall is the second place a connection can die after the security group lets it in.
// These read the probe's firewall report (see source/remote/probe-commands.ts) and Windows'
// `netsh advfirewall show allprofiles state` into one small verdict: active, inactive or unknown.

export interface HostFirewall {
	state: 'active' | 'inactive' | 'unknown';
	/** One line for humans: "firewalld active", "Windows Firewall: Domain ON, Private ON, Public OFF". */
	summary: string;
	details: string[];
}

/**
 * Parses the Linux report: `service NAME STATE` lines (systemctl is-active), `iptables
 * policy=P rules=N | absent | unreadable`, `nft rules=N | absent | unreadable`.
 */
export function parseLinuxFirewallReport(text: string): HostFirewall {
	const details: string[] = [];
	const activeReasons: string[] = [];
	let sawEvidence = false;
	const absent: string[] = [];
	for (const raw of text.split('\n')) {
		const line = raw.trim();
		const service = /^service (\S+)\s*(\S*)$/.exec(line);
		if (service) {
			const [, name, state] = service;
			if (state === 'active') {
				sawEvidence = true;
				details.push(`${name} active`);
				activeReasons.push(`${name} active`);
			} else if (state === 'inactive' || state === 'failed') {
				sawEvidence = true;
				details.push(`${name} ${state}`);
			}
			continue;
		}
		const iptables = /^iptables policy=(\S*) rules=(\d+)$/.exec(line);
		if (iptables) {
			const [, policy, rules] = iptables;
			sawEvidence = true;
			const detail = `iptables INPUT policy ${policy || '?'}, ${rules} rule(s)`;
			if ((policy && policy !== 'ACCEPT') || Number(rules) > 0) activeReasons.push(detail);
			details.push(detail);
			continue;
		}
		const nft = /^nft rules=(\d+)$/.exec(line);
		if (nft) {
			sawEvidence = true;
			const detail = `nftables ${nft[1]} drop/reject rule(s)`;
			if (Number(nft[1]) > 0) activeReasons.push(detail);
			details.push(detail);
			continue;
		}
		if (/^(iptables|nft) unreadable$/.test(line)) details.push(`${line.split(' ')[0]} rules not readable without root`);
		if (/^(iptables|nft) absent$/.test(line)) absent.push(line.split(' ')[0]!);
	}
	// Neither netfilter front end installed and no firewall service: nothing filters on the host.
	if (absent.length === 2 && activeReasons.length === 0) {
		return {state: 'inactive', summary: 'no host firewall (neither iptables nor nft installed)', details: [...details, 'iptables not installed', 'nft not installed']};
	}
	const state = activeReasons.length > 0 ? 'active' : sawEvidence ? 'inactive' : 'unknown';
	const summary = state === 'active'
		? `host firewall active: ${activeReasons.join('; ')}`
		: state === 'inactive' ? 'no host firewall active' : `host firewall state unknown${details.length > 0 ? ` (${details.join('; ')})` : ''}`;
	return {state, summary, details};
}

/** Parses `netsh advfirewall show allprofiles state` (English output). */
export function parseWindowsFirewallState(text: string): HostFirewall {
	const profiles: Array<{name: string; on: boolean}> = [];
	let current: string | null = null;
	for (const raw of text.split('\n')) {
		const line = raw.trim();
		const header = /^(\w+) Profile Settings:?$/i.exec(line);
		if (header) {
			current = header[1]!;
			continue;
		}
		const state = /^State\s+(ON|OFF)$/i.exec(line);
		if (state && current) {
			profiles.push({name: current, on: state[1]!.toUpperCase() === 'ON'});
			current = null;
		}
	}
	if (profiles.length === 0) return {state: 'unknown', summary: 'Windows Firewall state unknown', details: []};
	const details = profiles.map((profile) => `${profile.name} ${profile.on ? 'ON' : 'OFF'}`);
	return {
		state: profiles.some((profile) => profile.on) ? 'active' : 'inactive',
		summary: `Windows Firewall: ${details.join(', ')}`,
		details,
	};
}

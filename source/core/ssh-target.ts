// What the user typed after `sgtui ports`: `i-0abc…`, `host`, `user@host`, `user@host:port`,
// `user@[2001:db8::1]:port`. Instance ids are resolved against an inventory the way an operator
// would reach them: the public IP, else the private IP through a bastion.
import type {Instance, Inventory} from './types.js';

export interface SshTarget {
	/** As typed, for reports. */
	text: string;
	user: string | null;
	host: string;
	port: number | null;
}

// EC2 ids are i- and 8 or 17 lowercase hex digits; letters beyond f are allowed so hand-written lab ids work.
const INSTANCE_ID = /^i-([0-9a-z]{8}|[0-9a-z]{17})$/;

export function isInstanceId(text: string): boolean {
	return INSTANCE_ID.test(text);
}

/** Parses `[user@]host[:port]`; throws a one-line Error for anything else. */
export function parseSshTarget(text: string): SshTarget {
	const trimmed = text.trim();
	if (trimmed === '') throw new Error('empty target');
	if (/\s/.test(trimmed)) throw new Error(`target "${text}" contains spaces`);
	const at = trimmed.lastIndexOf('@');
	const user = at >= 0 ? trimmed.slice(0, at) : null;
	if (user === '') throw new Error(`target "${text}" has an empty user before "@"`);
	// ssh(1) would read a leading '-' as an option (OpenSSH refuses such users and hosts too).
	if (user?.startsWith('-')) throw new Error(`target "${text}": "${user}" is not a user name (it starts with "-")`);
	let rest = at >= 0 ? trimmed.slice(at + 1) : trimmed;
	let port: number | null = null;
	let host: string;
	if (rest.startsWith('[')) {
		const close = rest.indexOf(']');
		if (close < 0) throw new Error(`target "${text}": unclosed "["`);
		host = rest.slice(1, close);
		rest = rest.slice(close + 1);
		if (rest !== '') {
			if (!rest.startsWith(':')) throw new Error(`target "${text}": expected ":port" after "]"`);
			port = parsePort(rest.slice(1), text);
		}
	} else if ((rest.match(/:/g) ?? []).length > 1) {
		// A bare IPv6 address: no port possible without brackets.
		host = rest;
	} else {
		const colon = rest.indexOf(':');
		host = colon >= 0 ? rest.slice(0, colon) : rest;
		if (colon >= 0) port = parsePort(rest.slice(colon + 1), text);
	}
	if (host === '') throw new Error(`target "${text}" has no host`);
	// No host name label starts with '-' (RFC 1123 §2.1), and ssh(1) would read it as an option.
	if (!/^[A-Za-z0-9._:%-]+$/.test(host) || host.startsWith('-')) throw new Error(`target "${text}": "${host}" is not a host name or address`);
	return {text, user, host, port};
}

function parsePort(text: string, target: string): number {
	const port = Number(text);
	if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new Error(`target "${target}": port "${text}" is not 1-65535`);
	return port;
}

export type InstanceAddress =
	| {ok: true; instance: Instance; address: string; via: 'public' | 'private'}
	| {ok: false; reason: string};

/**
 * The address to SSH to for an instance. The public IP when there is one; otherwise the private IP,
 * which only works through a bastion (`needsJump` in the caller's terms: via 'private').
 */
export function resolveInstanceAddress(instanceId: string, inventory: Inventory | null): InstanceAddress {
	if (!inventory || !inventory.known.instances) {
		return {ok: false, reason: `${instanceId}: no inventory to find its address (give --snapshot DIR, or an ssh config Host entry)`};
	}
	const instance = inventory.instances.find((candidate) => candidate.id === instanceId);
	if (!instance) return {ok: false, reason: `${instanceId}: not in the inventory`};
	if (instance.state !== 'running' && instance.state !== 'unknown') {
		return {ok: false, reason: `${instanceId}: instance is ${instance.state}, not running`};
	}
	const eniPublic = inventory.networkInterfaces.find((eni) => eni.instanceId === instanceId && eni.publicIp)?.publicIp;
	const publicIp = instance.publicIp ?? eniPublic ?? null;
	if (publicIp) return {ok: true, instance, address: publicIp, via: 'public'};
	if (instance.privateIp) return {ok: true, instance, address: instance.privateIp, via: 'private'};
	return {ok: false, reason: `${instanceId}: has neither a public nor a private IP in the inventory`};
}

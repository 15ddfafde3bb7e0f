// The network guard: tests, demos, benchmarks and screenshot scripts may reach loopback only
// (127.0.0.0/8, ::1). Once installed, an outbound TCP/TLS connect (net, tls, http(s) agents,
// fetch — all go through net.Socket#connect), a UDP send or connect (dgram) or a DNS query (dns,
// dns/promises, Resolver) for anything else throws at once, naming the address, with the caller's
// stack. Violations are also kept, so a test that swallows the error still fails (the vitest setup
// checks after each test). Node child processes get it too: `installNetworkGuard()` adds itself
// to NODE_OPTIONS (`--import`), so `sgtui` runs started by tests and scripts are guarded as well.
// Plain JavaScript so bench/ and scripts/ (run by node directly) can import it as is.
import dgram from 'node:dgram';
import dns from 'node:dns';
import {syncBuiltinESMExports} from 'node:module';
import net from 'node:net';
import {fileURLToPath, pathToFileURL} from 'node:url';

const INSTALLED = Symbol.for('sgtui.networkGuard');
const self = fileURLToPath(import.meta.url);

export class NetworkGuardError extends Error {
	/** @param {string} what @param {string} address */
	constructor(what, address) {
		super(`network guard: ${what} ${address} refused — tests, demos and benchmarks may reach loopback only (127.0.0.0/8, ::1)`);
		this.name = 'NetworkGuardError';
		this.address = address;
	}
}

/** @type {NetworkGuardError[]} */
const seen = [];

/** Violations since the last call (and forgets them). */
export function takeViolations() {
	return seen.splice(0, seen.length);
}

const loopback = new net.BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** True for `localhost` and loopback literals (127.0.0.0/8, ::1, ::ffff:127.x.y.z, [::1]). */
export function isLoopbackHost(host) {
	if (typeof host !== 'string') return false;
	let name = host.trim().toLowerCase();
	if (name.startsWith('[') && name.endsWith(']')) name = name.slice(1, -1);
	name = name.replace(/%.*$/, ''); // IPv6 zone id
	if (name === 'localhost' || name === 'localhost.') return true;
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(name);
	if (mapped) name = mapped[1];
	const family = net.isIP(name);
	if (family === 4) return loopback.check(name, 'ipv4');
	if (family === 6) return loopback.check(name, 'ipv6');
	return false;
}

/** Throws unless `url` (an endpoint a test hands to a client or a CLI) is on loopback. */
export function assertLoopbackUrl(url, what = 'endpoint') {
	let host;
	try {
		host = new URL(url).hostname;
	} catch {
		throw new NetworkGuardError(what, String(url));
	}
	if (!isLoopbackHost(host)) refuse(what, String(url));
}

function refuse(what, address) {
	const error = new NetworkGuardError(what, address);
	seen.push(error);
	throw error;
}

/** Where a net.Socket#connect call goes: `null` for a Unix socket or named pipe. */
function connectTarget(args) {
	let first = args[0];
	// net.connect() hands the socket its already-normalised [options, callback].
	if (Array.isArray(first)) first = first[0];
	if (first !== null && typeof first === 'object') {
		if (first.path !== undefined && first.path !== null) return null;
		return {host: first.host ?? 'localhost', port: first.port};
	}
	if (typeof first === 'string' && !/^\d+$/.test(first)) return null;
	return {host: typeof args[1] === 'string' ? args[1] : 'localhost', port: first};
}

function hostPort(host, port) {
	return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function guardConnect() {
	const connect = net.Socket.prototype.connect;
	net.Socket.prototype.connect = function guardedConnect(...args) {
		const target = connectTarget(args);
		if (target && !isLoopbackHost(target.host)) refuse('connection to', hostPort(String(target.host), target.port));
		return connect.apply(this, args);
	};
}

function guardDgram() {
	const {send, connect} = dgram.Socket.prototype;
	const check = (port, address) => {
		// No address: Node sends to localhost.
		if (typeof address === 'string' && !isLoopbackHost(address)) refuse('UDP to', hostPort(address, port));
	};
	dgram.Socket.prototype.send = function guardedSend(...args) {
		// send(msg, [offset, length,] port, [address], [callback])
		const withRange = typeof args[1] === 'number' && typeof args[2] === 'number' && args.length >= 4 && typeof args[3] === 'number';
		const [port, address] = withRange ? [args[3], args[4]] : [args[1], args[2]];
		check(port, address);
		return send.apply(this, args);
	};
	dgram.Socket.prototype.connect = function guardedConnect(port, address, ...rest) {
		check(port, typeof address === 'string' ? address : undefined);
		return connect.call(this, port, address, ...rest);
	};
}

const DNS_METHODS = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse'];

function guardDns() {
	const wrap = (target, name) => {
		const original = target[name];
		if (typeof original !== 'function') return;
		target[name] = function guardedDns(host, ...rest) {
			// lookup() of an IP literal asks no server (a listen on '::' or '0.0.0.0' goes through it);
			// where the address leads is decided by the connect guard.
			const literal = name === 'lookup' && typeof host === 'string' && net.isIP(host) !== 0;
			if (!literal && !isLoopbackHost(host)) refuse(`DNS ${name} of`, String(host));
			return original.call(this, host, ...rest);
		};
	};
	for (const target of [dns, dns.promises, dns.Resolver.prototype, dns.promises.Resolver.prototype]) {
		for (const name of DNS_METHODS) wrap(target, name);
	}
}

/**
 * Installs the guard in this process (idempotent) and, unless `children: false`, in the Node
 * processes it starts (through NODE_OPTIONS).
 */
export function installNetworkGuard({children = true} = {}) {
	if (!globalThis[INSTALLED]) {
		globalThis[INSTALLED] = true;
		guardConnect();
		guardDgram();
		guardDns();
		// `import {lookup} from 'node:dns'` elsewhere must see the guarded functions too.
		syncBuiltinESMExports();
	}
	if (children) {
		const flag = `--import=${pathToFileURL(self).href}`;
		const current = process.env.NODE_OPTIONS ?? '';
		if (!current.includes(flag)) process.env.NODE_OPTIONS = `${current} ${flag}`.trim();
	}
}

// `node --import …/network-guard.mjs` (how child processes get it) installs it on load.
if (process.env.NODE_OPTIONS?.includes(pathToFileURL(self).href)) installNetworkGuard();

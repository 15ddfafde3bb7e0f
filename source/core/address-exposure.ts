// Turns the "address:port" text that ss, netstat and Windows netstat print into the address,
// family and exposure the triage engine reasons about. Exposure is the whole point of the
// method's first check: a port bound to loopback will never answer a remote client, whatever the
// security group says.
import ipaddr from 'ipaddr.js';
import type {AddressFamily, Exposure} from './types.js';

export interface LocalEndpoint {
	/** The host part as printed, without brackets or a `%zone` suffix. */
	host: string;
	/** The interface after `%` (`127.0.0.53%lo`, `[fe80::1]%eth0`, `[fe80::1%6]`), if any. */
	zone: string | null;
	/** The port text (digits, or a service name when the tool was run without -n). */
	port: string;
}

/**
 * Splits `host:port` as the listing tools print it: `0.0.0.0:22`, `*:22`, `[::]:22`, `:::22`
 * (net-tools and old ss), `127.0.0.53%lo:53`, `[fe80::1]%eth0:123` (ss), `[fe80::1%6]:546`
 * (Windows). The port is always after the last colon. Returns null when there is no colon.
 */
export function splitEndpoint(text: string): LocalEndpoint | null {
	const colon = text.lastIndexOf(':');
	if (colon <= 0 || colon === text.length - 1) {
		return null;
	}

	let host = text.slice(0, colon);
	const port = text.slice(colon + 1);
	let zone: string | null = null;

	const bracketed = /^\[([^\]]*)\](?:%(.+))?$/.exec(host);
	if (bracketed) {
		host = bracketed[1]!;
		zone = bracketed[2] ?? null;
	}

	const percent = host.indexOf('%');
	if (percent >= 0) {
		zone = host.slice(percent + 1);
		host = host.slice(0, percent);
	}

	if (host === '') {
		return null;
	}

	return {host, zone, port};
}

export interface ClassifiedAddress {
	address: string;
	family: AddressFamily;
	exposure: Exposure;
}

/**
 * Classifies a bound address. `*` is "any address": old ss prints it for 0.0.0.0, new ss for a
 * dual-stack `::` socket; both accept IPv4 clients, so its family is reported as ipv4. An
 * unspecified address bound to the loopback device (`0.0.0.0%lo`) can only be reached locally.
 * Returns null for text that is not an IP address (a host name, a truncated address).
 */
export function classifyAddress(host: string, zone: string | null = null): ClassifiedAddress | null {
	if (host === '*') {
		return {address: '*', family: 'ipv4', exposure: zone === 'lo' ? 'loopback' : 'all-interfaces'};
	}

	let parsed: ipaddr.IPv4 | ipaddr.IPv6;
	if (ipaddr.IPv4.isValidFourPartDecimal(host)) {
		parsed = ipaddr.IPv4.parse(host);
	} else if (host.includes(':') && ipaddr.IPv6.isValid(host)) {
		parsed = ipaddr.IPv6.parse(host);
	} else {
		return null;
	}

	const family: AddressFamily = parsed.kind() === 'ipv4' ? 'ipv4' : 'ipv6';
	return {address: host, family, exposure: exposureOf(parsed, zone)};
}

function exposureOf(address: ipaddr.IPv4 | ipaddr.IPv6, zone: string | null): Exposure {
	if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
		return exposureOf((address as ipaddr.IPv6).toIPv4Address(), zone);
	}

	const range = address.range();
	if (range === 'loopback') {
		return 'loopback';
	}

	if (range === 'unspecified') {
		return zone === 'lo' ? 'loopback' : 'all-interfaces';
	}

	return 'specific';
}

/** The textual form of an address given as bytes (used for /proc/net hex addresses). */
export function addressFromBytes(bytes: number[]): string {
	const address = ipaddr.fromByteArray(bytes);
	if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
		// Print mapped addresses the way ss does (::ffff:127.0.0.1), not as ::ffff:7f00:1.
		return `::ffff:${(address as ipaddr.IPv6).toIPv4Address().toString()}`;
	}

	return address.toString();
}

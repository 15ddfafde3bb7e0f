// Which client families each listening socket takes — the part of a listing that decides whether
// an IPv4 or IPv6 client gets in. The listing's own formatting tells the ss style apart:
// - modern iproute2 ss (2017+) prints 0.0.0.0:P for IPv4 any, [::]:P for an IPV6_V6ONLY socket
//   and *:P for a dual-stack `::` socket (it shows `*` when the socket is not v6only);
// - old ss printed *:P for IPv4 any and :::P for any IPv6 wildcard, without brackets, and could
//   not show IPV6_V6ONLY.
// A listing with brackets or 0.0.0.0 anywhere is modern; one with an unbracketed `:::` is old.
// netstat (net-tools) and /proc/net cannot show IPV6_V6ONLY either: their `::` is taken as
// dual-stack (Linux's default, net.ipv6.bindv6only=0) and marked `assumed`, so the verdict can
// say so. Windows lists IPv4 and IPv6 sockets separately: its [::] takes IPv6 only.
// A specific address takes its own family only; an IPv4-mapped ::ffff:a.b.c.d takes IPv4 only.
import ipaddr from 'ipaddr.js';
import type {Listener, ListingFormat} from './types.js';

export type SsStyle = 'modern' | 'old' | 'unknown';

/** The ss style of a listing, from its own formatting. */
export function ssStyle(text: string): SsStyle {
	if (/\[[0-9a-fA-F:.]*\](%\S+)?:(\d+|\*)/.test(text) || /(^|\s)0\.0\.0\.0(%\S+)?:(\d+|\*)/m.test(text)) return 'modern';
	if (/(^|\s):::(\d+|\*)/m.test(text) || /(^|\s)::1:\d+/m.test(text)) return 'old';
	return 'unknown';
}

function specificFamily(address: string): {ipv4: boolean; ipv6: boolean} {
	const host = address.replace(/^\[|\]$/g, '');
	if (ipaddr.IPv4.isValidFourPartDecimal(host)) return {ipv4: true, ipv6: false};
	if (ipaddr.IPv6.isValid(host)) {
		const parsed = ipaddr.IPv6.parse(host);
		return parsed.isIPv4MappedAddress() ? {ipv4: true, ipv6: false} : {ipv4: false, ipv6: true};
	}
	return {ipv4: false, ipv6: false};
}

export function socketFamilies(listener: Listener, format: ListingFormat, style: SsStyle): NonNullable<Listener['accepts']> {
	const address = listener.address;
	if (address === '*') {
		// Only ss prints `*`. Modern: a dual-stack `::` socket. Old: IPv4 any.
		if (format !== 'ss' || style === 'old') return {ipv4: true, ipv6: false};
		return style === 'modern' ? {ipv4: true, ipv6: true} : {ipv4: true, ipv6: true, assumed: true};
	}
	let unspecified6: boolean;
	try {
		unspecified6 = ipaddr.IPv6.isValid(address) && ipaddr.IPv6.parse(address).range() === 'unspecified';
	} catch {
		unspecified6 = false;
	}
	if (unspecified6) {
		if (format === 'netstat-windows') return {ipv4: false, ipv6: true};
		// Modern ss prints `::` only for a v6only socket (in brackets); a dual-stack one is `*`.
		if (format === 'ss' && style === 'modern') return {ipv4: false, ipv6: true};
		return {ipv4: true, ipv6: true, assumed: true};
	}
	return specificFamily(address);
}

/** Sets `accepts` on every listener parsed from `text` in `format`. */
export function assignSocketFamilies(listeners: Listener[], format: ListingFormat, text: string): Listener[] {
	const style = format === 'ss' ? ssStyle(text) : 'unknown';
	for (const listener of listeners) listener.accepts = socketFamilies(listener, format, style);
	return listeners;
}

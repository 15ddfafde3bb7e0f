// Sources no security-group or NACL rule can admit. A link-local address (IPv4 169.254.0.0/16,
// IPv6 fe80::/10) lives on one link only: "Routers must not forward any packets with Link-Local
// source or destination addresses to other links" (RFC 4291 §2.5.6), and an IPv4 link-local
// packet must not be sent "to a router for forwarding" (RFC 3927 §2.7). The VPC router never
// carries one from a client to another interface, so a check "from" one has no fix to offer.
// A zone (`%eth0`) names the link of a scoped address (RFC 4007 §11); on a global address it
// says nothing, and silently dropping it would check an address the user did not mean.
import ipaddr from 'ipaddr.js';
import {quotedArgument} from './aws-ids.js';

const LINK_LOCAL = {ipv4: {block: '169.254.0.0/16', rfc: 'RFC 3927 §2.7'}, ipv6: {block: 'fe80::/10', rfc: 'RFC 4291 §2.5.6'}} as const;

/** Why a source address or CIDR cannot be checked (one line, starting with it quoted), or null. */
export function sourceScopeRefusal(text: string): string | null {
	const [address = '', prefix] = text.split('/');
	let ip: ipaddr.IPv4 | ipaddr.IPv6;
	try {
		ip = ipaddr.parse(address);
	} catch {
		return null;
	}
	if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
	const kind = ip.kind() === 'ipv4' ? 'ipv4' : 'ipv6';
	const {block, rfc} = LINK_LOCAL[kind];
	const [net, bits] = ipaddr.parseCIDR(block);
	// A CIDR is refused only when all of it is link-local (fe80::/64); 0.0.0.0/0 holds more.
	const inside = ip.kind() === net.kind() && ip.match(net, bits) && (prefix === undefined || Number(prefix) >= bits);
	if (inside) {
		return `${quotedArgument(text)} is link-local (${block}): routers never forward a link-local packet off its link (${rfc}), so it cannot reach another interface through the VPC and no security-group or NACL rule changes that; give the client's private or public address`;
	}
	const zone = kind === 'ipv6' ? (ip as ipaddr.IPv6).zoneId : undefined;
	if (zone !== undefined) return `${quotedArgument(text)} has a zone (${quotedArgument(`%${zone}`)}), which only a link-local address takes (RFC 4007 §11): give the address without it`;
	return null;
}

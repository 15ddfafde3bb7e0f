// Verdicts in words, with the tone the UI colours them in.
import type {Layer, Verdict} from '../core/types.js';
import {PATH, type LayerResult} from '../core/check.js';
import type {Tone} from './theme.js';
import type {CheckResult} from './services.js';

const TEXT: Record<Verdict, {title: string; explanation: string; tone: Tone}> = {
	'reachable': {title: 'Reachable', explanation: 'Every layer on the path lets this traffic through. If the connection still fails, look at the client, the host firewall or the application.', tone: 'good'},
	'blocked-by-client-security-group': {title: "Blocked by the client's security groups (outbound)", explanation: "The client's own security groups have no outbound rule for this port to the target's address.", tone: 'bad'},
	'blocked-by-client-nacl-outbound': {title: "Blocked by the client subnet's network ACL (outbound)", explanation: "The network ACL of the client's subnet denies the packet as it leaves.", tone: 'bad'},
	'no-route': {title: 'No route between the client and the subnet', explanation: "The target subnet's route table has no route that carries this client's traffic (none, a blackhole, or a NAT / egress-only gateway, which admit no connection from outside).", tone: 'bad'},
	'no-public-address': {title: 'The instance has no public address', explanation: 'The subnet routes to an internet gateway, but the interface has no public IPv4 / Elastic IP (or no IPv6 address for an IPv6 client), so nothing from the internet can reach it.', tone: 'bad'},
	'blocked-by-nacl-inbound': {title: 'Blocked by the network ACL (inbound)', explanation: 'The subnet\'s network ACL denies the packet before it reaches the instance.', tone: 'bad'},
	'blocked-by-security-group': {title: 'Blocked by the security groups', explanation: 'No rule in the interface\'s security groups allows this source on this port.', tone: 'bad'},
	'not-listening': {title: 'Nothing listens on the port', explanation: 'The packet would arrive, but no process on the host accepts it. Opening rules will not help.', tone: 'bad'},
	'loopback-only': {title: 'The service listens on loopback only', explanation: 'The process is bound to 127.0.0.1/::1, so traffic from outside never reaches it. Bind it to the interface address or 0.0.0.0.', tone: 'bad'},
	'blocked-by-nacl-return': {title: 'Replies dropped by the network ACL (return path)', explanation: 'The request gets in, but the stateless NACL does not allow the reply back to the client\'s ephemeral port.', tone: 'bad'},
	'blocked-by-client-nacl-return': {title: "Replies dropped by the client subnet's network ACL", explanation: "The reply reaches the client's subnet, but its stateless NACL does not allow it in to the client's ephemeral port.", tone: 'bad'},
	'unknown': {title: 'Unknown: evidence is missing', explanation: 'sgtui will not guess: the missing evidence is listed below.', tone: 'warn'},
};

export function verdictText(verdict: Verdict): {title: string; explanation: string; tone: Tone} {
	return TEXT[verdict];
}

/** The layers in the order a packet meets them (core/path's list), with their titles. */
export function layersInPathOrder(result: CheckResult): Array<readonly [string, LayerResult, Layer]> {
	return PATH.filter((layer) => result.layers[layer.name]).map((layer) => [layer.title, result.layers[layer.name], layer.name] as const);
}

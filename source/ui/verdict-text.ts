// Verdicts in words, with the tone the UI colours them in.
import type {Verdict} from '../core/types.js';
import type {Tone} from './theme.js';
import type {CheckResult} from './services.js';

const TEXT: Record<Verdict, {title: string; explanation: string; tone: Tone}> = {
	'reachable': {title: 'Reachable', explanation: 'Every layer on the path lets this traffic through. If the connection still fails, look at the client, the host firewall or the application.', tone: 'good'},
	'blocked-by-nacl-inbound': {title: 'Blocked by the network ACL (inbound)', explanation: 'The subnet\'s network ACL denies the packet before it reaches the instance.', tone: 'bad'},
	'blocked-by-security-group': {title: 'Blocked by the security groups', explanation: 'No rule in the interface\'s security groups allows this source on this port.', tone: 'bad'},
	'not-listening': {title: 'Nothing listens on the port', explanation: 'The packet would arrive, but no process on the host accepts it. Opening rules will not help.', tone: 'bad'},
	'loopback-only': {title: 'The service listens on loopback only', explanation: 'The process is bound to 127.0.0.1/::1, so traffic from outside never reaches it. Bind it to the interface address or 0.0.0.0.', tone: 'bad'},
	'blocked-by-nacl-return': {title: 'Replies dropped by the network ACL (return path)', explanation: 'The request gets in, but the stateless NACL does not allow the reply back to the client\'s ephemeral port.', tone: 'bad'},
	'unknown': {title: 'Unknown: evidence is missing', explanation: 'sgtui will not guess: the missing evidence is listed below.', tone: 'warn'},
};

export function verdictText(verdict: Verdict): {title: string; explanation: string; tone: Tone} {
	return TEXT[verdict];
}

/** The layers in the order a packet meets them, with the titles the wizard and the report use. */
export function layersInPathOrder(result: CheckResult) {
	return [
		['NACL inbound', result.layers.naclInbound],
		['Security groups', result.layers.securityGroup],
		['Host', result.layers.host],
		['NACL return path', result.layers.naclReturn],
	] as const;
}

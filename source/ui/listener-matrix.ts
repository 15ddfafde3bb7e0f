// The listener × rule matrix: for each socket the host listens on, which security-group rules
// and NACL entries let traffic to it in, and from where; then the inbound rules no socket answers.
// Loopback-only sockets and rules with no listener are the two things the method says to fix.
// Whether a socket is reachable, and what to do when it is not, is the host layer's answer
// (core/path/host.ts: socketReach from the socket's `accepts`, hostPortAnswer for the port), so
// this tab, the audit and the wizard say the same thing about the same socket.
import {findNetworkAcl, entryMatches, ruleLabel} from '../core/nacl-evaluator.js';
import {ruleMatchesPacket, describeRulePorts} from '../core/sg-evaluator.js';
import {hasPorts, protocolNumber, PROTOCOL} from '../core/protocols.js';
import {hostPortAnswer, socketAccepts, socketReach} from '../core/path/host.js';
import {listenerEndpoint, wildcardDevice} from '../core/listener-endpoint.js';
import type {HostCapture, Inventory, Listener, NetworkInterface, SecurityGroupRule} from '../core/types.js';
import {describePeerNamed, shortPeer} from './rule-rows.js';
import type {Tone} from './theme.js';

export interface MatrixRow {
	key: string;
	protocol: string;
	endpoint: string;
	port: number;
	exposure: Listener['exposure'];
	process: string;
	/** Where the security groups allow it from ("10.0.0.0/16, sg-0abc (app)") or "no rule". */
	sg: string;
	/** NACL inbound entries that match, in order ("100 allow 10.0.0.0/16 · * deny"). */
	nacl: string;
	verdict: string;
	tone: Tone;
	/** The host layer's summary and fix when the socket is not reachable yet a rule opens its port. */
	problem: {summary: string; fix: string} | null;
}

export interface UnusedRule {
	key: string;
	text: string;
	peer: string;
}

function protocolOf(listener: Listener): number {
	return listener.protocol === 'tcp' ? PROTOCOL.tcp : PROTOCOL.udp;
}

function naclSummary(inventory: Inventory, eni: NetworkInterface, protocol: number, port: number): {text: string; allowsSome: boolean} {
	if (!inventory.known.networkAcls) return {text: 'unknown', allowsSome: true};
	const found = findNetworkAcl(inventory, eni.subnetId, eni.vpcId);
	if (!found) return {text: 'no NACL found', allowsSome: true};
	const parts: string[] = [];
	let allowsSome = false;
	const entries = found.acl.entries.filter((entry) => !entry.egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
	for (const entry of entries) {
		if (!entryMatches(entry, protocol, port)) continue;
		const peer = entry.cidr ?? entry.ipv6Cidr ?? '?';
		parts.push(`${ruleLabel(entry.ruleNumber)} ${entry.action} ${peer}`);
		if (entry.action === 'allow') allowsSome = true;
		if (peer === '0.0.0.0/0' || parts.length >= 3) break;
	}
	return {text: parts.join(', ') || '* deny (no entry matches)', allowsSome};
}

function inboundRules(inventory: Inventory, eni: NetworkInterface): SecurityGroupRule[] {
	return eni.groupIds.flatMap((id) => inventory.securityGroups.find((group) => group.id === id)?.ingress ?? []);
}

export function listenerMatrix(inventory: Inventory, eni: NetworkInterface, capture: HostCapture): MatrixRow[] {
	const seen = new Set<string>();
	const rules = inboundRules(inventory, eni);
	const platform = inventory.instances.find((instance) => instance.id === eni.instanceId)?.platform ?? null;
	const windows = platform === 'windows' || capture.format === 'netstat-windows';
	const rows: MatrixRow[] = [];
	const sorted = [...capture.listeners].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol) || a.family.localeCompare(b.family));
	for (const listener of sorted) {
		// The device is part of the socket: 0.0.0.0:22 and 0.0.0.0%eth0:22 are two rows.
		const key = `${listener.protocol} ${listenerEndpoint(listener)}`;
		if (seen.has(key)) continue;
		seen.add(key);
		const protocol = protocolOf(listener);
		const allowing = rules.filter((rule) => ruleMatchesPacket(rule, {protocol, port: listener.port}));
		const sg = inventory.known.securityGroups
			? allowing.length ? [...new Set(allowing.map((rule) => shortPeer(inventory, rule.peer)))].join(', ') : 'no rule'
			: 'unknown';
		const nacl = naclSummary(inventory, eni, protocol, listener.port);
		const reach = socketReach(listener, eni, windows);
		let verdict: string;
		let tone: Tone;
		let problem: MatrixRow['problem'] = null;
		if (!reach.ipv4 && !reach.ipv6) {
			// Not reachable from outside: ask the host layer about the port, for the family the socket takes.
			const family = socketAccepts(listener, windows).ipv4 ? 'ipv4' : 'ipv6';
			const answer = hostPortAnswer({eni, platform, host: capture, protocol: listener.protocol, port: listener.port, family});
			const local = listener.exposure === 'loopback';
			if (answer.result.status === 'allow') {
				verdict = local ? 'loopback only; the port is reachable via another socket' : 'not on this interface; the port is reachable via another socket';
				tone = 'muted';
			} else if (allowing.length && answer.fix) {
				verdict = local ? 'loopback only: accepts local connections only' : 'not on this interface\'s address';
				tone = 'bad';
				problem = {summary: answer.result.summary, fix: answer.fix.summary};
			} else {
				verdict = local ? 'loopback only (local use)' : 'not on this interface\'s address';
				tone = 'muted';
			}
		} else if (!inventory.known.securityGroups) {
			verdict = 'rules unknown';
			tone = 'warn';
		} else if (allowing.length === 0) {
			verdict = 'closed by the groups';
			tone = 'muted';
		} else if (!nacl.allowsSome) {
			verdict = 'groups allow, NACL denies';
			tone = 'bad';
		} else if (allowing.some((rule) => (rule.peer.kind === 'cidr4' || rule.peer.kind === 'cidr6') && /^(0\.0\.0\.0|::)\/0$/.test(rule.peer.cidr))) {
			verdict = 'open to the whole internet';
			tone = 'warn';
		} else {
			verdict = listener.exposure === 'specific' ? `open, via ${listener.address} only` : 'open to those sources';
			tone = 'good';
		}
		// A rule opens the port, yet only IPv6 clients get in: the port's sockets take no IPv4
		// (an IPV6_V6ONLY or Windows [::] socket with no 0.0.0.0 beside it).
		const ipv4Somewhere = capture.listeners.some((other) => other.protocol === listener.protocol && other.port === listener.port && socketReach(other, eni, windows).ipv4);
		if (reach.ipv6 && !ipv4Somewhere && allowing.length) verdict += ' · IPv6 clients only';
		// SO_BINDTODEVICE: reachable, but only for packets arriving on that device.
		const device = wildcardDevice(listener);
		if (device !== null && (reach.ipv4 || reach.ipv6)) verdict += ` · ${device} only`;
		rows.push({
			key,
			protocol: listener.protocol + (listener.family === 'ipv6' ? '6' : ''),
			endpoint: listenerEndpoint(listener),
			port: listener.port,
			exposure: listener.exposure,
			process: listener.process ? `${listener.process}${listener.pid ? `/${listener.pid}` : ''}` : listener.pid ? `pid ${listener.pid}` : '-',
			sg,
			nacl: nacl.text,
			verdict,
			tone,
			problem,
		});
	}
	return rows;
}

/**
 * Inbound TCP/UDP rules for specific ports on which no socket listens at all. A port with only a
 * loopback socket is not here: the host layer's fix for it is the bind address, not the rule.
 */
export function unusedRules(inventory: Inventory, eni: NetworkInterface, listeners: readonly Listener[]): UnusedRule[] {
	const unused: UnusedRule[] = [];
	inboundRules(inventory, eni).forEach((rule, index) => {
		const protocol = protocolNumber(rule.protocol);
		if (protocol === null || !hasPorts(protocol) || rule.fromPort === null || rule.fromPort === -1) return;
		if (rule.fromPort === 0 && rule.toPort === 65535) return;
		const answered = listeners.some((listener) => protocolOf(listener) === protocol && ruleMatchesPacket(rule, {protocol, port: listener.port}));
		if (!answered) unused.push({key: `${rule.groupId}-${index}`, text: `${rule.groupId} ${describeRulePorts(rule)}`, peer: describePeerNamed(inventory, rule.peer)});
	});
	return unused;
}

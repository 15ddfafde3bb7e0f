// Layer 6: the host — does a socket accept this client? A socket accepts a connection when its
// address covers the address the client connects to AND its family takes the client's family:
// - 0.0.0.0 takes IPv4 only; `::` takes IPv6, and IPv4 too unless IPV6_V6ONLY is set (Linux
//   ipv6(7): "IPV6_V6ONLY … If this flag is set to false (zero), then the socket can be used to
//   send and receive packets to and from an IPv6 address or an IPv4-mapped IPv6 address"; the
//   default follows net.ipv6.bindv6only = 0). Windows lists IPv4 and IPv6 sockets separately, so
//   its [::] is IPv6 only. The listing parsers record which families each socket takes.
// - a specific address takes only its own family (an IPv4-mapped ::ffff:a.b.c.d is IPv4), and
//   only when it is one of the target ENI's own addresses: a bind on docker0 or another host
//   address is not reachable at the ENI's address.
// - loopback never takes a remote client.
import {addressValue} from '../cidr.js';
import type {Fix, HostLayerResult, Problem} from '../check-types.js';
import type {AddressFamily, HostCapture, Listener, ListenerProtocol, NetworkInterface} from '../types.js';
import {INSTANCE_STATES} from '../types.js';
import type {PathContext, PathLayer} from './layer.js';
import {shellCommand} from '../shell-quote.js';
import {exposureText, listenerEndpoint, wildcardDevice} from '../listener-endpoint.js';

function socketText(listener: Listener): string {
	const who = listener.process ? `${listener.process}${listener.pid !== null ? ` (pid ${listener.pid})` : ''}` : listener.pid !== null ? `pid ${listener.pid}` : 'a process';
	return `${who} on ${listenerEndpoint(listener)}`;
}

/** A socket as verdicts name it; a device-bound wildcard says which device it is restricted to. */
export function listenerText(listener: Listener): string {
	const device = wildcardDevice(listener);
	return `${socketText(listener)}${device === null ? '' : ` (${exposureText(listener)})`}`;
}

function parsedAddress(text: string): {family: AddressFamily; value: bigint} | null {
	try {
		return addressValue(text.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
	} catch {
		return null;
	}
}

function sameAddress(a: string, b: string): boolean {
	const x = parsedAddress(a);
	const y = parsedAddress(b);
	return Boolean(x && y && x.family === y.family && x.value === y.value);
}

/** Which client families a socket takes: the parser's reading, else inferred from the address. */
export function socketAccepts(listener: Listener, windows: boolean): {ipv4: boolean; ipv6: boolean; assumed?: boolean} {
	if (listener.accepts) return listener.accepts;
	if (listener.exposure === 'all-interfaces') {
		if (listener.address === '*' || listener.family === 'ipv4') return {ipv4: true, ipv6: listener.address === '*' && !windows};
		return windows ? {ipv4: false, ipv6: true} : {ipv4: true, ipv6: true, assumed: true};
	}
	const parsed = parsedAddress(listener.address);
	const family = parsed?.family ?? listener.family;
	return {ipv4: family === 'ipv4', ipv6: family === 'ipv6'};
}

const FAMILY: Record<AddressFamily, string> = {ipv4: 'IPv4', ipv6: 'IPv6'};

/** What the host layer needs to answer for one port: the Listeners tab and the audit ask it too. */
export interface HostPortQuestion {
	eni: NetworkInterface;
	/** The instance's platform decides how its `[::]` sockets read; null when unknown. */
	platform: string | null;
	host: HostCapture;
	protocol: ListenerProtocol;
	port: number;
	/** The client's address family. */
	family: AddressFamily;
}

/** The host layer's answer for one port: the same verdict, summary and fix the check gives. */
export interface HostPortAnswer {
	result: HostLayerResult;
	/** The narrowest fix when the host stops the traffic, else null. */
	fix: Fix | null;
	notes: string[];
}

function isWindows(question: Pick<HostPortQuestion, 'platform' | 'host'>): boolean {
	return question.platform === 'windows' || question.host.format === 'netstat-windows';
}

/**
 * Whether a socket takes connections from outside arriving at the ENI's own addresses, per
 * client family: a wildcard taking the family, or one of the ENI's addresses. Loopback never does.
 */
export function socketReach(listener: Listener, eni: NetworkInterface, windows: boolean): {ipv4: boolean; ipv6: boolean} {
	if (listener.exposure === 'loopback') return {ipv4: false, ipv6: false};
	const accepts = socketAccepts(listener, windows);
	const own = listener.exposure === 'all-interfaces' || [...eni.privateIps, ...eni.ipv6Addresses].some((address) => sameAddress(listener.address, address));
	return {ipv4: own && accepts.ipv4, ipv6: own && accepts.ipv6};
}

/** The host layer for one port, client family and capture: what every screen shows for a socket. */
export function hostPortAnswer(question: HostPortQuestion): HostPortAnswer {
	const notes: string[] = [];
	const result = evaluatePort(question, notes);
	return {result, notes, fix: result.status === 'deny' ? hostFix(question, result) : null};
}

function evaluatePort(question: HostPortQuestion, notes: string[]): HostLayerResult {
	const {eni, host, protocol, port, family} = question;
	const what = `${protocol} ${port}`;
	const instanceId = eni.instanceId ?? eni.id;
	const onPort = host.listeners.filter((listener) => listener.protocol === protocol && listener.port === port);
	const eniAddresses = [...eni.privateIps, ...eni.ipv6Addresses];
	const windows = isWindows(question);
	const ownAddress = (listener: Listener) => eniAddresses.some((address) => sameAddress(listener.address, address));
	const reachable = onPort.filter((listener) => socketReach(listener, eni, windows)[family]);
	if (reachable.length > 0) {
		// A socket on every device beats one bound to a device; a confirmed family beats an assumed one.
		const ranked = [...reachable].sort((a, b) => Number(wildcardDevice(a) !== null) - Number(wildcardDevice(b) !== null));
		const chosen = ranked.find((listener) => !socketAccepts(listener, windows).assumed) ?? ranked[0]!;
		const accepts = socketAccepts(chosen, windows);
		const device = wildcardDevice(chosen);
		if (device !== null) {
			// The listing names the host's device, not the ENI: which device an ENI is (eth0, ens5,
			// eth1 for a second ENI) is only known on the host.
			notes.push(`${socketText(chosen)} is bound to device ${device} (SO_BINDTODEVICE): it answers only packets arriving on ${device}; if ${eni.id} is another device on ${eni.instanceId ?? 'the host'}, nothing answers there`);
		}
		if (accepts.assumed && chosen.address === '*') {
			notes.push(`${listenerText(chosen)} is read as modern ss's dual-stack socket; this listing shows neither brackets nor 0.0.0.0, and old ss printed IPv4-only sockets as *:${chosen.port} — capture with a current ss to be sure`);
		} else if (accepts.assumed && family === 'ipv4') {
			notes.push(
				`${listenerText(chosen)} is taken as dual-stack (Linux's default, net.ipv6.bindv6only=0): ${host.format === 'ss' ? 'old ss' : host.format} cannot show IPV6_V6ONLY; if the service sets it, IPv4 clients are refused (a current ss prints such a socket as [::]:${chosen.port}, a dual-stack one as *:${chosen.port})`,
			);
		}
		const how = chosen.family === 'ipv6' && family === 'ipv4' ? ' (dual-stack: it takes IPv4 too)' : '';
		return {status: 'allow', summary: `${listenerText(chosen)} accepts ${FAMILY[family]} connections from outside${how}.`, rules: [], listeners: onPort, reason: null};
	}
	const loopback = onPort.filter((listener) => listener.exposure === 'loopback');
	if (loopback.length > 0) {
		return {status: 'deny', summary: `Only ${listenerText(loopback[0]!)} listens on ${what}: it accepts local connections only.`, rules: [], listeners: onPort, reason: 'loopback-only'};
	}
	const wildcard = onPort.filter((listener) => listener.exposure === 'all-interfaces');
	if (wildcard.length > 0) {
		// Bound to every address, but not taking the client's family: 0.0.0.0 for an IPv6 client,
		// an IPV6_V6ONLY or Windows [::] socket for an IPv4 one.
		const socket = wildcard[0]!;
		const only = socketAccepts(socket, windows).ipv6 ? 'IPv6' : 'IPv4';
		const why = only === 'IPv6' && family === 'ipv4' ? (windows ? ' (Windows lists IPv4 sockets separately)' : ' (IPV6_V6ONLY: ss prints such a socket as [::], a dual-stack one as *)') : '';
		return {status: 'deny', summary: `Only ${listenerText(socket)} listens on ${what}: it takes ${only} only${why}, and the client connects over ${FAMILY[family]}.`, rules: [], listeners: onPort, reason: 'not-listening'};
	}
	const own = onPort.filter((listener) => listener.exposure === 'specific' && ownAddress(listener));
	if (own.length > 0) {
		return {status: 'deny', summary: `Only ${listenerText(own[0]!)} listens on ${what}: a socket bound to one address takes only that address's family, and the client connects over ${FAMILY[family]}.`, rules: [], listeners: onPort, reason: 'not-listening'};
	}
	const elsewhere = onPort.filter((listener) => listener.exposure === 'specific');
	if (elsewhere.length > 0) {
		const mine = eniAddresses.join(', ') || 'its private address';
		return {
			status: 'deny',
			summary: `Only ${listenerText(elsewhere[0]!)} listens on ${what}, not on ${eni.id}'s address ${mine}: a socket bound to another address (docker0, another interface) is not reachable at the ENI's address.`,
			rules: [],
			listeners: onPort,
			reason: 'not-listening',
		};
	}
	const open = [...new Set(host.listeners.filter((l) => l.protocol === protocol && l.exposure !== 'loopback').map((l) => l.port))].sort((a, b) => a - b);
	const listening = open.length > 0 ? ` (${protocol} ports listening from outside: ${open.slice(0, 12).join(', ')}${open.length > 12 ? ', …' : ''})` : '';
	return {status: 'deny', summary: `Nothing listens on ${what} on ${instanceId}${listening}.`, rules: [], listeners: [], reason: 'not-listening'};
}

function evaluate(ctx: PathContext): HostLayerResult {
	const {target, request, source, host} = ctx;
	const unknown = (why: string): HostLayerResult => {
		ctx.unknowns.push(why);
		return {status: 'unknown', summary: why, rules: [], listeners: [], reason: null};
	};
	const instanceId = target.instance?.id ?? target.eni.instanceId;
	const state = target.instance?.state ?? 'unknown';
	const what = request.protocol === 'icmp' ? 'ICMP' : `${request.protocol} ${request.port}`;
	if (state !== 'running' && state !== 'unknown') {
		// Only a running instance answers anything: a stopped (or pending, stopping, terminated) one
		// runs no operating system, whatever its last capture showed (EC2 User Guide, "Instance state
		// changes"; its ENI and rules stay in place).
		return {status: 'deny', summary: `${instanceId} is ${state}, not running: nothing on it answers ${what} until it runs.`, rules: [], listeners: [], reason: 'not-listening'};
	}
	const reported = target.instance?.unrecognizedState;
	if (reported !== undefined) {
		return unknown(`${instanceId} reports the state "${reported}", which is none of EC2's (${INSTANCE_STATES.join(', ')}): cannot tell whether anything on it answers ${what}`);
	}
	if (request.protocol === 'icmp') {
		const summary = 'ICMP needs no listening socket: the operating system answers it.';
		ctx.notes.push(`a host firewall (iptables/nftables, Windows Firewall — which drops echo requests by default) is not visible in the evidence`);
		return {status: 'allow', summary, rules: [], listeners: [], reason: null};
	}
	if (!instanceId) return unknown(`${target.eni.id} is not attached to an instance: cannot tell whether anything listens on ${what}`);
	if (!host) return unknown(`no listener capture for ${instanceId}: cannot tell whether anything listens on ${what} (save one as hosts/${instanceId}.txt)`);
	if (host.skipped.length > 0) ctx.notes.push(`the listener capture for ${instanceId} had ${host.skipped.length} line(s) that could not be read (first at line ${host.skipped[0]!.line})`);
	return evaluatePort({eni: {...target.eni, instanceId}, platform: target.instance?.platform ?? null, host, protocol: request.protocol, port: request.port, family: source.family}, ctx.notes);
}

function hostFix(question: Pick<HostPortQuestion, 'eni' | 'protocol' | 'port' | 'family'>, layer: HostLayerResult): Fix {
	const {eni, protocol, port, family: clientFamily} = question;
	const address = eni.privateIps[0] ?? "the instance's private IP";
	if (layer.reason === 'loopback-only') {
		return {summary: `Bind the service to 0.0.0.0 (or the instance's private IP ${address}) instead of 127.0.0.1, then restart it. No security-group change is needed for this.`};
	}
	const family = FAMILY[clientFamily];
	if (layer.listeners.some((listener) => listener.exposure === 'all-interfaces' || listener.exposure === 'specific')) {
		const bind =
			clientFamily === 'ipv6'
				? `[::] (all IPv6 addresses${eni.ipv6Addresses[0] ? `, or ${eni.ipv6Addresses[0]}` : ''})`
				: `0.0.0.0 (or ${address}), or [::] without IPV6_V6ONLY`;
		const elsewhere = layer.listeners.every((listener) => listener.exposure === 'specific' && (parsedAddress(listener.address)?.family ?? listener.family) === clientFamily);
		if (elsewhere) return {summary: `Bind the service to 0.0.0.0 (or ${address}) so it accepts connections arriving at ${eni.id}.`};
		return {summary: `Make the service also listen on ${bind} so it accepts ${family} connections.`};
	}
	return {summary: `Start the service on ${protocol} ${port} (or check that clients use the right port). Until something listens, opening the port in a security group changes nothing.`};
}

function problem(ctx: PathContext, layer: HostLayerResult): Problem {
	const {target, request, source} = ctx;
	const instance = target.instance;
	if (instance && instance.state !== 'running' && instance.state !== 'unknown') {
		const gone = instance.state === 'terminated' || instance.state === 'shutting-down';
		const fix: Fix = gone
			? {summary: `${instance.id} is ${instance.state}: it cannot be started again; launch a replacement and check that one.`}
			: instance.state === 'stopped'
				? {summary: `Start ${instance.id}, then check again (its listeners are those of its next boot).`, command: shellCommand(['aws', 'ec2', 'start-instances', '--instance-ids', instance.id])}
				: {summary: `${instance.id} is ${instance.state}: wait until it is running, then check again.`};
		return {layer: 'host', verdict: 'not-listening', summary: layer.summary, decidingRule: null, fix};
	}
	const protocol = request.protocol === 'udp' ? 'udp' : 'tcp';
	return {layer: 'host', verdict: layer.reason!, summary: layer.summary, decidingRule: null, fix: hostFix({eni: target.eni, protocol, port: request.port, family: source.family}, layer)};
}

export const hostLayer: PathLayer<'host'> = {
	name: 'host',
	title: 'Host listener',
	evaluate(ctx) {
		const result = evaluate(ctx);
		return result.status === 'deny' ? {result, problem: problem(ctx, result)} : {result};
	},
};

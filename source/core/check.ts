// The triage: can SOURCE reach TARGET on a port? Each layer on the packet's path is evaluated on
// its own (NACL inbound → security groups → the host's listeners → NACL outbound for the reply),
// so `problems` can list every layer that needs fixing, while `verdict` names the first one.
import {addressValue, describeSet, emptySet, hostCidr, intersect, isEmpty, isValidAddress, isValidCidr, parseCidrRange, setFrom, setFromCidr, setToCidrs, union, type AddressSet} from './cidr.js';
import type {CheckResult, CheckTarget, HostLayerResult, LayerResult, NaclLayerResult, ObservedFlows, Problem, RuleRef} from './check-types.js';
import {describeEphemeral, ephemeralRange, formatPortRange} from './ephemeral-ports.js';
import {EvidenceError} from './evidence-error.js';
import {chooseGroup, freeRuleNumbers, naclEntryCommand, sgIngressCommand} from './fix-commands.js';
import {evaluateNacl, findNetworkAcl, ruleLabel, type NaclEvaluation} from './nacl-evaluator.js';
import {createFlowObserver, unavailableFlows} from './observed-flows.js';
import {checkProtocolNumber, icmpReplyType, protocolName} from './protocols.js';
import {describePacket, evaluateSecurityGroups, groupMemberAddresses, type Packet, type SgEvaluation, type SgRuleRef} from './sg-evaluator.js';
import type {AddressFamily, CheckRequest, FlowLogConfig, FlowRecord, HostCapture, Instance, Inventory, Listener, NetworkAcl, NetworkInterface, Verdict} from './types.js';

export type * from './check-types.js';

export interface CheckInput {
	inventory: Inventory;
	host: HostCapture | null;
	request: CheckRequest;
	/** Flow records to summarize (any ENI: others are ignored). */
	flows?: Iterable<FlowRecord> | null;
	/** Already-summarized flows (see createCheckFlowObserver), for callers that stream records. */
	observed?: ObservedFlows | null;
}

export interface ResolvedTarget {
	eni: NetworkInterface;
	instance: Instance | null;
}

/** An instance id → its primary ENI; an ENI id → itself. Unknown ids throw an EvidenceError. */
export function resolveTarget(inventory: Inventory, id: string): ResolvedTarget {
	if (id.startsWith('eni-')) {
		const eni = inventory.networkInterfaces.find((candidate) => candidate.id === id);
		if (!eni) throw new EvidenceError(`network interface ${id} is not in the snapshot (${inventory.networkInterfaces.length} network interfaces known)`);
		return {eni, instance: inventory.instances.find((instance) => instance.id === eni.instanceId) ?? null};
	}
	if (id.startsWith('i-')) {
		const instance = inventory.instances.find((candidate) => candidate.id === id);
		if (!instance) {
			// Without DescribeInstances the ENIs still name their instance: use its primary ENI.
			const attached = inventory.networkInterfaces.filter((candidate) => candidate.instanceId === id);
			if (!inventory.known.instances && attached.length > 0) return {eni: attached[0]!, instance: null};
			if (!inventory.known.instances) {
				const hint = inventory.known.networkInterfaces ? 'and no network interface names it' : 'nor network interfaces (aws/describe-network-interfaces.json)';
				throw new EvidenceError(`instance ${id} cannot be found: the snapshot has no instances (aws/describe-instances.json) ${hint}`);
			}
			throw new EvidenceError(`instance ${id} is not in the snapshot (${inventory.instances.length} instances known)`);
		}
		const eni =
			instance.networkInterfaceIds.map((eniId) => inventory.networkInterfaces.find((candidate) => candidate.id === eniId)).find(Boolean) ??
			inventory.networkInterfaces.find((candidate) => candidate.instanceId === id);
		if (eni) return {eni, instance};
		if (!instance.subnetId) throw new EvidenceError(`instance ${id} has no network interface or subnet in the snapshot`);
		// DescribeNetworkInterfaces was not saved: the instance itself says enough about its primary ENI.
		return {
			instance,
			eni: {
				id: instance.networkInterfaceIds[0] ?? `primary ENI of ${id}`,
				subnetId: instance.subnetId,
				vpcId: instance.vpcId ?? '',
				instanceId: id,
				description: '',
				interfaceType: 'interface',
				status: 'in-use',
				privateIps: instance.privateIp ? [instance.privateIp] : [],
				ipv6Addresses: [],
				publicIp: instance.publicIp,
				groupIds: instance.groupIds,
				tags: {},
			},
		};
	}
	throw new EvidenceError(`${id} is neither an instance id (i-…) nor a network interface id (eni-…)`);
}

interface ResolvedSource {
	addresses: AddressSet;
	groupId?: string;
	family: AddressFamily;
	description: string;
	/** The source is explicitly everyone (any, 0.0.0.0/0, ::/0): only then may a fix say /0. */
	wholeInternet: boolean;
}

function resolveSource(inventory: Inventory, request: CheckRequest): ResolvedSource {
	const source = request.source;
	switch (source.kind) {
		case 'any':
			return {addresses: setFromCidr('0.0.0.0/0'), family: 'ipv4', description: 'anywhere (0.0.0.0/0)', wholeInternet: true};
		case 'address': {
			if (!isValidAddress(source.address)) throw new EvidenceError(`not an IP address: ${source.address}`);
			const {family} = addressValue(source.address);
			return {addresses: setFromCidr(hostCidr(source.address)), family, description: source.address, wholeInternet: false};
		}
		case 'cidr': {
			if (!isValidCidr(source.cidr)) throw new EvidenceError(`not a CIDR: ${source.cidr}`);
			const range = parseCidrRange(source.cidr);
			return {addresses: setFromCidr(source.cidr), family: range.family, description: setToCidrs(setFromCidr(source.cidr))[0]!, wholeInternet: range.prefix === 0};
		}
		case 'group': {
			const members = groupMemberAddresses(inventory, source.groupId);
			const group = inventory.securityGroups.find((candidate) => candidate.id === source.groupId);
			// A group the snapshot has never heard of is most likely a typo: say so rather than
			// answer "unknown" about an empty set of members.
			const carried = inventory.networkInterfaces.some((eni) => eni.groupIds.includes(source.groupId));
			if (!group && !carried && inventory.known.securityGroups) {
				throw new EvidenceError(`security group ${source.groupId} is not in the snapshot (${inventory.securityGroups.length} security groups known)`);
			}
			const addresses = setFrom(members);
			const name = group?.name ? ` (${group.name})` : '';
			return {
				addresses,
				groupId: source.groupId,
				family: addresses.ipv4.length > 0 || addresses.ipv6.length === 0 ? 'ipv4' : 'ipv6',
				description: `members of ${source.groupId}${name} (${members.length} address${members.length === 1 ? '' : 'es'})`,
				wholeInternet: false,
			};
		}
	}
}

function naclRefs(evaluation: NaclEvaluation): RuleRef[] {
	return evaluation.deciding.map((rule) => ({kind: 'network-acl', ...rule}));
}

function sgRef(rule: SgRuleRef): RuleRef {
	return {kind: 'security-group', groupId: rule.groupId, groupName: rule.groupName, ruleId: rule.rule.ruleId ?? null, rule: rule.rule, text: rule.text};
}

interface Context {
	inventory: Inventory;
	request: CheckRequest;
	target: ResolvedTarget;
	source: ResolvedSource;
	packet: Packet;
	unknowns: string[];
	notes: string[];
}

function naclLayer(ctx: Context, direction: 'ingress' | 'egress'): {layer: NaclLayerResult; evaluation: NaclEvaluation | null; acl: NetworkAcl | null} {
	const {inventory, target, source, packet, request} = ctx;
	const label = direction === 'ingress' ? 'inbound' : 'return (outbound)';
	const unknown = (why: string) => {
		ctx.unknowns.push(why);
		return {layer: {status: 'unknown' as const, summary: why, rules: [], aclId: null}, evaluation: null, acl: null};
	};
	if (!inventory.known.networkAcls) return unknown(`network ACLs were not captured: cannot tell whether the subnet's ACL allows the ${label} traffic`);
	const found = findNetworkAcl(inventory, target.eni.subnetId, target.eni.vpcId || null);
	if (!found) return unknown(`no network ACL for ${target.eni.subnetId} in the snapshot: cannot tell whether it allows the ${label} traffic`);
	if (isEmpty(source.addresses)) return unknown(`the addresses of ${source.description} are unknown: cannot match them against ${found.acl.id}`);

	let evaluation: NaclEvaluation;
	if (direction === 'ingress') {
		evaluation = evaluateNacl({acl: found.acl, direction, protocol: packet.protocol, ports: {from: packet.port, to: packet.port}, icmp: {type: packet.port, code: 0}, addresses: source.addresses});
	} else if (request.protocol === 'icmp') {
		const reply = icmpReplyType(packet.port, source.family);
		if (reply === null) {
			const summary = `ICMP type ${packet.port} gets no reply, so there is no return path to check.`;
			return {layer: {status: 'allow', summary, rules: [], aclId: found.acl.id}, evaluation: null, acl: found.acl};
		}
		evaluation = evaluateNacl({acl: found.acl, direction, protocol: packet.protocol, ports: {from: reply, to: reply}, icmp: {type: reply, code: 0}, addresses: source.addresses});
	} else {
		evaluation = evaluateNacl({acl: found.acl, direction, protocol: packet.protocol, ports: ephemeralRange(request.clientOs), addresses: source.addresses});
	}
	const via = found.how === 'vpc-default' ? ` (${target.eni.subnetId} has no explicit association: the VPC's default ACL applies)` : '';
	return {layer: {status: evaluation.status, summary: evaluation.summary.replace(/\.$/, `${via}.`), rules: naclRefs(evaluation), aclId: found.acl.id}, evaluation, acl: found.acl};
}

function sgLayer(ctx: Context): {layer: LayerResult; evaluation: SgEvaluation} {
	const eni = ctx.target.eni;
	if (eni.groupIds.length === 0 && eni.interfaceType !== 'interface') {
		// NAT gateways (and other AWS-managed interfaces) have no security groups at all: not a deny
		// to fix by "attaching one", which AWS does not allow.
		const summary = `${eni.id} is a ${eni.interfaceType.replace(/_/g, ' ')} interface: it has no security groups, so only the network ACL filters its traffic.`;
		const evaluation: SgEvaluation = {status: 'allow', groups: [], allowing: [], samePort: [], unresolved: [], allowed: ctx.source.addresses, denied: emptySet(), summary};
		return {layer: {status: 'allow', summary, rules: []}, evaluation};
	}
	const evaluation = evaluateSecurityGroups({inventory: ctx.inventory, groupIds: eni.groupIds, packet: ctx.packet, source: {addresses: ctx.source.addresses, groupId: ctx.source.groupId}});
	if (evaluation.status === 'unknown') ctx.unknowns.push(evaluation.summary.replace(/\.$/, '') + ': cannot tell whether the security groups allow it');
	const rules = evaluation.status === 'allow' || evaluation.status === 'partial' ? evaluation.allowing : evaluation.samePort;
	return {layer: {status: evaluation.status, summary: evaluation.summary, rules: rules.map(sgRef)}, evaluation};
}

function listenerText(listener: Listener): string {
	const address = listener.family === 'ipv6' && !listener.address.startsWith('[') ? `[${listener.address}]` : listener.address;
	const who = listener.process ? `${listener.process}${listener.pid !== null ? ` (pid ${listener.pid})` : ''}` : listener.pid !== null ? `pid ${listener.pid}` : 'a process';
	return `${who} on ${address}:${listener.port}`;
}

function sameAddress(a: string, b: string): boolean {
	try {
		const x = addressValue(a.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
		const y = addressValue(b);
		return x.family === y.family && x.value === y.value;
	} catch {
		return false;
	}
}

function hostLayer(ctx: Context, host: HostCapture | null): HostLayerResult {
	const {target, request, source} = ctx;
	const unknown = (why: string): HostLayerResult => {
		ctx.unknowns.push(why);
		return {status: 'unknown', summary: why, rules: [], listeners: [], reason: null};
	};
	const instanceId = target.instance?.id ?? target.eni.instanceId;
	if (request.protocol === 'icmp') {
		const summary = 'ICMP needs no listening socket: the operating system answers it.';
		ctx.notes.push(`a host firewall (iptables/nftables, Windows Firewall — which drops echo requests by default) is not visible in the evidence`);
		return {status: 'allow', summary, rules: [], listeners: [], reason: null};
	}
	const what = `${request.protocol} ${request.port}`;
	if (!instanceId) return unknown(`${target.eni.id} is not attached to an instance: cannot tell whether anything listens on ${what}`);
	if (!host) return unknown(`no listener capture for ${instanceId}: cannot tell whether anything listens on ${what} (save one as hosts/${instanceId}.txt)`);
	if (host.skipped.length > 0) ctx.notes.push(`the listener capture for ${instanceId} had ${host.skipped.length} line(s) that could not be read (first at line ${host.skipped[0]!.line})`);

	const onPort = host.listeners.filter((listener) => listener.protocol === request.protocol && listener.port === request.port);
	const eniAddresses = [...target.eni.privateIps, ...target.eni.ipv6Addresses];
	const windows = target.instance?.platform === 'windows';
	const reachable = onPort.filter((listener) => {
		if (listener.exposure === 'all-interfaces') {
			// Linux's `::` sockets are dual-stack by default; Windows lists IPv4 sockets separately.
			return listener.family === source.family || (source.family === 'ipv4' && listener.family === 'ipv6' && !windows);
		}
		return listener.exposure === 'specific' && eniAddresses.some((address) => sameAddress(listener.address, address));
	});
	if (reachable.length > 0) {
		return {status: 'allow', summary: `${listenerText(reachable[0]!)} accepts connections from outside.`, rules: [], listeners: onPort, reason: null};
	}
	const loopback = onPort.filter((listener) => listener.exposure === 'loopback');
	if (loopback.length > 0) {
		return {status: 'deny', summary: `Only ${listenerText(loopback[0]!)} listens on ${what}: it accepts local connections only.`, rules: [], listeners: onPort, reason: 'loopback-only'};
	}
	const otherFamily = onPort.filter((listener) => listener.exposure === 'all-interfaces');
	if (otherFamily.length > 0) {
		// Bound to every address, but of the other IP version (0.0.0.0 for an IPv6 client, or a
		// Windows [::] socket for an IPv4 one).
		const client = source.family === 'ipv6' ? 'IPv6' : 'IPv4';
		const only = otherFamily[0]!.family === 'ipv6' ? 'IPv6' : 'IPv4';
		return {status: 'deny', summary: `Only ${listenerText(otherFamily[0]!)} listens on ${what}: ${only} only, and the client connects over ${client}.`, rules: [], listeners: onPort, reason: 'not-listening'};
	}
	const elsewhere = onPort.filter((listener) => listener.exposure === 'specific');
	if (elsewhere.length > 0) {
		const mine = eniAddresses.join(', ') || 'its private address';
		return {status: 'deny', summary: `Only ${listenerText(elsewhere[0]!)} listens on ${what}, not on ${target.eni.id}'s address ${mine}.`, rules: [], listeners: onPort, reason: 'not-listening'};
	}
	const open = [...new Set(host.listeners.filter((l) => l.protocol === request.protocol && l.exposure !== 'loopback').map((l) => l.port))].sort((a, b) => a - b);
	const listening = open.length > 0 ? ` (${request.protocol} ports listening from outside: ${open.slice(0, 12).join(', ')}${open.length > 12 ? ', …' : ''})` : '';
	return {status: 'deny', summary: `Nothing listens on ${what} on ${instanceId}${listening}.`, rules: [], listeners: [], reason: 'not-listening'};
}

/** More CIDRs than this in a fix: allow the source as given instead of its denied pieces. */
const MAX_FIX_ENTRIES = 8;

function denyProblem(ctx: Context, layer: 'nacl-inbound' | 'nacl-return', evaluation: NaclEvaluation, acl: NetworkAcl): Problem {
	const {source, packet, request} = ctx;
	const egress = layer === 'nacl-return';
	const firstDeny = evaluation.denied.map((piece) => piece.rule).sort((a, b) => a.ruleNumber - b.ruleNumber)[0]!;
	const decidingRule: RuleRef = {kind: 'network-acl', ...firstDeny};
	// One entry per denied (port range, CIDR), each numbered in front of the deny.
	let wanted = evaluation.denied.flatMap((piece) => setToCidrs(piece.addresses).map((cidr) => ({ports: piece.ports, cidr})));
	if (source.wholeInternet || wanted.length > MAX_FIX_ENTRIES) {
		// The denied part of a wide source is its complement of a few allowed ranges: dozens of
		// CIDRs. Allowing the source itself in front of the deny has the same effect in one entry per
		// port range — no lower-numbered rule denies any of it, or that rule would be the deny here.
		const portRanges = [...new Map(evaluation.denied.map((piece) => [formatPortRange(piece.ports), piece.ports])).values()];
		wanted = portRanges.flatMap((ports) => setToCidrs(source.addresses).map((cidr) => ({ports, cidr})));
	}
	const shown = wanted.slice(0, MAX_FIX_ENTRIES);
	const numbers = freeRuleNumbers(acl, egress, firstDeny.ruleNumber, shown.length);
	const replyType = request.protocol === 'icmp' ? icmpReplyType(packet.port, source.family) ?? packet.port : packet.port;
	const commands = shown.slice(0, numbers.length).map((item, i) =>
		naclEntryCommand({aclId: acl.id, ruleNumber: numbers[i]!, egress, protocol: packet.protocol, ports: item.ports, icmpType: egress ? replyType : packet.port, cidr: item.cidr}),
	);
	const what = request.protocol === 'icmp' ? `ICMP type ${egress ? replyType : packet.port}` : egress ? `${protocolName(packet.protocol)} replies to ports ${evaluation.denied.map((piece) => formatPortRange(piece.ports)).filter((v, i, a) => a.indexOf(v) === i).join(', ')}` : describePacket(packet);
	const denied = describeSet(setFrom(wanted.map((item) => item.cidr)), 3);
	const deniedNow = describeSet(evaluation.denied.reduce((set, piece) => union(set, piece.addresses), emptySet()), 3);
	let summary: string;
	if (egress) {
		const partial = evaluation.status === 'partial';
		// Intermittent only when one client gets some of its ephemeral ports through and not others;
		// a split by address means some clients always fail and others always work.
		const allowedTo = evaluation.allowed.reduce((set, piece) => union(set, piece.addresses), emptySet());
		const byPort = evaluation.denied.some((piece) => !isEmpty(intersect(piece.addresses, allowedTo)));
		const consequence = byPort
			? `connections fail intermittently, depending on the client's random source port (${describeEphemeral(request.clientOs)})`
			: `replies to ${deniedNow} are dropped, so those clients cannot connect`;
		summary = partial
			? `${acl.id} lets only part of the reply out: ${evaluation.summary.replace(/\.$/, '')} — ${consequence}.`
			: `${acl.id} drops the reply: it is stateless, and ${decidingRule.text} stops ${what} to ${deniedNow}.`;
	} else {
		summary = evaluation.status === 'partial' ? `${acl.id} denies part of the source: ${evaluation.summary}` : `${decidingRule.text} denies ${what} from ${deniedNow}.`;
	}
	const direction = egress ? 'outbound' : 'inbound';
	const fix: Problem['fix'] = {
		summary:
			numbers.length === 0
				? `${acl.id} has no free rule number below ${ruleLabel(firstDeny.ruleNumber)} (${direction}): renumber its rules, then allow ${what} ${egress ? 'to' : 'from'} ${denied}.`
				: `Add ${direction} allow rule${commands.length > 1 ? 's' : ''} ${numbers.join(', ')} to ${acl.id} for ${what} ${egress ? 'to' : 'from'} ${denied}, in front of rule ${ruleLabel(firstDeny.ruleNumber)}.`,
	};
	if (commands.length > 0) fix.command = commands.join('\n');
	if (wanted.length > shown.length) fix.summary += ` (${wanted.length - shown.length} more ranges not shown)`;
	if (source.wholeInternet) fix.warning = `This ${direction} rule covers the whole internet because the source is "${source.description}"; name the real clients with --from to narrow it.`;
	if (source.groupId) fix.summary += ` NACLs cannot reference security groups: these are the current addresses of ${source.groupId}'s members.`;
	return {layer, summary, decidingRule, fix};
}

function sgProblem(ctx: Context, evaluation: SgEvaluation): Problem {
	const {inventory, target, source, packet, request} = ctx;
	const choice = chooseGroup(inventory, target.eni.groupIds, packet);
	const context = evaluation.samePort.length > 0 ? ` (${evaluation.samePort.slice(0, 2).map((rule) => rule.text).join('; ')})` : '';
	const what = describePacket(packet);
	const summary =
		evaluation.status === 'partial' || target.eni.groupIds.length === 0 ? evaluation.summary : `No rule of ${target.eni.groupIds.join(', ')} allows ${what} from ${source.description}${context}.`;
	const decidingRule = evaluation.samePort[0] ? sgRef(evaluation.samePort[0]) : null;
	if (!choice) return {layer: 'security-group', summary, decidingRule, fix: {summary: `${target.eni.id} carries no security group: attach one that allows ${what} from ${source.description}.`}};
	let allCidrs = source.groupId ? [] : setToCidrs(evaluation.denied);
	// Security groups are a union of allows: a rule for the whole source is the same as rules for
	// its denied part, and one rule instead of the dozens of CIDRs a complement takes.
	if (source.wholeInternet || allCidrs.length > MAX_FIX_ENTRIES) allCidrs = setToCidrs(source.addresses);
	const cidrs = allCidrs.slice(0, MAX_FIX_ENTRIES);
	const from = source.groupId ?? (cidrs.map((cidr) => cidr.replace(/\/(32|128)$/, '')).join(', ') || source.description);
	const command = sgIngressCommand({
		groupId: choice.groupId,
		protocol: packet.protocol,
		port: packet.port,
		cidrs,
		sourceGroupId: source.groupId,
		description: `sgtui: ${request.protocol} ${request.port} from ${source.groupId ?? from}`,
	});
	const fix: Problem['fix'] = {summary: `Allow ${what} from ${source.groupId ? `members of ${source.groupId}` : from} in ${choice.groupId}: ${choice.reason}.`, command};
	if (allCidrs.length > cidrs.length) fix.summary += ` (${allCidrs.length - cidrs.length} more ranges not shown: name a narrower --from)`;
	if (source.wholeInternet) fix.warning = `This opens ${what} to the whole internet because the source is "${source.description}". Prefer the clients' addresses (--from IP or CIDR).`;
	return {layer: 'security-group', summary, decidingRule, fix};
}

function hostProblem(ctx: Context, layer: HostLayerResult): Problem {
	const {target, request} = ctx;
	const address = target.eni.privateIps[0] ?? "the instance's private IP";
	if (layer.reason === 'loopback-only') {
		return {
			layer: 'host',
			summary: layer.summary,
			decidingRule: null,
			fix: {summary: `Bind the service to 0.0.0.0 (or the instance's private IP ${address}) instead of 127.0.0.1, then restart it. No security-group change is needed for this.`},
		};
	}
	if (layer.listeners.some((listener) => listener.exposure === 'all-interfaces')) {
		const bind = ctx.source.family === 'ipv6' ? `[::] (all IPv6 addresses${target.eni.ipv6Addresses[0] ? `, or ${target.eni.ipv6Addresses[0]}` : ''})` : `0.0.0.0 (or ${address})`;
		return {layer: 'host', summary: layer.summary, decidingRule: null, fix: {summary: `Make the service also listen on ${bind} so it accepts ${ctx.source.family === 'ipv6' ? 'IPv6' : 'IPv4'} connections.`}};
	}
	if (layer.listeners.length > 0) {
		return {layer: 'host', summary: layer.summary, decidingRule: null, fix: {summary: `Bind the service to 0.0.0.0 (or ${address}) so it accepts connections arriving at ${target.eni.id}.`}};
	}
	return {
		layer: 'host',
		summary: layer.summary,
		decidingRule: null,
		fix: {summary: `Start the service on ${request.protocol} ${request.port} (or check that clients use the right port). Until something listens, opening the port in a security group changes nothing.`},
	};
}

const VERDICT_BY_LAYER = {naclInbound: 'blocked-by-nacl-inbound', securityGroup: 'blocked-by-security-group', naclReturn: 'blocked-by-nacl-return'} as const;

function observe(input: CheckInput, ctx: Context): ObservedFlows {
	if (input.observed) return input.observed;
	if (input.flows) {
		const observer = createCheckFlowObserver(input.inventory, ctx.target, ctx.request);
		for (const record of input.flows) observer.add(record);
		return observer.result();
	}
	return unavailableFlows(flowLogCoverage(input.inventory, ctx.target.eni));
}

/** The flow log that records an ENI's traffic: its own, else its subnet's, else its VPC's. */
export function flowLogFor(inventory: Inventory, eni: NetworkInterface): FlowLogConfig | null {
	for (const resource of [eni.id, eni.subnetId, eni.vpcId]) {
		const log = inventory.flowLogs.find((candidate) => candidate.resourceId === resource);
		if (log) return log;
	}
	return null;
}

/** Why no records are shown: no flow log covers the ENI, or one does but its records were not given. */
export function flowLogCoverage(inventory: Inventory, eni: NetworkInterface): string {
	if (!inventory.known.flowLogs) return `flow log configuration was not captured; no flow records for ${eni.id} were given`;
	const log = flowLogFor(inventory, eni);
	if (!log) return `no flow log covers ${eni.id}, its subnet or its VPC: rejected traffic is not recorded anywhere`;
	const rejectsHidden = log.trafficType === 'ACCEPT' ? ' (it records ACCEPT only, so REJECTs would not show)' : '';
	return `flow log ${log.id} on ${log.resourceId} covers ${eni.id}${rejectsHidden}, but no records were given (save them as flowlogs/${eni.id}.log)`;
}

/** A flow observer set up for a check, for callers that stream records (e.g. a large .gz file). */
export function createCheckFlowObserver(inventory: Inventory, target: ResolvedTarget, request: CheckRequest) {
	const source = resolveSource(inventory, request);
	return createFlowObserver({
		eniId: target.eni.id,
		eniAddresses: [...target.eni.privateIps, ...target.eni.ipv6Addresses],
		protocol: checkProtocolNumber(request.protocol, source.family),
		port: request.port,
		source: source.addresses,
	});
}

export function check(input: CheckInput): CheckResult {
	const {inventory, request} = input;
	const target = resolveTarget(inventory, request.target);
	const source = resolveSource(inventory, request);
	const packet: Packet = {protocol: checkProtocolNumber(request.protocol, source.family), port: request.port, icmpCode: 0};
	const ctx: Context = {inventory, request, target, source, packet, unknowns: [], notes: []};
	if (source.groupId && isEmpty(source.addresses)) ctx.unknowns.push(`no network interface in the snapshot carries ${source.groupId}: its members' addresses are unknown`);
	if (request.protocol === 'icmp') ctx.notes.push(`ICMP is evaluated for type ${request.port}, code 0`);
	if (source.family === 'ipv6' && target.eni.ipv6Addresses.length === 0 && inventory.known.networkInterfaces) {
		ctx.notes.push(`${target.eni.id} has no IPv6 address, so IPv6 clients cannot reach it whatever the rules say: assign one (its subnet needs an IPv6 CIDR) or have clients use IPv4 ${target.eni.publicIp ?? target.eni.privateIps[0] ?? ''}`.trimEnd());
	}

	const naclIn = naclLayer(ctx, 'ingress');
	const sg = sgLayer(ctx);
	const host = hostLayer(ctx, input.host);
	const naclOut = naclLayer(ctx, 'egress');

	const problems: Problem[] = [];
	const stops = (status: string) => status === 'deny' || status === 'partial';
	if (stops(naclIn.layer.status) && naclIn.evaluation && naclIn.acl) problems.push(denyProblem(ctx, 'nacl-inbound', naclIn.evaluation, naclIn.acl));
	if (stops(sg.layer.status)) problems.push(sgProblem(ctx, sg.evaluation));
	if (stops(host.status)) problems.push(hostProblem(ctx, host));
	if (stops(naclOut.layer.status) && naclOut.evaluation && naclOut.acl) problems.push(denyProblem(ctx, 'nacl-return', naclOut.evaluation, naclOut.acl));

	// The verdict is the first layer known to stop the packet; a layer whose evidence is missing
	// does not hide a later layer that certainly stops it.
	let verdict: Verdict = 'reachable';
	const ordered: Array<[keyof typeof VERDICT_BY_LAYER | 'host', string]> = [
		['naclInbound', naclIn.layer.status],
		['securityGroup', sg.layer.status],
		['host', host.status],
		['naclReturn', naclOut.layer.status],
	];
	const stopper = ordered.find(([, status]) => stops(status));
	if (stopper) verdict = stopper[0] === 'host' ? host.reason! : VERDICT_BY_LAYER[stopper[0]];
	else if (ordered.some(([, status]) => status === 'unknown')) verdict = 'unknown';
	if (verdict === 'reachable') ctx.notes.push('reachable as far as AWS rules and the listener capture tell: a host firewall or the application itself can still refuse the connection');

	const eni = target.eni;
	const resultTarget: CheckTarget = {eniId: eni.id, instanceId: target.instance?.id ?? eni.instanceId, privateIp: eni.privateIps[0] ?? null, subnetId: eni.subnetId, vpcId: eni.vpcId || null, groupIds: eni.groupIds};
	return {
		verdict,
		target: resultTarget,
		request,
		sourceDescription: source.description,
		layers: {naclInbound: naclIn.layer, securityGroup: sg.layer, host, naclReturn: naclOut.layer},
		problems,
		unknowns: [...new Set(ctx.unknowns)],
		notes: ctx.notes,
		observed: observe(input, ctx),
	};
}

// The triage: can SOURCE reach TARGET on a port? The path is data (core/path): each layer is a
// module with one signature, evaluated on its own so `problems` lists every layer that needs
// fixing, while `verdict` names the first layer on the path that stops the packet. A layer whose
// evidence is missing does not hide a later layer that certainly stops it.
import type {CheckResult, CheckTarget, LayerResult, ObservedFlows, PathLayers, Problem} from './check-types.js';
import {isEmpty} from './cidr.js';
import {createFlowObserver, unavailableFlows} from './observed-flows.js';
import {PATH} from './path/index.js';
import type {PathContext, ResolvedTarget} from './path/layer.js';
import {publicSourceNote, resolveSource} from './path/source.js';
import {resolveTarget} from './path/target.js';
import {checkProtocolNumber} from './protocols.js';
import {describePacket, type Packet} from './sg-evaluator.js';
import type {CheckRequest, FlowLogConfig, FlowRecord, HostCapture, Inventory, Layer, NetworkInterface, Verdict} from './types.js';

export type * from './check-types.js';
export {resolveTarget} from './path/target.js';
export type {ResolvedTarget} from './path/layer.js';
export {PATH, LAYER_TITLES} from './path/index.js';

export interface CheckInput {
	inventory: Inventory;
	host: HostCapture | null;
	request: CheckRequest;
	/** Flow records to summarize (any ENI: others are ignored). */
	flows?: Iterable<FlowRecord> | null;
	/** Already-summarized flows (see createCheckFlowObserver), for callers that stream records. */
	observed?: ObservedFlows | null;
}

function observe(input: CheckInput, ctx: PathContext): ObservedFlows {
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
	const source = resolveSource(inventory, request, target.eni.vpcId);
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
	const source = resolveSource(inventory, request, target.eni.vpcId);
	const packet: Packet = {protocol: checkProtocolNumber(request.protocol, source.family), port: request.port, icmpCode: 0};
	const ctx: PathContext = {inventory, request, target, source, packet, host: input.host, unknowns: [], notes: []};
	if (source.groupId && isEmpty(source.addresses)) ctx.unknowns.push(`no network interface in the snapshot carries ${source.groupId}: its members' addresses are unknown`);
	const publicSource = publicSourceNote(inventory, request, source, target);
	if (publicSource) ctx.notes.push(publicSource);
	if (request.protocol === 'icmp') ctx.notes.push(`ICMP is evaluated for type ${request.port}, code 0`);
	// Each ENI has its own addresses and groups: a client using another ENI's address meets other rules.
	const others = target.instance && request.target.startsWith('i-') ? target.instance.networkInterfaceIds.filter((id) => id !== target.eni.id) : [];
	if (others.length > 0) ctx.notes.push(`${request.target} has ${others.length + 1} network interfaces; this checks its primary, ${target.eni.id}: for a client using an address of another, check ${others.join(', ')} instead`);
	if (source.family === 'ipv6' && target.eni.ipv6Addresses.length === 0 && inventory.known.networkInterfaces) {
		ctx.notes.push(`${target.eni.id} has no IPv6 address, so IPv6 clients cannot reach it whatever the rules say: assign one (its subnet needs an IPv6 CIDR) or have clients use IPv4 ${target.eni.publicIp ?? target.eni.privateIps[0] ?? ''}`.trimEnd());
	}

	const layers = {} as Record<Layer, LayerResult>;
	const problems: Problem[] = [];
	for (const layer of PATH) {
		const outcome = layer.evaluate(ctx);
		layers[layer.name] = outcome.result;
		if (outcome.problem) problems.push(outcome.problem);
	}
	warnClosedPort(problems, describePacket(packet));
	const verdict = verdictOf(layers as unknown as PathLayers, problems);
	if (verdict === 'reachable') ctx.notes.push('reachable as far as AWS rules and the listener capture tell: a host firewall or the application itself can still refuse the connection');

	const eni = target.eni;
	const resultTarget: CheckTarget = {eniId: eni.id, instanceId: target.instance?.id ?? eni.instanceId, privateIp: eni.privateIps[0] ?? null, subnetId: eni.subnetId, vpcId: eni.vpcId || null, groupIds: eni.groupIds};
	return {
		verdict,
		target: resultTarget,
		request,
		sourceDescription: source.description,
		layers: layers as unknown as PathLayers,
		problems,
		unknowns: [...new Set(ctx.unknowns)],
		notes: [...new Set(ctx.notes)],
		observed: observe(input, ctx),
	};
}

/**
 * When nothing on the host takes the connection, a fix that opens a network layer connects nothing
 * by itself and only widens exposure (the method's step 1: a port nobody listens on needs no rule).
 * The network fixes stay — the packet really is dropped there first — but say so.
 */
function warnClosedPort(problems: Problem[], what: string): void {
	const host = problems.find((problem) => problem.layer === 'host');
	if (!host || (host.verdict !== 'not-listening' && host.verdict !== 'loopback-only')) return;
	const why = host.verdict === 'not-listening'
		? `Nothing listens on ${what} on the host: this change alone connects nothing. Start the service first, and leave the port closed if it should stay so.`
		: `The service on ${what} listens on loopback only: this change alone connects nothing. Bind it to an outside address first.`;
	for (const problem of problems) {
		if (problem.layer === 'host') continue;
		problem.fix.warning = problem.fix.warning ? `${why} ${problem.fix.warning}` : why;
	}
}

/** The first layer on the path that stops (part of) the traffic names the verdict; else unknown if any layer is, else reachable. */
export function verdictOf(layers: PathLayers, problems: Problem[]): Verdict {
	for (const layer of PATH) {
		const status = layers[layer.name].status;
		if (status === 'deny' || status === 'partial') {
			const problem = problems.find((candidate) => candidate.layer === layer.name);
			if (problem) return problem.verdict;
		}
	}
	return PATH.some((layer) => layers[layer.name].status === 'unknown') ? 'unknown' : 'reachable';
}

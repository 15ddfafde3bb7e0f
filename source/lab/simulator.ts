// Traffic simulator: every client seen in the snapshot's flow records (distinct ENI, source,
// destination, port, protocol arriving at the ENI) keeps retrying. Each attempt is decided by the
// engine's evaluators against the lab's CURRENT rules — security groups, then the subnet's network
// ACL inbound and on the return path — and logged the way VPC Flow Logs would: a blocked client
// produces REJECTs, an allowed one ACCEPTs, so authorizing a rule in the lab visibly stops the
// rejects. A reply dropped by a stateless ACL shows as an inbound ACCEPT plus an outbound REJECT.
import {setFromAddress} from '../core/cidr.js';
import {parseLogFormat, DEFAULT_FLOW_FORMAT} from '../core/flow-format.js';
import {createFlowLineParser} from '../core/flow-parser.js';
import {evaluateNacl, findNetworkAcl} from '../core/nacl-evaluator.js';
import {evaluateSecurityGroups} from '../core/sg-evaluator.js';
import type {Inventory} from '../core/types.js';
import type {Clock} from './clock.js';
import {coveringFlowLog, eniFacts, labInventory, type LabState} from './snapshot-state.js';

export interface SimulatedClient {
	eniId: string;
	srcAddr: string;
	dstAddr: string;
	dstPort: number;
	protocol: number;
	/** The record the client was derived from: the template for the fields we don't simulate. */
	template: Record<string, string>;
}

export interface Decision {
	action: 'ACCEPT' | 'REJECT';
	/** The reply was dropped by the subnet's network ACL (outbound). */
	returnDropped: boolean;
}

type Doc = Record<string, any>;

/** Clients from the flow records already in the lab (inbound traffic only: dstaddr is the ENI's). */
export function deriveClients(state: LabState): SimulatedClient[] {
	const enis = eniFacts(state);
	const clients = new Map<string, SimulatedClient>();
	for (const [eniId, eni] of enis) {
		const flowLog = coveringFlowLog(state, eni);
		if (!flowLog) continue;
		const stream = state.logs.groups.get(flowLog.LogGroupName)?.streams.get(eniId);
		if (!stream) continue;
		const format = flowLog.LogFormat ?? DEFAULT_FLOW_FORMAT;
		const fields = parseLogFormat(format);
		const parse = createFlowLineParser(fields);
		for (const event of stream.events) {
			const record = parse(event.message);
			if (!record || (record.logStatus !== 'OK' && record.logStatus !== undefined)) continue;
			const {srcAddr, dstAddr, srcPort, dstPort, protocol} = record;
			if (!srcAddr || !dstAddr || typeof dstPort !== 'number' || typeof protocol !== 'number') continue;
			if (eni.privateIps.length > 0 && !eni.privateIps.includes(dstAddr)) continue;
			// A reply to a connection the ENI opened comes from a service port to an ephemeral one;
			// replies are stateful traffic, not clients the rules decide on.
			if (typeof srcPort === 'number' && srcPort < dstPort && dstPort >= 1024) continue;
			const key = [eniId, srcAddr, dstAddr, dstPort, protocol].join(' ');
			if (clients.has(key)) continue;
			const values = event.message.trim().split(/\s+/);
			const template = Object.fromEntries(fields.map((field, i) => [field.name, values[i]!]));
			clients.set(key, {eniId, srcAddr, dstAddr, dstPort, protocol, template});
		}
	}
	return [...clients.values()];
}

/** What AWS would do with the client's next attempt, under the current rules. */
export function decide(inventory: Inventory, client: SimulatedClient, clientPort: number): Decision {
	const eni = inventory.networkInterfaces.find((candidate) => candidate.id === client.eniId);
	if (!eni) return {action: 'REJECT', returnDropped: false};
	const source = setFromAddress(client.srcAddr);
	const packet = {protocol: client.protocol, port: client.dstPort};
	const sg = evaluateSecurityGroups({inventory, groupIds: eni.groupIds, packet, source: {addresses: source}});
	const found = findNetworkAcl(inventory, eni.subnetId, eni.vpcId);
	if (found) {
		const inbound = evaluateNacl({acl: found.acl, direction: 'ingress', protocol: client.protocol, ports: {from: client.dstPort, to: client.dstPort}, addresses: source});
		if (inbound.status !== 'allow') return {action: 'REJECT', returnDropped: false};
	}
	if (sg.status !== 'allow') return {action: 'REJECT', returnDropped: false};
	if (found && (client.protocol === 6 || client.protocol === 17)) {
		const reply = evaluateNacl({acl: found.acl, direction: 'egress', protocol: client.protocol, ports: {from: clientPort, to: clientPort}, addresses: source});
		if (reply.status !== 'allow') return {action: 'ACCEPT', returnDropped: true};
	}
	return {action: 'ACCEPT', returnDropped: false};
}

/** Hands a batch of one ENI's records to the log store (at once, or through the delivery queue). */
export type Deliver = (group: string, stream: string, items: Array<{timestamp: number; message: string}>, intervalSeconds: number) => void;

export interface Simulator {
	clients: SimulatedClient[];
	/** Generates `attempts` client attempts now (tests call this instead of waiting for the timer). */
	step(attempts?: number): void;
	/** Attempts generated so far (by step() and the timer). */
	readonly attempts: number;
	stop(): void;
}

export function startSimulator(state: LabState, options: {ratePerSecond: number; clock: Clock; timers: boolean; deliver?: Deliver; random?: () => number}): Simulator {
	const clients = deriveClients(state);
	let next = 0;
	let generated = 0;
	const random = options.random ?? Math.random;
	const randomInt = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
	const deliver: Deliver = options.deliver ?? ((group, stream, items) => void state.logs.append(group, stream, items));

	const emit = (client: SimulatedClient, decision: Decision, clientPort: number, nowSeconds: number) => {
		const eni = eniFacts(state).get(client.eniId);
		const flowLog: Doc | null = eni ? coveringFlowLog(state, eni) : null;
		if (!flowLog) return;
		const fields = parseLogFormat(flowLog.LogFormat ?? DEFAULT_FLOW_FORMAT);
		const lines: Array<{timestamp: number; message: string}> = [];
		const record = (overrides: Record<string, string>, action: string) => {
			const traffic = flowLog.TrafficType ?? 'ALL';
			if (traffic !== 'ALL' && traffic !== action) return;
			const packets = action === 'REJECT' ? randomInt(1, 3) : randomInt(4, 40);
			const start = nowSeconds - randomInt(1, 5);
			const values: Record<string, string> = {
				...client.template,
				packets: String(packets),
				bytes: String(packets * randomInt(40, 120)),
				start: String(start),
				end: String(nowSeconds),
				action,
				'log-status': 'OK',
				...overrides,
			};
			lines.push({timestamp: start * 1000, message: fields.map((field) => values[field.name] ?? '-').join(' ')});
		};
		record({srcport: String(clientPort), 'flow-direction': 'ingress'}, decision.action);
		if (decision.returnDropped) {
			record({srcaddr: client.dstAddr, dstaddr: client.srcAddr, srcport: String(client.dstPort), dstport: String(clientPort), 'flow-direction': 'egress', 'pkt-srcaddr': client.dstAddr, 'pkt-dstaddr': client.srcAddr}, 'REJECT');
		}
		if (lines.length === 0) return;
		deliver(flowLog.LogGroupName, client.eniId, lines, Number(flowLog.MaxAggregationInterval ?? 600));
	};

	const step = (attempts = 1) => {
		if (clients.length === 0) return;
		const inventory = labInventory(state);
		const nowSeconds = Math.floor(options.clock.now() / 1000);
		for (let i = 0; i < attempts; i++) {
			const client = clients[next++ % clients.length]!;
			const clientPort = randomInt(32768, 60999);
			emit(client, decide(inventory, client, clientPort), clientPort, nowSeconds);
			generated++;
		}
	};

	let cancel: (() => void) | null = null;
	if (options.timers && options.ratePerSecond > 0 && clients.length > 0) {
		// Ticks at most 10 times a second; higher rates emit several attempts per tick.
		const tickMs = Math.max(100, 1000 / options.ratePerSecond);
		let owed = 0;
		cancel = options.clock.every(tickMs, () => {
			owed += (options.ratePerSecond * tickMs) / 1000;
			const due = Math.floor(owed);
			owed -= due;
			step(due);
		});
	}
	return {
		clients,
		step,
		get attempts() {
			return generated;
		},
		stop() {
			cancel?.();
		},
	};
}

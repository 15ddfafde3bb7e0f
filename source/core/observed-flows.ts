// What the flow logs saw for one check: REJECTs from the source to the port, ACCEPTs, and
// REJECTed replies (inbound ACCEPT + outbound REJECT of the reply = a stateless NACL dropping the
// return traffic; flow logs never say whether an SG or a NACL rejected). Fed one record at a time
// so a caller can stream a large file through it in constant memory.
import {describeSet, setFrom, setHas, type AddressSet} from './cidr.js';
import type {FlowTally, ObservedFlows} from './check-types.js';
import {isIcmp, protocolName} from './protocols.js';
import type {FlowRecord} from './types.js';

export interface FlowObserverSpec {
	eniId: string;
	/** The ENI's private addresses (flow logs record the private address even for public traffic). */
	eniAddresses: string[];
	protocol: number;
	port: number;
	source: AddressSet;
}

export interface FlowObserver {
	add(record: FlowRecord): void;
	result(): ObservedFlows;
}

const MAX_CACHED_ADDRESSES = 50_000;

function emptyTally(): FlowTally {
	return {count: 0, packets: 0, first: null, last: null};
}

function tally(into: FlowTally, record: FlowRecord): void {
	into.count++;
	into.packets += typeof record.packets === 'number' ? record.packets : 0;
	if (typeof record.start === 'number' && (into.first === null || record.start < into.first)) into.first = record.start;
	if (typeof record.end === 'number' && (into.last === null || record.end > into.last)) into.last = record.end;
}

/** Flow logs repeat the same few addresses: remember membership instead of re-parsing each one. */
function memberTest(set: AddressSet): (address: string) => boolean {
	const cache = new Map<string, boolean>();
	return (address) => {
		let known = cache.get(address);
		if (known === undefined) {
			known = setHas(set, address);
			if (cache.size < MAX_CACHED_ADDRESSES) cache.set(address, known);
		}
		return known;
	};
}

function top(counts: Map<string, number>): Array<{address: string; count: number}> {
	return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5).map(([address, count]) => ({address, count}));
}

export function formatEpoch(seconds: number | null): string {
	return seconds === null ? '?' : new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

export function createFlowObserver(spec: FlowObserverSpec): FlowObserver {
	const eniSet = setFrom(spec.eniAddresses);
	const icmp = isIcmp(spec.protocol);
	const isSource = memberTest(spec.source);
	const isEni = memberTest(eniSet);
	let records = 0;
	const rejects = {...emptyTally(), bySource: new Map<string, number>()};
	let rejectsFromOthers = 0;
	const others = new Map<string, number>();
	const accepts = emptyTally();
	const returnRejects = {...emptyTally(), clients: new Set<string>()};

	return {
		add(record) {
			if (record.logStatus && record.logStatus !== 'OK') return;
			if (record.interfaceId && record.interfaceId !== spec.eniId) return;
			if (record.protocol !== spec.protocol || !record.srcAddr || !record.dstAddr) return;
			records++;
			// ICMP records carry port 0: match on the protocol alone.
			const inbound = isEni(record.dstAddr) && (icmp || record.dstPort === spec.port);
			if (inbound) {
				const fromSource = isSource(record.srcAddr);
				if (record.action === 'REJECT') {
					if (fromSource) {
						tally(rejects, record);
						rejects.bySource.set(record.srcAddr, (rejects.bySource.get(record.srcAddr) ?? 0) + 1);
					} else {
						rejectsFromOthers++;
						// Bounded: a scan from many addresses must not grow memory without limit.
						if (others.has(record.srcAddr) || others.size < MAX_CACHED_ADDRESSES) others.set(record.srcAddr, (others.get(record.srcAddr) ?? 0) + 1);
					}
				} else if (record.action === 'ACCEPT' && fromSource) {
					tally(accepts, record);
				}
				return;
			}
			const reply = isEni(record.srcAddr) && (icmp || record.srcPort === spec.port);
			if (reply && record.action === 'REJECT' && isSource(record.dstAddr)) {
				tally(returnRejects, record);
				if (returnRejects.clients.size < 20) returnRejects.clients.add(record.dstAddr);
			}
		},
		result() {
			const sources = top(rejects.bySource);
			const observed: ObservedFlows = {
				available: true,
				note: null,
				records,
				rejects: {count: rejects.count, packets: rejects.packets, first: rejects.first, last: rejects.last, sources},
				rejectsFromOthers,
				otherSources: top(others),
				accepts,
				returnRejects: {count: returnRejects.count, packets: returnRejects.packets, first: returnRejects.first, last: returnRejects.last, clients: [...returnRejects.clients]},
				findings: [],
			};
			observed.findings = readFindings(observed, spec);
			return observed;
		},
	};
}

function readFindings(observed: ObservedFlows, spec: FlowObserverSpec): string[] {
	const what = isIcmp(spec.protocol) ? protocolName(spec.protocol) : `${protocolName(spec.protocol)}/${spec.port}`;
	const from = describeSet(spec.source, 2);
	const span = (t: FlowTally) => `${formatEpoch(t.first)} – ${formatEpoch(t.last)}`;
	const findings: string[] = [];
	if (observed.rejects.count > 0) {
		findings.push(`${observed.rejects.count} inbound REJECT record(s) for ${what} from ${from} (${span(observed.rejects)}): the packets reach the ENI and a security group or the NACL drops them (flow logs do not say which).`);
	}
	if (observed.accepts.count > 0 && observed.returnRejects.count > 0) {
		findings.push(`Inbound ${what} from ${from} was ACCEPTed, but ${observed.returnRejects.count} reply record(s) from port ${spec.port} were REJECTed outbound (${span(observed.returnRejects)}): the NACL drops the return traffic.`);
	} else if (observed.returnRejects.count > 0) {
		findings.push(`${observed.returnRejects.count} reply record(s) from port ${spec.port} to ${from} were REJECTed outbound: the NACL return path drops them.`);
	} else if (observed.accepts.count > 0) {
		findings.push(`${observed.accepts.count} inbound ACCEPT record(s) for ${what} from ${from} (${span(observed.accepts)}).`);
	}
	if (observed.rejectsFromOthers > 0) {
		const who = observed.otherSources.map((source) => `${source.address} ×${source.count}`).join(', ');
		findings.push(`${observed.rejectsFromOthers} REJECT record(s) for ${what} from other addresses (${who}${observed.otherSources.length < observed.rejectsFromOthers && observed.otherSources.length === 5 ? ', …' : ''}).`);
	}
	if (findings.length === 0) {
		findings.push(`No records for ${what} from ${from}. Flow logs arrive minutes late (up to 10 min aggregation plus delivery): no REJECT yet does not mean allowed.`);
	}
	return findings;
}

/** An ObservedFlows that says why there is nothing to show. */
export function unavailableFlows(note: string): ObservedFlows {
	return {
		available: false,
		note,
		records: 0,
		rejects: {...emptyTally(), sources: []},
		rejectsFromOthers: 0,
		otherSources: [],
		accepts: emptyTally(),
		returnRejects: {...emptyTally(), clients: []},
		findings: [],
	};
}

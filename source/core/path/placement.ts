// Where the client sits relative to the target: in the target's own subnet (NACLs are not
// evaluated), in another subnet of the VPC, or beyond the VPC (the route table decides).
//
// The inventory has no subnet CIDRs (no DescribeSubnets), so an address that is not a known ENI
// is placed only where that is certain:
// - the VPC's CIDRs are the destinations of its `local` routes (every route table of a VPC holds
//   one local route per VPC CIDR — VPC User Guide, "Route tables: Local route");
// - a subnet has exactly one IPv4 (and at most one IPv6) CIDR block, and every private address of
//   every ENI in it lies inside that block. CIDR blocks are nested or disjoint, so the smallest
//   block covering a subnet's known ENI addresses lies inside the subnet's own block: an address
//   in that covering block is certainly in that subnet.
// Anything else inside the VPC is "somewhere in the VPC, subnet unknown", and the layers say so
// rather than guess.
import {addressValue, describeSet, emptySet, intersect, isEmpty, setFrom, setFromCidr, subtract, union, type AddressSet} from '../cidr.js';
import type {Inventory, NetworkInterface} from '../types.js';
import type {PathContext} from './layer.js';

/** The VPC's CIDRs from its local routes; null when no route table of the VPC is known. */
const PRIVATE_IPV4 = setFrom(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10']);

export function vpcCidrs(inventory: Inventory, vpcId: string): AddressSet | null {
	if (!inventory.known.routeTables || !vpcId) return null;
	const tables = inventory.routeTables.filter((table) => table.vpcId === vpcId);
	if (tables.length === 0) return null;
	let set = emptySet();
	for (const table of tables) {
		for (const route of table.routes) {
			if (route.target.kind === 'local' && route.destination.kind !== 'prefix-list') set = union(set, setFromCidr(route.destination.cidr));
		}
	}
	return isEmpty(set) ? null : set;
}

function coveringBlock(values: bigint[], _bits: number): {first: bigint; last: bigint} | null {
	if (values.length === 0) return null;
	let min = values[0]!;
	let max = values[0]!;
	for (const value of values) {
		if (value < min) min = value;
		if (value > max) max = value;
	}
	const hostBits = BigInt((min ^ max).toString(2).length - (min === max ? 1 : 0));
	const first = (min >> hostBits) << hostBits;
	return {first, last: first + (1n << hostBits) - 1n};
}

/** The smallest CIDR blocks (one per family) that hold every known ENI address of the subnet. */
export function subnetCover(inventory: Inventory, subnetId: string): AddressSet {
	const enis = inventory.networkInterfaces.filter((eni) => eni.subnetId === subnetId);
	const set = emptySet();
	for (const [family, bits, list] of [
		['ipv4', 32, enis.flatMap((eni) => eni.privateIps)],
		['ipv6', 128, enis.flatMap((eni) => eni.ipv6Addresses)],
	] as const) {
		const values: bigint[] = [];
		for (const address of list) {
			try {
				const parsed = addressValue(address);
				if (parsed.family === family) values.push(parsed.value);
			} catch {
				// An unparseable address says nothing about the subnet.
			}
		}
		const block = coveringBlock(values, bits);
		if (block) set[family] = [block];
	}
	return set;
}

export function eniAddresses(eni: NetworkInterface): AddressSet {
	const list: string[] = [];
	for (const address of [...eni.privateIps, ...eni.ipv6Addresses]) {
		try {
			addressValue(address);
			list.push(address);
		} catch {
			// skip
		}
	}
	return setFrom(list);
}

/** The source split by where it sits relative to the target's subnet. */
export interface SourcePlacement {
	/** Certainly in the target's own subnet: its NACL is not evaluated for them. */
	sameSubnet: AddressSet;
	/** Possibly in the target's subnet, possibly not (inside the VPC, subnet unknown). */
	uncertain: AddressSet;
	/** Certainly another subnet (or outside the VPC): the target's NACL applies. */
	elsewhere: AddressSet;
	/** The VPC's CIDRs, null when unknown. */
	vpc: AddressSet | null;
}

const placements = new WeakMap<PathContext, SourcePlacement>();

/** Where the source sits (computed once per check: both target NACL layers ask). */
export function placeSource(ctx: PathContext): SourcePlacement {
	const known = placements.get(ctx);
	if (known) return known;
	const placement = computePlacement(ctx);
	placements.set(ctx, placement);
	return placement;
}

function computePlacement(ctx: PathContext): SourcePlacement {
	const {inventory, target, source} = ctx;
	const subnetId = target.eni.subnetId;
	const vpc = vpcCidrs(inventory, target.eni.vpcId);
	let same = emptySet();
	let elsewhere = emptySet();
	// Client ENIs are placed exactly. A client in another VPC is in another subnet.
	for (const client of source.clients) {
		const addresses = intersect(eniAddresses(client), source.addresses);
		if (client.subnetId === subnetId && client.vpcId === target.eni.vpcId) same = union(same, addresses);
		else elsewhere = union(elsewhere, addresses);
	}
	let rest = subtract(subtract(source.addresses, same), elsewhere);
	if (vpc) {
		elsewhere = union(elsewhere, subtract(rest, vpc));
		rest = intersect(rest, vpc);
	} else {
		// Without route tables (an older snapshot) the VPC's CIDRs are unknown. VPCs are almost
		// always carved from the private IPv4 ranges; a public IPv4 client is taken as outside the
		// VPC — and said. IPv6 VPC blocks are global addresses, so IPv6 stays uncertain.
		const outside = subtract({ipv4: rest.ipv4, ipv6: []}, PRIVATE_IPV4);
		if (!isEmpty(outside)) {
			ctx.notes.push(`route tables were not captured, so ${target.eni.vpcId || "the VPC"}'s CIDRs are unknown: ${describeSet(outside, 2)} is taken as outside it because it is not a private (RFC 1918 / RFC 6598) address`);
			elsewhere = union(elsewhere, outside);
			rest = subtract(rest, outside);
		}
	}
	if (isEmpty(rest)) return {sameSubnet: same, uncertain: rest, elsewhere, vpc};
	const mine = intersect(rest, subnetCover(inventory, subnetId));
	same = union(same, mine);
	rest = subtract(rest, mine);
	const otherSubnets = new Set(inventory.networkInterfaces.filter((eni) => eni.vpcId === target.eni.vpcId && eni.subnetId !== subnetId).map((eni) => eni.subnetId));
	for (const other of otherSubnets) {
		if (isEmpty(rest)) break;
		const theirs = intersect(rest, subnetCover(inventory, other));
		elsewhere = union(elsewhere, theirs);
		rest = subtract(rest, theirs);
	}
	return {sameSubnet: same, uncertain: rest, elsewhere, vpc};
}

/** The subnet of the VPC an address certainly sits in, by the covering-block rule; null if unknown. */
export function subnetOfAddress(inventory: Inventory, vpcId: string, addresses: AddressSet): string | null {
	const subnets = new Set(inventory.networkInterfaces.filter((eni) => eni.vpcId === vpcId).map((eni) => eni.subnetId));
	for (const subnet of subnets) {
		if (isEmpty(subtract(addresses, subnetCover(inventory, subnet)))) return subnet;
	}
	return null;
}

// Layer 3: the route between a client outside the VPC and the target's subnet. The subnet's route
// table (its explicit association, else the VPC's main table — VPC User Guide, "Subnet route
// tables") is searched for the client's address with longest-prefix match over CIDR and prefix
// list destinations ("we use the most specific route that matches the traffic"; a CIDR route
// wins over a prefix-list route of the same length — "Route priority"). The reply to the client
// leaves by that same route, so it decides both ways.
// - an internet gateway attached to the VPC carries it if the ENI has a public IPv4 (IPv4 client)
//   or an IPv6 address (IPv6 client): an IGW translates only for addresses that have one
//   ("Enable internet access for a VPC using an internet gateway"); else no-public-address;
// - a NAT gateway or an egress-only IGW never carries connections initiated from outside; a
//   blackhole route (its target deleted) drops; no matching route drops: no-route;
// - a gateway VPC endpoint (S3, DynamoDB: target vpce-…, destination the service's AWS-managed
//   prefix list) carries only traffic from the VPC to that service ("Gateway endpoints",
//   https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html: the route's
//   destination is the service's prefix list and its target the endpoint). It never carries a
//   connection started from outside: a client whose address falls in the list would get its reply
//   sent to the service, so it is no-route; every other address simply does not match the route;
// - peering, transit gateway, VPN gateway, an instance or ENI (appliance), a Gateway Load
//   Balancer endpoint (vpce-… for a CIDR): allowed here, the far side is out of sight.
// Clients inside the VPC use the `local` route.
import {describeSet, emptySet, intersect, isEmpty, parseCidrRange, setFromCidr, setToCidrs, subtract, union, type AddressSet} from '../cidr.js';
import type {Problem, RouteLayerResult, RuleRef} from '../check-types.js';
import type {AddressFamily, Route, RouteTable, Verdict} from '../types.js';
import type {PathContext, PathLayer} from './layer.js';
import {MAX_FIX_ENTRIES, mergeProblems} from './nacl-step.js';
import {clientLegProblem, clientLegs, describeLegs, peerClientAddresses, peerReturnFix} from './peer-route.js';
import {eniAddresses, vpcCidrs} from './placement.js';
import {shellCommand} from '../shell-quote.js';

/** The route table serving a subnet: its explicit association, else the VPC's main table. */
export function routeTableFor(ctx: Pick<PathContext, 'inventory'>, subnetId: string, vpcId: string): {table: RouteTable; how: 'associated' | 'main'} | null {
	const tables = ctx.inventory.routeTables;
	const associated = tables.find((table) => table.subnetIds.includes(subnetId));
	if (associated) return {table: associated, how: 'associated'};
	const main = tables.find((table) => table.main && table.vpcId === vpcId);
	return main ? {table: main, how: 'main'} : null;
}

export function describeDestination(route: Route): string {
	return route.destination.kind === 'prefix-list' ? route.destination.prefixListId : route.destination.cidr;
}

/**
 * A route to a gateway VPC endpoint: a vpce-… target for a prefix-list destination. (A Gateway
 * Load Balancer endpoint is also vpce-…, but is routed CIDRs to inspect traffic.)
 */
export function isGatewayEndpointRoute(route: Route): boolean {
	return route.target.kind === 'other' && route.target.id.startsWith('vpce-') && route.destination.kind === 'prefix-list';
}

export function describeRouteTarget(route: Route): string {
	return route.target.kind === 'local' ? 'local' : route.target.id;
}

export function routeRef(table: RouteTable, route: Route): RuleRef {
	const destination = describeDestination(route);
	const target = describeRouteTarget(route);
	return {kind: 'route', routeTableId: table.id, destination, target, state: route.state, text: `${table.id}: ${destination} → ${target}${route.state === 'active' ? '' : ` (${route.state})`}`};
}

export interface RoutePiece {
	addresses: AddressSet;
	route: Route | null;
}

/**
 * Longest-prefix match of a set of addresses against a table: the set cut into pieces, each with
 * its best route (null: none matches). A string when a prefix list the match depends on was not
 * captured.
 */
export function matchRoutes(ctx: Pick<PathContext, 'inventory'>, table: RouteTable, addresses: AddressSet, options: {skipUncapturedEndpointLists?: boolean} = {}): RoutePiece[] | string {
	const candidates: Array<{route: Route; set: AddressSet; prefix: number; viaList: boolean; family: AddressFamily}> = [];
	for (const route of table.routes) {
		const destination = route.destination;
		if (destination.kind !== 'prefix-list') {
			const prefix = Number(destination.cidr.split('/')[1]);
			try {
				candidates.push({route, set: setFromCidr(destination.cidr), prefix, viaList: false, family: destination.kind === 'cidr4' ? 'ipv4' : 'ipv6'});
			} catch {
				// A destination that is not a CIDR matches nothing.
			}
			continue;
		}
		const list = ctx.inventory.prefixLists.find((candidate) => candidate.id === destination.prefixListId);
		if (!list || list.cidrs === null) {
			if (options.skipUncapturedEndpointLists && isGatewayEndpointRoute(route)) continue;
			const family = list ? (list.addressFamily === 'IPv6' ? 'ipv6' : 'ipv4') : null;
			if (family === null || !isEmpty({...emptySet(), [family]: addresses[family]})) {
				return `the route to prefix list ${destination.prefixListId} in ${table.id} may match, but the list's entries were not captured`;
			}
			continue;
		}
		for (const cidr of list.cidrs) {
			try {
				const set = setFromCidr(cidr);
				candidates.push({route, set, prefix: Number(cidr.split('/')[1]), viaList: true, family: set.ipv4.length ? 'ipv4' : 'ipv6'});
			} catch {
				// skip an entry that is not a CIDR
			}
		}
	}
	candidates.sort((a, b) => b.prefix - a.prefix || Number(a.viaList) - Number(b.viaList));
	let remaining = addresses;
	const pieces: RoutePiece[] = [];
	for (const candidate of candidates) {
		if (isEmpty(remaining)) break;
		const hit = intersect(remaining, candidate.set);
		if (isEmpty(hit)) continue;
		const same = pieces.find((piece) => piece.route === candidate.route);
		if (same) same.addresses = union(same.addresses, hit);
		else pieces.push({addresses: hit, route: candidate.route});
		remaining = subtract(remaining, hit);
	}
	if (!isEmpty(remaining)) pieces.push({addresses: remaining, route: null});
	return pieces;
}

type Outcome = {kind: 'allow'; note?: string} | {kind: 'deny'; verdict: 'no-route' | 'no-public-address'; why: string};

function judge(ctx: PathContext, piece: RoutePiece, family: AddressFamily, peerClient = false): Outcome {
	const {inventory, target} = ctx;
	const eni = target.eni;
	const route = piece.route;
	if (!route) return {kind: 'deny', verdict: 'no-route', why: 'no route matches it'};
	const where = `${describeDestination(route)} → ${describeRouteTarget(route)}`;
	if (route.state === 'blackhole') return {kind: 'deny', verdict: 'no-route', why: `its best route ${where} is a blackhole (the target is gone), so it is dropped`};
	if (route.state !== 'active') return {kind: 'deny', verdict: 'no-route', why: `its best route ${where} is ${route.state}, not active, so it does not carry`};
	// A client ENI of another VPC talks to the target's private address from its own private IPv4
	// address: that traffic comes over peering, a transit gateway or a VPN, never through a gateway
	// to the internet (which would carry it from the client's public address instead).
	if (peerClient && family === 'ipv4' && ['internet-gateway', 'nat-gateway', 'egress-only-internet-gateway'].includes(route.target.kind)) {
		return {kind: 'deny', verdict: 'no-route', why: `its best route ${where} leads to the internet, but the client is an interface of another VPC sending from its private address, which only a peering connection, a transit gateway or a VPN carries`};
	}
	switch (route.target.kind) {
		case 'local':
			return {kind: 'allow'};
		case 'internet-gateway': {
			const igw = route.target.id;
			if (inventory.known.internetGateways) {
				const gateway = inventory.internetGateways.find((candidate) => candidate.id === igw);
				if (gateway && !gateway.attachedVpcIds.includes(eni.vpcId)) return {kind: 'deny', verdict: 'no-route', why: `its best route ${where} names an internet gateway not attached to ${eni.vpcId}`};
			}
			if (family === 'ipv4' && !eni.publicIp) {
				return {kind: 'deny', verdict: 'no-public-address', why: `its best route ${where} leads to the internet, but ${eni.id} has no public IPv4 or Elastic IP, so the gateway has nothing to translate to it`};
			}
			if (family === 'ipv6' && eni.ipv6Addresses.length === 0) {
				return {kind: 'deny', verdict: 'no-public-address', why: `its best route ${where} leads to the internet, but ${eni.id} has no IPv6 address`};
			}
			return {kind: 'allow'};
		}
		case 'nat-gateway':
			return {kind: 'deny', verdict: 'no-route', why: `its best route ${where} is a NAT gateway, which carries only connections started from inside the VPC`};
		case 'egress-only-internet-gateway':
			return {kind: 'deny', verdict: 'no-route', why: `its best route ${where} is an egress-only internet gateway, which admits no connection started from outside`};
		case 'other':
			if (isGatewayEndpointRoute(route)) {
				return {kind: 'deny', verdict: 'no-route', why: `its best route ${where} is a gateway VPC endpoint, which carries only traffic from the VPC to its AWS service (S3 or DynamoDB): the reply would go to the service, not to the client`};
			}
			return outOfSight(piece, where, route);
		default:
			return outOfSight(piece, where, route);
	}
}

function outOfSight(piece: RoutePiece, where: string, route: Route): Outcome {
	return {kind: 'allow', note: `traffic from ${describeSet(piece.addresses, 2)} comes and goes through ${where} (${route.target.kind.replace(/-/g, ' ')}): whatever filters it on the far side is out of sight`};
}

function attachedGateway(ctx: PathContext): string | null {
	const vpcId = ctx.target.eni.vpcId;
	const known = ctx.inventory.internetGateways.find((igw) => igw.attachedVpcIds.includes(vpcId));
	if (known) return known.id;
	for (const table of ctx.inventory.routeTables.filter((candidate) => candidate.vpcId === vpcId)) {
		const route = table.routes.find((candidate) => candidate.target.kind === 'internet-gateway' && candidate.state === 'active');
		if (route) return (route.target as {id: string}).id;
	}
	return null;
}

function eipCommand(eniId: string): string {
	// The command substitution is sgtui's own text; the ENI id is quoted like every value.
	return `${shellCommand(['aws', 'ec2', 'associate-address', '--network-interface-id', eniId])} --allocation-id "$(aws ec2 allocate-address --domain vpc --query AllocationId --output text)"`;
}

function normalCidr(cidr: string): string {
	try {
		return setToCidrs(setFromCidr(cidr))[0] ?? cidr;
	} catch {
		return cidr;
	}
}

/**
 * The CIDRs a fix routes to the gateway so that each one really wins: longest prefix match means
 * a new route loses wherever a more specific route (or prefix-list entry) overlaps it, so a block
 * that holds a more specific destination is split until none does. (A denied range merged into
 * one /28 over a /30 blackhole would otherwise still be dropped at the /30.) A block equal to an
 * existing CIDR route is kept: replace-route takes that one over.
 */
function overridingCidrs(ctx: Pick<PathContext, 'inventory'>, table: RouteTable, denied: AddressSet): string[] {
	const blocks: Array<{set: AddressSet; prefix: number}> = [];
	for (const route of table.routes) {
		const destinations = route.destination.kind === 'prefix-list' ? (ctx.inventory.prefixLists.find((list) => list.id === (route.destination as {prefixListId: string}).prefixListId)?.cidrs ?? []) : [route.destination.cidr];
		for (const cidr of destinations) {
			try {
				blocks.push({set: setFromCidr(cidr), prefix: Number(cidr.split('/')[1])});
			} catch {
				// not a CIDR: matches nothing
			}
		}
	}
	const out: string[] = [];
	const queue = setToCidrs(denied);
	while (queue.length > 0 && out.length <= MAX_FIX_ENTRIES) {
		const cidr = queue.shift()!;
		const set = setFromCidr(cidr);
		const prefix = Number(cidr.split('/')[1]);
		const bits = cidr.includes(':') ? 128 : 32;
		if (prefix >= bits || !blocks.some((block) => block.prefix > prefix && !isEmpty(intersect(block.set, set)))) {
			out.push(cidr);
			continue;
		}
		const range = parseCidrRange(cidr);
		const half = (range.last - range.first + 1n) / 2n;
		const family = cidr.includes(':') ? 'ipv6' : 'ipv4';
		for (const first of [range.first, range.first + half]) {
			const piece = intersect(denied, {...emptySet(), [family]: [{first, last: first + half - 1n}]});
			queue.push(...setToCidrs(piece));
		}
	}
	return out.sort((a, b) => {
		const x = parseCidrRange(a);
		const y = parseCidrRange(b);
		return x.family !== y.family ? (x.family === 'ipv4' ? -1 : 1) : x.first < y.first ? -1 : x.first > y.first ? 1 : 0;
	});
}

function ipv6Command(eniId: string): string {
	return shellCommand(['aws', 'ec2', 'assign-ipv6-addresses', '--network-interface-id', eniId, '--ipv6-address-count', 1]);
}

function problem(ctx: PathContext, table: RouteTable, how: 'associated' | 'main', verdict: 'no-route' | 'no-public-address', denied: AddressSet, whys: string[]): Problem {
	const {target, source} = ctx;
	const eni = target.eni;
	const summary = `${describeSet(denied, 3)} cannot reach ${eni.id} through ${table.id}: ${whys.slice(0, 2).join('; ')}.`;
	const base = {layer: 'route' as const, verdict, summary, decidingRule: null};
	const v6 = denied.ipv6.length > 0 && denied.ipv4.length === 0;
	if (verdict === 'no-public-address') {
		if (v6) return {...base, fix: {summary: `Give ${eni.id} an IPv6 address (its subnet needs an IPv6 CIDR block).`, command: ipv6Command(eni.id)}};
		return {
			...base,
			fix: {
				summary: `Associate an Elastic IP with ${eni.id} (the route to the internet gateway is already there); clients then connect to that address.`,
				command: eipCommand(eni.id),
				warning: 'An Elastic IP makes the instance reachable from the internet on whatever its security groups and NACL allow; it is billed while allocated.',
			},
		};
	}
	// Client ENIs of another VPC come back over the link their own table uses, not the internet.
	const peerDenied = verdict === 'no-route' ? intersect(denied, peerClientAddresses(ctx)) : emptySet();
	if (!isEmpty(peerDenied)) {
		const fix = peerReturnFix(ctx, table, peerDenied);
		const rest = subtract(denied, peerDenied);
		if (isEmpty(rest)) return {...base, fix};
		const other = problem(ctx, table, how, verdict, rest, whys).fix;
		const command = [fix.command, other.command].filter(Boolean).join('\n');
		return {...base, fix: {summary: `${fix.summary} ${other.summary}`, ...(command ? {command} : {}), ...(other.warning ? {warning: other.warning} : {})}};
	}
	const igw = attachedGateway(ctx);
	const shared = how === 'main' ? `${table.id} is the VPC's main table: it serves every subnet without its own association` : table.subnetIds.length > 1 ? `${table.id} serves ${table.subnetIds.length} subnets` : null;
	if (!igw) {
		return {...base, fix: {summary: `No internet gateway is attached to ${eni.vpcId}: reach ${eni.id} over a VPN, peering or a bastion, or attach an internet gateway and route only the client's address to it.`}};
	}
	let all = overridingCidrs(ctx, table, denied);
	// The denied part of a wide source is its complement of the VPC: many CIDRs. Name the source.
	if (source.wholeInternet || all.length > MAX_FIX_ENTRIES) all = setToCidrs(source.addresses);
	const cidrs = all.slice(0, MAX_FIX_ENTRIES);
	// A route for exactly that destination exists (a blackhole, a NAT gateway): create-route would
	// fail with RouteAlreadyExists; replace-route points it at the gateway instead.
	const existing = new Set(table.routes.flatMap((route) => (route.destination.kind === 'prefix-list' ? [] : [normalCidr(route.destination.cidr)])));
	const commands = cidrs.map((cidr) =>
		shellCommand(['aws', 'ec2', existing.has(normalCidr(cidr)) ? 'replace-route' : 'create-route', '--route-table-id', table.id, cidr.includes(':') ? '--destination-ipv6-cidr-block' : '--destination-cidr-block', cidr, '--gateway-id', igw]),
	);
	const needsAddress = cidrs.some((cidr) => !cidr.includes(':')) && !eni.publicIp;
	if (needsAddress) commands.push(eipCommand(eni.id));
	// An IPv6 client reaches the ENI's own IPv6 address through the gateway: without one, the new
	// route alone connects nothing.
	const needsIpv6 = cidrs.some((cidr) => cidr.includes(':')) && eni.ipv6Addresses.length === 0;
	if (needsIpv6) commands.push(ipv6Command(eni.id));
	const addressFix = [needsAddress ? `give ${eni.id} an Elastic IP` : '', needsIpv6 ? `give ${eni.id} an IPv6 address (its subnet needs an IPv6 CIDR block)` : ''].filter(Boolean).join(' and ');
	const fix: Problem['fix'] = {
		summary: source.wholeInternet
			? `Route ${cidrs.join(', ')} to ${igw} in ${table.id}: that makes the subnet public${addressFix ? `; and ${addressFix}` : ''}.`
			: `Route only ${cidrs.join(', ')}${all.length > cidrs.length ? ` (and ${all.length - cidrs.length} more ranges)` : ''} to ${igw} in ${table.id} (a route for the client, not 0.0.0.0/0, which would make the subnet public)${addressFix ? `, and ${addressFix}` : ''}.`,
		command: commands.join('\n'),
	};
	const warnings = [];
	if (shared) warnings.push(`${shared}: the new route applies to all of them.`);
	if (source.wholeInternet) warnings.push(`The source is "${source.description}": this route makes every instance with a public address in those subnets reachable from the internet — name the real clients with --from.`);
	if (warnings.length) fix.warning = warnings.join(' ');
	return {...base, fix};
}

function evaluateTargetSide(ctx: PathContext): {result: RouteLayerResult; problem?: Problem} {
	const {inventory, target, source} = ctx;
	const eni = target.eni;
	const unknown = (why: string, routeTableId: string | null = null) => {
		ctx.unknowns.push(why);
		return {result: {status: 'unknown' as const, summary: why, rules: [], routeTableId, reason: null}};
	};
	if (isEmpty(source.addresses)) return unknown(`the addresses of ${source.description} are unknown: cannot tell how they reach ${eni.subnetId}`);
	let inside = emptySet();
	for (const client of source.clients) if (client.vpcId === eni.vpcId) inside = union(inside, intersect(eniAddresses(client), source.addresses));
	const vpc = vpcCidrs(inventory, eni.vpcId);
	if (vpc) inside = union(inside, intersect(source.addresses, vpc));
	const outside = subtract(source.addresses, inside);
	const found = inventory.known.routeTables ? routeTableFor(ctx, eni.subnetId, eni.vpcId) : null;
	const localRules = found ? found.table.routes.filter((route) => route.target.kind === 'local').map((route) => routeRef(found.table, route)) : [];
	if (isEmpty(outside)) {
		return {result: {status: 'allow', summary: `Local: ${source.description} is inside ${eni.vpcId || 'the VPC'}, and the local route carries traffic between its subnets.`, rules: localRules, routeTableId: found?.table.id ?? null, reason: null}};
	}
	if (!inventory.known.routeTables) return unknown(`route tables were not captured (ec2:DescribeRouteTables; aws/describe-route-tables.json): cannot tell how ${describeSet(outside, 2)} reaches ${eni.subnetId}`);
	if (!found) return unknown(`no route table for ${eni.subnetId} (no association and no main table of ${eni.vpcId || 'its VPC'}) in the snapshot: cannot tell how ${describeSet(outside, 2)} reaches it`);
	const {table, how} = found;
	let pieces = matchRoutes(ctx, table, outside);
	if (typeof pieces === 'string') {
		// A gateway endpoint's list (the service's public ranges, often not captured) only ever
		// drops what it matches. When every other route denies too, the answer is a deny either way.
		const without = matchRoutes(ctx, table, outside, {skipUncapturedEndpointLists: true});
		const deniesAll = (list: RoutePiece[]) =>
			list.every((piece) => (['ipv4', 'ipv6'] as const).every((family) => piece.addresses[family].length === 0 || judge(ctx, {addresses: {...emptySet(), [family]: piece.addresses[family]}, route: piece.route}, family).kind === 'deny'));
		if (typeof without === 'string' || !deniesAll(without)) return unknown(`${pieces}: cannot tell how ${describeSet(outside, 2)} reaches ${eni.subnetId}`, table.id);
		ctx.notes.push(`${pieces}; it leads to a gateway VPC endpoint, which carries no connection from outside, and no other route of ${table.id} carries ${describeSet(outside, 2)} either.`);
		pieces = without;
	}

	const rules: RuleRef[] = [];
	const whys: string[] = [];
	const verdicts: Array<'no-route' | 'no-public-address'> = [];
	let denied = emptySet();
	let allowedOutside = emptySet();
	const allows: string[] = [];
	const peers = peerClientAddresses(ctx);
	const parts = pieces.flatMap((piece) =>
		(['ipv4', 'ipv6'] as const).flatMap((family) => {
			const set = {...emptySet(), [family]: piece.addresses[family]};
			return [
				{family, peer: true, part: {addresses: intersect(set, peers), route: piece.route}},
				{family, peer: false, part: {addresses: subtract(set, peers), route: piece.route}},
			].filter((item) => !isEmpty(item.part.addresses));
		}),
	);
	for (const {family, peer, part} of parts) {
		const outcome = judge(ctx, part, family, peer);
		const route = part.route;
		if (route && !rules.some((rule) => rule.kind === 'route' && rule.destination === describeDestination(route))) rules.push(routeRef(table, route));
		if (outcome.kind === 'allow') {
			allowedOutside = union(allowedOutside, part.addresses);
			if (outcome.note) ctx.notes.push(outcome.note);
			allows.push(`${describeSet(part.addresses, 2)} via ${route ? `${describeDestination(route)} → ${describeRouteTarget(route)}` : 'local'}`);
		} else {
			denied = union(denied, part.addresses);
			verdicts.push(outcome.verdict);
			whys.push(`${describeSet(part.addresses, 2)}: ${outcome.why}`);
		}
	}
	const viaMain = how === 'main' ? ` (${eni.subnetId} has no explicit association: the main table ${table.id} applies)` : '';
	if (isEmpty(denied)) {
		return {result: {status: 'allow', summary: `${table.id} routes ${allows.slice(0, 3).join('; ')}${viaMain}.`, rules, routeTableId: table.id, reason: null}};
	}
	const verdict: Verdict & ('no-route' | 'no-public-address') = verdicts.every((v) => v === 'no-public-address') ? 'no-public-address' : 'no-route';
	const partial = !isEmpty(allowedOutside) || !isEmpty(inside);
	const summary = `${table.id}${viaMain}: ${whys.slice(0, 3).join('; ')}${partial ? ` (${[...allows, ...(isEmpty(inside) ? [] : [`${describeSet(inside, 2)} inside the VPC`])].slice(0, 2).join('; ')} get through)` : ''}.`;
	const result: RouteLayerResult = {status: partial ? 'partial' : 'deny', summary, rules, routeTableId: table.id, reason: verdict};
	return {result, problem: problem(ctx, table, how, verdict, denied, whys)};
}

/**
 * The target's table (the way in and the reply's way back), then — for client ENIs of another
 * VPC — each client subnet's table for the request's first hop (peer-route.ts). The client's hop
 * comes first on the path, so its problem leads.
 */
function evaluate(ctx: PathContext): {result: RouteLayerResult; problem?: Problem} {
	const targetSide = evaluateTargetSide(ctx);
	const legs = clientLegs(ctx);
	if (legs.length === 0) return targetSide;
	const denied = legs.filter((leg) => leg.status === 'deny');
	const unknown = legs.filter((leg) => leg.status === 'unknown');
	for (const leg of legs) if (leg.status === 'allow' && leg.why.includes('out of sight')) ctx.notes.push(leg.why);
	const side = {...targetSide.result, rules: [...targetSide.result.rules, ...legs.flatMap((leg) => (leg.table && leg.route ? [routeRef(leg.table, leg.route)] : []))]};
	if (denied.length === 0) {
		if (unknown.length === 0) return {...targetSide, result: side};
		if (side.status === 'deny' || side.status === 'partial') return {...targetSide, result: side};
		for (const leg of unknown) ctx.unknowns.push(leg.why);
		return {result: {...side, status: 'unknown', summary: `${describeLegs(unknown)}; ${side.summary}`}};
	}
	const webTable = side.routeTableId ? (ctx.inventory.routeTables.find((table) => table.id === side.routeTableId) ?? null) : null;
	const legProblem = clientLegProblem(ctx, denied, webTable);
	const deniedAddresses = denied.reduce((set, leg) => union(set, leg.addresses), emptySet());
	const status = side.status === 'deny' || isEmpty(subtract(ctx.source.addresses, deniedAddresses)) ? 'deny' : 'partial';
	const summary = `${describeLegs(denied)}.${side.status === 'allow' ? '' : ` ${side.summary}`}`;
	const problem = targetSide.problem ? mergeProblems([legProblem, targetSide.problem])! : legProblem;
	return {result: {...side, status, summary, reason: 'no-route'}, problem};
}

export const routeLayer: PathLayer<'route'> = {
	name: 'route',
	title: 'Route',
	evaluate: (ctx) => evaluate(ctx),
};

// The request's first hop when the client is an ENI of another VPC: its own subnet's route table
// must send the target's address toward the target's VPC. "To enable private IPv4 traffic between
// instances in peered VPCs, you must add a route to the route tables associated with the subnets
// for both instances" (https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html);
// the target's table (the reply's way back) is judged by route.ts.
// - IPv4: the target's private address is reached over peering, a transit gateway, a VPN or an
//   appliance (the far side out of sight); an internet gateway, a NAT gateway or the client VPC's
//   own local route never deliver it, and no match, a blackhole or a filtered route drop it;
// - IPv6: the target's address is global, so the client's internet gateway or egress-only
//   gateway (outbound, started by the client) carry it as well.
import {describeSet, emptySet, isEmpty, intersect, setToCidrs, union, type AddressSet} from '../cidr.js';
import type {Problem} from '../check-types.js';
import type {NetworkInterface, Route, RouteTable} from '../types.js';
import {shellCommand} from '../shell-quote.js';
import {targetAddress} from './client.js';
import type {PathContext} from './layer.js';
import {eniAddresses} from './placement.js';
import {describeDestination, describeRouteTarget, isGatewayEndpointRoute, matchRoutes, routeTableFor} from './route.js';

export interface ClientLeg {
	eni: NetworkInterface;
	addresses: AddressSet;
	table: RouteTable | null;
	/** The client's best route for the target's address, when one matched. */
	route: Route | null;
	status: 'allow' | 'deny' | 'unknown';
	/** Why it stops or is unknown; a note for an allow through something out of sight. */
	why: string;
}

/** Client ENIs of the source that sit in another VPC than the target. */
export function peerClients(ctx: PathContext): NetworkInterface[] {
	const vpcId = ctx.target.eni.vpcId;
	return ctx.source.clients.filter((client) => vpcId && client.vpcId && client.vpcId !== vpcId);
}

/** The addresses of the source that belong to client ENIs of another VPC. */
export function peerClientAddresses(ctx: PathContext): AddressSet {
	return peerClients(ctx).reduce((set, client) => union(set, intersect(eniAddresses(client), ctx.source.addresses)), emptySet());
}

function judgeLeg(route: Route | null, family: 'ipv4' | 'ipv6'): {carries: boolean; why: string} {
	if (!route) return {carries: false, why: 'no route matches it'};
	const where = `${describeDestination(route)} → ${describeRouteTarget(route)}`;
	if (route.state !== 'active') return {carries: false, why: `its best route ${where} is ${route.state}, so it is dropped`};
	switch (route.target.kind) {
		case 'local':
			return {carries: false, why: `its best route is the client VPC's own local route ${where}: the address is taken for one of its own`};
		case 'internet-gateway':
		case 'egress-only-internet-gateway':
			if (family === 'ipv6') return {carries: true, why: `${where}: IPv6 addresses are global, so it crosses the internet`};
			return {carries: false, why: `its best route ${where} leads to the internet, which does not carry a private address`};
		case 'nat-gateway':
			return {carries: false, why: `its best route ${where} is a NAT gateway, which does not deliver to a private address in another VPC`};
		case 'other':
			if (isGatewayEndpointRoute(route)) return {carries: false, why: `its best route ${where} is a gateway VPC endpoint, which carries only traffic to its AWS service`};
			return {carries: true, why: `${where}: the far side is out of sight`};
		default:
			return {carries: true, why: `${where} (${route.target.kind.replace(/-/g, ' ')}): the far side is out of sight`};
	}
}

/** Each peer client's first hop: its subnet's table routing the target's address. */
export function clientLegs(ctx: PathContext): ClientLeg[] {
	const {inventory} = ctx;
	const to = targetAddress(ctx);
	const legs: ClientLeg[] = [];
	for (const eni of peerClients(ctx)) {
		const addresses = intersect(eniAddresses(eni), ctx.source.addresses);
		if (isEmpty(addresses)) continue;
		const base = {eni, addresses, route: null};
		if (!to) {
			legs.push({...base, table: null, status: 'unknown', why: `${ctx.target.eni.id} has no ${ctx.source.family === 'ipv6' ? 'IPv6' : 'IPv4'} address for ${eni.id} to route to`});
			continue;
		}
		if (!inventory.known.routeTables) {
			legs.push({...base, table: null, status: 'unknown', why: `route tables were not captured: cannot tell whether ${eni.subnetId} (client, ${eni.vpcId}) routes ${to.text}`});
			continue;
		}
		const found = routeTableFor(ctx, eni.subnetId, eni.vpcId);
		if (!found) {
			legs.push({...base, table: null, status: 'unknown', why: `no route table for ${eni.subnetId} (client, ${eni.vpcId}) in the snapshot: cannot tell whether it routes ${to.text}`});
			continue;
		}
		const pieces = matchRoutes(ctx, found.table, to.set);
		if (typeof pieces === 'string') {
			legs.push({...base, table: found.table, status: 'unknown', why: `${pieces}: cannot tell how ${eni.id} reaches ${to.text}`});
			continue;
		}
		const best = pieces[0]?.route ?? null;
		const outcome = judgeLeg(best, ctx.source.family);
		const via = found.how === 'main' ? ` (the main table of ${eni.vpcId}: ${eni.subnetId} has no explicit association)` : '';
		legs.push({
			...base,
			route: best,
			table: found.table,
			status: outcome.carries ? 'allow' : 'deny',
			why: outcome.carries ? `${found.table.id}${via} routes ${to.text} for ${eni.id}: ${outcome.why}` : `${found.table.id}${via} (client ${eni.id} in ${eni.vpcId}) cannot send to ${to.text}: ${outcome.why}`,
		});
	}
	return legs;
}

/**
 * The peering connection (or transit gateway) that links the two VPCs, as the other side's table
 * already routes it: the active route the target's table uses for the client, or the client's
 * table for the target. Null when neither names one.
 */
export function linkBetween(ctx: PathContext, table: RouteTable | null, addresses: AddressSet): {kind: 'vpc-peering' | 'transit-gateway'; id: string} | null {
	if (!table || isEmpty(addresses)) return null;
	const pieces = matchRoutes(ctx, table, addresses);
	if (typeof pieces === 'string') return null;
	for (const piece of pieces) {
		const target = piece.route?.state === 'active' ? piece.route.target : null;
		if (target && (target.kind === 'vpc-peering' || target.kind === 'transit-gateway')) return {kind: target.kind, id: target.id};
	}
	return null;
}

/** `aws ec2 create-route` (or replace-route when that destination exists) to one address over a link. */
export function linkRouteCommand(table: RouteTable, cidr: string, link: {kind: 'vpc-peering' | 'transit-gateway'; id: string}): string {
	const exists = table.routes.some((route) => route.destination.kind !== 'prefix-list' && route.destination.cidr === cidr);
	return shellCommand([
		'aws', 'ec2', exists ? 'replace-route' : 'create-route',
		'--route-table-id', table.id,
		cidr.includes(':') ? '--destination-ipv6-cidr-block' : '--destination-cidr-block', cidr,
		link.kind === 'vpc-peering' ? '--vpc-peering-connection-id' : '--transit-gateway-id', link.id,
	]);
}

/** The problem of the client legs that drop the request: a /32 (/128) route to the target over the link. */
export function clientLegProblem(ctx: PathContext, denied: ClientLeg[], webTable: RouteTable | null): Problem {
	const to = targetAddress(ctx)!;
	const cidr = `${to.text}/${ctx.source.family === 'ipv6' ? 128 : 32}`;
	const commands: string[] = [];
	const missing: string[] = [];
	for (const leg of denied) {
		const link = linkBetween(ctx, webTable, leg.addresses);
		if (leg.table && link) commands.push(linkRouteCommand(leg.table, cidr, link));
		else missing.push(leg.table?.id ?? leg.eni.subnetId);
	}
	const tables = [...new Set(denied.map((leg) => leg.table?.id ?? leg.eni.subnetId))].join(', ');
	let summary = commands.length > 0 ? `Route only ${cidr} in ${tables} over the connection ${ctx.target.eni.vpcId}'s table already uses for the client (a route for the target, not its whole VPC).` : '';
	if (missing.length > 0) {
		summary += `${summary ? ' ' : ''}${missing.join(', ')}: route ${cidr} over the VPC peering connection (or transit gateway) that links the client's VPC to ${ctx.target.eni.vpcId}; none is routed in ${ctx.target.eni.vpcId}'s table yet, so add the route back there too.`;
	}
	const fix: Problem['fix'] = {summary};
	if (commands.length > 0) fix.command = [...new Set(commands)].join('\n');
	return {
		layer: 'route',
		verdict: 'no-route',
		summary: `${denied.slice(0, 2).map((leg) => leg.why).join('; ')}${denied.length > 2 ? ` (and ${denied.length - 2} more clients)` : ''}.`,
		decidingRule: null,
		fix,
	};
}

export function describeLegs(legs: ClientLeg[]): string {
	const rest = legs.slice(2).reduce((set, leg) => union(set, leg.addresses), emptySet());
	return legs.slice(0, 2).map((leg) => leg.why).join('; ') + (legs.length > 2 ? ` (and ${legs.length - 2} more clients: ${describeSet(rest, 2)})` : '');
}

/**
 * The fix for the reply's way back to client ENIs of another VPC that the target's table does not
 * carry: a /32 (/128) route per client over the link the client's own table uses for the target —
 * never the internet gateway, which does not carry a private address.
 */
export function peerReturnFix(ctx: PathContext, webTable: RouteTable, denied: AddressSet): Problem['fix'] {
	const to = targetAddress(ctx);
	const commands: string[] = [];
	const missing: string[] = [];
	for (const client of peerClients(ctx)) {
		const mine = intersect(denied, eniAddresses(client));
		if (isEmpty(mine)) continue;
		const theirs = routeTableFor(ctx, client.subnetId, client.vpcId);
		const link = to && theirs ? linkBetween(ctx, theirs.table, to.set) : null;
		for (const cidr of setToCidrs(mine)) {
			if (link) commands.push(linkRouteCommand(webTable, cidr, link));
			else missing.push(cidr);
		}
	}
	const parts: string[] = [];
	if (commands.length > 0) parts.push(`Route only the client${commands.length > 1 ? 's' : ''} back in ${webTable.id} over the connection the client's own table uses for ${to?.text ?? ctx.target.eni.id} (a route per client address, not its whole VPC).`);
	if (missing.length > 0) parts.push(`${missing.join(', ')}: route ${missing.length > 1 ? 'them' : 'it'} in ${webTable.id} over the VPC peering connection (or transit gateway) that links the client's VPC to ${ctx.target.eni.vpcId}, and the target's address back in the client's table.`);
	const fix: Problem['fix'] = {summary: parts.join(' ')};
	if (commands.length > 0) fix.command = [...new Set(commands)].join('\n');
	return fix;
}

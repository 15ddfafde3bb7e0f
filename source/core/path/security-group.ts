// Layer 5: the target's security groups, inbound. Groups are a union of allow rules and
// stateful: a connection they admit gets its replies through without any outbound rule ("Security
// groups are stateful" — VPC User Guide, "Security group rules"). A rule naming a group admits
// the PRIVATE addresses of the ENIs carrying it, never their public or Elastic IPs.
import type {LayerResult, Problem, RuleRef} from '../check-types.js';
import {chooseGroup, sgIngressCommand} from '../fix-commands.js';
import {emptySet, isValidAddress, setFrom, setToCidrs} from '../cidr.js';
import {describePacket, evaluateSecurityGroups, type MemberFilter, type SgEvaluation, type SgRuleRef} from '../sg-evaluator.js';
import {matchRoutes, routeTableFor} from './route.js';
import type {NetworkInterface} from '../types.js';
import type {PathContext, PathLayer} from './layer.js';
import {MAX_FIX_ENTRIES} from './nacl-step.js';

export function sgRef(rule: SgRuleRef): RuleRef {
	return {kind: 'security-group', groupId: rule.groupId, groupName: rule.groupName, ruleId: rule.rule.ruleId ?? null, rule: rule.rule, text: rule.text};
}

/**
 * A rule naming a group admits the members in the target's VPC, and members of another VPC only
 * over a peering connection ("You can reference a security group in a peered VPC";
 * https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html). Over a transit
 * gateway only with its security group referencing turned on, which "is disabled by default"
 * (TransitGatewayOptions, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TransitGatewayOptions.html)
 * and which the snapshot cannot show: not matched, said in a note. From anywhere else a member's
 * packets arrive from its public address, which no group reference matches.
 */
export function referenceReach(ctx: PathContext, viewer: Pick<NetworkInterface, 'subnetId' | 'vpcId'> = ctx.target.eni): MemberFilter {
	const vpcId = viewer.vpcId;
	const found = ctx.inventory.known.routeTables && vpcId ? routeTableFor(ctx, viewer.subnetId, vpcId) : null;
	return (member) => {
		if (!vpcId || !member.vpcId || member.vpcId === vpcId) return true;
		// Without the target's route table the way in is unknown: keep the member, as before.
		if (!found) return true;
		const addresses = setFrom([...member.privateIps, ...member.ipv6Addresses].filter(isValidAddress));
		const pieces = matchRoutes(ctx, found.table, addresses);
		if (typeof pieces === 'string') return true;
		const carriers = pieces.filter((piece) => piece.route?.state === 'active').map((piece) => piece.route!.target.kind);
		if (carriers.includes('vpc-peering')) return true;
		if (carriers.includes('transit-gateway')) {
			ctx.notes.push(`${member.id} (in ${member.vpcId}) reaches ${found.table.id} through a transit gateway: a rule naming its group matches it only if the transit gateway and both VPC attachments have security group referencing turned on (off by default on the gateway), so it is taken as not matched`);
		}
		return false;
	};
}

function evaluate(ctx: PathContext): {layer: LayerResult; evaluation: SgEvaluation} {
	const eni = ctx.target.eni;
	if (eni.groupIds.length === 0 && eni.interfaceType !== 'interface') {
		// NAT gateways (and other AWS-managed interfaces) have no security groups at all: not a deny
		// to fix by "attaching one", which AWS does not allow.
		const summary = `${eni.id} is a ${eni.interfaceType.replace(/_/g, ' ')} interface: it has no security groups, so only the network ACL filters its traffic.`;
		const evaluation: SgEvaluation = {status: 'allow', groups: [], allowing: [], samePort: [], unresolved: [], allowed: ctx.source.addresses, denied: emptySet(), summary};
		return {layer: {status: 'allow', summary, rules: []}, evaluation};
	}
	const evaluation = evaluateSecurityGroups({inventory: ctx.inventory, groupIds: eni.groupIds, packet: ctx.packet, source: {addresses: ctx.source.addresses, groupId: ctx.source.groupId}, memberFilter: referenceReach(ctx)});
	if (evaluation.status === 'unknown') ctx.unknowns.push(evaluation.summary.replace(/\.$/, '') + ': cannot tell whether the security groups allow it');
	const rules = evaluation.status === 'allow' || evaluation.status === 'partial' ? evaluation.allowing : evaluation.samePort;
	return {layer: {status: evaluation.status, summary: evaluation.summary, rules: rules.map(sgRef)}, evaluation};
}

function problem(ctx: PathContext, evaluation: SgEvaluation): Problem {
	const {inventory, target, source, packet, request} = ctx;
	const choice = chooseGroup(inventory, target.eni.groupIds, packet);
	const context = evaluation.samePort.length > 0 ? ` (${evaluation.samePort.slice(0, 2).map((rule) => rule.text).join('; ')})` : '';
	const what = describePacket(packet);
	const summary =
		evaluation.status === 'partial' || target.eni.groupIds.length === 0 ? evaluation.summary : `No rule of ${target.eni.groupIds.join(', ')} allows ${what} from ${source.description}${context}.`;
	const decidingRule = evaluation.samePort[0] ? sgRef(evaluation.samePort[0]) : null;
	const base = {layer: 'securityGroup' as const, verdict: 'blocked-by-security-group' as const, summary, decidingRule};
	if (!choice) return {...base, fix: {summary: `${target.eni.id} carries no security group: attach one that allows ${what} from ${source.description}.`}};
	// A group reference admits only members it can see (same VPC, or over peering): for members it
	// cannot, the fix names their addresses.
	const reach = referenceReach(ctx);
	const byReference = Boolean(source.groupId) && source.clients.every(reach);
	let allCidrs = byReference ? [] : setToCidrs(evaluation.denied);
	// Security groups are a union of allows: a rule for the whole source is the same as rules for
	// its denied part, and one rule instead of the dozens of CIDRs a complement takes.
	if (source.wholeInternet || allCidrs.length > MAX_FIX_ENTRIES) allCidrs = setToCidrs(source.addresses);
	const cidrs = allCidrs.slice(0, MAX_FIX_ENTRIES);
	const from = (byReference ? source.groupId : undefined) ?? (cidrs.map((cidr) => cidr.replace(/\/(32|128)$/, '')).join(', ') || source.description);
	const command = sgIngressCommand({
		groupId: choice.groupId,
		protocol: packet.protocol,
		port: packet.port,
		icmpCode: packet.icmpCode,
		cidrs,
		sourceGroupId: byReference ? source.groupId : undefined,
		description: `sgtui: ${request.protocol} ${request.port} from ${byReference ? source.groupId : from}`,
	});
	const fix: Problem['fix'] = {summary: `Allow ${what} from ${byReference ? `members of ${source.groupId}` : from} in ${choice.groupId}: ${choice.reason}.`, command};
	if (source.groupId && !byReference) fix.summary += ` A rule naming ${source.groupId} would not match its members in another VPC that is not peered with ${target.eni.vpcId}: these are their current addresses.`;
	if (allCidrs.length > cidrs.length) fix.summary += ` (${allCidrs.length - cidrs.length} more ranges not shown: name a narrower --from)`;
	if (source.wholeInternet) fix.warning = `This opens ${what} to the whole internet because the source is "${source.description}". Prefer the clients' addresses (--from IP or CIDR).`;
	return {...base, fix};
}

export const securityGroupLayer: PathLayer<'securityGroup'> = {
	name: 'securityGroup',
	title: 'Security groups',
	evaluate(ctx) {
		const {layer, evaluation} = evaluate(ctx);
		const stops = layer.status === 'deny' || layer.status === 'partial';
		return stops ? {result: layer, problem: problem(ctx, evaluation)} : {result: layer};
	},
};

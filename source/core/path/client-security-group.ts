// Layer 1: the client's own security groups, outbound. When the client is an ENI of the snapshot,
// the union of its groups' EGRESS rules must allow the protocol/port to the target's address (a
// group reference matches the private addresses of the ENIs carrying it). Replies need no rule:
// security groups are stateful.
import type {LayerResult, Problem} from '../check-types.js';
import {sgIngressCommand} from '../fix-commands.js';
import {describePacket, evaluateSecurityGroups} from '../sg-evaluator.js';
import type {LayerStatus} from '../sg-evaluator.js';
import type {NetworkInterface} from '../types.js';
import {clientSide, targetAddress} from './client.js';
import type {PathContext, PathLayer} from './layer.js';
import {referenceReach, sgRef} from './security-group.js';

export function combineStatuses(statuses: LayerStatus[]): LayerStatus {
	if (statuses.length === 0) return 'allow';
	if (statuses.every((status) => status === 'allow')) return 'allow';
	if (statuses.every((status) => status === 'deny')) return 'deny';
	if (statuses.some((status) => status === 'deny' || status === 'partial')) return 'partial';
	return 'unknown';
}

function evaluate(ctx: PathContext): {result: LayerResult; problem?: Problem} {
	const side = clientSide(ctx);
	const unknown = (why: string) => {
		ctx.unknowns.push(why);
		return {result: {status: 'unknown' as const, summary: why, rules: []}};
	};
	if (side.kind === 'out-of-sight') return {result: {status: 'allow', summary: `Not evaluated: ${side.why}.`, rules: [], notEvaluated: true}};
	if (side.kind === 'in-vpc') return unknown(`${side.text} is inside ${ctx.target.eni.vpcId} but no network interface of the snapshot has it: its security groups (outbound) are unknown`);
	if (!ctx.inventory.known.securityGroups) return unknown(`security groups were not captured: cannot tell whether the client's groups allow ${describePacket(ctx.packet)} out`);
	const to = targetAddress(ctx);
	if (!to) return unknown(`${ctx.target.eni.id} has no ${ctx.source.family === 'ipv6' ? 'IPv6' : 'IPv4'} address to match the client's outbound rules against`);

	const denying: NetworkInterface[] = [];
	const statuses: LayerStatus[] = [];
	const summaries: string[] = [];
	const rules: LayerResult['rules'] = [];
	for (const eni of side.enis) {
		if (eni.groupIds.length === 0 && eni.interfaceType !== 'interface') {
			statuses.push('allow');
			continue;
		}
		// An outbound rule naming the target's group sees it only from the same VPC or over peering.
		const evaluation = evaluateSecurityGroups({inventory: ctx.inventory, groupIds: eni.groupIds, packet: ctx.packet, source: {addresses: to.set}, direction: 'egress', memberFilter: referenceReach(ctx, eni)});
		statuses.push(evaluation.status);
		if (evaluation.status === 'deny') denying.push(eni);
		rules.push(...(evaluation.status === 'allow' ? evaluation.allowing : evaluation.samePort).map(sgRef));
		summaries.push(`${eni.id}: ${evaluation.summary}`);
		if (evaluation.status === 'unknown') ctx.unknowns.push(`${eni.id}'s outbound rules: ${evaluation.summary.replace(/\.$/, '')}`);
	}
	const status = combineStatuses(statuses);
	const shown = summaries.slice(0, 3).join(' ') + (summaries.length > 3 ? ` (and ${summaries.length - 3} more clients)` : '');
	const result: LayerResult = {status, summary: side.enis.length === 1 ? summaries[0] ?? 'The client has no security groups.' : shown, rules: dedupe(rules)};
	if (status !== 'deny' && status !== 'partial') return {result};
	const what = describePacket(ctx.packet);
	const groupId = ctx.source.groupId ?? denying[0]?.groupIds[0];
	const clients = denying.map((eni) => eni.id).join(', ');
	const fix: Problem['fix'] = groupId
		? {
				summary: `Allow ${what} out to ${to.text} in ${groupId}${ctx.source.groupId ? '' : ` (the first group of ${clients})`}: only the target's address and port, not all traffic.`,
				command: sgIngressCommand({direction: 'egress', groupId, protocol: ctx.packet.protocol, port: ctx.packet.port, icmpCode: ctx.packet.icmpCode, cidrs: [to.set.ipv4.length ? `${to.text}/32` : `${to.text}/128`], description: `sgtui: ${ctx.request.protocol} ${ctx.request.port} to ${to.text}`}),
			}
		: {summary: `${clients} carries no security group: attach one that allows ${what} out to ${to.text}.`};
	return {
		result,
		problem: {layer: 'clientSecurityGroup', verdict: 'blocked-by-client-security-group', summary: `The client's security groups do not let ${what} out to ${to.text}: ${result.summary}`, decidingRule: result.rules[0] ?? null, fix},
	};
}

function dedupe<T extends {text: string}>(items: T[]): T[] {
	const seen = new Set<string>();
	return items.filter((item) => !seen.has(item.text) && seen.add(item.text));
}

export const clientSecurityGroupLayer: PathLayer<'clientSecurityGroup'> = {
	name: 'clientSecurityGroup',
	title: 'Client security groups',
	evaluate: (ctx) => evaluate(ctx),
};

// The client subnet's NACL, for the request leaving it (outbound, to the service port) or the
// reply entering it (inbound, from the server port to the client's ephemeral ports). It applies
// only when the client is in another subnet than the target — both subnets' ACLs are evaluated,
// each in its own direction, even when the same ACL is associated to both.
import type {NaclLayerResult, Problem} from '../check-types.js';
import {evaluateNacl} from '../nacl-evaluator.js';
import type {LayerStatus} from '../sg-evaluator.js';
import type {Verdict} from '../types.js';
import {clientSide, targetAddress} from './client.js';
import {combineStatuses} from './client-security-group.js';
import type {LayerOutcome, PathContext} from './layer.js';
import {evaluateSubnetNacl, legPorts, mergeProblems, naclProblem, naclRefs, viaDefault, type Leg} from './nacl-step.js';

export function clientNaclLayer<K extends 'clientNaclOutbound' | 'clientNaclReturn'>(ctx: PathContext, name: K, leg: Leg, verdict: Verdict): LayerOutcome<K> {
	const {target, inventory} = ctx;
	const direction = leg === 'request' ? 'egress' : 'ingress';
	const label = leg === 'request' ? 'outbound request' : 'inbound reply';
	const done = (result: NaclLayerResult, problem?: Problem): LayerOutcome<K> => (problem ? {result, problem} : {result});
	const unknown = (why: string, aclId: string | null = null) => {
		ctx.unknowns.push(why);
		return done({status: 'unknown', summary: why, rules: [], aclId});
	};
	const sameSubnet = (subnetId: string) => done({status: 'allow', summary: `Same subnet: the client is in ${subnetId} with the target, and traffic inside a subnet is not filtered by its network ACL (not evaluated).`, rules: [], aclId: null, notEvaluated: true});
	const side = clientSide(ctx);
	if (side.kind === 'out-of-sight') return done({status: 'allow', summary: `Not evaluated: ${side.why}.`, rules: [], aclId: null, notEvaluated: true});
	const to = targetAddress(ctx);
	if (!to) return unknown(`${target.eni.id} has no ${ctx.source.family === 'ipv6' ? 'IPv6' : 'IPv4'} address to match the client's NACL against`);

	let subnets: Array<{subnetId: string; vpcId: string}>;
	if (side.kind === 'enis') {
		const other = side.enis.filter((eni) => !(eni.subnetId === target.eni.subnetId && eni.vpcId === target.eni.vpcId));
		if (other.length === 0) return sameSubnet(target.eni.subnetId);
		subnets = [...new Map(other.map((eni) => [`${eni.vpcId}/${eni.subnetId}`, {subnetId: eni.subnetId, vpcId: eni.vpcId}])).values()];
	} else if (side.subnetId) {
		if (side.subnetId === target.eni.subnetId) return sameSubnet(side.subnetId);
		subnets = [{subnetId: side.subnetId, vpcId: target.eni.vpcId}];
	} else {
		// Inside the VPC, subnet unknown: every subnet is associated with one of the VPC's ACLs, so
		// if all of them allow the leg, so does the client's (or it is in the target's subnet and
		// none applies).
		if (!inventory.known.networkAcls) return unknown(`network ACLs were not captured: cannot tell whether the client's subnet allows the ${label}`);
		const ports = legPorts(ctx, leg);
		if (!ports) return done({status: 'allow', summary: `ICMP type ${ctx.packet.port} gets no reply, so there is no return path to check.`, rules: [], aclId: null});
		const acls = inventory.networkAcls.filter((acl) => acl.vpcId === target.eni.vpcId);
		const denying = acls.filter((acl) => evaluateNacl({acl, direction, protocol: ctx.packet.protocol, ports: ports.ports, icmp: ports.icmp, addresses: to.set}).status !== 'allow');
		if (acls.length > 0 && denying.length === 0) return done({status: 'allow', summary: `Every network ACL of ${target.eni.vpcId} allows the ${label}, so the client's does, whatever its subnet.`, rules: [], aclId: null});
		return unknown(`${side.text} is inside ${target.eni.vpcId} but no network interface of the snapshot has it, so its subnet (and NACL) is unknown${denying.length ? `; ${denying.map((acl) => acl.id).join(', ')} would not allow the ${label}` : ''}`);
	}

	const statuses: LayerStatus[] = [];
	const summaries: string[] = [];
	const rules: NaclLayerResult['rules'] = [];
	const problems: Problem[] = [];
	let aclId: string | null = null;
	for (const {subnetId, vpcId} of subnets) {
		const step = evaluateSubnetNacl(ctx, subnetId, vpcId, direction, leg, to.set);
		if ('noReply' in step) {
			statuses.push('allow');
			summaries.push(step.noReply);
			continue;
		}
		if (!step.evaluation || !step.acl) {
			statuses.push('unknown');
			const why = step.missing ?? `cannot evaluate ${subnetId}'s ACL`;
			summaries.push(why);
			ctx.unknowns.push(why);
			continue;
		}
		aclId ??= step.acl.id;
		statuses.push(step.evaluation.status);
		summaries.push(`${subnetId} (client): ${step.evaluation.summary.replace(/\.$/, '')}${viaDefault(subnetId, step.how)}.`);
		rules.push(...naclRefs(step.evaluation));
		if (step.evaluation.status === 'deny' || step.evaluation.status === 'partial') {
			problems.push(naclProblem(ctx, {layer: name, verdict, evaluation: step.evaluation, acl: step.acl, egress: direction === 'egress', leg, remote: {addresses: to.set, description: to.text, wholeInternet: false}}));
		}
	}
	const status = combineStatuses(statuses);
	const summary = summaries.slice(0, 3).join(' ') + (summaries.length > 3 ? ` (and ${summaries.length - 3} more client subnets)` : '');
	return done({status, summary, rules, aclId}, status === 'deny' || status === 'partial' ? mergeProblems(problems) : undefined);
}

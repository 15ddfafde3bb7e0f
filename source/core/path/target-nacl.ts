// The target subnet's NACL, for the request (inbound) or the reply (outbound). Clients in the
// target's own subnet skip it: NACLs filter traffic crossing the subnet boundary only. A client
// whose subnet is unknown (an address inside the VPC that no known ENI has) is evaluated anyway:
// if the ACL allows it, the answer is the same either way; if it denies it, the layer is unknown
// ("unless the client is in the same subnet") rather than a guessed deny.
import {describeSet, emptySet, isEmpty, subtract, union} from '../cidr.js';
import type {NaclLayerResult, Problem} from '../check-types.js';
import type {Verdict} from '../types.js';
import type {LayerOutcome, PathContext} from './layer.js';
import {evaluateSubnetNacl, naclProblem, naclRefs, viaDefault, type Leg} from './nacl-step.js';
import {placeSource} from './placement.js';

export function targetNaclLayer<K extends 'naclInbound' | 'naclReturn'>(ctx: PathContext, name: K, leg: Leg, verdict: Verdict): LayerOutcome<K> {
	const {target, source} = ctx;
	const subnetId = target.eni.subnetId;
	const direction = leg === 'request' ? 'ingress' : 'egress';
	const label = leg === 'request' ? 'inbound' : 'return (outbound)';
	const done = (result: NaclLayerResult, problem?: Problem): LayerOutcome<K> => (problem ? {result, problem} : {result});
	const unknown = (why: string, aclId: string | null = null) => {
		ctx.unknowns.push(why);
		return done({status: 'unknown', summary: why, rules: [], aclId});
	};
	if (isEmpty(source.addresses)) return unknown(`the addresses of ${source.description} are unknown: cannot match them against ${subnetId}'s network ACL`);
	const placement = placeSource(ctx);
	const evaluated = union(placement.elsewhere, placement.uncertain);
	if (isEmpty(evaluated)) {
		return done({status: 'allow', summary: `Same subnet: ${source.description} is in ${subnetId} too, and traffic inside a subnet is not filtered by its network ACL (not evaluated).`, rules: [], aclId: null, notEvaluated: true});
	}
	const step = evaluateSubnetNacl(ctx, subnetId, target.eni.vpcId, direction, leg, evaluated);
	if ('noReply' in step) return done({status: 'allow', summary: step.noReply, rules: [], aclId: null});
	if (!step.evaluation || !step.acl) return unknown(step.missing ?? `cannot evaluate ${subnetId}'s ${label} ACL`, step.acl?.id ?? null);
	const {evaluation, acl} = step;
	const via = viaDefault(subnetId, step.how);
	const sameNote = isEmpty(placement.sameSubnet) ? '' : ` (${describeSet(placement.sameSubnet, 2)} in ${subnetId} itself: not evaluated)`;
	const deniedAll = evaluation.denied.reduce((set, piece) => union(set, piece.addresses), emptySet());
	const certainDenied = subtract(deniedAll, placement.uncertain);
	const rules = naclRefs(evaluation);
	if (isEmpty(deniedAll)) return done({status: 'allow', summary: evaluation.summary.replace(/\.$/, `${via}${sameNote}.`), rules, aclId: acl.id});
	if (isEmpty(certainDenied)) {
		const why = placement.vpc
			? `${describeSet(deniedAll, 2)} is inside the VPC but no network interface of the snapshot has it, so its subnet is unknown`
			: `route tables were not captured, so the VPC's CIDRs — and whether ${describeSet(deniedAll, 2)} is inside ${subnetId} — are unknown`;
		return unknown(`${acl.id} would deny the ${label} traffic (${evaluation.summary.replace(/\.$/, '')}) unless the client is in ${subnetId} itself, where NACLs do not apply: ${why}`, acl.id);
	}
	const status = evaluation.status === 'deny' && !isEmpty(placement.sameSubnet) ? 'partial' : evaluation.status;
	const result: NaclLayerResult = {status, summary: evaluation.summary.replace(/\.$/, `${via}${sameNote}.`), rules, aclId: acl.id};
	const problem = naclProblem(ctx, {
		layer: name,
		verdict,
		evaluation,
		acl,
		egress: direction === 'egress',
		leg,
		remote: {addresses: source.addresses, description: source.description, wholeInternet: source.wholeInternet, groupId: source.groupId},
	});
	return done(result, problem);
}

// Audit findings from the route layer, made only where they are certain: an interface in a public
// subnet (its route table sends 0.0.0.0/0 to an internet gateway attached to the VPC) whose
// security groups open a port to the whole internet, yet which has no public IPv4 or Elastic IP.
// An internet gateway translates only for addresses that have one, so no IPv4 client from the
// internet can ever use that rule: either the instance lacks the address it was meant to have, or
// the rule is wider than anything that can reach it.
import {isWholeInternet} from './cidr.js';
import type {AuditFinding} from './audit.js';
import {routeTableFor} from './path/route.js';
import {describeSgRule} from './sg-evaluator.js';
import type {Inventory, NetworkInterface} from './types.js';

function defaultRouteToIgw(inventory: Inventory, eni: NetworkInterface): string | null {
	const found = routeTableFor({inventory}, eni.subnetId, eni.vpcId);
	if (!found) return null;
	const route = found.table.routes.find((candidate) => candidate.destination.kind === 'cidr4' && isWholeInternet(candidate.destination.cidr));
	if (!route || route.state !== 'active' || route.target.kind !== 'internet-gateway') return null;
	const igwId = route.target.id;
	if (inventory.known.internetGateways) {
		const igw = inventory.internetGateways.find((candidate) => candidate.id === igwId);
		if (!igw || !igw.attachedVpcIds.includes(eni.vpcId)) return null;
	}
	return `${found.table.id}: 0.0.0.0/0 → ${igwId}`;
}

export function publicSubnetFindings(inventory: Inventory): AuditFinding[] {
	if (!inventory.known.routeTables || !inventory.known.networkInterfaces || !inventory.known.securityGroups) return [];
	const findings: AuditFinding[] = [];
	for (const eni of inventory.networkInterfaces) {
		if (eni.publicIp || eni.interfaceType !== 'interface' || !eni.instanceId) continue;
		const worldRules = eni.groupIds.flatMap((groupId) => {
			const group = inventory.securityGroups.find((candidate) => candidate.id === groupId);
			return (group?.ingress ?? []).filter((rule) => rule.peer.kind === 'cidr4' && isWholeInternet(rule.peer.cidr)).map((rule) => ({rule, group: group!}));
		});
		if (worldRules.length === 0) continue;
		const route = defaultRouteToIgw(inventory, eni);
		if (!route) continue;
		const rules = worldRules.map(({rule, group}) => describeSgRule(rule, group));
		findings.push({
			severity: 'low',
			kind: 'public-subnet-no-public-address',
			groupId: worldRules[0]!.group.id,
			rule: worldRules[0]!.rule,
			eniIds: [eni.id],
			message: `${eni.id} (${eni.instanceId}) sits in a public subnet (${route}) and ${rules.slice(0, 2).join('; ')}${rules.length > 2 ? ` and ${rules.length - 2} more` : ''} open it to the internet, but it has no public IPv4 or Elastic IP: no IPv4 client from the internet can reach it.`,
			fix: {summary: `If it should be reachable from the internet, associate an Elastic IP with ${eni.id}; if not, narrow the 0.0.0.0/0 rule to the clients that really connect.`},
		});
	}
	return findings;
}

// Who connects: a set of addresses with a family and, when the client is an interface of the
// snapshot, the client's own ENIs (whose security groups and NACLs are on the path too).
import {addressValue, emptySet, hostCidr, isValidAddress, isValidCidr, parseCidrRange, setFrom, setFromCidr, setToCidrs} from '../cidr.js';
import {EvidenceError} from '../evidence-error.js';
import {groupMemberAddresses} from '../sg-evaluator.js';
import {sourceScopeRefusal} from '../source-scope.js';
import type {CheckRequest, Inventory, NetworkInterface} from '../types.js';
import type {ResolvedSource, ResolvedTarget} from './layer.js';

export type {ResolvedSource} from './layer.js';

function sameAddress(a: string, b: string): boolean {
	try {
		const x = addressValue(a);
		const y = addressValue(b);
		return x.family === y.family && x.value === y.value;
	} catch {
		return false;
	}
}

/** The ENI whose private address this is; one in the target's VPC first (VPCs may overlap). */
export function eniWithAddress(inventory: Inventory, address: string, vpcId: string): NetworkInterface | null {
	const owners = inventory.networkInterfaces.filter((eni) => [...eni.privateIps, ...eni.ipv6Addresses].some((own) => sameAddress(own, address)));
	return owners.find((eni) => eni.vpcId === vpcId) ?? owners[0] ?? null;
}

/**
 * A note when --from is the public (or Elastic) IP of an ENI of the snapshot. Traffic sent to the
 * target's public address arrives through the internet gateway from that public address, so it is
 * checked as such; but a client that connects to the target's private address — the usual case
 * inside a VPC — reaches it from its private IP, and the target's rules see that one instead
 * ("the source IP address is the private IPv4 address of the instance" within the VPC; the
 * internet gateway translates only traffic to and from the internet — VPC User Guide, "Enable
 * internet access for a VPC using an internet gateway").
 */
export function publicSourceNote(inventory: Inventory, request: CheckRequest, source: ResolvedSource, target: ResolvedTarget): string | null {
	if (request.source.kind !== 'address' || source.clients.length > 0) return null;
	const address = request.source.address;
	const owner = inventory.networkInterfaces.find((eni) => eni.publicIp !== null && sameAddress(eni.publicIp, address));
	if (!owner) return null;
	const who = owner.instanceId ? `${owner.id} (${owner.instanceId})` : owner.id;
	const targetPrivate = target.eni.privateIps[0];
	const ownPrivate = owner.privateIps[0];
	const instead = ownPrivate
		? `; if it connects to the target's private address${targetPrivate ? ` ${targetPrivate}` : ''} instead, they see its private IP as the source: check --from ${ownPrivate}`
		: '';
	return `${address} is the public IP of ${who}: checked as that address arriving through the internet gateway, which is what the security groups see when the client connects to a public address${instead}`;
}

function refuseScope(text: string): void {
	const refused = sourceScopeRefusal(text);
	if (refused) throw new EvidenceError(`source ${refused}`);
}

export function resolveSource(inventory: Inventory, request: CheckRequest, vpcId = ''): ResolvedSource {
	const source = request.source;
	switch (source.kind) {
		case 'any':
			return {addresses: setFromCidr('0.0.0.0/0'), family: 'ipv4', description: 'anywhere (0.0.0.0/0)', wholeInternet: true, clients: []};
		case 'address': {
			if (!isValidAddress(source.address)) throw new EvidenceError(`not an IP address: ${source.address}`);
			refuseScope(source.address);
			const {family} = addressValue(source.address);
			const client = eniWithAddress(inventory, source.address, vpcId);
			return {addresses: setFromCidr(hostCidr(source.address)), family, description: source.address, wholeInternet: false, clients: client ? [client] : []};
		}
		case 'cidr': {
			if (!isValidCidr(source.cidr)) throw new EvidenceError(`not a CIDR: ${source.cidr}`);
			refuseScope(source.cidr);
			const range = parseCidrRange(source.cidr);
			return {addresses: setFromCidr(source.cidr), family: range.family, description: setToCidrs(setFromCidr(source.cidr))[0]!, wholeInternet: range.prefix === 0, clients: []};
		}
		case 'group': {
			const members = groupMemberAddresses(inventory, source.groupId);
			const group = inventory.securityGroups.find((candidate) => candidate.id === source.groupId);
			// A group the snapshot has never heard of is most likely a typo: say so rather than
			// answer "unknown" about an empty set of members.
			const carried = inventory.networkInterfaces.some((eni) => eni.groupIds.includes(source.groupId));
			if (!group && !carried && inventory.known.securityGroups) {
				throw new EvidenceError(`security group ${source.groupId} is not in the snapshot (${inventory.securityGroups.length} security groups known)`);
			}
			// One connection uses one family: members connect over IPv4 when any has an IPv4 address
			// (IPv6 only when none has), and only their addresses of that family are the source.
			// ("Routes to IPv4 and IPv6 addresses or CIDR blocks are independent of each other" —
			// https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html; an IPv4
			// rule never matches an IPv6 address nor the reverse.) Mixing them made an IPv4 check of
			// dual-stack members 'partial' for want of a rule for their IPv6 addresses.
			const all = setFrom(members);
			const family = all.ipv4.length > 0 || all.ipv6.length === 0 ? 'ipv4' : 'ipv6';
			const addresses = {...emptySet(), [family]: all[family]};
			const inFamily = (address: string) => isValidAddress(address) && addressValue(address).family === family;
			const count = members.filter(inFamily).length;
			const name = group?.name ? ` (${group.name})` : '';
			return {
				addresses,
				groupId: source.groupId,
				family,
				description: `members of ${source.groupId}${name} (${count} address${count === 1 ? '' : 'es'})`,
				wholeInternet: false,
				clients: inventory.networkInterfaces.filter((eni) => eni.groupIds.includes(source.groupId) && [...eni.privateIps, ...eni.ipv6Addresses].some(inFamily)),
			};
		}
	}
}


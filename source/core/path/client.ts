// What the three client-side layers share: who the client is (ENIs of the snapshot, an address
// outside the VPC, a range) and the target address it connects to.
import {addressValue, describeSet, isEmpty, setFrom, subtract, type AddressSet} from '../cidr.js';
import type {NetworkInterface} from '../types.js';
import type {PathContext} from './layer.js';
import {subnetOfAddress, vpcCidrs} from './placement.js';

/** The address a client inside the VPC connects to: the target's primary address of its family. */
export function targetAddress(ctx: PathContext): {set: AddressSet; text: string} | null {
	const eni = ctx.target.eni;
	const list = ctx.source.family === 'ipv6' ? eni.ipv6Addresses : eni.privateIps;
	for (const address of list) {
		try {
			addressValue(address);
			return {set: setFrom([address]), text: address};
		} catch {
			// skip garbage
		}
	}
	return null;
}

export type ClientSide =
	/** The client's ENIs are known. */
	| {kind: 'enis'; enis: NetworkInterface[]}
	/** An address inside the VPC that no ENI of the snapshot has; its subnet when certain. */
	| {kind: 'in-vpc'; subnetId: string | null; text: string}
	/** Not an interface of the snapshot (outside the VPC, or a range): its own rules are out of sight. */
	| {kind: 'out-of-sight'; why: string};

export function clientSide(ctx: PathContext): ClientSide {
	const {source, inventory, target, request} = ctx;
	if (source.clients.length > 0) return {kind: 'enis', enis: source.clients};
	if (request.source.kind === 'group') return {kind: 'out-of-sight', why: `no network interface of the snapshot carries ${source.groupId}`};
	if (request.source.kind !== 'address') {
		return {kind: 'out-of-sight', why: `the source is a range of addresses (${source.description}), not one interface of the snapshot: the clients' own security groups and NACLs are not evaluated`};
	}
	const vpc = vpcCidrs(inventory, target.eni.vpcId);
	const text = describeSet(source.addresses, 1);
	if (vpc && isEmpty(subtract(source.addresses, vpc))) {
		return {kind: 'in-vpc', subnetId: subnetOfAddress(inventory, target.eni.vpcId, source.addresses), text};
	}
	const where = vpc ? `outside ${target.eni.vpcId}` : `not an interface of the snapshot (route tables were not captured, so whether it is inside ${target.eni.vpcId || 'the VPC'} is unknown)`;
	return {kind: 'out-of-sight', why: `${text} is ${where}: its own security groups and NACLs are out of sight`};
}

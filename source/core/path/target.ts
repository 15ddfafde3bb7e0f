// The target of a check: an instance id (its primary ENI) or an ENI id.
import {EvidenceError} from '../evidence-error.js';
import type {Inventory} from '../types.js';
import type {ResolvedTarget} from './layer.js';

export type {ResolvedTarget} from './layer.js';

/** An instance id → its primary ENI; an ENI id → itself. Unknown ids throw an EvidenceError. */
export function resolveTarget(inventory: Inventory, id: string): ResolvedTarget {
	if (id.startsWith('eni-')) {
		const eni = inventory.networkInterfaces.find((candidate) => candidate.id === id);
		if (!eni) throw new EvidenceError(`network interface ${id} is not in the snapshot (${inventory.networkInterfaces.length} network interfaces known)`);
		return {eni, instance: inventory.instances.find((instance) => instance.id === eni.instanceId) ?? null};
	}
	if (id.startsWith('i-')) {
		const instance = inventory.instances.find((candidate) => candidate.id === id);
		if (!instance) {
			// Without DescribeInstances the ENIs still name their instance: use its primary ENI.
			const attached = inventory.networkInterfaces.filter((candidate) => candidate.instanceId === id);
			if (!inventory.known.instances && attached.length > 0) return {eni: attached[0]!, instance: null};
			if (!inventory.known.instances) {
				const hint = inventory.known.networkInterfaces ? 'and no network interface names it' : 'nor network interfaces (aws/describe-network-interfaces.json)';
				throw new EvidenceError(`instance ${id} cannot be found: the snapshot has no instances (aws/describe-instances.json) ${hint}`);
			}
			throw new EvidenceError(`instance ${id} is not in the snapshot (${inventory.instances.length} instances known)`);
		}
		const eni =
			instance.networkInterfaceIds.map((eniId) => inventory.networkInterfaces.find((candidate) => candidate.id === eniId)).find(Boolean) ??
			inventory.networkInterfaces.find((candidate) => candidate.instanceId === id);
		if (eni) return {eni, instance};
		if (!instance.subnetId) throw new EvidenceError(`instance ${id} has no network interface or subnet in the snapshot`);
		// DescribeNetworkInterfaces was not saved: the instance itself says enough about its primary ENI.
		return {
			instance,
			eni: {
				id: instance.networkInterfaceIds[0] ?? `primary ENI of ${id}`,
				subnetId: instance.subnetId,
				vpcId: instance.vpcId ?? '',
				instanceId: id,
				description: '',
				interfaceType: 'interface',
				status: 'in-use',
				privateIps: instance.privateIp ? [instance.privateIp] : [],
				ipv6Addresses: [],
				publicIp: instance.publicIp,
				groupIds: instance.groupIds,
				tags: {},
			},
		};
	}
	throw new EvidenceError(`${id} is neither an instance id (i-…) nor a network interface id (eni-…)`);
}


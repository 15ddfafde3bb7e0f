// The demo snapshot's inventory read straight from its files (independent of the lab's server),
// to compare what the SDK read over the wire against.
import {readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {mapInventory, type RawAwsInventory} from '../../source/core/aws-mapper.js';
import type {Inventory} from '../../source/core/types.js';
import {defaultSnapshotDir} from '../../source/lab/lab.js';

export async function readRawSnapshot(dir = defaultSnapshotDir()): Promise<RawAwsInventory> {
	const json = async (name: string) => JSON.parse(await readFile(join(dir, 'aws', name), 'utf8'));
	const entries: RawAwsInventory['prefixListEntries'] = {};
	for (const name of await readdir(join(dir, 'aws'))) {
		const match = /^get-managed-prefix-list-entries-(.+)\.json$/.exec(name);
		if (match) entries[match[1]!] = (await json(name)).Entries;
	}
	return {
		reservations: (await json('describe-instances.json')).Reservations,
		networkInterfaces: (await json('describe-network-interfaces.json')).NetworkInterfaces,
		securityGroups: (await json('describe-security-groups.json')).SecurityGroups,
		networkAcls: (await json('describe-network-acls.json')).NetworkAcls,
		flowLogs: (await json('describe-flow-logs.json')).FlowLogs,
		prefixLists: (await json('describe-managed-prefix-lists.json')).PrefixLists,
		prefixListEntries: entries,
		routeTables: (await json('describe-route-tables.json')).RouteTables,
		internetGateways: (await json('describe-internet-gateways.json')).InternetGateways,
	};
}

export async function loadSnapshotInventoryForTest(dir?: string): Promise<Inventory> {
	return mapInventory(await readRawSnapshot(dir));
}

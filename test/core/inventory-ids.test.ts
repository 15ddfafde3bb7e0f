// Ids from AWS pass the id grammar: an item holding a malformed id (its own or one it references)
// is left out and counted in one warning line, never silently dropped and never passed on.
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {refuseMalformedIds, refusedIdsWarning} from '../../source/core/inventory-ids.js';
import {loadSnapshot} from '../../source/files/load-snapshot.js';
import type {Inventory} from '../../source/core/types.js';

const demo = async (): Promise<Inventory> => (await loadSnapshot(join(import.meta.dirname, '../../demo/snapshot'))).inventory;

describe('refuseMalformedIds', () => {
	it('keeps a well-formed inventory as it is (the same object)', async () => {
		const inventory = await demo();
		const result = refuseMalformedIds(inventory);
		expect(result.refused).toEqual([]);
		expect(result.inventory).toBe(inventory);
		expect(refusedIdsWarning([])).toBeNull();
	});

	it('refuses each item with a bad own or referenced id, counts them, and shows them sanitized', async () => {
		const inventory = structuredClone(await demo());
		const groups = inventory.securityGroups.length;
		const enis = inventory.networkInterfaces.length;
		inventory.securityGroups[0]!.id = 'sg-0abc;id>x;#';
		inventory.networkInterfaces[1]!.groupIds.push('sg-12345678\u001b]52;c;aWQ=\u0007');
		inventory.routeTables[0]!.routes.push({destination: {kind: 'cidr4', cidr: '192.0.2.0/24'}, target: {kind: 'other', id: 'vpce-`id`'}, state: 'active'});
		const {inventory: kept, refused} = refuseMalformedIds(inventory);
		expect(refused.map((item) => item.what)).toEqual(['network interface', 'security group', 'route table']);
		expect(kept.securityGroups).toHaveLength(groups - 1);
		expect(kept.networkInterfaces).toHaveLength(enis - 1);
		expect(kept.routeTables).toHaveLength(inventory.routeTables.length - 1);
		const warning = refusedIdsWarning(refused)!;
		expect(warning).toMatch(/^3 items from AWS refused, their ids break AWS's id grammar/);
		expect(warning).toContain('security group "sg-0abc;id>x;#" (id "sg-0abc;id>x;#")');
		expect(warning).toContain('\\u001b]52;c;aWQ=\\u0007');
		expect(warning).not.toMatch(/[\u001b\u0007]/);
	});

	it('names the first three and counts the rest', async () => {
		const inventory = structuredClone(await demo());
		for (const eni of inventory.networkInterfaces) eni.id = `${eni.id}X`;
		const {refused} = refuseMalformedIds(inventory);
		expect(refused).toHaveLength(inventory.networkInterfaces.length);
		expect(refusedIdsWarning(refused)).toMatch(new RegExp(`, and ${inventory.networkInterfaces.length - 3} more$`));
	});
});

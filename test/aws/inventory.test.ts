import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {fetchInventory, type InventoryProgress} from '../../source/aws/inventory.js';
import {createAwsClients} from '../../source/aws/clients.js';
import {loadSnapshotInventoryForTest} from './snapshot-inventory.js';
import {labWithClients, type LabFixture} from './lab-clients.js';

describe('fetchInventory against the lab', () => {
	let fixture: LabFixture;
	const requests: string[] = [];
	beforeAll(async () => {
		fixture = await labWithClients({maxPageSize: {ec2: 2}, log: (line) => requests.push(line)});
	});
	afterAll(async () => fixture?.close());

	it('reads every part through pagination and maps it exactly like the snapshot files', async () => {
		requests.length = 0;
		const progress: InventoryProgress[] = [];
		const {inventory, raw} = await fetchInventory(fixture.clients.ec2, {pageSize: 5, onProgress: (p) => progress.push(p)});
		expect(inventory).toEqual(await loadSnapshotInventoryForTest());
		expect(raw.reservations!.length).toBe(5);
		// The lab serves at most 2 items per page: several DescribeInstances calls were needed.
		expect(requests.filter((line) => line.includes('DescribeInstances')).length).toBeGreaterThanOrEqual(3);
		expect([...new Set(progress.map((p) => p.what))].sort()).toEqual(['flow logs', 'instances', 'internet gateways', 'network ACLs', 'network interfaces', 'prefix lists', 'route tables', 'security groups']);
		// The parts are read at once: the step counts finished parts (+1), so it only goes up, and
		// it reaches 8 only once seven are done, not when the eighth part was merely started.
		expect(progress.every((p) => p.steps === 8 && p.step >= 1 && p.step <= 8)).toBe(true);
		expect(progress.every((p, index) => index === 0 || p.step >= progress[index - 1]!.step)).toBe(true);
		expect(progress[0]!.step).toBe(1);
		expect(progress.at(-1)!.step).toBe(8);
		expect(progress.filter((p) => p.step === 8).length).toBeLessThan(progress.length / 2);
		expect(progress.find((p) => p.what === 'instances' && p.count === 5)).toBeTruthy();
	});

	it('scoped to one instance, asks only for what it needs (server-side filters)', async () => {
		requests.length = 0;
		const {inventory, missingInstanceIds} = await fetchInventory(fixture.clients.ec2, {instanceIds: ['i-0b2c3d4e5f6071829']});
		expect(missingInstanceIds).toEqual([]);
		expect(inventory.instances.map((i) => i.id)).toEqual(['i-0b2c3d4e5f6071829']);
		const full = await loadSnapshotInventoryForTest();
		const groups = new Set(inventory.networkInterfaces.find((eni) => eni.instanceId === 'i-0b2c3d4e5f6071829')!.groupIds);
		// Its own groups plus every group their rules reference.
		for (const id of groups) expect(inventory.securityGroups.map((g) => g.id)).toContain(id);
		const referenced = inventory.securityGroups.flatMap((g) => [...g.ingress, ...g.egress]).flatMap((rule) => (rule.peer.kind === 'group' ? [rule.peer.groupId] : []));
		for (const id of referenced) expect(inventory.securityGroups.map((g) => g.id)).toContain(id);
		expect(inventory.securityGroups.length).toBeLessThan(full.securityGroups.length);
		// Members of referenced groups are in, so group peers resolve to their private IPs.
		for (const id of referenced) expect(inventory.networkInterfaces.some((eni) => eni.groupIds.includes(id))).toBe(true);
		expect(inventory.networkAcls.every((acl) => acl.subnetIds.includes(inventory.instances[0]!.subnetId!))).toBe(true);
		expect(inventory.flowLogs.map((f) => f.id)).toEqual(['fl-0a1b2c3d4e5f67890']);
		// Every table of the instance's VPC (the main one serves subnets without an association), and its gateway.
		expect(inventory.routeTables).toEqual(full.routeTables.filter((table) => table.vpcId === inventory.instances[0]!.vpcId));
		expect(inventory.internetGateways).toEqual(full.internetGateways);
		expect(requests.some((line) => line.includes('DescribeRouteTables'))).toBe(true);
	});

	it('rides out throttling and 5xx with adaptive retries', async () => {
		fixture.lab.faults.throttleEveryNth = 6;
		fixture.lab.faults.serverErrorEveryNth = 7;
		try {
			const {inventory} = await fetchInventory(fixture.clients.ec2, {pageSize: 5});
			expect(inventory).toEqual(await loadSnapshotInventoryForTest());
		} finally {
			fixture.lab.faults.throttleEveryNth = 0;
			fixture.lab.faults.serverErrorEveryNth = 0;
		}
		// Adaptive retries back off after throttling (as they should): this takes seconds.
	}, 45_000);

	it('a denied optional part (DescribeFlowLogs) leaves only that part unknown, with a warning naming the permission', async () => {
		fixture.lab.faults.denyActions = ['DescribeFlowLogs'];
		try {
			const full = await loadSnapshotInventoryForTest();
			const {inventory, raw, warnings} = await fetchInventory(fixture.clients.ec2, {pageSize: 5});
			expect(raw.flowLogs).toBeUndefined();
			expect(inventory.known).toEqual({instances: true, networkInterfaces: true, securityGroups: true, networkAcls: true, flowLogs: false, prefixLists: true, routeTables: true, internetGateways: true});
			expect(inventory.flowLogs).toEqual([]);
			expect(inventory.instances).toEqual(full.instances);
			expect(inventory.networkInterfaces).toEqual(full.networkInterfaces);
			expect(inventory.securityGroups).toEqual(full.securityGroups);
			expect(inventory.networkAcls).toEqual(full.networkAcls);
			expect(warnings).toEqual(["ec2:DescribeFlowLogs denied: flow-log coverage unknown; grant it to see rejects' source"]);
		} finally {
			fixture.lab.faults.denyActions = [];
		}
	});

	it('denied NACLs and prefix-list entries: each unknown on its own, one warning each', async () => {
		fixture.lab.faults.denyActions = ['DescribeNetworkAcls', 'GetManagedPrefixListEntries'];
		try {
			const {inventory, warnings} = await fetchInventory(fixture.clients.ec2);
			expect(inventory.known.networkAcls).toBe(false);
			expect(inventory.networkAcls).toEqual([]);
			expect(inventory.known.flowLogs).toBe(true);
			expect(inventory.flowLogs.length).toBeGreaterThan(0);
			// The lists are still described (names known); the entries of the referenced one are not.
			expect(inventory.known.prefixLists).toBe(true);
			expect(inventory.prefixLists.find((list) => list.id === 'pl-6da54004')?.cidrs).toBeNull();
			expect(warnings).toEqual([
				'ec2:DescribeNetworkAcls denied: network ACLs unknown; grant it to evaluate the subnet layer',
				'ec2:GetManagedPrefixListEntries denied: prefix list entries unknown; rules that reference them cannot be resolved',
			]);
		} finally {
			fixture.lab.faults.denyActions = [];
		}
	});

	it('denied route tables and internet gateways: only those parts unknown, each warning names its permission', async () => {
		const full = await loadSnapshotInventoryForTest();
		expect(full.routeTables.length).toBeGreaterThan(0);
		for (const denied of [['DescribeRouteTables'], ['DescribeInternetGateways'], ['DescribeRouteTables', 'DescribeInternetGateways']]) {
			fixture.lab.faults.denyActions = denied;
			try {
				const {inventory, raw, warnings} = await fetchInventory(fixture.clients.ec2, {pageSize: 5});
				const routes = !denied.includes('DescribeRouteTables');
				const gateways = !denied.includes('DescribeInternetGateways');
				expect(inventory.known).toEqual({instances: true, networkInterfaces: true, securityGroups: true, networkAcls: true, flowLogs: true, prefixLists: true, routeTables: routes, internetGateways: gateways});
				expect(raw.routeTables === undefined).toBe(!routes);
				expect(inventory.routeTables).toEqual(routes ? full.routeTables : []);
				expect(inventory.internetGateways).toEqual(gateways ? full.internetGateways : []);
				expect({...inventory, routeTables: [], internetGateways: [], known: {}}).toEqual({...full, routeTables: [], internetGateways: [], known: {}});
				expect(warnings).toEqual([
					...(routes ? [] : ['ec2:DescribeRouteTables denied: route tables unknown; grant it to evaluate the route layer']),
					...(gateways ? [] : ['ec2:DescribeInternetGateways denied: internet gateways unknown; grant it to evaluate the route layer']),
				]);
			} finally {
				fixture.lab.faults.denyActions = [];
			}
		}
	});

	it('a denied essential part (DescribeSecurityGroups) still fails the load, naming the permission', async () => {
		fixture.lab.faults.denyActions = ['DescribeSecurityGroups'];
		try {
			const error = await fetchInventory(fixture.clients.ec2).then(() => null, (caught: unknown) => caught as {message: string; permission: string | null});
			expect(error?.permission).toBe('ec2:DescribeSecurityGroups');
			expect(error?.message).toMatch(/^ec2:DescribeSecurityGroups denied: /);
		} finally {
			fixture.lab.faults.denyActions = [];
		}
	});

	it('names the operation when retries run out', async () => {
		fixture.lab.faults.throttleEveryNth = 1;
		const {createAwsClients} = await import('../../source/aws/clients.js');
		const clients = createAwsClients({endpointUrl: fixture.lab.endpoint, region: fixture.lab.region, debugLogPath: null}, {credentials: fixture.lab.credentials, maxAttempts: 2});
		try {
			// The parts are read at once, so whichever runs out of retries first is the one named.
			await expect(fetchInventory(clients.ec2)).rejects.toThrow(/^ec2:Describe(Instances|SecurityGroups|NetworkInterfaces|NetworkAcls|FlowLogs|ManagedPrefixLists|RouteTables|InternetGateways) failed: RequestLimitExceeded/);
		} finally {
			fixture.lab.faults.throttleEveryNth = 0;
			clients.destroy();
		}
	});
});

describe('fetchInventory when the endpoint does not answer', () => {
	// Its parts run at once on one AbortSignal and every SDK attempt listens on it: with retries
	// against a closed port Node printed a two-line MaxListenersExceededWarning above sgtui's one
	// line ('cannot reach the AWS endpoint').
	it('fails with one error and no process warning', async () => {
		const warnings: Error[] = [];
		const onWarning = (warning: Error) => warnings.push(warning);
		process.on('warning', onWarning);
		const clients = createAwsClients({endpointUrl: 'http://127.0.0.1:9', region: 'eu-west-1', debugLogPath: null}, {credentials: {accessKeyId: 'a', secretAccessKey: 'b'}, maxAttempts: 3}, {});
		try {
			await expect(fetchInventory(clients.ec2, {signal: new AbortController().signal})).rejects.toThrow(/cannot reach the AWS endpoint/);
			await new Promise((resolve) => setImmediate(resolve));
			expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
		} finally {
			process.off('warning', onWarning);
			clients.destroy();
		}
	});
});

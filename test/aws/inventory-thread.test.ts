// The TUI reads its inventory on a thread of its own (source/aws/inventory-thread.ts). Both ways it
// runs are checked against the lab with the real SDK: in-process (the TypeScript source, as under
// vitest) and on a real worker thread (the built module, as `sgtui --demo` runs it).
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {MessageChannel} from 'node:worker_threads';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {InventoryProgress} from '../../source/aws/inventory.js';
import * as source from '../../source/aws/inventory-thread.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {builtDir} from '../support/built-cli.js';
import {loadSnapshotInventoryForTest} from './snapshot-inventory.js';
import {until} from '../support/moto.js';

describe('the inventory thread against the lab', () => {
	let lab: Lab;
	const requests: string[] = [];
	beforeAll(async () => {
		lab = await startLab({simulate: false, maxPageSize: {ec2: 2}, log: (line) => requests.push(line)});
	});
	afterAll(async () => lab?.close());
	const spec = () => ({options: {endpointUrl: lab.endpoint, region: lab.region, debugLogPath: null}, extras: {credentials: lab.credentials, maxAttempts: 2}});

	const moduleFor = async (where: string): Promise<typeof source> => (where.startsWith('in-process') ? source : import(pathToFileURL(path.join(builtDir(), 'aws', 'inventory-thread.js')).href));

	for (const where of ['in-process (source)', 'on a worker thread (built)'] as const) {
		it(`${where}: reads the whole inventory with progress, and reads again on the same thread`, async () => {
			const module = await moduleFor(where);
			const thread = module.startInventoryThread();
			try {
				const progress: InventoryProgress[] = [];
				const first = await thread.read(spec(), (step) => progress.push(step));
				expect(first.inventory).toEqual(await loadSnapshotInventoryForTest());
				expect(first.warnings).toEqual([]);
				expect(progress.at(-1)).toMatchObject({step: 8, steps: 8});
				const again = await thread.read(spec(), () => undefined);
				expect(again.inventory.networkInterfaces.map((eni) => eni.id)).toEqual(first.inventory.networkInterfaces.map((eni) => eni.id));
			} finally {
				await thread.close();
			}
		});

		it(`${where}: a prefetch through a port starts the read; read() takes it (progress replayed) and the lab is read once`, async () => {
			const module = await moduleFor(where);
			const {port1, port2} = new MessageChannel();
			const thread = module.startInventoryThread(port2);
			try {
				requests.length = 0;
				port1.postMessage({kind: 'prefetch', spec: spec()});
				// The prefetch alone reads the lab: wait for its last part to be asked for.
				await until(() => requests.some((line) => line.includes('DescribeInternetGateways')), 10_000, 'the prefetch\'s requests');
				const progress: InventoryProgress[] = [];
				const read = await thread.read(spec(), (step) => progress.push(step));
				expect(read.inventory).toEqual(await loadSnapshotInventoryForTest());
				expect(progress[0]).toMatchObject({step: 1});
				expect(progress.at(-1)).toMatchObject({step: 8, steps: 8});
				const asked = requests.filter((line) => line.includes('DescribeNetworkInterfaces')).length;
				// A second prefetch for the same spec is ignored; a second read reads again.
				thread.prefetch(spec());
				await thread.read(spec(), () => undefined);
				expect(requests.filter((line) => line.includes('DescribeNetworkInterfaces')).length).toBe(asked * 2);
			} finally {
				port1.close();
				await thread.close();
			}
		});

		it(`${where}: a failed read is the SDK's error message, and the thread still serves`, async () => {
			const module = await moduleFor(where);
			const thread = module.startInventoryThread();
			try {
				// Nothing listens on port 1 of loopback: the connection is refused.
				const closed = {options: {...spec().options, endpointUrl: 'http://127.0.0.1:1'}, extras: {...spec().extras, maxAttempts: 1}};
				const local = source.startInventoryThread();
				const inProcess = await local.read(closed, () => undefined).then(() => 'resolved', (error: Error) => error.message);
				await local.close();
				expect(inProcess).toMatch(/ECONNREFUSED|connect/);
				await expect(thread.read(closed, () => undefined)).rejects.toThrow(inProcess);
				await expect(thread.read(spec(), () => undefined)).resolves.toMatchObject({warnings: []});
			} finally {
				await thread.close();
			}
		});
	}
});

import {cp, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {EvidenceError} from '../../source/core/evidence-error.js';
import {loadSnapshot} from '../../source/files/load-snapshot.js';
import type {Snapshot} from '../../source/core/types.js';

const root = path.resolve(import.meta.dirname, '../..');
const demo = path.join(root, 'demo/snapshot');
const fixture = (name: string) => path.join(root, 'test/fixtures/snapshots', name);

const ids = {
	web: 'i-0a1b2c3d4e5f60718',
	app: 'i-0b2c3d4e5f6071829',
	db: 'i-0c3d4e5f607182930',
	bastion: 'i-0d4e5f60718293a41',
	winJump: 'i-0e5f60718293a4b52',
};

async function loadError(dir: string): Promise<EvidenceError> {
	const error = await loadSnapshot(dir).then(
		() => null,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(EvidenceError);
	const message = (error as EvidenceError).message;
	expect(message).not.toContain('\n');
	return error as EvidenceError;
}

describe('the demo snapshot', () => {
	let snapshot: Snapshot;
	beforeAll(async () => {
		snapshot = await loadSnapshot(demo);
	});

	test('loads every part without a warning', () => {
		expect(snapshot.dir).toBe(demo);
		expect(snapshot.warnings).toEqual([]);
		expect(Object.values(snapshot.inventory.known).every(Boolean)).toBe(true);
	});

	test('holds the shop: five instances, their ENIs and a NAT gateway, seven groups, two NACLs, two flow logs', () => {
		const {inventory} = snapshot;
		expect(inventory.instances.map((instance) => [instance.name, instance.id, instance.platform])).toEqual([
			['web-1', ids.web, 'linux'],
			['app-1', ids.app, 'linux'],
			['db-1', ids.db, 'linux'],
			['bastion', ids.bastion, 'linux'],
			['win-jump', ids.winJump, 'windows'],
		]);
		expect(inventory.networkInterfaces).toHaveLength(6);
		expect(inventory.networkInterfaces.find((eni) => eni.interfaceType === 'nat_gateway')).toMatchObject({instanceId: null, groupIds: [], publicIp: '52.30.148.9'});
		expect(inventory.securityGroups.map((group) => group.name).sort()).toEqual(['app-sg', 'bastion-sg', 'db-sg', 'default', 'legacy-ftp', 'web-sg', 'win-jump-rdp']);
		expect(inventory.networkAcls.map((acl) => [acl.isDefault, acl.subnetIds.length])).toEqual([
			[true, 2],
			[false, 1],
		]);
		expect(inventory.flowLogs.map((log) => [log.destinationType, log.maxAggregationInterval, log.trafficType])).toEqual([
			['cloud-watch-logs', 60, 'ALL'],
			['s3', 600, 'ALL'],
		]);
		expect(inventory.prefixLists.map((list) => [list.name, list.cidrs?.length ?? null])).toEqual([
			['com.amazonaws.eu-west-1.dynamodb', null],
			['com.amazonaws.eu-west-1.s3', 4],
		]);
	});

	test('splits the web group\'s HTTPS permission into an IPv4 and an IPv6 rule', () => {
		const web = snapshot.inventory.securityGroups.find((group) => group.name === 'web-sg')!;
		expect(web.ingress.filter((rule) => rule.fromPort === 443).map((rule) => rule.peer)).toEqual([
			{kind: 'cidr4', cidr: '0.0.0.0/0'},
			{kind: 'cidr6', cidr: '::/0'},
		]);
	});

	test('parses every host capture, Linux ss and Windows netstat + tasklist', () => {
		expect(Object.keys(snapshot.hosts).sort()).toEqual(Object.values(ids).sort());
		expect(Object.values(snapshot.hosts).every((host) => host.skipped.length === 0)).toBe(true);
		expect(snapshot.hosts[ids.winJump]?.format).toBe('netstat-windows');
		expect(snapshot.hosts[ids.winJump]?.source).toBe(path.join(demo, 'hosts', `${ids.winJump}.txt`));
		const rdp = snapshot.hosts[ids.winJump]?.listeners.find((listener) => listener.port === 3389 && listener.protocol === 'tcp');
		expect(rdp).toMatchObject({exposure: 'all-interfaces', process: 'svchost.exe'});
		const api = snapshot.hosts[ids.app]?.listeners.find((listener) => listener.port === 8080);
		expect(api).toMatchObject({protocol: 'tcp', address: '127.0.0.1', exposure: 'loopback', process: 'node'});
		expect(snapshot.hosts[ids.db]?.listeners.some((listener) => listener.port === 3306)).toBe(false);
	});

	test('lists one flow log file per instance ENI without reading them', () => {
		const instanceEnis = snapshot.inventory.instances.flatMap((instance) => instance.networkInterfaceIds).sort();
		expect(Object.keys(snapshot.flowLogFiles).sort()).toEqual(instanceEnis);
		for (const [eni, file] of Object.entries(snapshot.flowLogFiles)) expect(file).toBe(path.join(demo, 'flowlogs', `${eni}.log`));
	});
});

describe('partial snapshots: what is missing is unknown', () => {
	test('only security groups, one host and one flow file', async () => {
		const snapshot = await loadSnapshot(fixture('partial'));
		expect(snapshot.inventory.known).toEqual({instances: false, networkInterfaces: false, securityGroups: true, networkAcls: false, flowLogs: false, prefixLists: false, routeTables: false, internetGateways: false});
		expect(snapshot.inventory.securityGroups[0]?.ingress).toEqual([expect.objectContaining({fromPort: 22, peer: {kind: 'cidr4', cidr: '0.0.0.0/0'}})]);
		expect(snapshot.hosts['i-07d1e2f3a4b5c6d78']).toMatchObject({format: 'netstat-linux'});
		expect(snapshot.hosts['i-07d1e2f3a4b5c6d78']?.listeners.map((listener) => `${listener.address}:${listener.port}`)).toEqual(['0.0.0.0:22', '127.0.0.1:5000', ':::22', '127.0.0.1:323']);
		// Nothing to check the host and ENI ids against, so no "not in describe-..." warnings.
		expect(Object.keys(snapshot.flowLogFiles)).toEqual(['eni-0aa1bb2cc3dd4ee5f']);
		expect(snapshot.warnings).toEqual(['hosts/: ignored 1 file not named <instance-id>.txt (README.txt)']);
	});

	test('a host capture that is no listing is a warning and that host stays unknown', async () => {
		const snapshot = await loadSnapshot(fixture('bad-host'));
		expect(Object.keys(snapshot.hosts).sort()).toEqual([ids.db, 'i-0fffffffffffffff0']);
		expect(snapshot.warnings).toHaveLength(2);
		expect(snapshot.warnings[0]).toMatch(new RegExp(`^hosts/${ids.web}\\.txt: not a listener listing.*; what listens on ${ids.web} is unknown$`));
		expect(snapshot.warnings[1]).toBe('hosts/i-0fffffffffffffff0.txt: i-0fffffffffffffff0 is not in aws/describe-instances.json');
	});
});

describe('broken snapshots: one line naming the file', () => {
	test('bad JSON gives the file, the expected shape and the line', async () => {
		const error = await loadError(fixture('bad-json'));
		expect(error.message).toMatch(/^aws\/describe-security-groups\.json: expected \{"SecurityGroups": \[\.\.\.\]\} as `aws ec2 \.\.\. --output json` prints it, line 3: /);
	});

	test('a bare array instead of the CLI\'s wrapper object', async () => {
		const error = await loadError(fixture('wrong-shape'));
		expect(error.message).toBe('aws/describe-instances.json: expected {"Reservations": [...]} as `aws ec2 ... --output json` prints it');
	});

	test('a field of the wrong type is named by its path', async () => {
		const error = await loadError(fixture('bad-field'));
		expect(error.message).toMatch(/^aws\/describe-security-groups\.json: SecurityGroups\[0\]\.IpPermissions\[1\]\.FromPort: .*expected number/);
	});

	test('an invalid CIDR is refused, naming the file and the field (it used to be read as matching nothing)', async () => {
		const error = await loadError(fixture('bad-cidr'));
		expect(error.message).toBe('aws/describe-security-groups.json: SecurityGroups[0].IpPermissions[0].IpRanges[1].CidrIp: "10.0.0.0/33" is not an IPv4 CIDR (address/prefix length)');
	});

	test.each([
		['describe-security-groups.json', (doc: any) => (doc.SecurityGroups[0].IpPermissions[0].Ipv6Ranges = [{CidrIpv6: '10.0.0.0/8'}]), /IpPermissions\[0\]\.Ipv6Ranges\[0\]\.CidrIpv6: "10\.0\.0\.0\/8" is not an IPv6 CIDR/],
		['describe-network-acls.json', (doc: any) => (doc.NetworkAcls[0].Entries[0].CidrBlock = '0.0.0.0'), /NetworkAcls\[0\]\.Entries\[0\]\.CidrBlock: "0\.0\.0\.0" is not an IPv4 CIDR/],
		['describe-route-tables.json', (doc: any) => (doc.RouteTables[0].Routes[0].DestinationCidrBlock = '10.20.0.0/16\u001b]0;x\u0007'), /RouteTables\[0\]\.Routes\[0\]\.DestinationCidrBlock: "10\.20\.0\.0\/16\\u001b\]0;x\\u0007" is not an IPv4 CIDR/],
	])('%s: a bad CIDR field is named', async (file, spoil, message) => {
		const dir = await mkdtemp(path.join(tmpdir(), 'sgtui-bad-cidr-'));
		try {
			await cp(demo, dir, {recursive: true});
			const json = path.join(dir, 'aws', file);
			const doc = JSON.parse(await readFile(json, 'utf8'));
			spoil(doc);
			await writeFile(json, JSON.stringify(doc));
			const error = await loadError(dir);
			expect(error.message.startsWith(`aws/${file}: `)).toBe(true);
			expect(error.message).toMatch(message);
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	});

	test('a missing directory, a file, a directory with no snapshot parts', async () => {
		expect((await loadError(fixture('no-such-snapshot'))).message).toMatch(/no-such-snapshot does not exist$/);
		expect((await loadError(path.join(demo, 'aws/describe-instances.json'))).message).toMatch(/is not a directory$/);
		expect((await loadError(fixture('empty-dir'))).message).toMatch(/is not a snapshot: it has none of aws\/, hosts\/, flowlogs\/$/);
		expect((await loadError(path.join(demo, 'aws'))).message).toMatch(/looks like the aws\/ folder itself — pass its parent directory$/);
	});
});

describe('files as users save them', () => {
	let dir: string;
	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'sgtui-snapshot-'));
	});
	afterAll(async () => {
		await rm(dir, {recursive: true, force: true});
	});

	test('PowerShell 5 redirects (UTF-16LE with BOM) and UTF-8 BOMs are read', async () => {
		const target = path.join(dir, 'encodings');
		await cp(fixture('partial'), target, {recursive: true});
		const groups = await readFile(path.join(target, 'aws/describe-security-groups.json'), 'utf8');
		await writeFile(path.join(target, 'aws/describe-security-groups.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(groups, 'utf16le')]));
		await writeFile(path.join(target, 'aws/describe-flow-logs.json'), '\uFEFF{"FlowLogs": []}\n');
		const snapshot = await loadSnapshot(target);
		expect(snapshot.inventory.securityGroups.map((group) => group.id)).toEqual(['sg-03f1c2d4e5a6b7c80']);
		expect(snapshot.inventory.known.flowLogs).toBe(true);
	});

	test('an empty JSON file is an error, prefix list entries without the list still count, stray files are listed once', async () => {
		const target = path.join(dir, 'stray');
		await cp(fixture('partial'), target, {recursive: true});
		await writeFile(path.join(target, 'aws/get-managed-prefix-list-entries-pl-0aa0bb0cc0dd0ee0f.json'), JSON.stringify({Entries: [{Cidr: '198.51.100.0/24', Description: 'office'}]}));
		await writeFile(path.join(target, 'aws/describe-vpcs.json'), '{"Vpcs": []}');
		await writeFile(path.join(target, 'aws/notes.txt'), 'x');
		await writeFile(path.join(target, 'flowlogs/eni-0aa1bb2cc3dd4ee5f.log.gz'), '');
		await writeFile(path.join(target, 'flowlogs/rejects.csv'), '');
		const snapshot = await loadSnapshot(target);
		expect(snapshot.inventory.prefixLists).toEqual([{id: 'pl-0aa0bb0cc0dd0ee0f', name: 'pl-0aa0bb0cc0dd0ee0f', addressFamily: 'IPv4', cidrs: ['198.51.100.0/24']}]);
		expect(snapshot.inventory.known.prefixLists).toBe(false);
		expect(snapshot.flowLogFiles).toEqual({'eni-0aa1bb2cc3dd4ee5f': path.join(target, 'flowlogs/eni-0aa1bb2cc3dd4ee5f.log')});
		expect(snapshot.warnings).toEqual([
			'aws/: ignored 2 unrecognised files (describe-vpcs.json, notes.txt)',
			'hosts/: ignored 1 file not named <instance-id>.txt (README.txt)',
			'flowlogs/: both eni-0aa1bb2cc3dd4ee5f.log and eni-0aa1bb2cc3dd4ee5f.log.gz; using eni-0aa1bb2cc3dd4ee5f.log',
			'flowlogs/: ignored 1 file not named <eni-id>.log or .log.gz (rejects.csv)',
		]);

		await writeFile(path.join(target, 'aws/describe-network-acls.json'), '  \n');
		expect((await loadError(target)).message).toMatch(/^aws\/describe-network-acls\.json: empty file, expected \{"NetworkAcls": \[\.\.\.\]\}/);
	});

	test('an instance state that is none of EC2\'s is kept apart, read as unknown and named in a warning', async () => {
		const target = path.join(dir, 'odd-state');
		await cp(demo, target, {recursive: true});
		const file = path.join(target, 'aws/describe-instances.json');
		const doc = JSON.parse(await readFile(file, 'utf8')) as {Reservations: Array<{Instances: Array<{State: {Name: string}}>}>};
		doc.Reservations[0]!.Instances[0]!.State.Name = 'hibernated\u001B[2J';
		await writeFile(file, JSON.stringify(doc));
		const snapshot = await loadSnapshot(target);
		expect(snapshot.inventory.instances[0]).toMatchObject({id: ids.web, state: 'unknown', unrecognizedState: 'hibernated\u001B[2J'});
		expect(snapshot.warnings).toEqual([`aws/describe-instances.json: ${ids.web} has the state "hibernated\u001B[2J", none of EC2's (pending, running, shutting-down, terminated, stopping, stopped); read as unknown`]);
	});

	// QA: a symlinked capture used to be skipped without a word ("no listener capture … save one").
	test('symlinked captures inside the snapshot are read; directories and dangling links are named, not silently skipped', async () => {
		const target = path.join(dir, 'links');
		await cp(demo, target, {recursive: true});
		await mkdir(path.join(target, 'captures'));
		const real = path.join(target, 'captures', 'web-listing.txt');
		await rename(path.join(target, 'hosts', `${ids.web}.txt`), real);
		await symlink(real, path.join(target, 'hosts', `${ids.web}.txt`));
		await rm(path.join(target, 'hosts', `${ids.app}.txt`));
		await symlink(path.join(dir, 'nowhere.txt'), path.join(target, 'hosts', `${ids.app}.txt`));
		await rm(path.join(target, 'hosts', `${ids.db}.txt`));
		await mkdir(path.join(target, 'hosts', `${ids.db}.txt`));
		const snapshot = await loadSnapshot(target);
		expect(snapshot.hosts[ids.web]?.listeners.some((listener) => listener.port === 8443)).toBe(true);
		expect(snapshot.hosts[ids.app]).toBeUndefined();
		expect(snapshot.warnings).toContain(`hosts/: ignored 2 entries that are not a readable file (${ids.app}.txt, ${ids.db}.txt)`);
	});

	// A snapshot is handed over, unpacked, shared: a link in it must not make sgtui read the
	// reader's own files (hosts/i-….txt → /etc/shadow), so a link may only point inside it.
	test.each([
		['hosts', `hosts/${ids.web}.txt`],
		['aws', 'aws/describe-instances.json'],
		['flowlogs', 'flowlogs/eni-0f1e2d3c4b5a69788.log'],
	])('%s/ file linked to a file outside the snapshot: refused, one line, before it is read', async (_part, file) => {
		const target = path.join(dir, `outside-${_part}`);
		await cp(demo, target, {recursive: true});
		const outside = path.join(dir, `outside-${_part}.real`);
		await rename(path.join(target, file), outside);
		await symlink(outside, path.join(target, file));
		const error = await loadError(target);
		expect(error.message).toBe(`${file}: a link to ${outside}, outside the snapshot; a snapshot holds only its own files (copy the file in instead)`);
	});

	test('a part directory linked outside the snapshot is refused too', async () => {
		const target = path.join(dir, 'outside-dir');
		await cp(demo, target, {recursive: true});
		const outside = path.join(dir, 'hosts-kept-elsewhere');
		await rename(path.join(target, 'hosts'), outside);
		await symlink(outside, path.join(target, 'hosts'));
		expect((await loadError(target)).message).toMatch(new RegExp(`^hosts/i-[0-9a-f]{17}\\.txt: a link to ${outside.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/i-[0-9a-f]{17}\\.txt, outside the snapshot`));
	});
});

// The bundled demo (demo/snapshot, demo/README.md) is what a new user, the lab and the screenshots
// see first: these tests hold it to its story — each documented problem is found by the engine,
// and the generated flow records agree with the snapshot's own rules.
import {execFile, execFileSync} from 'node:child_process';
import {cp, mkdtemp, readFile, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {beforeAll, describe, expect, test} from 'vitest';
import {audit} from '../../source/core/audit.js';
import {check} from '../../source/core/check.js';
import {addressInCidr} from '../../source/core/cidr.js';
import {createFlowLineParser} from '../../source/core/flow-parser.js';
import type {CheckRequest, FlowRecord, Snapshot, TrafficSource} from '../../source/core/types.js';
import {loadSnapshot} from '../../source/files/load-snapshot.js';
import {skipWithout} from '../support/peers.js';

const root = path.resolve(import.meta.dirname, '../..');
const demo = path.join(root, 'demo/snapshot');

const web = 'i-0a1b2c3d4e5f60718';
const app = 'i-0b2c3d4e5f6071829';
const db = 'i-0c3d4e5f607182930';
const bastion = 'i-0d4e5f60718293a41';
const winJump = 'i-0e5f60718293a4b52';
const webSg = 'sg-0a11b22c33d44e501';
const appSg = 'sg-0b11b22c33d44e502';

let snapshot: Snapshot;
beforeAll(async () => {
	snapshot = await loadSnapshot(demo);
});

function checkDemo(target: string, port: number, source: TrafficSource, clientOs: CheckRequest['clientOs'] = 'linux') {
	return check({inventory: snapshot.inventory, host: snapshot.hosts[target] ?? null, request: {target, protocol: 'tcp', port, source, clientOs}});
}

describe('the problems demo/README.md promises are found', () => {
	test('a missing rule from the office range: web-1\'s admin dashboard on 8443', () => {
		const result = checkDemo(web, 8443, {kind: 'address', address: '198.51.100.23'});
		expect(result.verdict).toBe('blocked-by-security-group');
		expect(result.layers.host.status).toBe('allow');
	});

	test('a web app bound to 127.0.0.1: app-1:8080 from the web tier', () => {
		const result = checkDemo(app, 8080, {kind: 'group', groupId: webSg});
		expect(result.layers.securityGroup.status).toBe('allow');
		expect(result.verdict).toBe('loopback-only');
	});

	test('a NACL that drops return traffic: ssh to the bastion and RDP to win-jump from the office', () => {
		const ssh = checkDemo(bastion, 22, {kind: 'address', address: '198.51.100.23'});
		expect(ssh.verdict).toBe('blocked-by-nacl-return');
		expect(ssh.problems.map((problem) => problem.layer)).toEqual(['naclReturn']);
		expect(checkDemo(winJump, 3389, {kind: 'address', address: '198.51.100.64'}, 'windows').verdict).toBe('blocked-by-nacl-return');
	});

	test('a rule nothing listens on: db-1:3306', () => {
		expect(checkDemo(db, 3306, {kind: 'group', groupId: appSg}).verdict).toBe('not-listening');
	});

	test('what works, works: HTTPS to web-1 from anywhere, postgres from the app tier', () => {
		const https = checkDemo(web, 443, {kind: 'any'});
		expect(https.verdict).toBe('reachable');
		expect(https.layers.route.status).toBe('allow');
		expect(checkDemo(web, 443, {kind: 'address', address: '2001:db8:1f::7'}).verdict).toBe('reachable');
		expect(checkDemo(db, 5432, {kind: 'group', groupId: appSg}).verdict).toBe('reachable');
	});

	test('a host with no way in from the internet: psql from the office straight to db-1 stops at the route layer', () => {
		const result = checkDemo(db, 5432, {kind: 'address', address: '198.51.100.57'});
		expect(result.verdict).toBe('no-route');
		expect(result.layers.route.status).toBe('deny');
		// From inside the VPC (the app tier, or through the bastion) the same port is reachable.
		expect(checkDemo(db, 5432, {kind: 'group', groupId: appSg}).layers.route.status).toBe('allow');
	});

	test('audit: world-open RDP, the unused 3306 rule, the loopback-only 8080 rule, the orphaned legacy-ftp group', () => {
		const findings = audit(snapshot.inventory, snapshot.hosts).map((finding) => `${finding.kind} ${finding.groupId}${finding.rule ? ` ${finding.rule.fromPort}` : ''}`);
		expect(findings).toEqual(
			expect.arrayContaining([
				'world-open-admin-port sg-0e11b22c33d44e505 3389',
				'open-but-unused sg-0c11b22c33d44e503 3306',
				`loopback-only ${appSg} 8080`,
				'unattached-group sg-0711b22c33d44e507',
			]),
		);
	});
});

describe('the flow records agree with the snapshot', () => {
	const records: Array<FlowRecord & {file: string}> = [];
	beforeAll(async () => {
		const format = snapshot.inventory.flowLogs.find((log) => log.destinationType === 'cloud-watch-logs')!.logFormat;
		const parse = createFlowLineParser(format);
		for (const [eni, file] of Object.entries(snapshot.flowLogFiles)) {
			const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
			for (const line of lines) {
				const record = parse(line);
				expect(record, `${eni}: ${line}`).not.toBeNull();
				expect(record!.interfaceId).toBe(eni);
				records.push({...record!, file: eni});
			}
		}
	});

	test('a few hundred records over 30 minutes, NODATA included', () => {
		expect(records.length).toBeGreaterThan(800);
		const starts = records.map((record) => record.start!);
		expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThan(29 * 60);
		expect(records.some((record) => record.logStatus === 'NODATA')).toBe(true);
	});

	test('every inbound connection attempt is accepted exactly when the NACL and security groups allow it', () => {
		const attempts = records.filter((record) => record.logStatus === 'OK' && record.flowDirection === 'ingress' && (record.dstPort as number) < 10000);
		expect(attempts.length).toBeGreaterThan(100);
		const verdicts = new Map<string, boolean>();
		for (const record of attempts) {
			const instance = snapshot.inventory.instances.find((candidate) => candidate.networkInterfaceIds.includes(record.file))!;
			const key = `${instance.id} ${record.srcAddr} ${record.dstPort}`;
			if (!verdicts.has(key)) {
				const result = checkDemo(instance.id, record.dstPort as number, {kind: 'address', address: record.srcAddr as string});
				verdicts.set(key, result.layers.naclInbound.status === 'allow' && result.layers.securityGroup.status === 'allow');
			}
			expect(record.action, key).toBe(verdicts.get(key) ? 'ACCEPT' : 'REJECT');
		}
		expect([...verdicts.values()]).toContain(false);
	});

	test('a reply leaving the public subnet is rejected exactly when NACL rule 120 (1024-32767) does not cover the client port', () => {
		const publicAcl = snapshot.inventory.networkAcls.find((acl) => !acl.isDefault)!;
		const outbound = records.filter((record) => record.flowDirection === 'egress' && record.logStatus === 'OK');
		let checked = 0;
		for (const record of outbound) {
			const subnet = snapshot.inventory.networkInterfaces.find((eni) => eni.id === record.file)!.subnetId;
			if (!publicAcl.subnetIds.includes(subnet)) {
				expect(record.action).toBe('ACCEPT');
				continue;
			}
			// First matching outbound entry, as AWS evaluates a stateless ACL.
			const entry = publicAcl.entries.find(
				(candidate) =>
					candidate.egress &&
					candidate.cidr !== null &&
					addressInCidr(record.dstAddr as string, candidate.cidr) &&
					(candidate.protocol === '-1' || (candidate.protocol === '6' && candidate.portRange!.from <= (record.dstPort as number) && (record.dstPort as number) <= candidate.portRange!.to)),
			)!;
			expect(record.action, `${record.dstAddr}:${record.dstPort}`).toBe(entry.action === 'allow' ? 'ACCEPT' : 'REJECT');
			checked++;
		}
		expect(checked).toBeGreaterThan(20);
		expect(outbound.some((record) => record.action === 'REJECT' && record.srcPort === 22 && record.dstAddr === '198.51.100.23')).toBe(true);
	});

	test('the office\'s dashboard attempts show as REJECTs on web-1', () => {
		const webEni = snapshot.inventory.instances.find((instance) => instance.id === web)!.networkInterfaceIds[0];
		const rejects = records.filter((record) => record.file === webEni && record.dstPort === 8443);
		expect(rejects.length).toBeGreaterThan(5);
		expect(new Set(rejects.map((record) => record.action))).toEqual(new Set(['REJECT']));
		expect(rejects.every((record) => addressInCidr(record.srcAddr as string, '198.51.100.0/24'))).toBe(true);
	});
});

test('demo/generate-flows.mjs reproduces the committed flow files byte for byte', async () => {
	const copy = await mkdtemp(path.join(tmpdir(), 'sgtui-demo-'));
	try {
		await cp(path.join(demo, 'aws'), path.join(copy, 'aws'), {recursive: true});
		await promisify(execFile)(process.execPath, [path.join(root, 'demo/generate-flows.mjs'), copy]);
		const names = (await readdir(path.join(demo, 'flowlogs'))).sort();
		expect((await readdir(path.join(copy, 'flowlogs'))).sort()).toEqual(names);
		for (const name of names) {
			expect(await readFile(path.join(copy, 'flowlogs', name), 'utf8'), name).toBe(await readFile(path.join(demo, 'flowlogs', name), 'utf8'));
		}
	} finally {
		await rm(copy, {recursive: true, force: true});
	}
});

// botocore's service model is an independent statement of what `aws ec2 describe-* --output json`
// can print: every member name, type and enum value of the demo's JSON is checked against it.
const BOTOCORE_CHECK = String.raw`
import json, os, sys
import botocore.session
model = botocore.session.get_session().get_service_model('ec2')
operations = {
    'describe-instances.json': 'DescribeInstances',
    'describe-network-interfaces.json': 'DescribeNetworkInterfaces',
    'describe-security-groups.json': 'DescribeSecurityGroups',
    'describe-network-acls.json': 'DescribeNetworkAcls',
    'describe-flow-logs.json': 'DescribeFlowLogs',
    'describe-managed-prefix-lists.json': 'DescribeManagedPrefixLists',
    'describe-route-tables.json': 'DescribeRouteTables',
    'describe-internet-gateways.json': 'DescribeInternetGateways',
}
errors = []
def walk(shape, value, where):
    kind = shape.type_name
    if kind == 'structure':
        if not isinstance(value, dict): return errors.append(where + ': expected an object')
        for key, item in value.items():
            if key not in shape.members: errors.append(where + '.' + key + ': not a member of ' + shape.name)
            else: walk(shape.members[key], item, where + '.' + key)
    elif kind == 'list':
        if not isinstance(value, list): return errors.append(where + ': expected a list')
        for index, item in enumerate(value): walk(shape.member, item, where + '[' + str(index) + ']')
    elif kind == 'string':
        if not isinstance(value, str): errors.append(where + ': expected a string')
        elif shape.enum and value not in shape.enum: errors.append(where + ': ' + value + ' not in ' + shape.name)
    elif kind in ('integer', 'long'):
        if type(value) is not int: errors.append(where + ': expected an integer')
    elif kind == 'boolean':
        if type(value) is not bool: errors.append(where + ': expected a boolean')
    elif kind == 'timestamp':
        if not isinstance(value, str): errors.append(where + ': expected a timestamp')
aws = os.path.join(sys.argv[1], 'aws')
for name in sorted(os.listdir(aws)):
    operation = operations.get(name) or ('GetManagedPrefixListEntries' if name.startswith('get-managed-prefix-list-entries-') else None)
    if operation is None: errors.append(name + ': unexpected file')
    else: walk(model.operation_model(operation).output_shape, json.load(open(os.path.join(aws, name))), name)
print(json.dumps(errors))
`;


test.skipIf(skipWithout('botocore'))('the demo\'s aws/*.json has exactly the members and types botocore\'s EC2 model defines', () => {
	const errors = JSON.parse(execFileSync('python3', ['-c', BOTOCORE_CHECK, demo], {encoding: 'utf8'})) as string[];
	// The API sends these values although the models' enums lag behind: Platform is "windows" in
	// every DescribeInstances response, the API reference lists "nat_gateway" as an InterfaceType, and
	// an internet gateway's attachment state is "available" when attached (InternetGatewayAttachment).
	expect(errors).toEqual([
		'describe-instances.json.Reservations[4].Instances[0].Platform: windows not in PlatformValues',
		'describe-internet-gateways.json.InternetGateways[0].Attachments[0].State: available not in AttachmentStatus',
		'describe-network-interfaces.json.NetworkInterfaces[5].InterfaceType: nat_gateway not in NetworkInterfaceType',
	]);
});

// An independent, brute-force reading of the route tables (VPC user guide, "Route priority":
// the most specific matching route wins; a subnet without an explicit association uses the main
// table), to hold the demo's routes to its own flow records.
describe('the routes agree with the shop and its flow records', () => {
	const vpcCidrs = ['10.20.0.0/16', '2a05:d018:1f4:3c00::/56'];
	const inVpc = (address: string) => vpcCidrs.some((cidr) => addressInCidr(address, cidr));

	function tableOf(subnetId: string) {
		const tables = snapshot.inventory.routeTables;
		return tables.find((table) => table.subnetIds.includes(subnetId)) ?? tables.find((table) => table.main)!;
	}

	function bestRoute(subnetId: string, address: string) {
		let best: {length: number; target: string} | null = null;
		for (const route of tableOf(subnetId).routes) {
			if (route.state !== 'active') continue;
			const cidrs = route.destination.kind === 'prefix-list' ? (snapshot.inventory.prefixLists.find((list) => list.id === (route.destination as {prefixListId: string}).prefixListId)?.cidrs ?? []) : [route.destination.cidr];
			for (const cidr of cidrs) {
				const length = Number(cidr.split('/')[1]);
				if (addressInCidr(address, cidr) && (!best || length > best.length)) best = {length, target: route.target.kind === 'local' ? 'local' : route.target.id};
			}
		}
		return best?.target ?? null;
	}

	const eniOf = (id: string) => snapshot.inventory.networkInterfaces.find((eni) => eni.id === id)!;
	const igw = 'igw-0c3d4e5f6a7b80912';
	const nat = 'nat-0a9b8c7d6e5f40312';
	const tgw = 'tgw-0e7f8091a2b3c4d5e';
	const records: FlowRecord[] = [];
	beforeAll(async () => {
		const parse = createFlowLineParser(snapshot.inventory.flowLogs.find((log) => log.destinationType === 'cloud-watch-logs')!.logFormat);
		for (const file of Object.values(snapshot.flowLogFiles)) {
			records.push(...(await readFile(file, 'utf8')).trimEnd().split('\n').map((line) => parse(line)!).filter((record) => record.logStatus === 'OK'));
		}
	});

	test('every table has a local route for each VPC CIDR; the one internet gateway is attached to the VPC', () => {
		for (const table of snapshot.inventory.routeTables) {
			for (const cidr of vpcCidrs) {
				expect(table.routes, `${table.id} ${cidr}`).toContainEqual(expect.objectContaining({destination: {kind: cidr.includes(':') ? 'cidr6' : 'cidr4', cidr}, target: {kind: 'local'}}));
			}
		}
		expect(snapshot.inventory.internetGateways.map((gateway) => [gateway.id, gateway.attachedVpcIds])).toEqual([[igw, ['vpc-0e5d4c3b2a1908f7e']]]);
		expect(snapshot.inventory.routeTables.filter((table) => table.main)).toHaveLength(1);
	});

	test('the public and app subnets route to the internet gateway (IPv4 and IPv6), the data subnet through the NAT gateway, which sits in the public subnet', () => {
		expect(bestRoute('subnet-0a4b5c6d7e8f90a12', '192.0.2.1')).toBe(igw);
		expect(bestRoute('subnet-0b5c6d7e8f90a1b23', '2001:db8::1')).toBe(igw);
		expect(bestRoute('subnet-0b5c6d7e8f90a1b23', '203.0.113.80')).toBe(tgw);
		expect(bestRoute('subnet-0c6d7e8f90a1b2c34', '198.51.100.23')).toBe(nat);
		expect(tableOf('subnet-0c6d7e8f90a1b2c34').main).toBe(true);
		const natEni = snapshot.inventory.networkInterfaces.find((eni) => eni.interfaceType === 'nat_gateway')!;
		expect(natEni.description).toContain(nat);
		expect(bestRoute(natEni.subnetId, '203.0.113.80')).toBe(igw);
	});

	test('a connection from outside the VPC reaches an instance only through the internet gateway, to its public or IPv6 address', () => {
		// Inbound attempts: a service port on the ENI, from outside (replies to the ENI's own connections excluded).
		const inbound = records.filter((record) => record.flowDirection === 'ingress' && !inVpc(record.srcAddr as string) && !((record.srcPort as number) < (record.dstPort as number) && (record.dstPort as number) >= 1024));
		expect(inbound.length).toBeGreaterThan(100);
		for (const record of inbound) {
			const eni = eniOf(record.interfaceId as string);
			const where = `${record.srcAddr} → ${eni.id}:${record.dstPort}`;
			expect(bestRoute(eni.subnetId, record.srcAddr as string), where).toBe(igw);
			expect((record.srcAddr as string).includes(':') ? eni.ipv6Addresses.length : eni.publicIp === null ? 0 : 1, where).toBeGreaterThan(0);
		}
	});

	test('outbound traffic-path agrees with the route: 8 internet gateway, 7 gateway endpoint, 1 (to outside the VPC) a NAT or transit gateway', () => {
		const outbound = records.filter((record) => record.flowDirection === 'egress' && !inVpc(record.dstAddr as string));
		const seen = new Set<number>();
		for (const record of outbound) {
			const target = bestRoute(eniOf(record.interfaceId as string).subnetId, record.dstAddr as string);
			const where = `${record.interfaceId} → ${record.dstAddr}:${record.dstPort} path ${record.trafficPath}`;
			if (record.trafficPath === '-' || record.trafficPath === null) continue;
			seen.add(record.trafficPath as number);
			const expected = {8: [igw], 7: ['vpce-0f1a2b3c4d5e60718'], 1: [nat, tgw]}[record.trafficPath as 1 | 7 | 8];
			expect(expected, where).toContain(target);
		}
		expect([...seen].sort()).toEqual([1, 7, 8]);
	});
});

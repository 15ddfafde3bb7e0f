import {mkdir, mkdtemp, readFile, rm, symlink, writeFile, cp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {DescribeInternetGatewaysCommand, DescribeRouteTablesCommand} from '@aws-sdk/client-ec2';
import {EvidenceError} from '../../source/core/evidence-error.js';
import {loadSnapshot} from '../../source/files/load-snapshot.js';
import {decodeQuery} from '../../source/lab/ec2-query.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {labInventory} from '../../source/lab/snapshot-state.js';
import {loadLabSshHosts} from '../../source/lab/host-answers.js';
import {FIXTURE, IDS, ec2Client} from './lab-helpers.js';

let dir: string | null = null;
let lab: Lab | null = null;
afterEach(async () => {
	await lab?.close();
	lab = null;
	if (dir) await rm(dir, {recursive: true, force: true});
	dir = null;
});

async function copyFixture(): Promise<string> {
	dir = await mkdtemp(path.join(tmpdir(), 'sgtui-lab-'));
	await cp(FIXTURE, dir, {recursive: true});
	return dir;
}

describe('loading a snapshot', () => {
	it('names the file when a describe document is not valid JSON or has the wrong shape (the snapshot reader check and audit use)', async () => {
		const root = await copyFixture();
		const acls = path.join(root, 'aws', 'describe-network-acls.json');
		const expected = 'aws/describe-network-acls.json: expected {"NetworkAcls": [...]} as `aws ec2 ... --output json` prints it';
		await writeFile(acls, '{"NetworkAcls": [');
		await expect(startLab({snapshotDir: root, simulate: false})).rejects.toThrow(new EvidenceError(`${expected}, line 1: Unexpected end of JSON input`));
		await expect(startLab({snapshotDir: root, simulate: false})).rejects.toBeInstanceOf(EvidenceError);
		await writeFile(acls, '{"Acls": []}');
		await expect(startLab({snapshotDir: root, simulate: false})).rejects.toThrow(new EvidenceError(expected));
		// Validated, not only parsed: a rule action the old reader let through.
		await writeFile(acls, JSON.stringify({NetworkAcls: [{NetworkAclId: 'acl-0123456789abcdef0', Entries: [{RuleNumber: 100, Protocol: '-1', RuleAction: 'maybe', Egress: false, CidrBlock: '0.0.0.0/0'}]}]}));
		await expect(startLab({snapshotDir: root, simulate: false})).rejects.toThrow(/^aws\/describe-network-acls\.json: NetworkAcls\[0\]\.Entries\[0\]\.RuleAction: /);
		await expect(loadSnapshot(root)).rejects.toThrow(/^aws\/describe-network-acls\.json: NetworkAcls\[0\]\.Entries\[0\]\.RuleAction: /);
	});

	it('reads the files as the snapshot reader does: a BOM or UTF-16 (PowerShell >) is fine, unknown files are counted', async () => {
		const root = await copyFixture();
		const groupsFile = path.join(root, 'aws', 'describe-security-groups.json');
		const text = await readFile(groupsFile, 'utf8');
		await writeFile(groupsFile, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
		await writeFile(path.join(root, 'aws', 'notes.txt'), 'hello');
		lab = await startLab({snapshotDir: root, simulate: false});
		expect(lab.state.securityGroups.map((group) => group.GroupId)).toContain(IDS.sgWeb);
		expect(lab.state.securityGroups).toHaveLength(JSON.parse(text).SecurityGroups.length);
		expect(lab.warnings).toContain('aws/: ignored 1 unrecognised file (notes.txt)');
	});

	it('a snapshot from before route tables (no describe-route-tables.json / describe-internet-gateways.json) still serves, and the lab\'s own view keeps routes unknown', async () => {
		const root = await copyFixture();
		await rm(path.join(root, 'aws', 'describe-route-tables.json'));
		await rm(path.join(root, 'aws', 'describe-internet-gateways.json'));
		lab = await startLab({snapshotDir: root, simulate: false});
		const ec2 = ec2Client(lab);
		expect((await ec2.send(new DescribeRouteTablesCommand({}))).RouteTables).toEqual([]);
		expect((await ec2.send(new DescribeInternetGatewaysCommand({}))).InternetGateways).toEqual([]);
		const inventory = labInventory(lab.state);
		expect([inventory.known.routeTables, inventory.known.internetGateways, inventory.known.securityGroups]).toEqual([false, false, true]);
		expect((await loadSnapshot(root)).inventory.known.routeTables).toBe(false);
	});

	it('a broken route table file is refused with its path, like every describe document', async () => {
		const root = await copyFixture();
		await writeFile(path.join(root, 'aws', 'describe-route-tables.json'), JSON.stringify({RouteTables: [{RouteTableId: 'rtb-0a0000000000000a1', Routes: [{DestinationCidrBlock: 10}]}]}));
		await expect(startLab({snapshotDir: root, simulate: false})).rejects.toThrow(/^aws\/describe-route-tables\.json: RouteTables\[0\]\.Routes\[0\]\.DestinationCidrBlock: /);
		await writeFile(path.join(root, 'aws', 'describe-route-tables.json'), '{"RouteTables": []}');
		await writeFile(path.join(root, 'aws', 'describe-internet-gateways.json'), '{"Gateways": []}');
		await expect(loadSnapshot(root)).rejects.toThrow('aws/describe-internet-gateways.json: expected {"InternetGateways": [...]} as `aws ec2 ... --output json` prints it');
	});

	it('refuses a missing directory', async () => {
		await expect(startLab({snapshotDir: '/nonexistent/snapshot', simulate: false})).rejects.toThrow(/snapshot directory not found/);
	});

	it('starts empty without an aws/ directory, and says so', async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'sgtui-lab-'));
		lab = await startLab({snapshotDir: dir, simulate: false});
		expect(lab.state.securityGroups).toEqual([]);
		expect(lab.warnings.join('\n')).toMatch(/no such directory/);
		expect(lab.region).toBe('eu-west-1');
		expect(lab.accountId).toBe('123456789012');
	});

	it('counts malformed flow lines, uses an S3-style header line, and reports ENIs no CloudWatch flow log covers', async () => {
		const root = await copyFixture();
		const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
		await writeFile(
			path.join(root, 'flowlogs', `${IDS.eniWindows}.log`),
			[header, `2 111122223333 ${IDS.eniWindows} 192.0.2.9 10.0.1.30 50000 3389 6 3 180 1767225600 1767225660 ACCEPT OK`, 'garbage line', ''].join('\n'),
		);
		await writeFile(path.join(root, 'flowlogs', 'eni-0bad000000000000f.log'), `2 111122223333 eni-0bad000000000000f 1.2.3.4 10.9.9.9 1 2 6 1 1 1767225600 1767225660 REJECT OK\n`);
		lab = await startLab({snapshotDir: root, simulate: false});
		expect(lab.warnings).toEqual([
			`flowlogs/eni-0bad000000000000f.log: no CloudWatch Logs flow log covers eni-0bad000000000000f; its records were not loaded`,
			`flowlogs/${IDS.eniWindows}.log: 1 line(s) do not match the format and were skipped`,
		]);
		const windows = lab.state.logs.groups.get(IDS.flowGroup)!.streams.get(IDS.eniWindows)!;
		expect(windows.events.map((event) => event.message.split(' ')[3])).toEqual(['192.0.2.9']);
	});

	it('a flow log or host file linked outside the snapshot is refused like the readers of check and audit refuse it', async () => {
		const root = await copyFixture();
		const outside = path.join(root, '..', `${path.basename(root)}-outside.log`);
		try {
			await writeFile(outside, `2 111122223333 ${IDS.eniWindows} 192.0.2.9 10.0.1.30 50000 3389 6 3 180 1767225600 1767225660 ACCEPT OK\n`);
			const link = path.join(root, 'flowlogs', `${IDS.eniWindows}.log`);
			await rm(link, {force: true});
			await symlink(outside, link);
			await expect(startLab({snapshotDir: root, simulate: false})).rejects.toThrow(`flowlogs/${IDS.eniWindows}.log: a link to ${outside}, outside the snapshot`);
			await rm(link);
			await mkdir(path.join(root, 'hosts'), {recursive: true});
			const host = path.join(root, 'hosts', 'i-0aaaaaaaaaaaaaaa1.txt');
			await symlink(outside, host);
			await expect(loadLabSshHosts(root)).rejects.toThrow('hosts/i-0aaaaaaaaaaaaaaa1.txt: a link to');
		} finally {
			await rm(outside, {force: true});
		}
	});

	it('takes the account and region from the snapshot', async () => {
		lab = await startLab({snapshotDir: FIXTURE, simulate: false});
		expect(lab.accountId).toBe('111122223333');
		expect(lab.region).toBe('eu-west-1');
		expect(lab.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
	});
});

describe('query form decoding', () => {
	it('builds nested lists and structures from Name.N keys', () => {
		expect(decodeQuery('Action=X&Filter.1.Name=vpc-id&Filter.1.Value.1=a&Filter.1.Value.2=b&Filter.2.Name=tag%3AName&Filter.2.Value.1=web&GroupId.1=sg-1')).toEqual({
			Action: 'X',
			Filter: [
				{Name: 'vpc-id', Value: ['a', 'b']},
				{Name: 'tag:Name', Value: ['web']},
			],
			GroupId: ['sg-1'],
		});
	});

	it('ignores keys that would reach Object.prototype', () => {
		const decoded = decodeQuery('__proto__.polluted=yes&Filter.1.constructor.x=1&Action=Y');
		expect(decoded).toEqual({Action: 'Y', });
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});

import {spawn} from 'node:child_process';
import {cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseCheckRequest, run, type CheckIo} from '../../source/cli/commands/check.js';
import {InputError, UsageError} from '../../source/cli/errors.js';
import {EvidenceError} from '../../source/core/evidence-error.js';
import {builtCli, builtDir, runCli} from '../support/built-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const snapshot = join(root, 'demo/snapshot');
const WEB = 'i-0a1b2c3d4e5f60718';
const BASTION = 'i-0d4e5f60718293a41';
const APP = 'i-0b2c3d4e5f6071829';
const DB = 'i-0c3d4e5f607182930';
const RDP = 'i-0e5f60718293a4b52';

function capture(): {io: CheckIo; out: () => string; err: () => string} {
	let out = '';
	let err = '';
	return {io: {stdout: {write: (text: string) => (out += text)}, stderr: {write: (text: string) => (err += text)}}, out: () => out, err: () => err};
}

async function check(target: string, options: Record<string, unknown>) {
	const c = capture();
	const code = await run({snapshot, ...options}, [target], c.io);
	return {code, out: c.out(), err: c.err()};
}

describe('parseCheckRequest', () => {
	it('builds the request from flags', () => {
		expect(parseCheckRequest('i-0abc1234', {port: '8443', from: '203.0.113.25'})).toEqual({target: 'i-0abc1234', protocol: 'tcp', port: 8443, source: {kind: 'address', address: '203.0.113.25'}, clientOs: 'linux'});
		expect(parseCheckRequest('eni-0abc1234', {port: '8', protocol: 'icmp', from: '10.0.0.0/16', clientOs: 'windows'}).source).toEqual({kind: 'cidr', cidr: '10.0.0.0/16'});
		expect(parseCheckRequest('i-0abc1234', {port: '22', from: 'sg-0abc1234'}).source).toEqual({kind: 'group', groupId: 'sg-0abc1234'});
		expect(parseCheckRequest('i-0abc1234', {port: '22'}).source).toEqual({kind: 'any'});
		expect(parseCheckRequest('i-0abc1234', {port: '0', protocol: 'icmp'}).port).toBe(0);
	});

	it.each([
		[['i-0abc1234', {port: '0'}], '--port must be a number from 1 to 65535, got "0"'],
		[['i-0abc1234', {port: '65536'}], '--port must be a number from 1 to 65535, got "65536"'],
		[['i-0abc1234', {port: 'ssh'}], '--port must be a number from 1 to 65535, got "ssh"'],
		[['i-0abc1234', {port: '256', protocol: 'icmp'}], '--port is the ICMP type for --protocol icmp: a number from 0 to 255 (8 = echo request), got "256"'],
		[['i-0abc1234', {port: '22', from: '10.0.0.300'}], '--from must be an IP address, a CIDR or a security group id (sg-…), got "10.0.0.300"'],
		[['i-0abc1234', {port: '22', from: '10.0.0.0/40'}], '--from must be an IP address, a CIDR or a security group id (sg-…), got "10.0.0.0/40"'],
		[['vpc-1', {port: '22'}], 'TARGET "vpc-1" is not an instance id (i-…) or a network interface id (eni-…): the prefix, a dash, then 8 or 17 lowercase hex digits'],
		[['i-0ABC1234', {port: '22'}], 'TARGET "i-0ABC1234" is not an instance id (i-…) or a network interface id (eni-…): the prefix, a dash, then 8 or 17 lowercase hex digits'],
		[['eni-0abc', {port: '22'}], 'TARGET "eni-0abc" is not an instance id (i-…) or a network interface id (eni-…): the prefix, a dash, then 8 or 17 lowercase hex digits'],
		[['i-0abc1234', {port: '22', from: 'sg-0abc;id'}], '--from "sg-0abc;id" is not a security group id (sg-…): the prefix, a dash, then 8 or 17 lowercase hex digits'],
		[['i-0abc1234', {port: '22', from: 'sg-12345678\u001b]0;x\u0007'}], '--from "sg-12345678\u001b]0;x\u0007" is not a security group id (sg-…): the prefix, a dash, then 8 or 17 lowercase hex digits'],
		[['i-0abc1234', {port: '22', from: 'fe80::1%eth0'}], '--from "fe80::1%eth0" is link-local (fe80::/10): routers never forward a link-local packet off its link (RFC 4291 §2.5.6), so it cannot reach another interface through the VPC and no security-group or NACL rule changes that; give the client\'s private or public address'],
		[['i-0abc1234', {port: '22', from: '169.254.10.20'}], '--from "169.254.10.20" is link-local (169.254.0.0/16): routers never forward a link-local packet off its link (RFC 3927 §2.7), so it cannot reach another interface through the VPC and no security-group or NACL rule changes that; give the client\'s private or public address'],
		[['i-0abc1234', {port: '22', from: 'fe80::/64'}], '--from "fe80::/64" is link-local (fe80::/10): routers never forward a link-local packet off its link (RFC 4291 §2.5.6), so it cannot reach another interface through the VPC and no security-group or NACL rule changes that; give the client\'s private or public address'],
		[['i-0abc1234', {port: '22', from: '2001:db8::1%eth0'}], '--from "2001:db8::1%eth0" has a zone ("%eth0"), which only a link-local address takes (RFC 4007 §11): give the address without it'],
		[['i-0abc1234', {port: '22', protocol: 'sctp'}], '--protocol must be tcp, udp or icmp, got "sctp"'],
		[['i-0abc1234', {port: '22', clientOs: 'mac'}], '--client-os must be linux, windows or nat, got "mac"'],
	] as const)('rejects bad input with one line: %j', ([target, options], message) => {
		expect(() => parseCheckRequest(target, options)).toThrow(new UsageError(message));
	});
});

describe('sgtui check on the demo snapshot (in process)', () => {
	it('blocked by the security group: the narrow fix and the observed REJECTs', async () => {
		const {code, out, err} = await check(WEB, {port: '8443', from: '198.51.100.23'});
		expect(code).toBe(1);
		expect(err).toBe('');
		expect(out).toContain('Verdict: NOT REACHABLE — blocked by the security groups');
		expect(out).toMatch(/✔ NACL inbound +acl-0a1b2c3d4e5f60789 allows inbound tcp 8443 from 198\.51\.100\.23 \(rule 100\)\./);
		expect(out).toMatch(/✘ Security groups +No rule of sg-0a11b22c33d44e501 allows tcp\/8443 from 198\.51\.100\.23\./);
		expect(out).toMatch(/✔ Host listener +nginx \(pid \d+\) on 0\.0\.0\.0:8443/);
		// The client's own layers were not checked: a dash, never a tick.
		expect(out).toMatch(/^ {2}– Client security groups +Not evaluated: /m);
		expect(out).not.toMatch(/✔ Client/);
		expect(out).toContain(`aws ec2 authorize-security-group-ingress --group-id sg-0a11b22c33d44e501 --ip-permissions 'IpProtocol=tcp,FromPort=8443,ToPort=8443,IpRanges=[{CidrIp=198.51.100.23/32,Description="sgtui: tcp 8443 from 198.51.100.23"}]'`);
		expect(out).toContain('6 inbound REJECT record(s) for tcp/8443 from 198.51.100.23 (2025-06-02T09:04:35Z – 2025-06-02T09:23:04Z)');
		expect(out).not.toContain('0.0.0.0/0,');
	});

	it('the bastion: SSH allowed in, the reply dropped by the NACL for a Linux client', async () => {
		const {code, out} = await check(BASTION, {port: '22', from: '198.51.100.23'});
		expect(code).toBe(1);
		expect(out).toContain('Verdict: NOT REACHABLE — the network ACL drops the reply');
		expect(out).toContain('--rule-number 140 --egress --protocol tcp --port-range From=32768,To=60999 --cidr-block 198.51.100.23/32 --rule-action allow');
		expect(out).toContain('was ACCEPTed, but 5 reply record(s) from port 22 were REJECTed outbound');
	});

	it('RDP from a Windows client: the return path fails for 49152–65535', async () => {
		const {out} = await check(RDP, {port: '3389', from: '192.0.2.134', clientOs: 'windows'});
		expect(out).toContain('Client ephemeral ports: 49152–65535 (Windows client)');
		expect(out).toContain('--port-range From=49152,To=65535 --cidr-block 192.0.2.134/32');
	});

	it('loopback-only and not-listening from a security-group source', async () => {
		const app = await check(APP, {port: '8080', from: 'sg-0a11b22c33d44e501'});
		expect(app.out).toContain('Verdict: NOT REACHABLE — the service listens on loopback only');
		expect(app.out).toContain('Bind the service to 0.0.0.0 (or the instance\'s private IP 10.20.2.20) instead of 127.0.0.1');
		const db = await check(DB, {port: '3306', from: 'sg-0b11b22c33d44e502', json: true});
		expect(db.code).toBe(1);
		const result = JSON.parse(db.out);
		expect(result.verdict).toBe('not-listening');
		expect(result.problems).toHaveLength(1);
		expect(result.problems[0]).toMatchObject({layer: 'host', decidingRule: null});
		expect(result.layers.host.summary).toBe('Nothing listens on tcp 3306 on i-0c3d4e5f607182930 (tcp ports listening from outside: 22, 5432).');
	});

	it('reachable exits 0, with JSON naming every deciding rule', async () => {
		const {code, out} = await check(DB, {port: '5432', from: 'sg-0b11b22c33d44e502', json: true});
		expect(code).toBe(0);
		const result = JSON.parse(out);
		expect(result.verdict).toBe('reachable');
		expect(result.problems).toEqual([]);
		expect(result.layers.securityGroup.rules[0]).toMatchObject({kind: 'security-group', groupId: 'sg-0c11b22c33d44e503'});
		expect(result.layers.naclInbound.rules[0]).toMatchObject({kind: 'network-acl', aclId: 'acl-0a1b2c3d4e5f60789', ruleNumber: 100});
		expect(result.observed.available).toBe(true);
		expect(result.observed.accepts.count).toBeGreaterThan(0);
	});

	it('an unknown target is one line of evidence error', async () => {
		await expect(check('i-0000000000000000f', {port: '22'})).rejects.toThrow(new EvidenceError('instance i-0000000000000000f is not in the snapshot (5 instances known)'));
	});
});

describe('sgtui check on a snapshot with missing pieces', () => {
	let dir = '';
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'sgtui-check-'));
		cpSync(snapshot, dir, {recursive: true});
		rmSync(join(dir, 'hosts', `${WEB}.txt`));
		rmSync(join(dir, 'aws', 'describe-network-acls.json'));
		// A gzipped flow log with one broken line: still read, the skip is reported.
		const log = readFileSync(join(snapshot, 'flowlogs/eni-0f1e2d3c4b5a69788.log'), 'utf8');
		rmSync(join(dir, 'flowlogs/eni-0f1e2d3c4b5a69788.log'));
		writeFileSync(join(dir, 'flowlogs/eni-0f1e2d3c4b5a69788.log.gz'), gzipSync(`${log}this is not a record\n`));
	});
	afterAll(() => rmSync(dir, {recursive: true, force: true}));

	it('says what is unknown instead of guessing', async () => {
		const c = capture();
		const code = await run({snapshot: dir, port: '443', from: '198.51.100.23'}, [WEB], c.io);
		expect(code).toBe(1);
		const out = c.out();
		expect(out).toContain('Verdict: UNKNOWN');
		expect(out).toMatch(/\? NACL inbound +network ACLs were not captured/);
		expect(out).toContain(`? no listener capture for ${WEB}: cannot tell whether anything listens on tcp 443 (save one as hosts/${WEB}.txt)`);
		expect(out).toContain('skipped 1 malformed line, first at line');
	});
});

// A LogFormat in the snapshot that is not a format ended check with the parser's bare message
// ('invalid flow log format field "${Dst}"'): nothing said which flow log or which file held it.
describe('sgtui check on a snapshot whose flow log has a broken LogFormat', () => {
	let dir = '';
	beforeAll(() => {
		// The directory name holds a screen clear: shown escaped, like the format's own text.
		dir = join(mkdtempSync(join(tmpdir(), 'sgtui-check-')), 'snap\u001b[2J');
		cpSync(snapshot, dir, {recursive: true});
		const file = join(dir, 'aws', 'describe-flow-logs.json');
		const flowLogs = JSON.parse(readFileSync(file, 'utf8')) as {FlowLogs: Array<{LogFormat: string}>};
		for (const flowLog of flowLogs.FlowLogs) flowLog.LogFormat = '${srcaddr} ${Dst\u001b]0;x\u0007} ${action}';
		writeFileSync(file, JSON.stringify(flowLogs));
	});
	afterAll(() => rmSync(dirname(dir), {recursive: true, force: true}));

	const expected = (shown: string) =>
		`flow log fl-0a1b2c3d4e5f67890 in ${shown}/aws/describe-flow-logs.json: its LogFormat cannot be read: invalid flow log format field "\${Dst\\x1b]0;x\\x07}" (expected \${field-name})`;

	it('names the flow log and the snapshot file, as one inert line', async () => {
		const attempt = run({snapshot: dir, port: '22'}, [WEB], capture().io);
		await expect(attempt).rejects.toBeInstanceOf(InputError);
		await expect(attempt).rejects.toThrow(expected(dir.replace('\u001b', '\\x1b')));
	});

	it('built CLI: exit 2, that line on stderr, nothing raw', () => {
		const result = runCli(['check', WEB, '--port', '22', '--snapshot', dir]);
		expect(result.stderr).toBe(`sgtui: ${expected(dir.replace('\u001b', '\\x1b'))}\n`);
		expect(result.status).toBe(2);
		expect(result.stdout).toBe('');
	});
});

describe('sgtui check: flow records it cannot read, and who the REJECTs came from', () => {
	let dir = '';
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'sgtui-check-'));
		cpSync(snapshot, dir, {recursive: true});
		// Without DescribeFlowLogs the custom LogFormat is unknown: the default v2 format reads nothing.
		rmSync(join(dir, 'aws', 'describe-flow-logs.json'));
	});
	afterAll(() => rmSync(dir, {recursive: true, force: true}));

	it('a flow log file in an unknown format is said to be unreadable, not "no records"', async () => {
		const c = capture();
		const code = await run({snapshot: dir, port: '8443', from: '198.51.100.23', json: true}, [WEB], c.io);
		expect(code).toBe(1);
		const result = JSON.parse(c.out());
		expect(result.verdict).toBe('blocked-by-security-group');
		expect(result.observed.available).toBe(false);
		expect(result.observed.note).toMatch(/^none of the 432 line\(s\) of flowlogs\/eni-0f1e2d3c4b5a69788\.log is a flow record in the default v2 format \(the flow log's LogFormat is unknown/);
	});

	it('breaks the REJECTs down by address only when the source is more than one address', async () => {
		const one = await check(WEB, {port: '8443', from: '198.51.100.23'});
		expect(one.out).not.toContain('REJECTs by source address');
		const range = await check(WEB, {port: '8443', from: '198.51.100.0/24'});
		expect(range.out).toContain('9 inbound REJECT record(s) for tcp/8443 from 198.51.100.0/24');
		expect(range.out).toMatch(/REJECTs by source address:\n +198\.51\.100\.23: 6 REJECT record\(s\)\n +198\.51\.100\.41: 3 REJECT record\(s\)\n/);
	});

	it('the default source (anywhere) gets one world rule with a warning, not dozens of ranges', async () => {
		const {out} = await check(BASTION, {port: '22'});
		expect(out).toContain('--port-range From=22,To=22 --cidr-block 0.0.0.0/0 --rule-action allow');
		expect(out).toContain('IpRanges=[{CidrIp=0.0.0.0/0,');
		expect(out).not.toContain('more ranges not shown');
		const commands = out.split('\n').filter((line) => line.trim().startsWith('aws ec2 '));
		expect(commands).toHaveLength(3);
		expect(commands.join('\n')).not.toContain('0.0.0.0/5');
		expect(out.match(/Warning: .*whole internet/g)).toHaveLength(3);
	});

	it('a fix of several commands prints one per line (the sanitizer keeps their line breaks)', async () => {
		const {out} = await check(DB, {port: '5432', from: '198.51.100.23'});
		expect(out).toContain('Verdict: NOT REACHABLE — no route carries it between the client and the subnet');
		expect(out).not.toContain('\\x0a');
		const commands = out.split('\n').filter((line) => line.trim().startsWith('aws ec2 '));
		expect(commands[0]!.trim()).toMatch(/^aws ec2 create-route --route-table-id rtb-\w+ --destination-cidr-block 198\.51\.100\.23\/32 --gateway-id igw-\w+$/);
		expect(commands[1]!.trim()).toMatch(/^aws ec2 associate-address --network-interface-id eni-\w+ --allocation-id/);
	});
});

// The import graph of the command: no UI or AWS SDK packages (it must start fast).
function packagesImportedBy(file: string, seen = new Set<string>()): Set<string> {
	const packages = new Set<string>();
	if (seen.has(file) || !existsSync(file)) return packages;
	seen.add(file);
	const text = readFileSync(file, 'utf8');
	for (const match of text.matchAll(/^\s*(import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)) {
		const specifier = match[2]!;
		if (specifier.startsWith('.')) for (const name of packagesImportedBy(resolve(dirname(file), specifier).replace(/\.js$/, '.ts'), seen)) packages.add(name);
		else packages.add(specifier);
	}
	return packages;
}

it('check and audit load neither React/ink nor the AWS SDK', () => {
	for (const command of ['check', 'audit']) {
		const packages = [...packagesImportedBy(join(root, `source/cli/commands/${command}.ts`))];
		expect(packages).toContain('ipaddr.js');
		expect(packages.filter((name) => /^(react|ink|@aws-sdk\/|ssh2)/.test(name))).toEqual([]);
	}
});

describe('sgtui check (built CLI)', () => {
	let main = '';
	beforeAll(() => {
		main = builtCli();
		expect(existsSync(join(builtDir(), 'cli/commands/check.js'))).toBe(true);
	}, 300_000);
	const sgtui = (args: string[]) => runCli(args);

	it('exit 1 with a report when not reachable, 0 when reachable', () => {
		const blocked = sgtui(['check', WEB, '--port', '8443', '--from', '198.51.100.23', '--snapshot', 'demo/snapshot']);
		expect(blocked.status).toBe(1);
		expect(blocked.stderr).toBe('');
		expect(blocked.stdout).toContain('Verdict: NOT REACHABLE — blocked by the security groups');
		const ok = sgtui(['check', WEB, '--port', '443', '--from', '198.51.100.23', '--snapshot', 'demo/snapshot', '--json']);
		expect(ok.status).toBe(0);
		expect(JSON.parse(ok.stdout).verdict).toBe('reachable');
	});

	it.each([
		['a bad port', ['check', WEB, '--port', '70000', '--snapshot', 'demo/snapshot'], 'sgtui: --port must be a number from 1 to 65535, got "70000"\n'],
		['a bad source', ['check', WEB, '--port', '22', '--from', 'bastion', '--snapshot', 'demo/snapshot'], 'sgtui: --from must be an IP address, a CIDR or a security group id (sg-…), got "bastion"\n'],
		['an unknown ENI', ['check', 'eni-00000000', '--port', '22', '--snapshot', 'demo/snapshot'], 'sgtui: network interface eni-00000000 is not in the snapshot (6 network interfaces known)\n'],
		['a malformed id, sanitized', ['check', 'eni-0000\u001b]0;owned\u0007', '--port', '22', '--snapshot', 'demo/snapshot'], 'sgtui: TARGET "eni-0000\\x1b]0;owned\\x07" is not an instance id (i-…) or a network interface id (eni-…): the prefix, a dash, then 8 or 17 lowercase hex digits\n'],
		['a missing snapshot', ['check', WEB, '--port', '22', '--snapshot', 'nope'], 'sgtui: snapshot directory nope does not exist\n'],
		['an invalid CIDR in the snapshot', ['check', WEB, '--port', '22', '--snapshot', 'test/fixtures/snapshots/bad-cidr'], 'sgtui: aws/describe-security-groups.json: SecurityGroups[0].IpPermissions[0].IpRanges[1].CidrIp: "10.0.0.0/33" is not an IPv4 CIDR (address/prefix length)\n'],
	])('%s: exit 2, one line on stderr', (_name, args, stderr) => {
		const result = sgtui(args);
		expect(result.status).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe(stderr);
	});

	it('missing --port is a usage error', () => {
		const result = sgtui(['check', WEB, '--snapshot', 'demo/snapshot']);
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('--port');
		expect(result.stderr).not.toMatch(/\n\s+at /);
	});

	// `| head -1`: the reader closes the pipe before sgtui writes. Used to be an EPIPE stack trace.
	it.each([
		['check', ['check', WEB, '--port', '8443', '--from', '198.51.100.23', '--snapshot', 'demo/snapshot'], 1],
		['check --json', ['check', WEB, '--port', '443', '--snapshot', 'demo/snapshot', '--json'], 0],
		['audit', ['audit', '--snapshot', 'demo/snapshot'], 0],
		['ports --input', ['ports', '--input', `demo/snapshot/hosts/${APP}.txt`], 0],
	])('%s: a closed stdout pipe is quiet and keeps the exit code', async (_name, args, status) => {
		const child = spawn(process.execPath, [main, ...args], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']});
		child.stdout.destroy();
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const code = await new Promise<number | null>((done) => child.on('close', (exit) => done(exit)));
		expect(stderr).toBe('');
		expect(code).toBe(status);
	});

	it('audit prints findings and exits 0', () => {
		const result = sgtui(['audit', '--snapshot', 'demo/snapshot']);
		expect(result.status).toBe(0);
		expect(result.stdout).toContain('world-open-admin-port');
		const json = sgtui(['audit', '--snapshot', 'demo/snapshot', '--json']);
		expect(JSON.parse(json.stdout).findings.length).toBeGreaterThan(0);
	});
});

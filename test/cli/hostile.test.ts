// The hostile corpus (test/fixtures/hostile/) through the real CLI: whatever the data holds, the
// bytes sgtui prints carry no escape sequence, C1 control or BiDi override from it; --json stays
// exact JSON; bad ids, devices, FIFOs and endless input end with exit 2 and one line.
import {execFileSync} from 'node:child_process';
import {cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {runCli} from '../support/built-cli.js';

const HOSTILE = 'test/fixtures/hostile/snapshot';
const WEB = 'i-0a1b2c3d4e5f60718';
// Raw ESC, 8-bit C1, DEL, BiDi embeddings/overrides/isolates: none may reach the terminal from data.
const RAW = /[\u001b\u0080-\u009f\u007f\u202a-\u202e\u2066-\u2069]/u;

const scratch = mkdtempSync(path.join(tmpdir(), 'sgtui-hostile-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

function copySnapshot(name: string): string {
	const dir = path.join(scratch, name);
	cpSync(HOSTILE, dir, {recursive: true});
	return dir;
}

describe('hostile data never reaches the terminal raw', () => {
	it.each([
		['audit', ['audit', '--snapshot', HOSTILE]],
		['check', ['check', WEB, '--port', '8443', '--from', '198.51.100.23', '--snapshot', HOSTILE]],
		['ports --input', ['ports', '--input', `${HOSTILE}/hosts/${WEB}.txt`]],
		['flows --all', ['flows', '--all', '--input', `${HOSTILE}/flowlogs/eni-01a2b3c4d5e6f7081.log`]],
	])('%s: text output shows the planted sequences escaped', (_, args) => {
		const result = runCli(args);
		expect(result.stderr + result.stdout).not.toMatch(RAW);
		expect(result.status, result.stderr).not.toBe(2);
	});

	it('check names the hostile group escaped, so the operator sees what the data holds', () => {
		const {stdout} = runCli(['audit', '--snapshot', HOSTILE, '--json']);
		const json = JSON.parse(stdout) as {findings: unknown[]};
		expect(json.findings.length).toBeGreaterThan(0);
		const text = runCli(['ports', '--input', `${HOSTILE}/hosts/${WEB}.txt`]).stdout;
		expect(text).toContain('\\x1b]0;owned\\x07');
	});

	it('--json stays exact JSON: the planted bytes come back byte for byte after parsing', () => {
		const result = runCli(['ports', '--input', `${HOSTILE}/hosts/${WEB}.txt`, '--json']);
		expect(result.stdout).not.toMatch(RAW);
		const {listeners} = JSON.parse(result.stdout) as {listeners: Array<{process: string | null}>};
		expect(listeners.map((listener) => listener.process)).toContain('chr\u001b]0;owned\u0007\u001b[2Jonyd\u202e');
	});
});

describe('hostile flow-log values', () => {
	const GOOD = '2 123456789012 eni-0a1b2c3d4e5f60718 203.0.113.7 10.0.1.5 49152 22 6 1 60 1700000000 1700000060 REJECT OK';
	// A start no Date holds ended the run with 'sgtui: Invalid time value' (exit 3); a port of 23
	// digits was a row for port 1e+23, a protocol 999 one for '999'.
	const HOSTILE_LINES = [
		GOOD.replace('1700000000 1700000060', '99999999999999999999 99999999999999999999'),
		GOOD.replace(' 22 6 ', ' 99999999999999999999999 6 '),
		GOOD.replace(' 22 6 ', ' 70000 6 '),
		GOOD.replace(' 22 6 ', ' 22 999 '),
	];

	it.each([1, 3000])('out-of-range numbers are malformed lines, counted (%i copies)', (copies) => {
		const file = path.join(scratch, `numbers-${copies}.log`);
		writeFileSync(file, Array.from({length: copies}, () => [GOOD, ...HOSTILE_LINES].join('\n')).join('\n') + '\n');
		const summary = runCli(['flows', '--input', file]);
		expect(summary.status, summary.stderr).toBe(0);
		expect(summary.stdout).toMatch(new RegExp(`^in\\s+203\\.0\\.113\\.7\\s+22\\s+tcp\\s+${copies.toLocaleString('en-US')}\\s`, 'm'));
		expect(summary.stdout.split('\n').filter((line) => /^in\s/.test(line))).toHaveLength(1);
		expect(summary.stderr).toContain(`skipped ${4 * copies} malformed lines, first at line 2`);
		const json = runCli(['flows', '--input', file, '--json']);
		expect(json.status, json.stderr).toBe(0);
		const records = json.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as {dstPort: number; protocol: number; start: number});
		expect(records).toHaveLength(copies);
		for (const record of records) expect([record.dstPort, record.protocol, record.start]).toEqual([22, 6, 1700000000]);
	}, 60_000);
});

describe('hostile file names', () => {
	it('flows names a file whose name holds a cursor move and a CR inert, in every line', () => {
		const file = path.join(scratch, 'h\u001b[2Ar\r.log');
		writeFileSync(file, 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n2 123456789012 eni-0a1b2c3d4e5f60718 203.0.113.7 10.0.1.5 49152 22 6 1 60 1700000000 1700000060 ACCEPT OK\nnot a record\n');
		const result = runCli(['flows', '--input', file]);
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toContain('no REJECT records in ' + path.join(scratch, 'h\\x1b[2Ar\\x0d.log'));
		expect(result.stderr).toContain(path.join(scratch, 'h\\x1b[2Ar\\x0d.log') + ': skipped 1 malformed line, first at line 3');
		expect(result.stdout + result.stderr).not.toMatch(/[\r\u001b]/);
	}, 60_000);
});

describe('hostile command-line arguments', () => {
	// Commander quotes what it refuses; a CR or a cursor move in it must not redraw the line
	// (the output guard lets CR and sgtui's own CSI forms through, so the text itself is escaped).
	it.each([
		['an unknown option', ['flows', '--input', 'x', '--bo\rgus\u001b[2Aevil'], /^sgtui: unknown option '--bo\\x0dgus\\x1b\[2Aevil' \(run with --help for usage\)\n$/],
		['a choice it does not offer', ['check', WEB, '--port', '1', '--protocol', 'x\u001b[2J\r', '--snapshot', HOSTILE], /^sgtui: option '--protocol <name>' argument 'x\\x1b\[2J\\x0d' is invalid\. Allowed choices are tcp, udp, icmp\. \(run with --help for usage\)\n$/],
		['an unknown command', ['\u001b[2Jche\u202eck'], /^sgtui: unknown command '\\x1b\[2Jche\\u202eck' — see sgtui --help\n$/],
		['a missing option argument', ['audit', '--snapshot'], /^sgtui: option '-s, --snapshot <dir>' argument missing \(run with --help for usage\)\n$/],
	])('%s: one inert line, exit 2', (_, args, expected) => {
		const result = runCli(args);
		expect(result.status).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(expected);
		expect(result.stderr).not.toMatch(/[\r\u001b\u202e]/);
	});
});

describe('targets that read as options', () => {
	// After `--` commander passes them on as TARGETs: they must be refused before any lookup or
	// dial, never resolved as the host '--help' (nor handed to anything as an option).
	it.each(['--help', '-oProxyCommand', 'ec2-user@-oProxyCommand', '-l@web'])('ports -- %s: exit 2, one line, nothing dialled', (target) => {
		const config = path.join(scratch, 'empty_ssh_config');
		writeFileSync(config, 'Host nothing\n');
		const result = runCli(['ports', '-F', config, '--', target]);
		expect(result.status).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toMatch(/^sgtui: target ".*": ".*" is not a (host name or address|user name \(it starts with "-"\))\n$/);
	}, 60_000);
});

describe('bad input: exit 2, one line, naming the file and the id', () => {
	it('refuses a snapshot whose group id is not an AWS id, naming it (never half-used)', () => {
		const dir = copySnapshot('bad-id');
		const file = path.join(dir, 'aws', 'describe-security-groups.json');
		writeFileSync(file, readFileSync(file, 'utf8').replace('"sg-0a11b22c33d44e501"', '"sg-0a11;id>x;#"'));
		const result = runCli(['audit', '--snapshot', dir]);
		expect(result.status).toBe(2);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toMatch(/aws\/describe-security-groups\.json: .*"sg-0a11;id>x;#" is not an AWS sg- id/);
	});

	it('refuses a flow-log file name that is no ENI id instead of ignoring it', () => {
		const dir = copySnapshot('bad-name');
		writeFileSync(path.join(dir, 'flowlogs', 'eni-0web.log'), '');
		const result = runCli(['audit', '--snapshot', dir]);
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('flowlogs/eni-0web.log');
	});

	it('refuses a snapshot file that is a symlink out of the snapshot (/dev/zero, /etc/shadow), or a FIFO, at once', () => {
		for (const [name, file, target] of [['zero', 'aws/describe-network-acls.json', '/dev/zero'], ['shadow', 'hosts/i-0a1b2c3d4e5f60718.txt', '/etc/shadow']] as const) {
			const dir = copySnapshot(name);
			rmSync(path.join(dir, file));
			symlinkSync(target, path.join(dir, file));
			const linked = runCli(['audit', '--snapshot', dir], {timeout: 20_000});
			expect(linked.status).toBe(2);
			expect(linked.stderr).toBe(`sgtui: ${file}: a link to ${target}, outside the snapshot; a snapshot holds only its own files (copy the file in instead)\n`);
		}

		const fifo = copySnapshot('fifo');
		rmSync(path.join(fifo, 'aws', 'describe-security-groups.json'));
		execFileSync('mkfifo', [path.join(fifo, 'aws', 'describe-security-groups.json')]);
		const piped = runCli(['audit', '--snapshot', fifo], {timeout: 20_000});
		expect(piped.status).toBe(2);
		expect(piped.stderr).toMatch(/describe-security-groups\.json: a FIFO, not a regular file/);
	});

	it.each(['/dev/zero', '/dev/urandom'])('flows --input %s ends at once with exit 2', (device) => {
		const result = runCli(['flows', '--input', device], {timeout: 20_000});
		expect(result.status).toBe(2);
		expect(result.stderr).toMatch(/binary data/);
	});

	it('invalid JSON does not echo its raw bytes', () => {
		const dir = copySnapshot('bad-json');
		writeFileSync(path.join(dir, 'aws', 'describe-security-groups.json'), '{"SecurityGroups": [\u001b]0;pwned\u0007');
		const result = runCli(['audit', '--snapshot', dir]);
		expect(result.status).toBe(2);
		expect(result.stderr).not.toMatch(RAW);
		expect(result.stderr).toContain('aws/describe-security-groups.json');
	});
});

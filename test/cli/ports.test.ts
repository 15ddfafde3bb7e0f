import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {Readable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {beforeAll, describe, expect, it} from 'vitest';
import {run, type CommandIo} from '../../source/cli/commands/ports.js';
import {InputError, UsageError} from '../../source/cli/errors.js';
import {formatTable} from '../../source/cli/text-table.js';
import {EvidenceError} from '../../source/core/evidence-error.js';
import {builtDir, runCli} from '../support/built-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = join(root, 'test/fixtures/listeners');
const fixture = (name: string) => join(fixtures, name);

function capture(stdinText?: string, isTTY = false): {io: CommandIo; output: () => string; errors: () => string} {
	let written = '';
	let warned = '';
	const stdin = Object.assign(Readable.from(stdinText === undefined ? [] : [Buffer.from(stdinText)]), {isTTY: stdinText === undefined && isTTY});
	return {
		io: {stdout: {write: (text: string) => (written += text), isTTY: false}, stderr: {write: (text: string) => (warned += text)}, stdin},
		output: () => written,
		errors: () => warned,
	};
}

describe('formatTable', () => {
	it('aligns columns, right-aligns on request, never pads the last column', () => {
		const table = formatTable(['PROTO', 'PORT', 'PROCESS'], [['tcp', '22', 'sshd'], ['udp', '41101', 'fixture-srv']], {alignRight: [1]});
		expect(table).toBe([
			'PROTO   PORT  PROCESS',
			'tcp       22  sshd',
			'udp    41101  fixture-srv',
		].join('\n'));
	});

	it('bolds the header only when asked; cells are data, so an escape code in one shows escaped', () => {
		const plain = formatTable(['A', 'B'], [['\u001B[31mred\u001B[39m', 'x']]);
		expect(plain).toBe('A                    B\n\\x1b[31mred\\x1b[39m  x');
		expect(formatTable(['A'], [['1']], {color: true}).split('\n')[0]).toBe('\u001B[1mA\u001B[22m');
		expect(formatTable(['A'], [['1']])).not.toContain('\u001B');
	});

	it('keeps one row on one line and fills missing cells', () => {
		expect(formatTable(['A', 'B', 'C'], [['multi\nline', 'b']], {indent: '  '})).toBe('  A           B  C\n  multi line  b');
	});
});

describe('ports run() in process', () => {
	it('groups the Amazon Linux listing by exposure, in plain words', async () => {
		const {io, output} = capture();
		expect(await run({input: fixture('method-amazon-linux-netstat-luntp.txt')}, [], io)).toBe(0);
		const text = output();
		expect(text).toContain('netstat (Linux) listing: 10 listening sockets (10 tcp, 0 udp)');
		const [outside, loopback, specific] = text.split('\n\n').slice(1);
		expect(outside).toMatch(/^Reachable from outside \(bound to all interfaces\)/);
		expect(outside).toMatch(/tcp\s+22\s+0\.0\.0\.0\s+sshd\s+32508/);
		expect(outside).toMatch(/tcp\s+443\s+::\s+httpd\s+2628/);
		expect(outside).not.toContain('sendmail');
		expect(loopback).toContain('will never work from another host, whatever the security group says');
		expect(loopback).toMatch(/tcp\s+25\s+127\.0\.0\.1\s+sendmail\s+32592/);
		expect(specific).toBe('Bound to one specific address — reachable only through that address:\n  none\n');
		expect(text).not.toContain('skipped');
		expect(text).not.toContain('\u001B');
	});

	it('shows the bound device, so 0.0.0.0%lo under "loopback only" explains itself', async () => {
		const {io, output} = capture();
		await run({input: fixture('ss-ltnup.txt')}, [], io);
		const loopback = output().split('\n\n')[2]!;
		expect(loopback).toMatch(/udp\s+41155\s+0\.0\.0\.0%lo\s+fixture-srv/);
		expect(output().split('\n\n')[3]).toMatch(/udp\s+41156\s+fe80::fc:ff:fe00:1%eth0/);
	});

	it('a wildcard bound to one device has its own group, naming the device', async () => {
		const {io, output} = capture('tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=1,fd=3))\ntcp LISTEN 0 128 [::]%eth0:443 [::]:* users:(("nginx",pid=2,fd=3))\n');
		await run({input: '-'}, [], io);
		const groups = output().split('\n\n');
		expect(groups[1]).toMatch(/tcp\s+22\s+0\.0\.0\.0\s+sshd/);
		expect(groups[1]).not.toContain('nginx');
		expect(groups[4]).toMatch(/^Reachable only through one device \(all its addresses, SO_BINDTODEVICE\)/);
		expect(groups[4]).toMatch(/tcp\s+443\s+::%eth0\s+nginx\s+2/);
	});

	it('--json gives listeners, format and skipped', async () => {
		const {io, output} = capture();
		await run({input: fixture('windows-netstat-ano.txt'), tasklist: fixture('windows-tasklist.csv'), json: true}, [], io);
		const parsed = JSON.parse(output()) as {listeners: Array<Record<string, unknown>>; format: string; skipped: unknown[]};
		expect(parsed.format).toBe('netstat-windows');
		expect(parsed.skipped).toEqual([]);
		expect(parsed.listeners).toHaveLength(28);
		expect(parsed.listeners.find((listener) => listener['port'] === 1433)).toEqual({
			protocol: 'tcp', family: 'ipv4', address: '0.0.0.0', port: 1433, exposure: 'all-interfaces', pid: 3720, process: 'sqlservr.exe', accepts: {ipv4: true, ipv6: false},
		});
	});

	it('counts skipped lines and says where the first one is', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sgtui-ports-'));
		try {
			const file = join(dir, 'damaged.txt');
			writeFileSync(file, 'State Recv-Q Send-Q Local Address:Port Peer Address:Port\nLISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n#### garbage\nLISTEN 0 128 0.0.0.0:ssh 0.0.0.0:*\n');
			const {io, output} = capture();
			expect(await run({input: file}, [], io)).toBe(0);
			expect(output()).toContain('\nskipped 2 lines, first at line 3: not an ss socket line (--json lists them)\n');
			const json = capture();
			await run({input: file, json: true}, [], json.io);
			expect((JSON.parse(json.output()) as {skipped: Array<{line: number}>}).skipped.map((skipped) => skipped.line)).toEqual([3, 4]);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	it('a PID the tasklist names twice is counted with the skipped lines, the first name kept', async () => {
		const {io, output} = capture('  TCP    0.0.0.0:80   0.0.0.0:0   LISTENING   4\r\n"System","4","Services","0","140 K"\r\n"evil.exe","4","Console","1","1 K"\r\n');
		await run({input: '-'}, [], io);
		expect(output()).toMatch(/tcp\s+80\s+0\.0\.0\.0\s+System\s+4/);
		expect(output()).toContain('\nskipped 1 line, first at line 3: PID 4 is named twice: "System" (line 2) is kept, this line\'s "evil.exe" is not used (--json lists them)\n');
	});

	it('counts tasklist lines apart (they have their own line numbers) and notes an unused --tasklist', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sgtui-ports-'));
		try {
			const tasklist = join(dir, 'tasklist.txt');
			// `tasklist` without /fo csv: a table, which the parser does not read.
			writeFileSync(tasklist, '\r\nImage Name                     PID Session Name        Session#    Mem Usage\r\n========================= ======== ================ =========== ============\r\n');
			const windows = capture();
			await run({input: fixture('windows-netstat-ano.txt'), tasklist}, [], windows.io);
			expect(windows.output()).toContain('\nskipped 2 tasklist lines, first at line 2 of the tasklist file: not a tasklist /fo csv line\n');
			expect(windows.output()).not.toContain('skipped 2 lines');

			const linux = capture();
			await run({input: fixture('ss-ltnup.txt'), tasklist: fixture('windows-tasklist.csv')}, [], linux.io);
			expect(linux.errors()).toBe('sgtui: note: --tasklist is unused: the listing is ss output, not Windows netstat\n');
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	it('reads a listing from stdin with --input -', async () => {
		const {io, output} = capture('LISTEN 0 128 127.0.0.1:5432 0.0.0.0:* users:(("postgres",pid=812,fd=6))\n');
		await run({input: '-', json: true}, [], io);
		expect(JSON.parse(output())).toEqual({
			listeners: [{protocol: 'tcp', family: 'ipv4', address: '127.0.0.1', port: 5432, exposure: 'loopback', pid: 812, process: 'postgres', accepts: {ipv4: true, ipv6: false}}],
			format: 'ss',
			skipped: [],
		});
	});

	it('refuses to wait on a terminal for --input -, or to read stdin twice', async () => {
		await expect(run({input: '-'}, [], capture(undefined, true).io)).rejects.toThrow(UsageError);
		await expect(run({input: '-', tasklist: '-'}, [], capture('x').io)).rejects.toThrow('only one of --input and --tasklist can read standard input');
	});

	it('a missing file is an InputError naming the file; text that is no listing is an EvidenceError', async () => {
		await expect(run({input: fixture('does-not-exist.txt')}, [], capture().io)).rejects.toThrow(new InputError(`cannot read listing ${fixture('does-not-exist.txt')}: no such file`));
		await expect(run({input: fixtures}, [], capture().io)).rejects.toThrow(/it is a directory/);
		await expect(run({input: fixture('start-listeners.py')}, [], capture().io)).rejects.toThrow(EvidenceError);
	});

	// QA: `--input /dev/zero` used to read until the machine ran out of memory (5.8 GB in 20 s).
	it('an endless or huge input fails fast instead of filling memory', async () => {
		await expect(run({input: '/dev/zero'}, [], capture().io)).rejects.toThrow(new InputError('listing /dev/zero is larger than 64 MB: not a listener listing (ss or netstat output is a few KB)'));
		const megabyte = Buffer.alloc(1024 * 1024, 0x41);
		let sent = 0;
		const endless = Object.assign(
			new Readable({
				read() {
					sent++;
					this.push(megabyte);
				},
			}),
			{isTTY: false},
		);
		const io = {...capture().io, stdin: endless};
		await expect(run({input: '-'}, [], io)).rejects.toThrow('listing on standard input is larger than 64 MB');
		expect(sent).toBeLessThan(80);
	});
});

describe('ports starts fast', () => {
	/** Every package the module imports, following its relative imports (static and dynamic). */
	function packagesImportedBy(file: string, seen = new Set<string>()): Set<string> {
		const packages = new Set<string>();
		if (seen.has(file)) {
			return packages;
		}

		seen.add(file);
		const source = readFileSync(file, 'utf8');
		for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)) {
			const specifier = match[1] ?? match[2]!;
			if (source.slice(match.index, match.index + 20).includes('import type')) {
				continue;
			}

			if (specifier.startsWith('.')) {
				const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
				for (const name of packagesImportedBy(target, seen)) {
					packages.add(name);
				}
			} else {
				packages.add(specifier);
			}
		}

		return packages;
	}

	it('loads no React, ink, AWS SDK or ssh2', () => {
		const packages = [...packagesImportedBy(join(root, 'source/cli/commands/ports.ts'))];
		expect(packages).toContain('ipaddr.js');
		expect(packages.filter((name) => /^(react|ink|@aws-sdk\/|ssh2)/.test(name))).toEqual([]);
	});
});

// The built CLI, as a user runs it: exit codes and one-line errors come from main.ts.
describe('sgtui ports (built CLI)', () => {
	beforeAll(() => {
		expect(existsSync(join(builtDir(), 'cli/commands/ports.js'))).toBe(true);
	}, 300_000);

	const sgtui = (args: string[], input?: string) => runCli(args, {input, cwd: fixtures});

	it('prints the report and exits 0', () => {
		const result = sgtui(['ports', '--input', 'method-windows-2012-netstat-nao.txt']);
		expect(result.status).toBe(0);
		expect(result.stderr).toBe('');
		expect(result.stdout).toContain('netstat (Windows) listing: 14 listening sockets (14 tcp, 0 udp)');
		expect(result.stdout).toMatch(/Bound to one specific address[^\n]*\n.*PROTO.*\n\s+tcp\s+139\s+172\.31\.40\.9\s+-\s+4\n/);
	});

	it('reads stdin and prints JSON', () => {
		const result = sgtui(['ports', '--input', '-', '--json'], 'udp UNCONN 0 0 [::]:123 [::]:* users:(("chronyd",pid=701,fd=5))\n');
		expect(result.status).toBe(0);
		expect(JSON.parse(result.stdout).listeners[0]).toMatchObject({protocol: 'udp', family: 'ipv6', address: '::', exposure: 'all-interfaces', process: 'chronyd'});
	});

	it.each([
		['a missing file', ['ports', '--input', 'nope.txt'], 'sgtui: cannot read listing nope.txt: no such file\n'],
		['a file that is no listing', ['ports', '--input', 'README.md'], 'sgtui: not a listener listing: expected the output of ss -ltnup, netstat -luntp, Windows netstat -ano or /proc/net/tcp\n'],
		['a missing tasklist', ['ports', '--input', 'windows-netstat-ano.txt', '--tasklist', 'nope.csv'], 'sgtui: cannot read tasklist nope.csv: no such file\n'],
	])('%s: exit 2, one line on stderr, no stack', (_name, args, stderr) => {
		const result = sgtui(args);
		expect(result.status).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe(stderr);
	});

	it('no --input is a usage error (exit 2)', () => {
		const result = sgtui(['ports']);
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('--input');
		expect(result.stderr).not.toMatch(/\n\s+at /);
	});
});

import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {classifyAddress, splitEndpoint} from '../../source/core/address-exposure.js';
import {displayCopy} from '../../source/core/display-text.js';
import {EvidenceError} from '../../source/core/evidence-error.js';
import {parseListeners} from '../../source/core/listener-parser.js';
import {exposureText} from '../../source/core/listener-endpoint.js';
import {listenerText} from '../../source/core/path/host.js';
import {decodeListingBytes} from '../../source/core/listing-text.js';
import type {Listener} from '../../source/core/types.js';

const fixtures = fileURLToPath(new URL('../fixtures/listeners/', import.meta.url));
const fixture = (name: string) => readFileSync(fixtures + name, 'utf8');

/** One listener as "proto family address port exposure pid process" — easy to read in a diff. */
const row = (listener: Listener) =>
	[listener.protocol, listener.family, listener.address, listener.port, listener.exposure, listener.pid ?? '-', listener.process ?? '-'].join(' ');

// The sockets start-listeners.py opened when the fixtures were captured (see the README there).
const SS_UDP = [
	'udp ipv4 0.0.0.0 41101 all-interfaces 10403 fixture-srv',
	'udp ipv4 127.0.0.1 41102 loopback 10403 fixture-srv',
	'udp ipv4 127.0.0.53 41153 loopback 10403 fixture-srv',
	'udp ipv4 0.0.0.0 41154 all-interfaces 10403 fixture-srv',
	'udp ipv4 0.0.0.0 41155 loopback 10403 fixture-srv',
	'udp ipv6 :: 41103 all-interfaces 10403 fixture-srv',
	'udp ipv6 ::1 41104 loopback 10403 fixture-srv',
	'udp ipv6 fe80::fc:ff:fe00:1 41156 specific 10403 fixture-srv',
];
const SS_TCP = [
	'tcp ipv4 0.0.0.0 41009 all-interfaces 10445 fixture-child',
	'tcp ipv4 0.0.0.0 41010 all-interfaces 10446 odd "n",x (2',
	'tcp ipv4 0.0.0.0 41001 all-interfaces 10403 fixture-srv',
	'tcp ipv4 192.0.2.2 41005 specific 10403 fixture-srv',
	'tcp ipv4 127.0.0.53 41053 loopback 10403 fixture-srv',
	'tcp ipv4 127.0.0.1 41002 loopback 10403 fixture-srv',
	'tcp ipv4 0.0.0.0 2024 all-interfaces - -',
	'tcp ipv6 ::1 41004 loopback 10403 fixture-srv',
	'tcp ipv4 * 41008 all-interfaces 10403 fixture-srv',
	'tcp ipv6 :: 41003 all-interfaces 10403 fixture-srv',
	'tcp ipv6 ::ffff:127.0.0.1 41007 loopback 10403 fixture-srv',
	'tcp ipv6 fd00::2 41006 specific 10403 fixture-srv',
];
const withoutOwner = (rows: string[]) => rows.map((line) => line.split(' ').slice(0, 5).join(' ') + ' - -');

describe('ss listings captured on this machine', () => {
	it.each(['ss-ltnup.txt', 'ss-H-tulpn.txt', 'ss-ltnupe.txt', 'ss-tuanp.txt'])('%s: every listening socket, ESTAB ignored', (name) => {
		const result = parseListeners(fixture(name));
		expect(result.format).toBe('ss');
		expect(result.skipped).toEqual([]);
		expect(result.listeners.map(row)).toEqual([...SS_UDP, ...SS_TCP]);
	});

	it('ss -Hltnp (no header, no Netid column) reads the protocol from the state', () => {
		const result = parseListeners(fixture('ss-Hltnp.txt'));
		expect(result.listeners.map(row)).toEqual(SS_TCP);
	});

	it('ss -ltn (no process column) gives null pid and process', () => {
		expect(parseListeners(fixture('ss-ltn.txt')).listeners.map(row)).toEqual(withoutOwner(SS_TCP));
	});

	it('ss -lunp (UDP only, no Netid column)', () => {
		expect(parseListeners(fixture('ss-lunp.txt')).listeners.map(row)).toEqual(SS_UDP);
	});

	it('a socket shared by two processes takes the first one listed', () => {
		const line = parseListeners(fixture('ss-ltnup.txt')).listeners.find((listener) => listener.port === 41009);
		expect(line).toMatchObject({pid: 10445, process: 'fixture-child'});
	});

	it('keeps the bound device apart from the address: 127.0.0.53%lo, 0.0.0.0%eth0, [fe80::…]%eth0', () => {
		const listeners = parseListeners(fixture('ss-ltnup.txt')).listeners;
		const devices = listeners.filter((listener) => listener.interface !== undefined).map((listener) => `${listener.address}%${listener.interface}:${listener.port}`);
		expect(devices).toEqual(['127.0.0.53%lo:41153', '0.0.0.0%eth0:41154', '0.0.0.0%lo:41155', 'fe80::fc:ff:fe00:1%eth0:41156', '127.0.0.53%lo:41053']);
		expect(listeners.find((listener) => listener.port === 41001)).not.toHaveProperty('interface');
	});

	it('a process name that looks like the old ("name",pid,fd) form does not fool the owner parser', () => {
		const result = parseListeners('tcp LISTEN 0 128 [::]:1 [::]:* users:(("",2,.",pid=1,fd=3))');
		expect(result.listeners[0]).toMatchObject({pid: 1, process: '",2,.'});
	});

	it('a CR (or U+2028) inside a process name is data: the line is read whole, nothing skipped, and it displays inert', () => {
		const text = [
			'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
			'tcp   LISTEN 0      128    0.0.0.0:22         0.0.0.0:*         users:(("a\rb",pid=1,fd=3))',
			'tcp   LISTEN 0      128    0.0.0.0:23         0.0.0.0:*         users:(("c\u2028d",pid=2,fd=3))',
			'tcp   LISTEN 0      128    0.0.0.0:24         0.0.0.0:*         users:(("\r",pid=3,fd=3))',
		].join('\r\n');
		const result = parseListeners(text);
		expect(result.skipped).toEqual([]);
		expect(result.listeners.map((listener) => [listener.port, listener.pid, listener.process])).toEqual([[22, 1, 'a\rb'], [23, 2, 'c\u2028d'], [24, 3, '\r']]);
		expect(displayCopy(result).listeners.map((listener) => listener.process)).toEqual(['a\\x0db', 'c\\u2028d', '\\x0d']);
	});

	it('old iproute2: *:22, :::22 and users:(("name",pid,fd)) without pid=', () => {
		expect(parseListeners(fixture('ss-old-iproute2.txt')).listeners.map(row)).toEqual([
			'tcp ipv4 * 22 all-interfaces 1123 sshd',
			'tcp ipv4 127.0.0.1 25 loopback 1345 master',
			'tcp ipv6 :: 22 all-interfaces 1123 sshd',
			'tcp ipv6 ::1 25 loopback 1345 master',
			'tcp ipv4 * 111 all-interfaces 1032 rpcbind',
			'tcp ipv4 172.31.11.20 3306 specific 2210 mysqld',
		]);
	});
});

describe('net-tools netstat listings', () => {
	it('the Amazon Linux `netstat -luntp` from the method article', () => {
		const result = parseListeners(fixture('method-amazon-linux-netstat-luntp.txt'));
		expect(result.format).toBe('netstat-linux');
		expect(result.skipped).toEqual([]);
		expect(result.listeners.map(row)).toEqual([
			'tcp ipv4 0.0.0.0 111 all-interfaces 2331 rpcbind',
			'tcp ipv4 0.0.0.0 22 all-interfaces 32508 sshd',
			'tcp ipv4 127.0.0.1 25 loopback 32592 sendmail',
			'tcp ipv4 0.0.0.0 36254 all-interfaces 2352 rpc.statd',
			'tcp ipv6 :: 111 all-interfaces 2331 rpcbind',
			'tcp ipv6 :: 80 all-interfaces 2628 httpd',
			'tcp ipv6 :: 22 all-interfaces 32508 sshd',
			'tcp ipv6 :: 4118 all-interfaces 15287 ds_agent',
			'tcp ipv6 :: 443 all-interfaces 2628 httpd',
			'tcp ipv6 :: 46046 all-interfaces 2352 rpc.statd',
		]);
	});

	// netstat shows neither the bound device (0.0.0.0%lo reads as 0.0.0.0) nor ::ffff: (a mapped
	// address reads as plain IPv4), and it cuts long addresses to fit its column.
	const NETSTAT_TCP = [
		'tcp ipv4 0.0.0.0 41009 all-interfaces 10403 python3',
		'tcp ipv4 0.0.0.0 41010 all-interfaces 10446 python3',
		'tcp ipv4 0.0.0.0 41001 all-interfaces 10403 python3',
		'tcp ipv4 192.0.2.2 41005 specific 10403 python3',
		'tcp ipv4 127.0.0.53 41053 loopback 10403 python3',
		'tcp ipv4 127.0.0.1 41002 loopback 10403 python3',
		'tcp ipv4 0.0.0.0 2024 all-interfaces - -',
		'tcp ipv6 ::1 41004 loopback 10403 python3',
		'tcp ipv6 :: 41008 all-interfaces 10403 python3',
		'tcp ipv6 :: 41003 all-interfaces 10403 python3',
		'tcp ipv4 127.0.0.1 41007 loopback 10403 python3',
		'tcp ipv6 fd00::2 41006 specific 10403 python3',
	];
	const NETSTAT_UDP = [
		'udp ipv4 0.0.0.0 41101 all-interfaces 10403 python3',
		'udp ipv4 127.0.0.1 41102 loopback 10403 python3',
		'udp ipv4 127.0.0.53 41153 loopback 10403 python3',
		'udp ipv4 0.0.0.0 41154 all-interfaces 10403 python3',
		'udp ipv4 0.0.0.0 41155 all-interfaces 10403 python3',
		'udp ipv6 :: 41103 all-interfaces 10403 python3',
		'udp ipv6 ::1 41104 loopback 10403 python3',
		'udp ipv6 fe80::fc:ff:fe00: 41156 specific 10403 python3',
	];

	it.each(['netstat-luntp.txt', 'netstat-tuanp.txt'])('%s: TCP LISTEN and unconnected UDP only', (name) => {
		const result = parseListeners(fixture(name));
		expect(result.format).toBe('netstat-linux');
		expect(result.skipped).toEqual([]);
		expect(result.listeners.map(row)).toEqual([...NETSTAT_TCP, ...NETSTAT_UDP]);
	});

	it('netstat -lnt and -lnu (no PID/Program column)', () => {
		expect(parseListeners(fixture('netstat-lnt.txt')).listeners.map(row)).toEqual(withoutOwner(NETSTAT_TCP));
		expect(parseListeners(fixture('netstat-lnu.txt')).listeners.map(row)).toEqual(withoutOwner(NETSTAT_UDP));
	});

	it('netstat -lntpe: the User and Inode columns are not mistaken for the program', () => {
		expect(parseListeners(fixture('netstat-lntpe.txt')).listeners.map(row)).toEqual(NETSTAT_TCP);
	});

	it('-e lines piped through grep (no header) still find the PID/Program column', () => {
		const lines = fixture('netstat-lntpe.txt').split('\n').filter((line) => line.includes('41005'));
		expect(parseListeners(lines.join('\n')).listeners.map(row)).toEqual(['tcp ipv4 192.0.2.2 41005 specific 10403 python3']);
	});

	it('ignores the non-root notice, the UNIX socket section and program names with spaces survive', () => {
		const text = [
			'(Not all processes could be identified, non-owned process info',
			' will not be shown, you would have to be root to see it all.)',
			'Active Internet connections (only servers)',
			'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    ',
			'tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      901/nginx: master p ',
			'tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      -                   ',
			'Active UNIX domain sockets (only servers)',
			'Proto RefCnt Flags       Type       State         I-Node   PID/Program name     Path',
			'unix  2      [ ACC ]     STREAM     LISTENING     17364    1/init               /run/systemd/private',
		].join('\n');
		const result = parseListeners(text);
		expect(result.skipped).toEqual([]);
		expect(result.listeners.map(row)).toEqual([
			'tcp ipv4 0.0.0.0 80 all-interfaces 901 nginx: master p',
			'tcp ipv4 0.0.0.0 22 all-interfaces - -',
		]);
	});

	it('a CR inside a program name does not cut the line: the socket is read, nothing skipped', () => {
		const result = parseListeners('tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      901/a\rb');
		expect(result.skipped).toEqual([]);
		// The name is kept whole, as ss keeps it: the CR is data (the output sanitizer shows it).
		expect(result.listeners.map(row)).toEqual(['tcp ipv4 0.0.0.0 80 all-interfaces 901 a\rb']);
	});

	it('program names keep their inner spaces, tabs and CRs; only the column padding (and a CRLF line end) goes', () => {
		const listing = [
			'Proto Recv-Q Send-Q Local Address           Foreign Address         State       User       Inode      PID/Program name',
			'tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      0          1234       901/my  \tprog\rx\r',
			'udp        0      0 0.0.0.0:53              0.0.0.0:*                           0          1235       77/dns  ',
		].join('\n');
		expect(parseListeners(listing).listeners.map((listener) => [listener.pid, listener.process])).toEqual([
			[901, 'my  \tprog\rx'],
			[77, 'dns'],
		]);
	});
});

describe('Windows netstat -ano', () => {
	it('the Windows Server 2012 `netstat -nao` from the method article', () => {
		const result = parseListeners(fixture('method-windows-2012-netstat-nao.txt'));
		expect(result.format).toBe('netstat-windows');
		expect(result.skipped).toEqual([]);
		expect(result.listeners).toHaveLength(14);
		expect(result.listeners.filter((listener) => listener.exposure === 'all-interfaces').map((listener) => listener.port)).toEqual([
			135, 445, 3389, 4118, 5985, 47001, 49152, 49153, 49154, 49155, 49157, 49158, 49164,
		]);
		expect(row(result.listeners.at(-1)!)).toBe('tcp ipv4 172.31.40.9 139 specific 4 -');
	});

	const WINDOWS = [
		'tcp ipv4 0.0.0.0 80 all-interfaces 4 System',
		'tcp ipv4 0.0.0.0 135 all-interfaces 908 svchost.exe',
		'tcp ipv4 0.0.0.0 445 all-interfaces 4 System',
		'tcp ipv4 0.0.0.0 1433 all-interfaces 3720 sqlservr.exe',
		'tcp ipv4 0.0.0.0 3389 all-interfaces 1012 svchost.exe',
		'tcp ipv4 0.0.0.0 5985 all-interfaces 4 System',
		'tcp ipv4 0.0.0.0 47001 all-interfaces 4 System',
		'tcp ipv4 0.0.0.0 49664 all-interfaces 676 wininit.exe',
		'tcp ipv4 0.0.0.0 49665 all-interfaces 1340 svchost.exe',
		'tcp ipv4 127.0.0.1 8080 loopback 5172 node.exe',
		'tcp ipv4 127.0.0.1 14147 loopback 2896 FileZilla Server.exe',
		'tcp ipv4 172.31.40.9 139 specific 4 System',
		'tcp ipv6 :: 80 all-interfaces 4 System',
		'tcp ipv6 :: 135 all-interfaces 908 svchost.exe',
		'tcp ipv6 :: 445 all-interfaces 4 System',
		'tcp ipv6 :: 1433 all-interfaces 3720 sqlservr.exe',
		'tcp ipv6 :: 3389 all-interfaces 1012 svchost.exe',
		'tcp ipv6 ::1 14147 loopback 2896 FileZilla Server.exe',
		'udp ipv4 0.0.0.0 123 all-interfaces 1220 svchost.exe',
		'udp ipv4 0.0.0.0 500 all-interfaces 2572 svchost.exe',
		'udp ipv4 0.0.0.0 3389 all-interfaces 1012 svchost.exe',
		'udp ipv4 0.0.0.0 5353 all-interfaces 1604 svchost.exe',
		'udp ipv4 127.0.0.1 55107 loopback 2536 amazon-ssm-agent.exe',
		'udp ipv4 172.31.40.9 137 specific 4 System',
		'udp ipv6 :: 123 all-interfaces 1220 svchost.exe',
		'udp ipv6 :: 3389 all-interfaces 1012 svchost.exe',
		'udp ipv6 ::1 55106 loopback 2536 amazon-ssm-agent.exe',
		'udp ipv6 fe80::8d4:a5ff:fe3c:1e21 546 specific 2004 svchost.exe',
	];

	it('netstat and tasklist concatenated in one host file (CRLF, prompts included)', () => {
		const result = parseListeners(fixture('windows-host-snapshot.txt'));
		expect(result.format).toBe('netstat-windows');
		expect(result.skipped).toEqual([]);
		expect(result.listeners.map(row)).toEqual(WINDOWS);
	});

	it('tasklist handed separately names the same processes', () => {
		const result = parseListeners(fixture('windows-netstat-ano.txt'), {tasklist: fixture('windows-tasklist.csv')});
		expect(result.listeners.map(row)).toEqual(WINDOWS);
	});

	it('without tasklist the PIDs stay and the names are null; ESTABLISHED and TIME_WAIT are not listeners', () => {
		const result = parseListeners(fixture('windows-netstat-ano.txt'));
		expect(result.listeners.map(row)).toEqual(WINDOWS.map((line) => line.split(' ').slice(0, 6).join(' ') + ' -'));
		expect(result.listeners.some((listener) => listener.port === 53211 || listener.port === 49731 || listener.port === 49680)).toBe(false);
	});

	it('a bad tasklist line is reported, labelled, with its own line number', () => {
		const result = parseListeners(fixture('windows-netstat-ano.txt'), {tasklist: '"System","4","Services","0","140 K"\nImage Name    PID\n'});
		expect(result.skipped).toEqual([{line: 2, text: 'Image Name    PID', reason: 'tasklist: not a tasklist /fo csv line'}]);
		expect(result.listeners[0]).toMatchObject({pid: 4, process: 'System'});
	});

	it('a PID tasklist names twice, differently: the first name is kept, the other counted as skipped with its reason', () => {
		const listing = [
			'  TCP    0.0.0.0:80             0.0.0.0:0              LISTENING       4',
			'"System","4","Services","0","140 K"',
			'"evil.exe","4","Console","1","1 K"',
			'"System","4","Services","0","140 K"',
		].join('\r\n');
		const inText = parseListeners(listing);
		expect(inText.listeners[0]).toMatchObject({pid: 4, process: 'System'});
		expect(inText.skipped).toEqual([{line: 3, text: '"evil.exe","4","Console","1","1 K"', reason: 'PID 4 is named twice: "System" (line 2) is kept, this line\'s "evil.exe" is not used'}]);

		// A separate --tasklist comes after the listing's own lines: its conflicting name is the duplicate.
		const both = parseListeners(listing.split('\r\n').slice(0, 2).join('\n'), {tasklist: '"other.exe","4","Console","1","1 K"\n"System","4","Services","0","140 K"\n'});
		expect(both.listeners[0]).toMatchObject({pid: 4, process: 'System'});
		expect(both.skipped).toEqual([{line: 1, text: '"other.exe","4","Console","1","1 K"', reason: 'tasklist: PID 4 is named twice: "System" (line 2 of the listing) is kept, this line\'s "other.exe" is not used'}]);
	});

	it('damaged socket lines are skipped with a reason, not dropped', () => {
		const text = [
			'  Proto  Local Address          Foreign Address        State           PID',
			'  TCP    0.0.0.0:80             0.0.0.0:0',
			'  TCP    0.0.0.0:81             0.0.0.0:0              LISTENING       4x',
			'  UDP    0.0.0.0:123            *:*                    1220            9',
			'  TCP    0.0.0.0:82             0.0.0.0:0              LISTENING       4',
		].join('\n');
		const result = parseListeners(text);
		expect(result.listeners.map(row)).toEqual(['tcp ipv4 0.0.0.0 82 all-interfaces 4 -']);
		expect(result.skipped.map((skipped) => [skipped.line, skipped.reason])).toEqual([
			[2, 'TCP line without a state'],
			[3, 'PID "4x" is not a number'],
			[4, 'unexpected extra column after the UDP PID'],
		]);
	});

	it('a localised system: German banner and header, ABHÖREN instead of LISTENING', () => {
		const text = [
			'',
			'Aktive Verbindungen',
			'',
			'  Proto  Lokale Adresse         Remoteadresse          Status           PID',
			'  TCP    0.0.0.0:3389           0.0.0.0:0              ABHÖREN         1012',
			'  TCP    [::]:445               [::]:0                 ABHÖREN         4',
			'  TCP    172.31.40.9:3389       203.0.113.45:53211     HERGESTELLT     1012',
			'  UDP    0.0.0.0:123            *:*                                    1220',
		].join('\r\n');
		const result = parseListeners(text);
		expect(result.skipped).toEqual([]);
		expect(result.listeners.map(row)).toEqual([
			'tcp ipv4 0.0.0.0 3389 all-interfaces 1012 -',
			'tcp ipv6 :: 445 all-interfaces 4 -',
			'udp ipv4 0.0.0.0 123 all-interfaces 1220 -',
		]);
	});

	it('netstat -anob: the [executable] line under a socket names it, service lines pass', () => {
		const text = [
			'Active Connections',
			'',
			'  Proto  Local Address          Foreign Address        State',
			'  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       908',
			'  RpcSs',
			' [svchost.exe]',
			'  TCP    0.0.0.0:445            0.0.0.0:0              LISTENING       4',
			' Can not obtain ownership information',
			'  TCP    172.31.40.9:49702      52.94.233.129:443      ESTABLISHED     2536',
			' [amazon-ssm-agent.exe]',
			'  TCP    127.0.0.1:8080         0.0.0.0:0              LISTENING       5172',
			' [node.exe]',
		].join('\n');
		const result = parseListeners(text);
		expect(result.skipped).toEqual([]);
		expect(result.listeners.map(row)).toEqual([
			'tcp ipv4 0.0.0.0 135 all-interfaces 908 svchost.exe',
			'tcp ipv4 0.0.0.0 445 all-interfaces 4 -',
			'tcp ipv4 127.0.0.1 8080 loopback 5172 node.exe',
		]);
	});

	it('PowerShell 5 redirection (UTF-16LE with BOM) decodes to the same listing', () => {
		const text = fixture('windows-host-snapshot.txt');
		const utf16 = Buffer.concat([Buffer.from([0xFF, 0xFE]), Buffer.from(text, 'utf16le')]);
		expect(decodeListingBytes(utf16)).toBe(text);
		expect(decodeListingBytes(Buffer.from(text, 'utf16le'))).toBe(text);
		expect(decodeListingBytes(Buffer.concat([Buffer.from([0xEF, 0xBB, 0xBF]), Buffer.from(text)]))).toBe(text);
		expect(parseListeners(decodeListingBytes(utf16)).listeners.map(row)).toEqual(WINDOWS);
	});
});

describe('/proc/net tables', () => {
	it('tcp, tcp6, udp, udp6 concatenated: LISTEN (0A) and unconnected UDP (07) only', () => {
		const result = parseListeners(fixture('proc-net-all.txt'));
		expect(result.format).toBe('proc-net');
		expect(result.skipped).toEqual([]);
		// Hex addresses decode to what ss printed for the same sockets; no process information.
		const fromSs = [...SS_TCP, ...SS_UDP].map((line) => line.split(' ').slice(0, 5).join(' ') + ' - -')
			// The kernel table has no zone (0.0.0.0%lo) and no dual-stack `*`: it holds the raw ::.
			.map((line) => line.replace('0.0.0.0 41155 loopback', '0.0.0.0 41155 all-interfaces').replace('tcp ipv4 * 41008', 'tcp ipv6 :: 41008'));
		expect(result.listeners.map(row)).toEqual(fromSs);
	});

	it('a table printed without its header line cannot say tcp or udp: skipped, not guessed', () => {
		const [, ...withoutHeader] = fixture('proc-net-tcp6.txt').split('\n');
		const result = parseListeners(withoutHeader.join('\n'));
		expect(result.listeners).toEqual([]);
		expect(result.skipped).toHaveLength(5);
		expect(result.skipped[0]).toMatchObject({line: 1, reason: expect.stringContaining('tcp or udp is unknown')});
	});

	it('`head` file markers name the table', () => {
		const udp6 = fixture('proc-net-all.txt').split('\n').filter((line) => line.includes(':A08F ')).join('\n');
		const result = parseListeners(`==> /proc/net/udp6 <==\n${udp6}\n`);
		expect(result.listeners.map(row)).toEqual(['udp ipv6 :: 41103 all-interfaces - -']);
	});
});

describe('damage and garbage', () => {
	it('an unparseable line inside a listing is skipped with its line number, the rest still parses', () => {
		const lines = fixture('ss-ltnup.txt').split('\n');
		lines.splice(3, 0, 'tcp   LISTEN 0 16 garbage-without-port 0.0.0.0:*', 'this line was mangled by a terminal');
		const result = parseListeners(lines.join('\n'));
		expect(result.listeners).toHaveLength(20);
		expect(result.skipped).toEqual([
			{line: 4, text: 'tcp   LISTEN 0 16 garbage-without-port 0.0.0.0:*', reason: 'no port in local address "garbage-without-port"'},
			{line: 5, text: 'this line was mangled by a terminal', reason: 'not an ss socket line'},
		]);
	});

	it('ports 0 and above 65535, and PIDs no system has, are skipped with the number as written', () => {
		const ss = [
			'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
			'tcp   LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=811,fd=3))',
			'tcp   LISTEN 0 128 0.0.0.0:0 0.0.0.0:* users:(("a",pid=1,fd=3))',
			'udp   UNCONN 0 0 [::]:0 [::]:* users:(("b",pid=1,fd=3))',
			'tcp   LISTEN 0 128 0.0.0.0:99999999999999999999 0.0.0.0:* users:(("c",pid=1,fd=3))',
			'tcp   LISTEN 0 128 0.0.0.0:8080 0.0.0.0:* users:(("d",pid=99999999999999999999999,fd=3))',
		].join('\n');
		const fromSs = parseListeners(ss);
		expect(fromSs.listeners.map((listener) => listener.port)).toEqual([22]);
		expect(fromSs.skipped.map((skipped) => [skipped.line, skipped.reason])).toEqual([
			[3, 'port 0 is no listening port (a socket listens on the port it is bound to, never 0)'],
			[4, 'port 0 is no listening port (a socket listens on the port it is bound to, never 0)'],
			[5, 'port 99999999999999999999 is out of range'],
			[6, 'PID 99999999999999999999999 is out of range'],
		]);
		const windows = [
			'  Proto  Local Address          Foreign Address        State           PID',
			'  TCP    0.0.0.0:3389           0.0.0.0:0              LISTENING       1012',
			'  TCP    0.0.0.0:1              0.0.0.0:0              LISTENING       99999999999999999999999',
			'  TCP    0.0.0.0:2              0.0.0.0:0              LISTENING       4294967296',
			'  UDP    0.0.0.0:0              *:*                                    4',
		].join('\r\n');
		const fromWindows = parseListeners(windows);
		expect(fromWindows.listeners.map((listener) => [listener.port, listener.pid])).toEqual([[3389, 1012]]);
		expect(fromWindows.skipped.map((skipped) => [skipped.line, skipped.reason])).toEqual([
			[3, 'PID 99999999999999999999999 is out of range'],
			[4, 'PID 4294967296 is out of range'],
			[5, 'port 0 is no listening port (a socket listens on the port it is bound to, never 0)'],
		]);
		const netstat = 'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name\ntcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      5000000000/sshd';
		expect(parseListeners(netstat).skipped.map((skipped) => skipped.reason)).toEqual(['PID 5000000000 is out of range']);
	});

	it('a listing captured without -n (service names) is skipped line by line with the fix', () => {
		const text = 'State  Recv-Q Send-Q Local Address:Port Peer Address:Port\nLISTEN 0 128 0.0.0.0:ssh 0.0.0.0:*\nLISTEN 0 128 localhost:5432 0.0.0.0:*\n';
		const result = parseListeners(text);
		expect(result.listeners).toEqual([]);
		expect(result.skipped.map((skipped) => skipped.reason)).toEqual([
			'port "ssh" is not a number (capture with -n for numeric ports)',
			'address "localhost" is not an IP address (capture with -n)',
		]);
	});

	it('a header with no sockets is a valid listing where nothing listens', () => {
		const result = parseListeners('Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n');
		expect(result).toEqual({format: 'ss', listeners: [], skipped: []});
	});

	it.each([
		['text that is no listing', 'hello\nworld\n', /not a listener listing/],
		['an empty file', '\n  \n', /empty/],
		['a tasklist without netstat', fixture('windows-tasklist.csv'), /tasklist output but no netstat -ano lines/],
	])('%s throws a one-line EvidenceError', (_name, text, message) => {
		expect(() => parseListeners(text)).toThrow(EvidenceError);
		expect(() => parseListeners(text)).toThrow(message);
	});

	it('the error never quotes the input (it may be the wrong file, with secrets)', () => {
		const secret = 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
		expect(() => parseListeners(`[default]\n${secret}\n`)).toThrow(/^(?!.*wJalr).*$/);
	});
});

describe('address exposure', () => {
	it.each([
		['0.0.0.0', null, 'ipv4', 'all-interfaces'],
		['::', null, 'ipv6', 'all-interfaces'],
		['*', null, 'ipv4', 'all-interfaces'],
		['127.0.0.1', null, 'ipv4', 'loopback'],
		['127.255.255.254', null, 'ipv4', 'loopback'],
		['127.0.0.53', 'lo', 'ipv4', 'loopback'],
		['::1', null, 'ipv6', 'loopback'],
		['::ffff:127.0.0.2', null, 'ipv6', 'loopback'],
		['::ffff:10.0.0.5', null, 'ipv6', 'specific'],
		['0.0.0.0', 'lo', 'ipv4', 'loopback'],
		['0.0.0.0', 'eth0', 'ipv4', 'all-interfaces'],
		['172.31.40.9', null, 'ipv4', 'specific'],
		['fe80::1', 'eth0', 'ipv6', 'specific'],
		['128.0.0.1', null, 'ipv4', 'specific'],
	] as const)('%s%%%s → %s %s', (host, zone, family, exposure) => {
		expect(classifyAddress(host, zone)).toEqual({address: host, family, exposure});
	});

	it('refuses what is not an address', () => {
		expect(classifyAddress('localhost')).toBeNull();
		expect(classifyAddress('127.1')).toBeNull();
		expect(classifyAddress('fe80::fc:ff:fe00:')).toBeNull();
	});

	it.each([
		['0.0.0.0:22', {host: '0.0.0.0', zone: null, port: '22'}],
		[':::22', {host: '::', zone: null, port: '22'}],
		['[::]:22', {host: '::', zone: null, port: '22'}],
		['127.0.0.53%lo:53', {host: '127.0.0.53', zone: 'lo', port: '53'}],
		['[fe80::fc:ff:fe00:1]%eth0:41156', {host: 'fe80::fc:ff:fe00:1', zone: 'eth0', port: '41156'}],
		['[fe80::8d4:a5ff:fe3c:1e21%6]:546', {host: 'fe80::8d4:a5ff:fe3c:1e21', zone: '6', port: '546'}],
		['*:*', {host: '*', zone: null, port: '*'}],
	])('splits %s', (text, expected) => {
		expect(splitEndpoint(text)).toEqual(expected);
	});
});

describe('a wildcard bound to one device (SO_BINDTODEVICE)', () => {
	const text = [
		'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
		'tcp   LISTEN 0      128    0.0.0.0%eth0:80    0.0.0.0:*         users:(("nginx",pid=10,fd=3))',
		'tcp   LISTEN 0      128    *%eth0:22          *:*               users:(("sshd",pid=11,fd=3))',
		'tcp   LISTEN 0      128    [::]%eth0:443      [::]:*            users:(("nginx",pid=10,fd=4))',
		'tcp   LISTEN 0      128    *%lo:8080          *:*               users:(("app",pid=12,fd=3))',
		'tcp   LISTEN 0      128    [::]%lo:8081       [::]:*            users:(("app",pid=12,fd=4))',
		'tcp   LISTEN 0      128    127.0.0.1%lo:6379  0.0.0.0:*         users:(("redis",pid=13,fd=3))',
	].join('\n');

	it('on lo is loopback only; on another device stays reachable and keeps the device', () => {
		const result = parseListeners(text);
		expect(result.skipped).toEqual([]);
		expect(result.listeners.map((listener) => `${row(listener)} ${listener.interface ?? '-'}`)).toEqual([
			'tcp ipv4 0.0.0.0 80 all-interfaces 10 nginx eth0',
			'tcp ipv4 * 22 all-interfaces 11 sshd eth0',
			'tcp ipv6 :: 443 all-interfaces 10 nginx eth0',
			'tcp ipv4 * 8080 loopback 12 app lo',
			'tcp ipv6 :: 8081 loopback 12 app lo',
			'tcp ipv4 127.0.0.1 6379 loopback 13 redis lo',
		]);
	});

	it('its text names the device: all addresses on eth0 only', () => {
		const listeners = parseListeners(text).listeners;
		expect(listeners.map((listener) => listenerText(listener))).toEqual([
			'nginx (pid 10) on 0.0.0.0%eth0:80 (all addresses on eth0 only)',
			'sshd (pid 11) on *%eth0:22 (all addresses on eth0 only)',
			'nginx (pid 10) on [::]%eth0:443 (all addresses on eth0 only)',
			'app (pid 12) on *%lo:8080',
			'app (pid 12) on [::]%lo:8081',
			'redis (pid 13) on 127.0.0.1%lo:6379',
		]);
		expect(listeners.map((listener) => exposureText(listener))).toEqual([
			'all addresses on eth0 only', 'all addresses on eth0 only', 'all addresses on eth0 only', 'loopback', 'loopback', 'loopback',
		]);
	});
});

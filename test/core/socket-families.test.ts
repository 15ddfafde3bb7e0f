// Which families a listening socket takes, from each listing style — and from what `ss` prints on
// this machine for sockets the test opens with and without IPV6_V6ONLY, checked against what a
// real IPv4 connection does.
import {execFileSync} from 'node:child_process';
import {once} from 'node:events';
import {connect, createServer, type AddressInfo, type Server} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {check} from '../../source/core/check.js';
import {parseListeners} from '../../source/core/listener-parser.js';
import {ssStyle} from '../../source/core/socket-families.js';
import type {CheckRequest, HostCapture} from '../../source/core/types.js';
import {webScene} from '../support/inventory-builder.js';
import {skipWithout} from '../support/peers.js';

const accepts = (text: string) => parseListeners(text).listeners.map((l) => [l.address, l.port, l.accepts]);

describe('socket families from the listing', () => {
	it('modern ss: *:P is dual-stack, [::]:P is IPV6_V6ONLY, 0.0.0.0 IPv4, specific binds their own family', () => {
		const text = [
			'State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess',
			'LISTEN 0      511          0.0.0.0:22         0.0.0.0:*',
			'LISTEN 0      511             [::]:8080          [::]:*',
			'LISTEN 0      511                *:9100             *:*',
			'LISTEN 0      511        10.0.1.10:5432       0.0.0.0:*',
			'LISTEN 0      511 [2001:db8:1::10]:5433          [::]:*',
			'LISTEN 0      511 [::ffff:10.0.1.10]:5434        [::]:*',
		].join('\n');
		expect(ssStyle(text)).toBe('modern');
		expect(accepts(text)).toEqual([
			['0.0.0.0', 22, {ipv4: true, ipv6: false}],
			['::', 8080, {ipv4: false, ipv6: true}],
			['*', 9100, {ipv4: true, ipv6: true}],
			['10.0.1.10', 5432, {ipv4: true, ipv6: false}],
			['2001:db8:1::10', 5433, {ipv4: false, ipv6: true}],
			['::ffff:10.0.1.10', 5434, {ipv4: true, ipv6: false}],
		]);
	});

	it('old ss (no brackets): *:P is IPv4 any, :::P a `::` socket taken as dual-stack (it cannot show V6ONLY)', () => {
		const text = ['State      Recv-Q Send-Q        Local Address:Port          Peer Address:Port', 'LISTEN     0      128                       *:22                       *:*', 'LISTEN     0      128                      :::22                      :::*'].join('\n');
		expect(ssStyle(text)).toBe('old');
		expect(accepts(text)).toEqual([
			['*', 22, {ipv4: true, ipv6: false}],
			['::', 22, {ipv4: true, ipv6: true, assumed: true}],
		]);
	});

	it('netstat and /proc/net: `::` is dual-stack, assumed; IPv4-mapped binds are IPv4', () => {
		const netstat = ['Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name', 'tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      1/sshd', 'tcp6       0      0 :::80                   :::*                    LISTEN      2/httpd'].join('\n');
		expect(accepts(netstat)).toEqual([
			['0.0.0.0', 22, {ipv4: true, ipv6: false}],
			['::', 80, {ipv4: true, ipv6: true, assumed: true}],
		]);
		const proc = ['  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode', '   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0'].join('\n');
		expect(accepts(proc)).toEqual([['::', 8080, {ipv4: true, ipv6: true, assumed: true}]]);
	});

	it('Windows netstat lists the families apart: [::] is IPv6 only', () => {
		const text = ['Active Connections', '', '  Proto  Local Address          Foreign Address        State           PID', '  TCP    0.0.0.0:3389           0.0.0.0:0              LISTENING       72', '  TCP    [::]:3389              [::]:0                 LISTENING       72'].join('\n');
		expect(accepts(text)).toEqual([
			['0.0.0.0', 3389, {ipv4: true, ipv6: false}],
			['::', 3389, {ipv4: false, ipv6: true}],
		]);
	});
});

function capture(text: string): HostCapture {
	return {...parseListeners(text), source: 'test'};
}

const v4: CheckRequest = {target: 'i-web', protocol: 'tcp', port: 8080, source: {kind: 'address', address: '203.0.113.25'}, clientOs: 'linux'};
const v6: CheckRequest = {...v4, source: {kind: 'address', address: '2001:db8:ff::25'}};
const open = webScene({groups: undefined});
for (const group of open.securityGroups) group.ingress.push({groupId: group.id, direction: 'ingress', protocol: 'tcp', fromPort: 1, toPort: 65535, peer: {kind: 'cidr4', cidr: '0.0.0.0/0'}}, {groupId: group.id, direction: 'ingress', protocol: 'tcp', fromPort: 1, toPort: 65535, peer: {kind: 'cidr6', cidr: '::/0'}});
open.networkAcls[0]!.entries.push({ruleNumber: 101, protocol: '-1', action: 'allow', egress: false, cidr: null, ipv6Cidr: '::/0', portRange: null, icmpTypeCode: null}, {ruleNumber: 101, protocol: '-1', action: 'allow', egress: true, cidr: null, ipv6Cidr: '::/0', portRange: null, icmpTypeCode: null});

describe('the host layer takes the exact families (issue 8 reproductions)', () => {
	const modern = (line: string) => capture(`State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\nLISTEN 0 511 0.0.0.0:22 0.0.0.0:*\n${line}`);
	it('[::]:8080 (IPV6_V6ONLY) refuses an IPv4 client, takes an IPv6 one', () => {
		const host = modern('LISTEN 0 511 [::]:8080 [::]:* users:(("app",pid=7,fd=3))');
		const refused = check({inventory: open, host, request: v4});
		expect(refused.verdict).toBe('not-listening');
		expect(refused.layers.host.summary).toContain('IPV6_V6ONLY');
		expect(check({inventory: open, host, request: v6}).verdict).toBe('reachable');
	});

	it('*:9100 (dual-stack) takes an IPv6 client and an IPv4 one', () => {
		const host = modern('LISTEN 0 511 *:9100 *:* users:(("node_exporter",pid=8,fd=3))');
		expect(check({inventory: open, host, request: {...v6, port: 9100}}).verdict).toBe('reachable');
		expect(check({inventory: open, host, request: {...v4, port: 9100}}).verdict).toBe('reachable');
	});

	it('specific binds take their own family only, and only on the ENI\'s own addresses', () => {
		const on = (address: string) => modern(`LISTEN 0 511 ${address}:5432 ${address.includes(':') ? '[::]' : '0.0.0.0'}:*`);
		expect(check({inventory: open, host: on('10.0.1.10'), request: {...v6, port: 5432}}).verdict).toBe('not-listening');
		expect(check({inventory: open, host: on('10.0.1.10'), request: {...v4, port: 5432}}).verdict).toBe('reachable');
		expect(check({inventory: open, host: on('[2001:db8:1::10]'), request: {...v4, port: 5432}}).verdict).toBe('not-listening');
		expect(check({inventory: open, host: on('[2001:db8:1::10]'), request: {...v6, port: 5432}}).verdict).toBe('reachable');
		expect(check({inventory: open, host: on('[::ffff:10.0.1.10]'), request: {...v6, port: 5432}}).verdict).toBe('not-listening');
		expect(check({inventory: open, host: on('[::ffff:10.0.1.10]'), request: {...v4, port: 5432}}).verdict).toBe('reachable');
		const docker = check({inventory: open, host: on('172.17.0.1'), request: {...v4, port: 5432}});
		expect(docker.verdict).toBe('not-listening');
		expect(docker.layers.host.summary).toContain('not reachable at the ENI\'s address');
		expect(check({inventory: open, host: on('127.0.0.1'), request: {...v4, port: 5432}}).verdict).toBe('loopback-only');
	});

	it('netstat\'s `:::80` is taken as dual-stack for an IPv4 client, and the verdict says it could not be confirmed', () => {
		const host = capture('Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name\ntcp6       0      0 :::80                   :::*                    LISTEN      2/httpd');
		const result = check({inventory: open, host, request: {...v4, port: 80}});
		expect(result.verdict).toBe('reachable');
		expect(result.notes.join('\n')).toMatch(/netstat-linux cannot show IPV6_V6ONLY/);
	});
});

describe.skipIf(skipWithout('ss'))('real ss output on this machine, both socket styles', () => {
	const servers: Server[] = [];
	let v6only = 0;
	let dual = 0;
	async function listen(ipv6Only: boolean): Promise<number> {
		const server = createServer((socket) => socket.end());
		server.listen({host: '::', port: 0, ipv6Only});
		await once(server, 'listening');
		servers.push(server);
		return (server.address() as AddressInfo).port;
	}
	/** Whether an IPv4 client on loopback gets a connection: the kernel's own answer. */
	async function ipv4Connects(port: number): Promise<boolean> {
		const socket = connect({host: '127.0.0.1', port});
		return new Promise((resolve) => {
			socket.once('connect', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
	}
	beforeAll(async () => {
		v6only = await listen(true);
		dual = await listen(false);
	});
	afterAll(() => {
		for (const server of servers) server.close();
	});

	it.each([['-lntp'], ['-lnt']])('ss %s: the V6ONLY socket takes IPv6 only, the dual-stack one both — as the kernel does', async (flag) => {
		const output = execFileSync('ss', [flag], {encoding: 'utf8'});
		const host = capture(output);
		const find = (port: number) => host.listeners.find((listener) => listener.port === port && listener.protocol === 'tcp');
		expect(find(v6only)?.accepts).toEqual({ipv4: false, ipv6: true});
		expect(find(dual)?.accepts).toEqual({ipv4: true, ipv6: true});
		// Ground truth from the kernel: an IPv4 connection to each.
		expect(await ipv4Connects(v6only)).toBe(false);
		expect(await ipv4Connects(dual)).toBe(true);
		// And the verdicts that follow from them.
		expect(check({inventory: open, host, request: {...v4, port: v6only}}).verdict).toBe('not-listening');
		expect(check({inventory: open, host, request: {...v6, port: v6only}}).verdict).toBe('reachable');
		expect(check({inventory: open, host, request: {...v4, port: dual}}).verdict).toBe('reachable');
		expect(check({inventory: open, host, request: {...v6, port: dual}}).verdict).toBe('reachable');
	});
});

// Reads what ss prints on this machine right now for sockets the test itself opens.
import {execFileSync} from 'node:child_process';
import {once} from 'node:events';
import {createServer, type AddressInfo, type Server} from 'node:net';
import {createSocket, type Socket} from 'node:dgram';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseListeners} from '../../source/core/listener-parser.js';
import {skipWithout} from '../support/peers.js';


describe.skipIf(skipWithout('ss'))('live `ss -ltnup` capture', () => {
	const servers: Server[] = [];
	let udp: Socket;

	async function listen(host: string): Promise<number> {
		const server = createServer();
		server.listen(0, host);
		await once(server, 'listening');
		servers.push(server);
		return (server.address() as AddressInfo).port;
	}

	let loopbackPort = 0;
	let anyPort = 0;
	let udpPort = 0;
	beforeAll(async () => {
		loopbackPort = await listen('127.0.0.1');
		anyPort = await listen('0.0.0.0');
		udp = createSocket('udp4');
		udp.bind(0, '127.0.0.1');
		await once(udp, 'listening');
		udpPort = udp.address().port;
	});

	afterAll(() => {
		for (const server of servers) {
			server.close();
		}

		udp?.close();
	});

	it.each([['-ltnup'], ['-H', '-tulpn']])('ss %s finds the test\'s own sockets with the right exposure and pid', (...args) => {
		const output = execFileSync('ss', args, {encoding: 'utf8'});
		const result = parseListeners(output);
		expect(result.format).toBe('ss');
		expect(result.skipped).toEqual([]);

		const find = (protocol: string, port: number) => result.listeners.find((listener) => listener.protocol === protocol && listener.port === port);
		expect(find('tcp', loopbackPort)).toMatchObject({address: '127.0.0.1', family: 'ipv4', exposure: 'loopback'});
		expect(find('tcp', anyPort)).toMatchObject({address: '0.0.0.0', family: 'ipv4', exposure: 'all-interfaces'});
		expect(find('udp', udpPort)).toMatchObject({address: '127.0.0.1', exposure: 'loopback'});
		// ss shows the owner only to root or to the owner itself; the test's process is ours.
		expect(find('tcp', anyPort)?.pid).toBe(process.pid);
	});
});

// The network guard itself: everything a test could dial beyond loopback is refused at once with
// the address and the caller's stack; loopback keeps working; child processes inherit it.
import {spawnSync} from 'node:child_process';
import dgram from 'node:dgram';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import {afterEach, describe, expect, it} from 'vitest';
import {NetworkGuardError, assertLoopbackUrl, isLoopbackHost, takeViolations} from './network-guard.mjs';

const MESSAGE = /^network guard: .* refused — tests, demos and benchmarks may reach loopback only \(127\.0\.0\.0\/8, ::1\)$/;

// These tests trip the guard on purpose: the setup's after-each check must not see their violations.
afterEach(() => {
	takeViolations();
});

function refused(run: () => unknown, address: string): NetworkGuardError {
	let caught: unknown;
	try {
		run();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(NetworkGuardError);
	const error = caught as NetworkGuardError;
	expect(error.message).toMatch(MESSAGE);
	expect(error.message).toContain(address);
	// The stack leads back to the caller (this file).
	expect(error.stack).toContain('network-guard.test.ts');
	return error;
}

describe('refused at once, naming the address', () => {
	it('TCP to a private or public address (net, tls, http and https agents)', () => {
		refused(() => net.connect(22, '10.0.0.1'), '10.0.0.1:22');
		refused(() => net.createConnection({host: '203.0.113.9', port: 443}), '203.0.113.9:443');
		refused(() => new net.Socket().connect({host: '2001:db8::1', port: 80}), '[2001:db8::1]:80');
		refused(() => tls.connect({host: '198.51.100.1', port: 443}), '198.51.100.1:443');
		refused(() => http.get('http://10.0.0.1:8080/'), '10.0.0.1:8080');
		refused(() => https.request({host: '192.0.2.44', port: 443, agent: new https.Agent()}).end(), '192.0.2.44:443');
	});

	it('a host name is refused before any DNS query; fetch rejects with the guard as its cause', async () => {
		refused(() => net.connect(443, 'ec2.eu-west-1.amazonaws.com'), 'ec2.eu-west-1.amazonaws.com:443');
		const failure = await fetch('http://10.0.0.1/').then(() => null, (error: Error) => error);
		expect((failure?.cause as Error | undefined)?.message).toMatch(MESSAGE);
		expect(takeViolations().map((error) => error.address)).toContain('10.0.0.1:80');
	});

	it('UDP sends and connects', () => {
		const socket = dgram.createSocket('udp4');
		try {
			refused(() => socket.send('x', 53, '8.8.8.8'), '8.8.8.8:53');
			refused(() => socket.send(Buffer.from('xy'), 0, 2, 123, '10.0.0.1'), '10.0.0.1:123');
			refused(() => socket.connect(53, '1.1.1.1'), '1.1.1.1:53');
		} finally {
			socket.close();
		}
	});

	it('DNS queries for anything but localhost (callback, promises and Resolver APIs)', async () => {
		refused(() => dns.lookup('example.com', () => {}), 'example.com');
		refused(() => dns.resolve4('example.com', () => {}), 'example.com');
		refused(() => new dns.Resolver().resolveTxt('example.com', () => {}), 'example.com');
		refused(() => dns.promises.lookup('sts.amazonaws.com'), 'sts.amazonaws.com');
		refused(() => new dns.promises.Resolver().resolve6('example.com'), 'example.com');
		expect((await dns.promises.lookup('localhost')).address).toMatch(/^(127\.|::1$)/);
	});
});

describe('loopback keeps working', () => {
	it('127.0.0.0/8, localhost and ::1 are loopback; nothing else is', () => {
		for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
		for (const host of ['10.0.0.1', '0.0.0.0', '::', '128.0.0.1', 'localhost.example.com', '::ffff:10.0.0.1', '169.254.169.254']) expect(isLoopbackHost(host), host).toBe(false);
		expect(() => assertLoopbackUrl('http://127.0.0.1:4566', 'AWS CLI endpoint')).not.toThrow();
		expect(() => assertLoopbackUrl('https://ec2.eu-west-1.amazonaws.com', 'AWS CLI endpoint')).toThrow(MESSAGE);
	});

	it('a TCP round trip through 127.0.0.1 and localhost', async () => {
		const server = net.createServer((socket) => socket.end('pong'));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const port = (server.address() as net.AddressInfo).port;
		try {
			for (const host of ['127.0.0.1', 'localhost']) {
				const reply = await new Promise<string>((resolve, reject) => {
					let text = '';
					net.connect(port, host).on('data', (chunk: Buffer) => (text += chunk.toString())).on('end', () => resolve(text)).on('error', reject);
				});
				expect(reply).toBe('pong');
			}
		} finally {
			server.close();
		}
		expect(takeViolations()).toEqual([]);
	});
});

describe('beyond this process', () => {
	it('a Node child process started by a test is guarded too (NODE_OPTIONS)', () => {
		const child = spawnSync(process.execPath, ['-e', "require('node:net').connect(22, '10.0.0.1')"], {encoding: 'utf8'});
		expect(child.status).not.toBe(0);
		expect(child.stderr).toContain('network guard: connection to 10.0.0.1:22 refused');
	});

	it('a test that swallows the guard\'s error still fails, with the guard\'s message', () => {
		const config = path.join(import.meta.dirname, '../fixtures/network-guard/vitest.config.ts');
		// A clean environment for the inner vitest (the outer one's VITEST_* variables would confuse it).
		const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'NODE_OPTIONS'));
		const run = spawnSync(process.execPath, [path.join(import.meta.dirname, '../../node_modules/vitest/vitest.mjs'), 'run', '--config', config], {encoding: 'utf8', env: {...env, NO_COLOR: '1', CI: '1'}, timeout: 120_000});
		expect(run.status).toBe(1);
		const output = run.stdout + run.stderr;
		expect(output).toContain('network guard: connection to 10.0.0.1:22 refused');
		expect(output).toMatch(/1 failed/);
	}, 150_000);
});

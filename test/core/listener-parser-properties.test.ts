// Whatever socket a host has, ss, net-tools netstat and Windows netstat print it differently;
// the parser must read back the same listener from each.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {classifyAddress} from '../../source/core/address-exposure.js';
import {parseListeners} from '../../source/core/listener-parser.js';

/** The address-round-trip properties; which families a socket takes has its own tests (socket-families.test.ts). */
function withoutFamilies<T extends {accepts?: unknown}>({accepts: _accepts, ...rest}: T): Omit<T, 'accepts'> {
	return rest;
}

const socket = fc.record({
	protocol: fc.constantFrom('tcp' as const, 'udp' as const),
	address: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('0.0.0.0', '::', '127.0.0.1', '::1', '127.0.0.53', '::ffff:127.0.0.1')),
	port: fc.integer({min: 1, max: 65_535}),
	pid: fc.integer({min: 1, max: 4_194_304}),
	// comm is free text: ss prints quotes, commas and parentheses unescaped.
	ssName: fc.stringMatching(/^[\w.() ",-]{1,15}$/),
	netstatName: fc.stringMatching(/^[\w.:-]{1,15}$/),
});

type Socket = typeof socket extends fc.Arbitrary<infer T> ? T : never;

const isIpv6 = (address: string) => address.includes(':');
const bracketed = (address: string) => (isIpv6(address) ? `[${address}]` : address);

function ssLine(s: Socket): string {
	const state = s.protocol === 'tcp' ? 'LISTEN' : 'UNCONN';
	const peer = isIpv6(s.address) ? '[::]:*' : '0.0.0.0:*';
	return `${s.protocol}   ${state} 0      128   ${bracketed(s.address)}:${s.port}   ${peer}    users:(("${s.ssName}",pid=${s.pid},fd=3))`;
}

function netstatLine(s: Socket): string {
	const proto = s.protocol + (isIpv6(s.address) ? '6' : '');
	const state = s.protocol === 'tcp' ? 'LISTEN' : '      ';
	return `${proto.padEnd(6)} 0      0 ${`${s.address}:${s.port}`.padEnd(23)} ${isIpv6(s.address) ? ':::*' : '0.0.0.0:*'}      ${state}      ${s.pid}/${s.netstatName}`;
}

function windowsLine(s: Socket): string {
	const local = `${bracketed(s.address)}:${s.port}`;
	return s.protocol === 'tcp'
		? `  TCP    ${local.padEnd(22)} ${isIpv6(s.address) ? '[::]:0' : '0.0.0.0:0'}      LISTENING       ${s.pid}`
		: `  UDP    ${local.padEnd(22)} *:*                                    ${s.pid}`;
}

// net-tools cuts addresses longer than its column; ss and Windows never do.
const fitsNetstat = (s: Socket) => `${s.address}:${s.port}`.length <= 23;

describe('ss, netstat and Windows netstat agree on every socket', () => {
	it('reads back protocol, address, port, exposure and owner', () => {
		fc.assert(fc.property(fc.array(socket, {minLength: 1, maxLength: 8}), (sockets) => {
			const expected = sockets.map((s) => ({
				protocol: s.protocol,
				port: s.port,
				pid: s.pid,
				...classifyAddress(s.address)!,
			}));

			const ss = parseListeners(sockets.map(ssLine).join('\n'));
			expect(ss.format).toBe('ss');
			expect(ss.skipped).toEqual([]);
			expect(ss.listeners.map(withoutFamilies)).toEqual(expected.map((listener, index) => ({...listener, process: sockets[index]!.ssName})));

			const windows = parseListeners(`Active Connections\n\n  Proto  Local Address          Foreign Address        State           PID\n${sockets.map(windowsLine).join('\n')}`);
			expect(windows.format).toBe('netstat-windows');
			expect(windows.listeners.map(withoutFamilies)).toEqual(expected.map((listener) => ({...listener, process: null})));

			const fitting = sockets.filter(fitsNetstat);
			if (fitting.length > 0) {
				const netstat = parseListeners(fitting.map(netstatLine).join('\n'));
				expect(netstat.format).toBe('netstat-linux');
				expect(netstat.listeners.map((listener) => [listener.address, listener.port, listener.exposure, listener.pid, listener.process]))
					.toEqual(fitting.map((s) => [s.address, s.port, classifyAddress(s.address)!.exposure, s.pid, s.netstatName]));
			}
		}), {numRuns: 1000});
	});
});

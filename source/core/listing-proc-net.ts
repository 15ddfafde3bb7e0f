// The kernel's own tables, `/proc/net/tcp`, `tcp6`, `udp`, `udp6`: what the SSH probe reads when a
// host has neither ss nor netstat. Addresses are hex, each 32-bit word in host byte order
// (little-endian on x86-64 and arm64, i.e. every EC2 instance type). No process information.
import {addressFromBytes, classifyAddress} from './address-exposure.js';
import {isCommandEcho, type NumberedLine, type ParsedLines, skip} from './listing-common.js';
import type {ListenerProtocol} from './types.js';

const DATA_LINE = /^\s*\d+:\s+([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})\s+[0-9A-Fa-f]+:[0-9A-Fa-f]{4}\s+([0-9A-Fa-f]{2})\s/;
const HEADER = /^\s*sl\s+local_address\s+rem(?:ote)?_address\s+st\s/;
// `head`/`tail` with several files, or a probe's own markers, name the table being printed.
const SECTION = /\/proc\/net\/(tcp|udp)6?\b/;
const TCP_LISTEN = '0A';
// UDP sockets that are bound but not connected sit in TCP_CLOSE (7): the ones that receive.
const UDP_UNCONNECTED = '07';

export function isProcNetDataLine(text: string): boolean {
	return DATA_LINE.test(text);
}

export function isProcNetHeader(text: string): boolean {
	return HEADER.test(text);
}

function decodeAddress(hex: string): string {
	const bytes: number[] = [];
	for (let word = 0; word < hex.length; word += 8) {
		for (let byte = 6; byte >= 0; byte -= 2) {
			bytes.push(Number.parseInt(hex.slice(word + byte, word + byte + 2), 16));
		}
	}

	return addressFromBytes(bytes);
}

export function parseProcNet(lines: NumberedLine[]): ParsedLines {
	const result: ParsedLines = {listeners: [], skipped: []};
	let protocol: ListenerProtocol | null = null;
	for (const line of lines) {
		const {text} = line;
		const section = SECTION.exec(text);
		if (section && !DATA_LINE.test(text)) {
			protocol = section[1] as ListenerProtocol;
			continue;
		}

		if (HEADER.test(text)) {
			// Only the UDP tables (and raw, which nobody should hand us) end in "ref pointer drops".
			protocol = /\bdrops\s*$/.test(text) ? 'udp' : 'tcp';
			continue;
		}

		if (text.trim() === '') {
			continue;
		}

		const match = DATA_LINE.exec(text);
		if (!match) {
			if (!isCommandEcho(text)) {
				result.skipped.push(skip(line, 'not a /proc/net socket line'));
			}

			continue;
		}

		if (!protocol) {
			result.skipped.push(skip(line, 'no /proc/net header above this line: tcp or udp is unknown'));
			continue;
		}

		const [, addressHex, portHex, state] = match;
		const port = Number.parseInt(portHex!, 16);
		// Port 0: a socket created but never bound receives nothing.
		if (port === 0 || state!.toUpperCase() !== (protocol === 'tcp' ? TCP_LISTEN : UDP_UNCONNECTED)) {
			continue;
		}

		const classified = classifyAddress(decodeAddress(addressHex!))!;
		result.listeners.push({
			protocol,
			family: classified.family,
			address: classified.address,
			port,
			exposure: classified.exposure,
			pid: null,
			process: null,
		});
	}

	return result;
}

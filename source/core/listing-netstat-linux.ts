// net-tools `netstat` listings: `-luntp`, `-tulpn`, `-lnt` (no PID/Program column), `-e` (User
// and Inode columns), `-a` (established sockets are ignored), `-o` (timer column). Only the
// "Active Internet connections" section is read; the UNIX-socket section that follows a bare
// `netstat -lnp` is not about the network.
import {classifyAddress, splitEndpoint} from './address-exposure.js';
import {isCommandEcho, listenerFrom, NO_OWNER, type NumberedLine, pidFrom, type Owner, type ParsedLines, skip} from './listing-common.js';
import type {Listener, ListenerProtocol} from './types.js';

// `s`: a CR inside a program name is data, not the end of the line.
const DATA_LINE = /^(tcp6?|udp6?|udpl6?|raw6?)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)(?:\s+(.*))?$/s;
const HEADER = /^Proto\s+Recv-Q\s+Send-Q\s+Local\s+Address/;
const INTERNET_BANNER = /^Active Internet connections/;
const OTHER_BANNER = /^Active (?:UNIX domain sockets|Bluetooth connections|IPX|AX\.25|NET\/ROM|X\.25)/;
const TIMER = /\s+(?:off|on|keepalive|timewait|probe|unkn-\d+)\s+\([^)]*\)\s*$/;

export function isNetstatLinuxDataLine(text: string): boolean {
	return DATA_LINE.test(text);
}

export function isNetstatLinuxHeader(text: string): boolean {
	return HEADER.test(text) || INTERNET_BANNER.test(text);
}

function protocolOf(proto: string): ListenerProtocol | null {
	if (proto.startsWith('tcp')) {
		return 'tcp';
	}

	return proto.startsWith('udp') ? 'udp' : null;
}

function ownerOf(field: string): Owner | string {
	const match = /^(\d+)\/(.*)$/s.exec(field);
	if (!match) {
		return NO_OWNER;
	}

	// Only the column padding goes: a CR, a tab inside or any other character of the name is data.
	const name = match[2]!.replace(/^ +| +$/g, '');
	const pid = pidFrom(match[1]!);
	return typeof pid === 'string' ? pid : {pid, process: name === '' ? null : name};
}

interface Columns {
	userInode: boolean;
}

/**
 * Everything after the foreign address: an optional state, then (-e) user and inode, then (-p)
 * PID/Program name, which may contain spaces. Returns null for sockets that do not listen.
 */
function ownerAndListening(protocol: ListenerProtocol, rest: string, columns: Columns): Owner | string | null {
	// The columns are cut off the front one by one, at the spaces netstat pads them with; the
	// program name is what remains, kept whole (splitting it on whitespace and re-joining turned a
	// CR or a tab inside a name into a space).
	let remaining = rest.replace(TIMER, '').replace(/^ +/, '');
	const stateMatch = /^([A-Z][A-Z0-9_]*)(?: +|$)/.exec(remaining);
	const state = stateMatch ? stateMatch[1]! : '';
	if (stateMatch) remaining = remaining.slice(stateMatch[0].length);
	if (protocol === 'tcp' ? state !== 'LISTEN' : state !== '') {
		// A UDP socket with a state is connected: a client, not a listener.
		return null;
	}

	// Without a header (output piped through grep) the -e columns show as "<user> <inode>".
	const userInode = /^(\S+) +(\d+)(?: +|$)/.exec(remaining);
	if (userInode && (columns.userInode || !/^\d+\//.test(userInode[1]!))) {
		remaining = remaining.slice(userInode[0].length);
	} else if (columns.userInode) {
		remaining = remaining.replace(/^\S+ +\S+(?: +|$)/, '');
	}

	return ownerOf(remaining);
}

/**
 * net-tools cuts long addresses to fit a 23-character column (`fe80::fc:ff:fe00::41156`). The
 * port survives; the address does not. All-interfaces and loopback addresses are short enough
 * never to be cut, so a cut IPv6 address is some specific address — keep the socket, say so.
 */
function truncatedIpv6Listener(protocol: ListenerProtocol, local: string, owner: Owner): Listener | null {
	const endpoint = splitEndpoint(local);
	if (!endpoint || !/^\d+$/.test(endpoint.port) || !endpoint.host.includes(':') || classifyAddress(endpoint.host)) {
		return null;
	}

	return {protocol, family: 'ipv6', address: endpoint.host, port: Number(endpoint.port), exposure: 'specific', ...owner};
}

export function parseNetstatLinux(lines: NumberedLine[]): ParsedLines {
	const result: ParsedLines = {listeners: [], skipped: []};
	const columns: Columns = {userInode: false};
	let inOtherSection = false;
	let inNotice = false;
	for (const line of lines) {
		// Only spaces and tabs are padding: a CR (or any other character) at the end of a program
		// name is part of it.
		const text = line.text.replace(/^[ \t]+|[ \t]+$/g, '');
		if (inNotice) {
			// "(Not all processes could be identified, …\n will not be shown, …)" spans lines.
			inNotice = !text.endsWith(')');
			continue;
		}

		if (text.startsWith('(')) {
			inNotice = !text.endsWith(')');
			continue;
		}

		if (INTERNET_BANNER.test(text)) {
			inOtherSection = false;
			continue;
		}

		if (OTHER_BANNER.test(text)) {
			inOtherSection = true;
			continue;
		}

		if (inOtherSection || text === '') {
			continue;
		}

		if (HEADER.test(text)) {
			columns.userInode = /\sUser\s+Inode\b/.test(text);
			continue;
		}

		const match = DATA_LINE.exec(text);
		if (!match) {
			if (!isCommandEcho(line.text)) {
				result.skipped.push(skip(line, 'not a netstat socket line'));
			}

			continue;
		}

		const [, proto, , , local, , rest = ''] = match;
		const protocol = protocolOf(proto!);
		if (!protocol) {
			continue;
		}

		const owner = ownerAndListening(protocol, rest, columns);
		if (!owner) {
			continue;
		}

		if (typeof owner === 'string') {
			result.skipped.push(skip(line, owner));
			continue;
		}

		const listener = listenerFrom(protocol, local!, owner);
		if (typeof listener !== 'string') {
			result.listeners.push(listener);
			continue;
		}

		const truncated = truncatedIpv6Listener(protocol, local!, owner);
		if (truncated) {
			result.listeners.push(truncated);
		} else {
			result.skipped.push(skip(line, listener));
		}
	}

	return result;
}

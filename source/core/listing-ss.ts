// iproute2 `ss` listings: `ss -ltnup`, `ss -tulpn`, `-H` (no header), `-e` (extra columns after
// the process), with or without the Netid column (`ss -ltn` prints none), and old iproute2's
// `*:22` / `:::22` addresses and `users:(("sshd",1234,3))` process lists.
import {isCommandEcho, listenerFrom, NO_OWNER, type NumberedLine, pidFrom, type Owner, type ParsedLines, skip} from './listing-common.js';
import type {ListenerProtocol} from './types.js';

const STATES = 'LISTEN|UNCONN|ESTAB|SYN-SENT|SYN-RECV|FIN-WAIT-1|FIN-WAIT-2|TIME-WAIT|CLOSE-WAIT|LAST-ACK|CLOSING|CLOSED|UNKNOWN';
// `s`: a process name is free text and may hold a CR (or U+2028): the line is read whole, the CR
// stays data (the display sanitizer shows it as `\x0d`).
const DATA_LINE = new RegExp(String.raw`^(?:(\S+)\s+)?(${STATES})\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)(?:\s+(.*))?$`, 's');
const HEADER = /^(?:Netid\s+)?State\s+Recv-Q\s+Send-Q\s+Local\s+Address:Port/;
// The name is everything up to the first `",pid=N,fd=N)`: process names may hold quotes, commas
// and parentheses (comm is free text), and ss prints them unescaped. Old iproute2 printed
// `("name",pid,fd)`; that form is tried only when the modern one is absent, as a name like
// `a",2,b` would otherwise read as pid 2.
const FIRST_USER = /users:\(\("(.*?)",pid=(\d+),fd=\d+\)/s;
const FIRST_USER_OLD = /users:\(\("(.*?)",(\d+),\d+\)/s;

export function isSsDataLine(text: string): boolean {
	return DATA_LINE.test(text);
}

export function isSsHeader(text: string): boolean {
	return HEADER.test(text);
}

function protocolOf(netid: string | undefined, state: string): ListenerProtocol | null {
	if (netid === undefined) {
		// Without the Netid column the state tells: only TCP listens, only UDP is UNCONN.
		return state === 'LISTEN' ? 'tcp' : state === 'UNCONN' ? 'udp' : null;
	}

	return netid === 'tcp' ? 'tcp' : netid === 'udp' ? 'udp' : null;
}

function ownerOf(rest: string | undefined): Owner | string {
	const match = rest ? FIRST_USER.exec(rest) ?? FIRST_USER_OLD.exec(rest) : null;
	if (!match) return NO_OWNER;
	const pid = pidFrom(match[2]!);
	return typeof pid === 'string' ? pid : {pid, process: match[1]!};
}

export function parseSs(lines: NumberedLine[]): ParsedLines {
	const result: ParsedLines = {listeners: [], skipped: []};
	for (const line of lines) {
		const {text} = line;
		// `ss -i`/`-m` print socket details on tab-indented continuation lines.
		if (text.trim() === '' || isSsHeader(text) || text.startsWith('\t')) {
			continue;
		}

		const match = DATA_LINE.exec(text.trim());
		if (!match) {
			if (!isCommandEcho(text)) {
				result.skipped.push(skip(line, 'not an ss socket line'));
			}

			continue;
		}

		const [, netid, state, , , local, , rest] = match;
		const protocol = protocolOf(netid, state!);
		// Connected sockets, other socket kinds (u_str, raw, nl…) and non-listening TCP states are
		// valid lines that simply describe no listener.
		if (!protocol || (protocol === 'tcp' && state !== 'LISTEN') || (protocol === 'udp' && state !== 'UNCONN')) {
			continue;
		}

		const owner = ownerOf(rest);
		const listener = typeof owner === 'string' ? owner : listenerFrom(protocol, local!, owner);
		if (typeof listener === 'string') {
			result.skipped.push(skip(line, listener));
		} else {
			result.listeners.push(listener);
		}
	}

	return result;
}

// Windows `netstat -ano` / `-nao` (and `-an`, `-anob`) listings, optionally followed by — or
// joined with — `tasklist /fo csv /nh` to name the processes behind the PIDs. A snapshot's host
// file holds both, concatenated, so tasklist lines are recognised anywhere in the text.
import {isCommandEcho, listenerFrom, type NumberedLine, pidFrom, type ParsedLines, skip} from './listing-common.js';
import type {Listener, SkippedLine} from './types.js';

const DATA_LINE = /^\s*(TCP|UDP)\s+(\S+:\S+)\s+(\S+:\S+)(?:\s+(\S+))?(?:\s+(\S+))?\s*$/;
// Image name and PID are the first two fields; the memory field holds commas inside quotes.
const TASKLIST_LINE = /^"([^"]*)","([^"]*)"/;
const EXECUTABLE_LINE = /^\s*\[(.+)\]\s*$/s;
const ANY_PEER = /^(?:0\.0\.0\.0|\[::\]|\*):(?:0|\*)$/;

export function isNetstatWindowsDataLine(text: string): boolean {
	return DATA_LINE.test(text);
}

export function isNetstatWindowsHeader(text: string): boolean {
	return /^\s*Active Connections\s*$/.test(text) || /^\s*Proto\s+Local Address\s+Foreign Address\s+State/.test(text);
}

export function isTasklistLine(text: string): boolean {
	return TASKLIST_LINE.test(text);
}

/**
 * Process names by PID from `tasklist /fo csv [/nh] [/svc]` lines. Header lines ("Image
 * Name","PID",…) carry no numeric PID and are passed over; other lines are reported.
 */
export function parseTasklist(lines: NumberedLine[], skipped: SkippedLine[], label = ''): Map<number, string> {
	const names = new Map<number, string>();
	for (const line of lines) {
		if (line.text.trim() === '' || isCommandEcho(line.text)) {
			continue;
		}

		const match = TASKLIST_LINE.exec(line.text.trim());
		if (!match) {
			skipped.push(skip(line, `${label}not a tasklist /fo csv line`));
			continue;
		}

		if (/^\d+$/.test(match[2]!)) {
			names.set(Number(match[2]), match[1]!);
		}
	}

	return names;
}

/**
 * TCP sockets listen when the state says LISTENING. Localised Windows prints the state in its
 * own language, so a TCP socket whose peer is the unspecified address with port 0 counts too
 * (BOUND sockets from `netstat -q` look alike and are excluded by name).
 */
function isListeningTcp(foreign: string, state: string | undefined): boolean {
	if (state === 'LISTENING') {
		return true;
	}

	return ANY_PEER.test(foreign) && state !== undefined && !/^\d+$/.test(state) && state !== 'BOUND';
}

export function parseNetstatWindows(lines: NumberedLine[], tasklist?: Map<number, string>): ParsedLines {
	const result: ParsedLines = {listeners: [], skipped: []};
	const tasklistLines = lines.filter((line) => isTasklistLine(line.text.trim()));
	const names = new Map([...parseTasklist(tasklistLines, result.skipped), ...(tasklist ?? [])]);
	// `netstat -b` prints the executable on a line under each socket.
	let lastListener: Listener | null = null;
	let seenData = false;
	for (const line of lines) {
		const text = line.text.trim();
		if (text === '' || isTasklistLine(text) || isNetstatWindowsHeader(line.text)) {
			continue;
		}

		const match = DATA_LINE.exec(text);
		if (!match) {
			const executable = EXECUTABLE_LINE.exec(text);
			if (executable) {
				if (lastListener) {
					lastListener.process ??= executable[1]!;
				}
			} else if (!seenData && !/\d/.test(text)) {
				// Banner and column header in the system's language ("Aktive Verbindungen").
			} else if (seenData && /^\S+$/.test(text) && line.text.startsWith(' ')) {
				// `-b`: the service name under a svchost socket (" RpcSs").
			} else if (/ownership information/i.test(text) || isCommandEcho(line.text)) {
				// `-b` without the rights to see a socket's owner; the prompt before `tasklist`.
			} else {
				result.skipped.push(skip(line, 'not a Windows netstat line'));
			}

			continue;
		}

		seenData = true;
		lastListener = null;
		const [, proto, local, foreign, third, fourth] = match;
		const state = proto === 'TCP' ? third : undefined;
		const pidText = proto === 'TCP' ? fourth : third;
		if (proto === 'UDP' && fourth !== undefined) {
			result.skipped.push(skip(line, 'unexpected extra column after the UDP PID'));
			continue;
		}

		if (proto === 'TCP' && state === undefined) {
			result.skipped.push(skip(line, 'TCP line without a state'));
			continue;
		}

		if (proto === 'TCP' && !isListeningTcp(foreign!, state)) {
			continue;
		}

		if (pidText !== undefined && !/^\d+$/.test(pidText)) {
			result.skipped.push(skip(line, `PID "${pidText}" is not a number`));
			continue;
		}

		const pid = pidText === undefined ? null : pidFrom(pidText);
		if (typeof pid === 'string') {
			result.skipped.push(skip(line, pid));
			continue;
		}

		const listener = listenerFrom(proto === 'TCP' ? 'tcp' : 'udp', local!, {pid, process: pid === null ? null : names.get(pid) ?? null});
		if (typeof listener === 'string') {
			result.skipped.push(skip(line, listener));
			continue;
		}

		result.listeners.push(listener);
		lastListener = listener;
	}

	return result;
}

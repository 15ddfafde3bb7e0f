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

/** A process name tasklist gave a PID, with where it was read (for the duplicate's reason). */
export interface TasklistName {
	name: string;
	line: number;
	/** The label of the text it came from: '' for the listing itself. */
	label: string;
}

export type TasklistNames = Map<number, TasklistName>;

/**
 * Process names by PID from `tasklist /fo csv [/nh] [/svc]` lines, added to `names`. Header lines
 * ("Image Name","PID",…) carry no numeric PID and are passed over; other lines are reported. A
 * PID is unique on a running system, so a second, different name for it is damage (or text pasted
 * from two moments): the first name stays and the line is reported, not silently taken.
 */
export function parseTasklist(lines: NumberedLine[], skipped: SkippedLine[], label = '', names: TasklistNames = new Map()): TasklistNames {
	for (const line of lines) {
		if (line.text.trim() === '' || isCommandEcho(line.text)) {
			continue;
		}

		const match = TASKLIST_LINE.exec(line.text.trim());
		if (!match) {
			skipped.push(skip(line, `${label}not a tasklist /fo csv line`));
			continue;
		}

		if (!/^\d+$/.test(match[2]!)) {
			continue;
		}

		const pid = Number(match[2]);
		const name = match[1]!;
		const first = names.get(pid);
		if (first === undefined) {
			names.set(pid, {name, line: line.number, label});
		} else if (first.name !== name) {
			const where = first.label === label ? '' : first.label === '' ? ' of the listing' : ' of the tasklist file';
			skipped.push(skip(line, `${label}PID ${pid} is named twice: "${first.name}" (line ${first.line}${where}) is kept, this line's "${name}" is not used`));
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

/** A tasklist handed apart from the listing: its lines, where its skipped lines go, their label. */
export interface SeparateTasklist {
	lines: NumberedLine[];
	skipped: SkippedLine[];
	label: string;
}

export function parseNetstatWindows(lines: NumberedLine[], tasklist?: SeparateTasklist): ParsedLines {
	const result: ParsedLines = {listeners: [], skipped: []};
	const tasklistLines = lines.filter((line) => isTasklistLine(line.text.trim()));
	// The listing's own tasklist lines first, then the separate file: the first name of a PID wins.
	const names = parseTasklist(tasklistLines, result.skipped);
	if (tasklist) parseTasklist(tasklist.lines, tasklist.skipped, tasklist.label, names);
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

		const listener = listenerFrom(proto === 'TCP' ? 'tcp' : 'udp', local!, {pid, process: pid === null ? null : names.get(pid)?.name ?? null});
		if (typeof listener === 'string') {
			result.skipped.push(skip(line, listener));
			continue;
		}

		result.listeners.push(listener);
		lastListener = listener;
	}

	return result;
}

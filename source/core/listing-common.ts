// Shared pieces of the per-tool listing parsers (listing-ss.ts, listing-netstat-*.ts,
// listing-proc-net.ts): numbered lines, the outcome of one line, and building a Listener.
import {classifyAddress, splitEndpoint} from './address-exposure.js';
import type {Listener, ListenerProtocol, SkippedLine} from './types.js';

export interface NumberedLine {
	/** 1-based line number in the text handed to parseListeners. */
	number: number;
	text: string;
}

export interface ParsedLines {
	listeners: Listener[];
	skipped: SkippedLine[];
}

/** Why a line may be left out without being reported: it is known noise, not damage. */
const COMMAND_ECHO = /^.*?[#$>%]\s*(?:sudo\s+)?(?:ss|netstat|netstat\.exe|cat|tasklist|tasklist\.exe|head|tail)(?:\s|$)/;

/**
 * A shell prompt with the command that produced the listing (`# netstat -luntp`,
 * `C:\Users\Administrator>netstat -nao`), as people paste it together with the output.
 */
export function isCommandEcho(text: string): boolean {
	return COMMAND_ECHO.test(text);
}

export function skip(line: NumberedLine, reason: string): SkippedLine {
	return {line: line.number, text: line.text, reason};
}

/** Process details a listing may carry for a socket. */
export interface Owner {
	pid: number | null;
	process: string | null;
}

export const NO_OWNER: Owner = {pid: null, process: null};

/** The largest process id any system hands out: Windows' PIDs are 32-bit (DWORD); Linux's pid_max is at most 2^22. */
const MAX_PID = 4_294_967_295;

/** A PID column's digits as a number, or why the line is damaged (the number as written). */
export function pidFrom(digits: string): number | string {
	const pid = Number(digits);
	return pid <= MAX_PID ? pid : `PID ${digits} is out of range`;
}

/**
 * Builds a listener from the local-address column, or returns the reason it cannot. A port that
 * is a service name means the tool ran without -n; say so rather than guess the number.
 */
export function listenerFrom(protocol: ListenerProtocol, localAddress: string, owner: Owner): Listener | string {
	const endpoint = splitEndpoint(localAddress);
	if (!endpoint) {
		return `no port in local address "${localAddress}"`;
	}

	if (!/^\d+$/.test(endpoint.port)) {
		return `port "${endpoint.port}" is not a number (capture with -n for numeric ports)`;
	}

	const port = Number(endpoint.port);
	if (port > 65_535) {
		return `port ${endpoint.port} is out of range`;
	}

	// listen() on an unbound socket binds it to an ephemeral port first: no listing shows port 0
	// for a socket that can be reached (a 0 is damage, and "reachable on port 0" would mislead).
	if (port === 0) {
		return 'port 0 is no listening port (a socket listens on the port it is bound to, never 0)';
	}

	const address = classifyAddress(endpoint.host, endpoint.zone);
	if (!address) {
		return `address "${endpoint.host}" is not an IP address (capture with -n)`;
	}

	const listener: Listener = {protocol, family: address.family, address: address.address, port, exposure: address.exposure, pid: owner.pid, process: owner.process};
	if (endpoint.zone !== null) {
		listener.interface = endpoint.zone;
	}

	return listener;
}

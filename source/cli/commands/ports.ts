// `sgtui ports`: the method's first check on a listing captured from the host — which ports are
// reachable from outside at all, and which are bound to loopback (no security group change will
// ever make those work). No React, ink or AWS SDK here: it must start fast.
import {createReadStream} from 'node:fs';
import {parseListeners, TASKLIST_SKIP_PREFIX} from '../../core/listener-parser.js';
import {decodeListingBytes} from '../../core/listing-text.js';
import {wildcardDevice} from '../../core/listener-endpoint.js';
import type {Exposure, Listener, ListenerParseResult} from '../../core/types.js';
import {EXIT, InputError, UsageError} from '../errors.js';
import {ignoreClosedPipe} from '../quiet-epipe.js';
import {bold, formatTable, useColor} from '../text-table.js';
import {displayCopy} from '../../core/display-text.js';

export interface PortsOptions {
	input?: unknown;
	tasklist?: unknown;
	json?: unknown;
}

export interface CommandIo {
	stdout: {write(text: string): unknown; isTTY?: boolean};
	stderr: {write(text: string): unknown};
	stdin: NodeJS.ReadableStream & {isTTY?: boolean};
}

const DEFAULT_IO: CommandIo = {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin};

/** A listing is a few KB (a busy host's is under 1 MB): anything past this is not one — /dev/zero, a disk image. */
export const MAX_LISTING_BYTES = 64 * 1024 * 1024;

/** Reads at most MAX_LISTING_BYTES, so a wrong file fails fast instead of eating the machine's memory. */
async function readBounded(stream: NodeJS.ReadableStream, name: string): Promise<Uint8Array> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
		size += bytes.length;
		if (size > MAX_LISTING_BYTES) {
			(stream as NodeJS.ReadableStream & {destroy?: () => void}).destroy?.();
			throw new InputError(`${name} is larger than ${MAX_LISTING_BYTES / 1024 / 1024} MB: not a listener listing (ss or netstat output is a few KB)`);
		}
		chunks.push(bytes);
	}

	return Buffer.concat(chunks);
}

/** Reads a file (or stdin for "-") as text, whatever encoding the capturing shell wrote. */
export async function readListingText(path: string, what: string, stdin: CommandIo['stdin']): Promise<string> {
	if (path === '-') {
		if (stdin.isTTY) {
			throw new UsageError(`${what} "-" reads standard input, but it is a terminal: pipe a listing in (e.g. ss -ltnup | sgtui ports --input -)`);
		}

		return decodeListingBytes(await readBounded(stdin, `${what} on standard input`));
	}

	try {
		return decodeListingBytes(await readBounded(createReadStream(path), `${what} ${path}`));
	} catch (error) {
		if (error instanceof InputError) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
		throw new InputError(`cannot read ${what} ${path}: ${reason}`);
	}
}

// A wildcard bound to one device (ss: 0.0.0.0%eth0) is reachable, but only through that device:
// it gets its own group, shown only when there is one, so "all interfaces" stays true.
const GROUPS: Array<{exposure: Exposure; device: boolean; title: string; whenEmpty: boolean}> = [
	{exposure: 'all-interfaces', device: false, whenEmpty: true, title: 'Reachable from outside (bound to all interfaces) — the security group and network ACL decide'},
	{exposure: 'loopback', device: false, whenEmpty: true, title: 'Loopback only — will never work from another host, whatever the security group says (bind to 0.0.0.0 or the private IP to serve it)'},
	{exposure: 'specific', device: false, whenEmpty: true, title: 'Bound to one specific address — reachable only through that address'},
	{exposure: 'all-interfaces', device: true, whenEmpty: false, title: 'Reachable only through one device (all its addresses, SO_BINDTODEVICE) — packets arriving on other devices never reach it'},
];

const FORMAT_NAMES: Record<ListenerParseResult['format'], string> = {
	ss: 'ss',
	'netstat-linux': 'netstat (Linux)',
	'netstat-windows': 'netstat (Windows)',
	'proc-net': '/proc/net',
};

function byPort(a: Listener, b: Listener): number {
	return a.protocol.localeCompare(b.protocol) || a.port - b.port || a.family.localeCompare(b.family) || a.address.localeCompare(b.address);
}

function plural(count: number, noun: string): string {
	return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function formatPortsReport(result: ListenerParseResult, color: boolean): string {
	const tcp = result.listeners.filter((listener) => listener.protocol === 'tcp').length;
	const out: string[] = [
		`${FORMAT_NAMES[result.format]} listing: ${plural(result.listeners.length, 'listening socket')} (${tcp} tcp, ${result.listeners.length - tcp} udp)`,
	];

	for (const group of GROUPS) {
		const members = result.listeners.filter((listener) => listener.exposure === group.exposure && (wildcardDevice(listener) !== null) === group.device).sort(byPort);
		if (members.length === 0 && !group.whenEmpty) continue;
		out.push('', bold(`${group.title}:`, color));
		if (members.length === 0) {
			out.push('  none');
			continue;
		}

		const rows = members.map((listener) => [
			listener.protocol,
			String(listener.port),
			listener.interface === undefined ? listener.address : `${listener.address}%${listener.interface}`,
			listener.process ?? '-',
			listener.pid === null ? '-' : String(listener.pid),
		]);
		out.push(formatTable(['PROTO', 'PORT', 'ADDRESS', 'PROCESS', 'PID'], rows, {indent: '  ', color, alignRight: [1]}));
	}

	// Tasklist lines are numbered within the tasklist file, so they are counted apart.
	const inTasklist = result.skipped.filter((skipped) => skipped.reason.startsWith(TASKLIST_SKIP_PREFIX));
	const inListing = result.skipped.filter((skipped) => !skipped.reason.startsWith(TASKLIST_SKIP_PREFIX));
	// The first reason is shown, not just "unparseable": a skipped line may be well formed and
	// still not used (a PID tasklist names twice).
	if (inListing.length > 0) {
		out.push('', `skipped ${plural(inListing.length, 'line')}, first at line ${inListing[0]!.line}: ${inListing[0]!.reason} (--json lists them)`);
	}

	if (inTasklist.length > 0) {
		const reason = inTasklist[0]!.reason.slice(TASKLIST_SKIP_PREFIX.length);
		out.push('', `skipped ${plural(inTasklist.length, 'tasklist line')}, first at line ${inTasklist[0]!.line} of the tasklist file: ${reason}`);
	}

	return out.join('\n') + '\n';
}

export async function run(options: PortsOptions, _args: string[] = [], io: CommandIo = DEFAULT_IO): Promise<number> {
	if (io.stdout === process.stdout) ignoreClosedPipe(process.stdout);
	if (typeof options.input !== 'string' || options.input === '') {
		throw new UsageError('give TARGET... to probe hosts over SSH, or --input FILE with a captured listing ("-" for standard input)');
	}

	if (options.tasklist !== undefined && (typeof options.tasklist !== 'string' || options.tasklist === '')) {
		throw new UsageError('--tasklist takes a file name');
	}

	if (options.input === '-' && options.tasklist === '-') {
		throw new UsageError('only one of --input and --tasklist can read standard input');
	}

	const text = await readListingText(options.input, 'listing', io.stdin);
	const tasklist = typeof options.tasklist === 'string' ? await readListingText(options.tasklist, 'tasklist', io.stdin) : undefined;
	const result = parseListeners(text, {tasklist});
	if (tasklist !== undefined && result.format !== 'netstat-windows') {
		io.stderr.write(`sgtui: note: --tasklist is unused: the listing is ${FORMAT_NAMES[result.format]} output, not Windows netstat\n`);
	}

	if (options.json) {
		io.stdout.write(JSON.stringify({listeners: result.listeners, format: result.format, skipped: result.skipped}, null, 2) + '\n');
	} else {
		io.stdout.write(formatPortsReport(displayCopy(result), useColor(io.stdout)));
	}

	return EXIT.ok;
}

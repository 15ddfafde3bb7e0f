// `sgtui flows`: the method's second check — what is being REJECTed at the ENI. Reads a flow log
// file (or stdin, gzip or not, any LogFormat) and prints either a summary of the rejected
// (direction, peer, service port, protocol) tuples or the records as NDJSON. No React, ink or AWS
// SDK here.
import {EvidenceError} from '../../core/evidence-error.js';
import {parseLogFormat} from '../../core/flow-format.js';
import {formatMalformedNote, formatReplyNote, type FlowSummary, type FlowSummaryRow} from '../../core/flow-summary.js';
import {protocolName} from '../../core/protocols.js';
import {scanFlowJson, type FlowReadStats} from '../../files/flow-file.js';
import {summarizeFlowFile} from '../../files/flow-summarize.js';
import {EXIT, InputError, UsageError} from '../errors.js';
import {formatTable, useColor} from '../text-table.js';
import {display} from '../../core/display-text.js';
import {errorLine} from '../../core/display-text.js';

export interface FlowsOptions {
	input?: unknown;
	format?: unknown;
	all?: unknown;
	json?: unknown;
}

type Writable = {
	write(text: string | Uint8Array): boolean;
	on(event: 'drain' | 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
	off(event: 'drain' | 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
	isTTY?: boolean;
};

export interface FlowsIo {
	stdout: Writable;
	stderr: {write(text: string): unknown; isTTY?: boolean; columns?: number};
	stdin: {isTTY?: boolean};
}

const DEFAULT_IO: FlowsIo = {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin};

/**
 * Writes to stdout with backpressure, and turns a closed pipe (`sgtui flows --json | head`) into
 * "stop reading" instead of a crash.
 */
class Output {
	closed = false;
	private failure: Error | null = null;
	constructor(private readonly stream: Writable) {
		stream.on('error', (error) => {
			this.closed = true;
			if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') this.failure = error;
		});
	}

	async write(text: string | Uint8Array): Promise<boolean> {
		if (this.failure) throw this.failure;
		if (this.closed) return false;
		if (!this.stream.write(text)) {
			await new Promise<void>((resolve) => {
				const done = () => {
					this.stream.off('drain', done);
					this.stream.off('error', done);
					resolve();
				};
				this.stream.on('drain', done);
				this.stream.on('error', done);
			});
		}
		return !this.closed;
	}
}

const MB = 1024 * 1024;

/** "reading flows.log: 41% (96 of 228 MB)" on one refreshed stderr line, only for a terminal. */
function progressLine(io: FlowsIo, name: string): {update: (read: number, total: number | null) => void; done: () => void} {
	if (!io.stderr.isTTY) return {update: () => {}, done: () => {}};
	const began = Date.now();
	let last = 0;
	let shown = false;
	return {
		update(read, total) {
			const now = Date.now();
			// Quick reads stay silent; then at most ten updates a second.
			if (now - began < 300 || now - last < 100) return;
			last = now;
			shown = true;
			const amount = total ? `${Math.floor((read / total) * 100)}% (${Math.round(read / MB)} of ${Math.round(total / MB)} MB)` : `${Math.round(read / MB)} MB`;
			io.stderr.write(`\r\u001B[2Kreading ${name}: ${amount}`);
		},
		done() {
			if (shown) io.stderr.write('\r\u001B[2K');
		},
	};
}

function isoTime(seconds: number | null): string {
	return seconds === null ? '-' : new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** 1234567 → "1,234,567" (toLocaleString is slow over thousands of rows). */
function count(n: number): string {
	return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Rows of a direction-aware summary get a DIR column and PEER instead of SOURCE: the client of a
 * reply (whose PORT is then the service port it answered from), the remote end of 'out'.
 */
export function formatSummaryTable(rows: FlowSummaryRow[], withAction: boolean, color = false): string {
	const directional = rows.some((row) => row.direction !== undefined);
	const headers = [...(directional ? ['DIR', 'PEER'] : ['SOURCE']), 'PORT', 'PROTOCOL', ...(withAction ? ['ACTION'] : []), 'COUNT', 'FIRST SEEN', 'LAST SEEN'];
	const body = rows.map((row) => [
		...(directional ? [row.direction ?? '-'] : []),
		row.srcAddr ?? '-',
		row.dstPort === null ? '-' : String(row.dstPort),
		row.protocol === null ? '-' : protocolName(row.protocol),
		...(withAction ? [row.action ?? '-'] : []),
		count(row.count),
		isoTime(row.firstSeen),
		isoTime(row.lastSeen),
	]);
	const shift = directional ? 1 : 0;
	const countColumn = (withAction ? 4 : 3) + shift;
	return formatTable(headers, body, {alignRight: [1 + shift, countColumn], color});
}

export function formatTotals(summary: FlowSummary): string {
	const totals = summary.totals;
	// Records without an action only show up with a LogFormat that lacks ${action} (or writes -):
	// named then, so the categories add up to the total.
	const noAction = totals.noAction > 0 ? `, ${count(totals.noAction)} without action` : '';
	return `${count(totals.records)} ${totals.records === 1 ? 'record' : 'records'}: ${count(totals.rejects)} REJECT, ${count(totals.accepts)} ACCEPT, ${count(totals.nodata)} NODATA, ${count(totals.skipdata)} SKIPDATA${noAction}`;
}

function checkSomethingParsed(name: string, stats: FlowReadStats): void {
	if (stats.records === 0 && stats.malformed > 0) {
		throw new InputError(`no line of ${name} is a flow log record in the format ${stats.format} (${formatMalformedNote(stats)}); pass --format with the flow log's LogFormat`);
	}
}

export async function run(options: FlowsOptions, _args: string[] = [], io: FlowsIo = DEFAULT_IO): Promise<number> {
	const input = options.input;
	if (typeof input !== 'string' || input === '') throw new UsageError('--input FILE is required ("-" for stdin)');
	if (input === '-' && io.stdin.isTTY) throw new UsageError('--input - reads standard input, but it is a terminal: pipe flow log records in (e.g. zcat flows.log.gz | sgtui flows --input -)');
	let format: string | null = null;
	if (options.format !== undefined) {
		if (typeof options.format !== 'string') throw new UsageError('--format needs a LogFormat string, e.g. "${srcaddr} ${dstport} ${action}"');
		try {
			parseLogFormat(options.format);
		} catch (error) {
			throw new UsageError(`--format: ${errorLine(error)}`);
		}
		format = options.format;
	}
	const all = options.all === true;
	// A file name is outside text too (an S3 key, a download): shown inert in every line that names it.
	const name = input === '-' ? 'stdin' : display(input);
	const progress = progressLine(io, name);
	const output = new Output(io.stdout);

	let stats: FlowReadStats;
	try {
		if (options.json === true) {
			stats = await scanFlowJson(input, {format, all, onProgress: progress.update}, (text) => output.write(text));
		} else {
			const result = await summarizeFlowFile(input, {format, actions: all ? 'all' : 'reject', byDirection: true, onProgress: progress.update});
			stats = result.stats;
			progress.done();
			checkSomethingParsed(name, stats);
			const rows = result.summary.rows();
			const what = all ? 'records' : 'REJECT records';
			const replyNote = formatReplyNote(rows);
			const table = rows.length > 0 ? formatSummaryTable(rows, all, useColor(io.stdout)) + '\n' + (replyNote ? `${replyNote}\n` : '') + '\n' : `no ${what} in ${name}\n`;
			await output.write(table + formatTotals(result.summary) + '\n');
		}
	} catch (error) {
		progress.done();
		if (error instanceof EvidenceError) throw new InputError(error.message);
		throw error;
	}
	progress.done();
	if (options.json === true && !output.closed) checkSomethingParsed(name, stats);
	const note = formatMalformedNote(stats);
	if (note) io.stderr.write(`sgtui: ${name}: ${display(note)}\n`);
	return EXIT.ok;
}

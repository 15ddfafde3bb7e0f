// Reads a listener listing captured on a host — whatever tool printed it — into Listeners: the
// method's first check ("which ports listen, and on which address?"). The format is detected
// from the lines themselves, so users can paste what they have, prompt and all.
import {EvidenceError} from './evidence-error.js';
import type {NumberedLine, ParsedLines} from './listing-common.js';
import {isNetstatLinuxDataLine, isNetstatLinuxHeader, parseNetstatLinux} from './listing-netstat-linux.js';
import {isNetstatWindowsDataLine, isNetstatWindowsHeader, isTasklistLine, parseNetstatWindows, parseTasklist, type SeparateTasklist} from './listing-netstat-windows.js';
import {isProcNetDataLine, isProcNetHeader, parseProcNet} from './listing-proc-net.js';
import {isSsDataLine, isSsHeader, parseSs} from './listing-ss.js';
import {assignSocketFamilies} from './socket-families.js';
import type {ListenerParseResult, ListingFormat, SkippedLine} from './types.js';

export interface ParseListenersOptions {
	/** Windows `tasklist /fo csv /nh` output, when it was captured separately from netstat. */
	tasklist?: string;
}

/** Starts the reason of a skipped line that came from `options.tasklist` (numbered within it). */
export const TASKLIST_SKIP_PREFIX = 'tasklist: ';

interface FormatSignature {
	format: ListingFormat;
	isData(text: string): boolean;
	isHeader(text: string): boolean;
}

// In order of preference when two formats score the same (no real listing does).
const SIGNATURES: FormatSignature[] = [
	{format: 'ss', isData: isSsDataLine, isHeader: isSsHeader},
	{format: 'netstat-linux', isData: isNetstatLinuxDataLine, isHeader: isNetstatLinuxHeader},
	{format: 'netstat-windows', isData: isNetstatWindowsDataLine, isHeader: isNetstatWindowsHeader},
	{format: 'proc-net', isData: isProcNetDataLine, isHeader: isProcNetHeader},
];

export function numberLines(text: string): NumberedLine[] {
	return text
		.replace(/^\uFEFF/, '')
		.split('\n')
		.map((line, index) => ({number: index + 1, text: line.replace(/\r$/, '')}));
}

/**
 * Scores every format by the lines it recognises (a socket line counts more than a header), so a
 * listing with a pasted prompt or a stray line is still read as what most of it is. A listing
 * with only a header — nothing listens — is still recognised.
 */
export function detectListingFormat(lines: NumberedLine[]): ListingFormat | null {
	let best: {format: ListingFormat; score: number} | null = null;
	for (const signature of SIGNATURES) {
		let score = 0;
		for (const {text} of lines) {
			score += signature.isData(text) ? 2 : signature.isHeader(text) ? 1 : 0;
		}

		if (score > 0 && (!best || score > best.score)) {
			best = {format: signature.format, score};
		}
	}

	// A tasklist alone names processes but says nothing about sockets.
	return best?.format ?? null;
}

function parseAs(format: ListingFormat, lines: NumberedLine[], tasklist: SeparateTasklist | undefined): ParsedLines {
	switch (format) {
		case 'ss': {
			return parseSs(lines);
		}

		case 'netstat-linux': {
			return parseNetstatLinux(lines);
		}

		case 'netstat-windows': {
			return parseNetstatWindows(lines, tasklist);
		}

		case 'proc-net': {
			return parseProcNet(lines);
		}
	}
}

/**
 * A listing line is under 100 bytes; one naming a thousand workers sharing a socket is tens of KB.
 * Past this it is not a listing, whatever its bytes (README "Security").
 */
export const MAX_LISTING_LINE = 1 << 20;

/** Binary data (a NUL) or an endless line is refused whole, before any line is parsed. */
function checkListingText(text: string, what: string): void {
	const nul = text.indexOf('\0');
	if (nul !== -1) throw new EvidenceError(`${what} holds binary data (a NUL character at offset ${nul}): not ss/netstat output`);
	let start = 0;
	while (start < text.length) {
		let end = text.indexOf('\n', start);
		if (end === -1) end = text.length;
		if (end - start > MAX_LISTING_LINE) {
			const line = text.slice(0, start).split('\n').length;
			throw new EvidenceError(`${what} has a line longer than ${MAX_LISTING_LINE / (1 << 20)} MiB (line ${line}): not ss/netstat output`);
		}
		start = end + 1;
	}
}

/**
 * Parses `ss -ltnup` / `-tulpn` (±`-H`, `-e`), net-tools `netstat -luntp` / `-lnt`, Windows
 * `netstat -ano` (+ `tasklist /fo csv /nh`, in the same text or in `options.tasklist`) and
 * `/proc/net/{tcp,tcp6,udp,udp6}`. One Listener per socket line, in input order, nothing merged.
 * Lines that belong to no known shape come back in `skipped`; text that is no listing at all
 * throws an EvidenceError.
 */
export function parseListeners(text: string, options: ParseListenersOptions = {}): ListenerParseResult {
	checkListingText(text, 'the listener listing');
	if (options.tasklist !== undefined) checkListingText(options.tasklist, 'the tasklist');
	const lines = numberLines(text);
	if (lines.every((line) => line.text.trim() === '')) {
		throw new EvidenceError('the listener listing is empty');
	}

	const format = detectListingFormat(lines);
	if (!format) {
		const onlyTasklist = lines.some((line) => isTasklistLine(line.text.trim()));
		throw new EvidenceError(onlyTasklist
			? 'the listing holds tasklist output but no netstat -ano lines'
			: 'not a listener listing: expected the output of ss -ltnup, netstat -luntp, Windows netstat -ano or /proc/net/tcp');
	}

	const tasklistSkipped: SkippedLine[] = [];
	const tasklist: SeparateTasklist | undefined = options.tasklist === undefined ? undefined : {lines: numberLines(options.tasklist), skipped: tasklistSkipped, label: TASKLIST_SKIP_PREFIX};
	// Only a Windows listing uses the names; any other still has the file's bad lines reported.
	if (tasklist && format !== 'netstat-windows') parseTasklist(tasklist.lines, tasklist.skipped, tasklist.label);

	const parsed = parseAs(format, lines, tasklist);
	return {format, listeners: assignSocketFamilies(parsed.listeners, format, text), skipped: [...parsed.skipped, ...tasklistSkipped]};
}

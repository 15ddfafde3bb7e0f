// Fuzz over what an attacker controls: listing text from a host, flow-log lines, any string that
// reaches the sanitizer. Arbitrary input never throws anything but the parsers' one-line
// EvidenceError, never hangs (each run is bounded by the test timeout), every line is accounted for,
// and what comes out for the terminal holds no character that acts on it. Replay a failure with
// FC_SEED/FC_PATH (test/support/fast-check-setup.ts).
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {display, displayCopy, guardTerminalText} from '../../source/core/display-text.js';
import {EvidenceError} from '../../source/core/evidence-error.js';
import {FlowLineClassifier} from '../../source/core/flow-lines.js';
import {parseListeners} from '../../source/core/listener-parser.js';
import {decodeListingBytes} from '../../source/core/listing-text.js';

// Written out rather than taken from the sanitizer: C0, DEL, C1, BiDi embeddings/overrides and
// isolates, zero-width and other invisible format characters, line/paragraph separators, lone
// surrogates.
const ACTS_ON_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// Strings as an attacker writes them: any code unit (lone surrogates too), with escapes, BiDi
// overrides and listing/flow-log syntax mixed in so the parsers' own paths are reached.
const hostile = fc.oneof(
	fc.string({unit: 'binary', maxLength: 60}),
	fc.string({unit: fc.constantFrom('\u001b', ']', '5', '2', ';', '\u0007', '\u009b', '\u202e', '\u2066', '\u200b', '\r', '\t', ' ', '"', '(', ')', ',', ':', '*', '/', 'a', 'Z', '0', '\ud800', '\udfff'), maxLength: 60}),
	fc.string({unit: 'grapheme', maxLength: 30}),
);

const SS = 'tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=1,fd=3))';
const NETSTAT = 'tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      1/sshd';
const WINDOWS = '  TCP    0.0.0.0:3389           0.0.0.0:0              LISTENING       1044';
const PROC = '   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0';
const PROC_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';

/** A listing of one format with hostile lines (and hostile process names) mixed in. */
const listing = fc.record({
	format: fc.constantFrom('ss', 'netstat', 'windows', 'proc'),
	good: fc.integer({min: 1, max: 5}),
	// No NUL: binary data refuses the whole listing (the property above).
	junk: fc.array(hostile.map((text) => text.replace(/[\n\0]/g, ' ')), {maxLength: 6}),
	// A CR inside a name is data (the line is read whole); an LF ends the line, so it is left out here.
	name: hostile.map((text) => text.replace(/[\n\0"]/g, '')),
	order: fc.array(fc.nat(), {maxLength: 12}),
});

function listingText({format, good, junk, name, order}: {format: string; good: number; junk: string[]; name: string; order: number[]}): string {
	const line = format === 'ss' ? SS.replace('sshd', () => name.replace(/[()",]/g, '') || 'x') : format === 'netstat' ? NETSTAT.replace('sshd', () => netstatName(name)) : format === 'windows' ? WINDOWS : PROC;
	const lines: string[] = Array.from({length: good}, () => line);
	// Hostile lines go after the first good one (format detection reads the start).
	// The parsers knowingly pass over shapes the real tools print (headers, connections that do not
	// listen, `netstat -b` service names): the junk is marked so it cannot take such a shape.
	for (const [index, text] of junk.entries()) lines.splice(1 + ((order[index] ?? 0) % lines.length), 0, `#! 9 ${text}`);
	return (format === 'proc' ? [PROC_HEADER, ...lines] : lines).join('\n');
}

/**
 * A planted netstat program name: no parentheses (a timer column's shape), no padding at either
 * end and no CR at the end (the end of a CRLF line), never empty.
 */
function netstatName(name: string): string {
	return name.replace(/[()]/g, '').replace(/^[ \t]+|[ \t\r]+$/g, '') || 'x';
}

function expectOnlyEvidenceErrors(run: () => void): void {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(EvidenceError);
		expect((error as Error).message).not.toContain('\n');
	}
}

describe('listing parsers under hostile text', () => {
	it('arbitrary text: a result or one EvidenceError, never another exception; every line number is real', () => {
		fc.assert(fc.property(fc.oneof(hostile, fc.array(hostile).map((lines) => lines.join('\n'))), (text) => {
			expectOnlyEvidenceErrors(() => {
				const result = parseListeners(text);
				const lines = text.split('\n').length;
				for (const skipped of result.skipped) {
					expect(skipped.line).toBeGreaterThanOrEqual(1);
					expect(skipped.line).toBeLessThanOrEqual(lines);
				}
				expect(result.listeners.length + result.skipped.length).toBeLessThanOrEqual(lines);
			});
		}), {numRuns: 300});
	});

	it('arbitrary bytes decode and parse the same way (NUL floods fail fast)', () => {
		fc.assert(fc.property(fc.uint8Array({maxLength: 200}), (bytes) => {
			expectOnlyEvidenceErrors(() => parseListeners(decodeListingBytes(bytes)));
		}), {numRuns: 300});
	});

	it('good lines are all read; every hostile line is a listener or counted as skipped, none lost; display text is inert', () => {
		fc.assert(fc.property(listing, (input) => {
			const text = listingText(input);
			const result = parseListeners(text);
			const nonBlank = text.split('\n').filter((line) => line.trim() !== '').length - (input.format === 'proc' ? 1 : 0);
			// A hostile line can itself be a valid socket line: then it is a listener, else skipped.
			expect(result.listeners.length).toBeGreaterThanOrEqual(input.good);
			// The planted ss process name comes back whole, CRs and all.
			if (input.format === 'ss') expect(result.listeners[0]!.process).toBe(input.name.replace(/[()",]/g, '') || 'x');
			// So does the netstat one (its column is the rest of the line, whitespace and all).
			if (input.format === 'netstat') expect(result.listeners[0]!.process).toBe(netstatName(input.name));
			expect(result.listeners.length + result.skipped.length).toBe(nonBlank);
			for (const listener of displayCopy(result).listeners) expect(ACTS_ON_TERMINAL.test(listener.process ?? '')).toBe(false);
			for (const skipped of displayCopy(result).skipped) expect(ACTS_ON_TERMINAL.test(skipped.text)).toBe(false);
		}), {numRuns: 300});
	});
});

const FLOW = '2 123456789012 eni-0a1b2c3d4e5f60718 203.0.113.7 10.0.1.5 49152 22 6 1 60 1700000000 1700000060 REJECT OK';

describe('flow-log line classification under hostile lines', () => {
	it('every line is a record, a header, blank or malformed — the counts add up; fields display inert', () => {
		fc.assert(fc.property(fc.array(fc.oneof(hostile.map((text) => text.replace(/\n/g, ' ')), fc.constant(FLOW), hostile.map((text) => FLOW.replace('REJECT', text.replace(/\s/g, '') || 'X'))), {maxLength: 20}), (lines) => {
			const classifier = new FlowLineClassifier();
			const seen = {record: 0, header: 0, blank: 0, malformed: 0};
			for (const line of lines) {
				const outcome = classifier.next(line);
				if (typeof outcome === 'string') seen[outcome]++;
				else {
					seen.record++;
					for (const value of Object.values(outcome)) expect(ACTS_ON_TERMINAL.test(display(String(value)))).toBe(false);
				}
			}
			expect(classifier.stats.lines).toBe(lines.length);
			expect(seen.record + seen.header + seen.blank + seen.malformed).toBe(lines.length);
			expect(classifier.stats.records).toBe(seen.record);
			expect(classifier.stats.malformed).toBe(seen.malformed);
			expect(seen.record).toBeGreaterThanOrEqual(lines.filter((line) => line === FLOW).length);
		}), {numRuns: 300});
	});
});

describe('the sanitizer', () => {
	it('display: nothing that acts on a terminal survives, one line, idempotent, clean text unchanged', () => {
		fc.assert(fc.property(hostile, (text) => {
			const shown = display(text);
			expect(ACTS_ON_TERMINAL.test(shown)).toBe(false);
			expect(shown).not.toContain('\n');
			expect(display(shown)).toBe(shown);
			// Printable ASCII and Latin-1 letters (no soft hyphen) are shown as they are.
			if (/^[\u0020-\u007e\u00a0-\u00ac\u00ae-\u00ff]*$/.test(text)) expect(shown).toBe(text);
		}), {numRuns: 1000});
	});

	it('the output guard: no OSC, DCS, bell, C1 or BiDi reaches the terminal, and JSON stays the same JSON', () => {
		fc.assert(fc.property(hostile, (text) => {
			const guarded = guardTerminalText(text);
			expect(guarded).not.toMatch(/\u001b[\]P^_X]|[\u0007\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
			const json = JSON.stringify({value: text});
			expect(JSON.parse(guardTerminalText(json))).toEqual({value: text});
		}), {numRuns: 1000});
	});
});

// The display sanitizer: every string sgtui did not write itself (AWS tags, names, descriptions,
// process names from a host, flow-log fields, file contents, error messages that quote them) is
// data, and data must never drive the terminal. `display` turns every character that could —
// C0/C1 controls, ESC (so every escape sequence), DEL, BiDi overrides and other invisible format
// characters — into a visible escape (`\x1b`, `\u202e`), so what the operator sees is what the
// data holds. It is the only sanitizer: table cells, UI state, report text and error lines all
// call it (or `displayCopy` for whole objects).
//
// `guardTerminalText` is the last line behind it: the CLI installs it on process.stdout/stderr
// (source/cli/terminal-guard.ts), so even text that skipped `display` cannot carry an OSC
// (clipboard, window title), a DCS, a device report request or a BiDi override to the terminal.
// It lets through only the few CSI sequences sgtui and ink emit themselves.

/**
 * Characters that act on a terminal or reorder/hide text instead of showing: controls (Cc: C0,
 * DEL, C1), format characters (Cf: BiDi embeddings/overrides/isolates U+202A–U+202E and
 * U+2066–U+2069, zero-width U+200B–U+200F, U+2060–U+2064, U+FEFF, soft hyphen, tag characters),
 * line/paragraph separators, lone surrogates, and the Hangul fillers that render as blanks.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u115F\u1160\u3164\uFFA0]/gu;
const UNSAFE_TEST = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u115F\u1160\u3164\uFFA0]/u;

function hex(code: number, digits: number): string {
	return code.toString(16).padStart(digits, '0');
}

/** `\x1b` for the 8-bit range, `\u202e` above it, `\u{e0041}` beyond the BMP. */
export function visibleEscape(char: string): string {
	const code = char.codePointAt(0)!;
	if (code <= 0xff) return `\\x${hex(code, 2)}`;
	if (code <= 0xffff) return `\\u${hex(code, 4)}`;
	return `\\u{${code.toString(16)}}`;
}

/** True when `text` holds nothing a terminal would act on. */
export function isDisplaySafe(text: string): boolean {
	return !UNSAFE_TEST.test(text);
}

/** Data → text safe for any terminal, one line (newlines and tabs become `\x0a`, `\x09` too). */
export function display(value: unknown): string {
	const text = typeof value === 'string' ? value : String(value);
	return UNSAFE_TEST.test(text) ? text.replace(UNSAFE, visibleEscape) : text;
}

/**
 * A copy of `value` with every string in it passed through `display` (object keys too). Parts
 * with nothing to escape keep their identity, so a clean inventory comes back as the same object.
 * AWS ids, CIDRs and addresses are unchanged by construction (their grammar has no such
 * characters), so evaluation on the copy is evaluation on the original.
 */
export function displayCopy<T>(value: T): T {
	return copy(value, 0) as T;
}

function copy(value: unknown, depth: number): unknown {
	if (typeof value === 'string') return display(value);
	if (value === null || typeof value !== 'object' || depth > 64) return value;
	if (Array.isArray(value)) {
		let changed: unknown[] | null = null;
		for (let index = 0; index < value.length; index++) {
			const next = copy(value[index], depth + 1);
			if (next !== value[index]) {
				changed ??= value.slice();
				changed[index] = next;
			}
		}
		return changed ?? value;
	}
	if (value instanceof Map) {
		let changed = false;
		const entries = [...value].map(([key, item]) => {
			const nextKey = copy(key, depth + 1);
			const next = copy(item, depth + 1);
			if (nextKey !== key || next !== item) changed = true;
			return [nextKey, next] as const;
		});
		return changed ? new Map(entries) : value;
	}
	if (value instanceof Set) {
		const items = [...value].map((item) => copy(item, depth + 1));
		return items.some((item, index) => item !== [...value][index]) ? new Set(items) : value;
	}
	const proto = Object.getPrototypeOf(value) as unknown;
	if (proto !== Object.prototype && proto !== null) return value; // class instances (Date, Error…) stay as they are
	let changed: Record<string, unknown> | null = null;
	// Object.keys, not entries: no [key, value] pair per field (a flood copies 500 records a second).
	for (const key of Object.keys(value)) {
		const item = (value as Record<string, unknown>)[key];
		const nextKey = display(key);
		const next = copy(item, depth + 1);
		if (next !== item || nextKey !== key) {
			changed ??= {...(value as Record<string, unknown>)};
			if (nextKey !== key) delete changed[key];
			changed[nextKey] = next;
		}
	}
	return changed ?? value;
}

// What a key or a paste may add to a text field: everything `display` would escape except the C0
// controls and DEL, which arrive as keys (enter, tab, backspace) and are handled as keys. A BiDi
// override or a zero-width space pasted from a web page would otherwise sit invisibly in a filter
// or an id (and ink measures it as zero columns while the output guard widens it to six).
const INVISIBLE = /[\u0080-\u009F\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u115F\u1160\u3164\uFFA0]/gu;

/** Typed or pasted text without the characters that do not show (C1, format characters, separators). */
export function withoutInvisible(text: string): string {
	return text.replace(INVISIBLE, '');
}

/** What a key or a paste adds to a text field (filter, palette): no control, nothing invisible. */
export function typedText(input: string): string {
	return withoutInvisible(input).replace(/[\u0000-\u001F\u007F]/g, '');
}

/** One line for any error, never a stack, safe to print: the first line of its message. */
export function errorLine(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return display(text.split('\n')[0]!.trim()) || 'unknown error';
}

/** A display cell at most `max` code points long (a 1 MB process name must not size a column). */
export function capCell(text: string, max: number): string {
	if (text.length <= max) return text;
	const points = Array.from(text.slice(0, max * 2 + 2));
	return points.length <= max ? points.join('') : `${points.slice(0, max - 1).join('')}…`;
}

// The CSI sequences sgtui and ink write themselves: SGR colours (never 8, "conceal"), erase in
// line/display, cursor moves and position, cursor show/hide, synchronized output, the alternate
// screen. Everything else that starts with ESC — OSC (title, clipboard, hyperlinks), DCS, APC,
// device status/attribute requests that make the terminal type into stdin — is shown escaped.
const OWN_CSI = /^\u001B\[(?:[0-9;]*[mKJABCDEFGH]|\?(?:25|1049|2026)[hl])/;
const TERMINAL_UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
// What the guard would change: TERMINAL_UNSAFE without the newline, carriage return and tab it keeps.
// Lets multi-line output with nothing to escape (tables, NDJSON) through without the per-character loop.
const GUARD_CHANGES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

// OSC 52 sequences sgtui itself built (the TUI's `y`): the guard lets exactly these through, once.
// Data can never register one, so an OSC 52 inside a tag value stays escaped.
const issuedClipboard = new Set<string>();

/** The OSC 52 "set clipboard" request for `text`, marked as sgtui's own for the output guard. */
export function clipboardSequence(text: string): string {
	const sequence = `\u001B]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
	issuedClipboard.add(sequence);
	return sequence;
}

function ownClipboard(text: string, index: number): string | null {
	if (!text.startsWith('\u001B]52;c;', index)) return null;
	const end = text.indexOf('\u0007', index);
	if (end === -1) return null;
	const sequence = text.slice(index, end + 1);
	if (!issuedClipboard.delete(sequence)) return null;
	return sequence;
}

function jsonEscape(char: string): string {
	let out = '';
	for (let index = 0; index < char.length; index++) out += `\\u${hex(char.charCodeAt(index), 4)}`;
	return out;
}

/**
 * The last filter before the terminal: keeps newline, carriage return, tab and the CSI sequences
 * above; every other control or format character becomes `\uXXXX` — JSON's own escape, so
 * `--json` output passing through stays exact JSON with the same values.
 */
export function guardTerminalText(text: string): string {
	if (!GUARD_CHANGES.test(text)) return text;
	let out = '';
	let index = 0;
	while (index < text.length) {
		const code = text.codePointAt(index)!;
		const char = String.fromCodePoint(code);
		if (code === 0x1b) {
			const own = OWN_CSI.exec(text.slice(index, index + 24));
			if (own && !concealing(own[0])) {
				out += own[0];
				index += own[0].length;
				continue;
			}
			const clipboard = ownClipboard(text, index);
			if (clipboard) {
				out += clipboard;
				index += clipboard.length;
				continue;
			}
		}
		out += char === '\n' || char === '\r' || char === '\t' || !TERMINAL_UNSAFE.test(char) ? char : jsonEscape(char);
		index += char.length;
	}
	return out;
}

/** SGR 8 hides text; 38/48/58 take colour arguments (`38;5;8`, `38;2;r;g;b`) that are not attributes. */
function concealing(sequence: string): boolean {
	if (!sequence.endsWith('m')) return false;
	const params = sequence.slice(2, -1).split(';');
	for (let index = 0; index < params.length; index++) {
		const param = params[index];
		if (param === '38' || param === '48' || param === '58') index += params[index + 1] === '2' ? 4 : 2;
		else if (param === '8') return true;
	}
	return false;
}

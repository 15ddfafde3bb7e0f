import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {capCell, display, displayCopy, errorLine, guardTerminalText} from '../../source/core/display-text.js';
import {guardStream} from '../../source/cli/terminal-guard.js';

// Independent of the module's regexes: the code points a terminal acts on or that reorder/hide
// text, listed by range from the Unicode and ECMA-48 tables.
function dangerous(code: number): boolean {
	return (
		code <= 0x1f ||
		(code >= 0x7f && code <= 0x9f) ||
		code === 0xad ||
		code === 0x61c ||
		(code >= 0x200b && code <= 0x200f) ||
		(code >= 0x2028 && code <= 0x202e) ||
		(code >= 0x2060 && code <= 0x2064) ||
		(code >= 0x2066 && code <= 0x206f) ||
		code === 0xfeff ||
		(code >= 0xd800 && code <= 0xdfff)
	);
}

function codePoints(text: string): number[] {
	const out: number[] = [];
	for (let index = 0; index < text.length; index++) {
		const code = text.codePointAt(index)!;
		out.push(code);
		if (code > 0xffff) index++;
	}
	return out;
}

function unescape(text: string): string {
	return text.replace(/\\x([0-9a-f]{2})|\\u\{([0-9a-f]+)\}|\\u([0-9a-f]{4})/g, (_, x, big, u) => String.fromCodePoint(parseInt(x ?? big ?? u, 16)));
}

const hostileChar = fc.oneof(
	fc.constantFrom('\u001b', '\u0007', '\u009b', '\u009d', '\u007f', '\u202e', '\u2066', '\u200b', '\ufeff', '\n', '\r', '\t', '\u0000', '\ud800', '\u{e0041}'),
	fc.string({unit: 'binary', maxLength: 1}),
);
const hostileString = fc.array(hostileChar, {maxLength: 40}).map((parts) => parts.join(''));

describe('display: data becomes visible, inert text', () => {
	it('turns the attacks from the issue into visible escapes', () => {
		expect(display('web-1\u001b]52;c;Y3VybA==\u0007')).toBe('web-1\\x1b]52;c;Y3VybA==\\x07');
		expect(display('nginx\u001b]0;pwned\u0007\u001b[2J')).toBe('nginx\\x1b]0;pwned\\x07\\x1b[2J');
		expect(display('abc\u202edcba')).toBe('abc\\u202edcba');
		expect(display('a\u009b31mb\u007f')).toBe('a\\x9b31mb\\x7f');
		expect(display('tag\u{e0041}')).toBe('tag\\u{e0041}');
		expect(display('ok — ünïcödé 日本 🙂')).toBe('ok — ünïcödé 日本 🙂');
	});

	it('leaves no dangerous code point and loses nothing (fuzz; the seed is printed on failure)', () => {
		fc.assert(
			fc.property(hostileString, (text) => {
				const shown = display(text);
				expect(codePoints(shown).filter(dangerous)).toEqual([]);
				if (!text.includes('\\')) expect(unescape(shown)).toBe(text);
			}),
			{numRuns: 500},
		);
	});

	it('copies objects deeply, keeping clean parts identical', () => {
		const clean = {id: 'sg-0123456789abcdef0', cidrs: ['10.0.0.0/16']};
		const value = {clean, tags: {Name: 'x\u001b[8m'}, list: [1, 'y\u202e'], map: new Map([['k', 'v\u0007']])};
		const copy = displayCopy(value);
		expect(copy.clean).toBe(clean);
		expect(copy.tags.Name).toBe('x\\x1b[8m');
		expect(copy.list).toEqual([1, 'y\\u202e']);
		expect(copy.map.get('k')).toBe('v\\x07');
		expect(value.tags.Name).toBe('x\u001b[8m');
		expect(displayCopy(clean)).toBe(clean);
	});

	it('errorLine is one sanitized line', () => {
		expect(errorLine(new Error('bad \u001b]0;t\u0007 thing\nstack'))).toBe('bad \\x1b]0;t\\x07 thing');
		expect(errorLine('')).toBe('unknown error');
	});

	it('capCell bounds a megabyte-long cell', () => {
		const capped = capCell('p'.repeat(1 << 20), 40);
		expect([...capped]).toHaveLength(40);
		expect(capped.endsWith('…')).toBe(true);
	});
});

describe('guardTerminalText: the last filter before the terminal', () => {
	it("keeps sgtui's and ink's own CSI sequences", () => {
		const own = '\u001b[1mbold\u001b[22m \u001b[38;2;8;8;8mrgb\u001b[39m\r\u001b[2K\u001b[3F\u001b[J\u001b[?25l\u001b[?2026h\u001b[?1049h\u001b[12;4H\n\t';
		expect(guardTerminalText(own)).toBe(own);
	});

	it('escapes OSC, DCS, device reports, conceal, C1, BiDi and lone ESC in JSON form', () => {
		expect(guardTerminalText('\u001b]52;c;eA==\u0007')).toBe('\\u001b]52;c;eA==\\u0007');
		expect(guardTerminalText('\u001bP1$q\u001b\\')).toBe('\\u001bP1$q\\u001b\\');
		expect(guardTerminalText('\u001b[6n\u001b[21t')).toBe('\\u001b[6n\\u001b[21t');
		expect(guardTerminalText('\u001b[8mhidden')).toBe('\\u001b[8mhidden');
		expect(guardTerminalText('\u009b2J \u202e')).toBe('\\u009b2J \\u202e');
	});

	it('keeps JSON exact: the guarded text parses to the same value (fuzz)', () => {
		fc.assert(
			fc.property(hostileString, (text) => {
				const json = JSON.stringify({text});
				const guarded = guardTerminalText(json);
				expect(JSON.parse(guarded)).toEqual({text});
				expect(codePoints(guarded).filter((code) => dangerous(code) && code !== 0x0a)).toEqual([]);
			}),
			{numRuns: 500},
		);
	});

	it('lets no escape sequence from arbitrary text through except the allowed CSI forms (fuzz)', () => {
		fc.assert(
			fc.property(hostileString, (text) => {
				const guarded = guardTerminalText(text);
				for (const match of guarded.matchAll(/\u001b(.{0,12})/gsu)) {
					expect(match[1]).toMatch(/^\[(?:[0-9;]*[mKJABCDEFGH]|\?(?:25|1049|2026)[hl])/);
				}
			}),
			{numRuns: 500},
		);
	});
});

describe("the TUI's own clipboard request", () => {
	it('passes exactly the OSC 52 sgtui built, once; the same bytes from data stay escaped', async () => {
		const {clipboardSequence} = await import('../../source/core/display-text.js');
		const own = clipboardSequence("aws ec2 describe-security-groups --group-ids 'sg-0123456789abcdef0'");
		expect(guardTerminalText(`x${own}y`)).toBe(`x${own}y`);
		expect(guardTerminalText(own)).toBe(own.replace('\u001b', '\\u001b').replace('\u0007', '\\u0007'));
		expect(guardTerminalText('\u001b]52;c;Y3VybCBldmlsfHNo\u0007')).toBe('\\u001b]52;c;Y3VybCBldmlsfHNo\\u0007');
	});
});

describe('terminal guard fast paths', () => {
	it('a buffer written through the guard comes out as guardTerminalText of its text (property)', () => {
		const char = fc.constantFrom('a', '{', '"', '\n', '\r', '\t', '\u001B', '\u001B[31m', '\u007F', '\u0085', 'é', '\u202E', '\u0000', ' ', '~');
		fc.assert(fc.property(fc.array(char, {maxLength: 30}), (chars) => {
			const text = chars.join('');
			const written: unknown[] = [];
			const stream = {write: (chunk: unknown) => (written.push(chunk), true)} as unknown as NodeJS.WriteStream;
			guardStream(stream);
			stream.write(Buffer.from(text, 'utf8'));
			stream.write(text);
			const [fromBuffer, fromString] = written.map((chunk) => (typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')));
			expect(fromBuffer).toBe(guardTerminalText(text));
			expect(fromString).toBe(guardTerminalText(text));
			// Without ESC (no CSI to keep), the reference: each unsafe character but \n \r \t escaped.
			if (!text.includes('\u001B')) {
				const reference = [...text].map((c) => (!'\n\r\t'.includes(c) && /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u.test(c) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('');
				expect(guardTerminalText(text)).toBe(reference);
			}
		}), {numRuns: 300});
	});
});

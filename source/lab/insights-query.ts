// Parser for the Logs Insights subset the lab runs (see insights.ts): a query string into commands
// whose filters and group keys are closures over a row of fields.
import {LabError} from './lab-error.js';

export type Value = string | number | null | undefined;
export type Row = Record<string, Value>;

function malformed(message: string): LabError {
	return new LabError('MalformedQueryException', message);
}

// ---------------------------------------------------------------------------------------------
// Tokens

type Token = {kind: 'word' | 'string' | 'number' | 'regex' | 'op'; text: string};

/** A `/` opens a regular expression after like / =~, and as parse's pattern (`parse /re/` or `parse field /re/`). */
function regexMayStart(tokens: Token[]): boolean {
	const last = tokens.at(-1);
	if (last?.text === 'like' || last?.text === '=~') return true;
	const isParse = tokens[0]?.kind === 'word' && tokens[0].text.toLowerCase() === 'parse';
	return isParse && (tokens.length === 1 || (tokens.length === 2 && tokens[1]!.kind === 'word'));
}

/** Index of the `/` closing the regular expression opened at `open`, skipping escaped characters; -1 if none. */
function regexEnd(text: string, open: number): number {
	for (let j = open + 1; j < text.length; j++) {
		if (text[j] === '\\') j++;
		else if (text[j] === '/') return j;
	}
	return -1;
}

function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < text.length) {
		const c = text[i]!;
		if (/\s/.test(c)) {
			i++;
		} else if (c === '"' || c === "'") {
			let j = i + 1;
			let value = '';
			while (j < text.length && text[j] !== c) {
				if (text[j] === '\\') j++;
				value += text[j] ?? '';
				j++;
			}
			if (j >= text.length) throw malformed(`unterminated string in: ${text}`);
			tokens.push({kind: 'string', text: value});
			i = j + 1;
		} else if (c === '/' && regexMayStart(tokens)) {
			const end = regexEnd(text, i);
			if (end < 0) throw malformed(`unterminated regular expression in: ${text}`);
			tokens.push({kind: 'regex', text: text.slice(i + 1, end)});
			i = end + 1;
		} else if (c === '`') {
			const end = text.indexOf('`', i + 1);
			if (end < 0) throw malformed(`unterminated backtick in: ${text}`);
			tokens.push({kind: 'word', text: text.slice(i + 1, end)});
			i = end + 1;
		} else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text[i + 1] ?? '') && tokens.at(-1)?.kind === 'op')) {
			const match = /^-?\d+(\.\d+)?[smhd]?/.exec(text.slice(i))!;
			tokens.push({kind: /[smhd]$/.test(match[0]) ? 'word' : 'number', text: match[0]});
			i += match[0].length;
		} else if (/[A-Za-z_@$]/.test(c)) {
			const match = /^[A-Za-z0-9_@$.-]+/.exec(text.slice(i))!;
			tokens.push({kind: 'word', text: match[0]});
			i += match[0].length;
		} else {
			const op = ['!=', '<=', '>=', '=~', '=', '<', '>', '(', ')', ',', '*', '[', ']'].find((candidate) => text.startsWith(candidate, i));
			if (!op) throw malformed(`unexpected character "${c}" in: ${text}`);
			tokens.push({kind: 'op', text: op});
			i += op.length;
		}
	}
	return tokens;
}

class Cursor {
	index = 0;
	constructor(readonly tokens: Token[]) {}
	peek(): Token | undefined {
		return this.tokens[this.index];
	}
	next(): Token {
		const token = this.tokens[this.index++];
		if (!token) throw malformed('unexpected end of query');
		return token;
	}
	accept(text: string): boolean {
		const token = this.peek();
		if (token && (token.kind === 'op' || token.kind === 'word') && token.text.toLowerCase() === text) {
			this.index++;
			return true;
		}
		return false;
	}
	expect(text: string): void {
		if (!this.accept(text)) throw malformed(`expected "${text}" near "${this.peek()?.text ?? 'end'}"`);
	}
	done(): boolean {
		return this.index >= this.tokens.length;
	}
}

// ---------------------------------------------------------------------------------------------
// Filter expressions

type Expr = (row: Row) => boolean;
type Operand = (row: Row) => Value;

function operand(cursor: Cursor): Operand {
	const token = cursor.next();
	if (token.kind === 'string') return () => token.text;
	if (token.kind === 'number') return () => Number(token.text);
	if (token.kind === 'word') return (row) => row[token.text];
	throw malformed(`unexpected "${token.text}"`);
}

export function compare(a: Value, b: Value): number | null {
	if (a === null || a === undefined || b === null || b === undefined) return null;
	const na = typeof a === 'number' ? a : Number(a);
	const nb = typeof b === 'number' ? b : Number(b);
	if (a !== '' && b !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
	return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function primary(cursor: Cursor): Expr {
	if (cursor.accept('(')) {
		const inner = orExpr(cursor);
		cursor.expect(')');
		return inner;
	}
	if (cursor.accept('not')) {
		const inner = primary(cursor);
		return (row) => !inner(row);
	}
	if (cursor.peek()?.text.toLowerCase() === 'ispresent') {
		cursor.next();
		cursor.expect('(');
		const field = cursor.next().text;
		cursor.expect(')');
		return (row) => row[field] !== undefined && row[field] !== null;
	}
	const left = operand(cursor);
	const negate = cursor.accept('not');
	if (cursor.accept('like') || cursor.accept('=~')) {
		const pattern = cursor.next();
		const re = pattern.kind === 'regex' ? new RegExp(pattern.text) : null;
		const test = (row: Row) => {
			const value = left(row);
			if (value === null || value === undefined) return false;
			return re ? re.test(String(value)) : String(value).includes(pattern.text);
		};
		return negate ? (row) => !test(row) : test;
	}
	if (cursor.accept('in')) {
		cursor.expect('[');
		const items: Operand[] = [];
		if (!cursor.accept(']')) {
			do items.push(operand(cursor));
			while (cursor.accept(','));
			cursor.expect(']');
		}
		const test = (row: Row) => items.some((item) => compare(left(row), item(row)) === 0);
		return negate ? (row) => !test(row) : test;
	}
	if (negate) throw malformed('"not" must be followed by like or in');
	const op = cursor.next();
	if (op.kind !== 'op' || !['=', '!=', '<', '<=', '>', '>='].includes(op.text)) throw malformed(`expected a comparison near "${op.text}"`);
	const right = operand(cursor);
	return (row) => {
		const c = compare(left(row), right(row));
		if (c === null) return op.text === '!=';
		switch (op.text) {
			case '=':
				return c === 0;
			case '!=':
				return c !== 0;
			case '<':
				return c < 0;
			case '<=':
				return c <= 0;
			case '>':
				return c > 0;
			default:
				return c >= 0;
		}
	};
}

function andExpr(cursor: Cursor): Expr {
	const parts = [primary(cursor)];
	while (cursor.accept('and')) parts.push(primary(cursor));
	return parts.length === 1 ? parts[0]! : (row) => parts.every((part) => part(row));
}

function orExpr(cursor: Cursor): Expr {
	const parts = [andExpr(cursor)];
	while (cursor.accept('or')) parts.push(andExpr(cursor));
	return parts.length === 1 ? parts[0]! : (row) => parts.some((part) => part(row));
}

// ---------------------------------------------------------------------------------------------
// Commands

export interface Aggregate {
	name: string;
	fn: string;
	field: string | null;
}
interface GroupKey {
	name: string;
	value: (row: Row) => Value;
}

export type Command =
	| {kind: 'fields'; fields: string[]}
	| {kind: 'filter'; expr: Expr}
	| {kind: 'stats'; aggregates: Aggregate[]; by: GroupKey[]}
	| {kind: 'sort'; keys: Array<{field: string; desc: boolean}>}
	| {kind: 'limit'; count: number}
	| {kind: 'parse'; source: string; extract: (value: string) => Record<string, string> | null};

function splitCommands(query: string): string[] {
	const parts: string[] = [];
	let quote: string | null = null;
	let start = 0;
	for (let i = 0; i < query.length; i++) {
		const c = query[i]!;
		if (quote) {
			if (c === '\\') i++;
			else if (c === quote) quote = null;
		} else if (c === '"' || c === "'" || c === '`') quote = c;
		else if (c === '/' && /(?:\blike|=~)\s*$|^parse(?:\s+[^\s"'`/]+)?\s*$/i.test(query.slice(start, i).trim() + ' ')) quote = '/';
		else if (c === '|') {
			parts.push(query.slice(start, i));
			start = i + 1;
		}
	}
	parts.push(query.slice(start));
	return parts.map((part) => part.trim()).filter(Boolean);
}

const BIN_UNITS: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};

function parseStats(cursor: Cursor): Command {
	const aggregates: Aggregate[] = [];
	do {
		const fnToken = cursor.next();
		const fn = fnToken.text.toLowerCase();
		if (!['count', 'count_distinct', 'min', 'max', 'sum', 'avg'].includes(fn)) throw malformed(`unsupported stats function "${fnToken.text}"`);
		cursor.expect('(');
		let field: string | null = null;
		if (!cursor.accept('*')) field = cursor.next().text;
		cursor.expect(')');
		let name = `${fnToken.text}(${field ?? '*'})`;
		if (cursor.accept('as')) name = cursor.next().text;
		aggregates.push({name, fn, field});
	} while (cursor.accept(','));
	const by: GroupKey[] = [];
	if (cursor.accept('by')) {
		do {
			const token = cursor.next();
			if (token.text.toLowerCase() === 'bin') {
				cursor.expect('(');
				const period = cursor.next().text;
				cursor.expect(')');
				const match = /^(\d+)([smhd])$/.exec(period);
				if (!match) throw malformed(`bad bin period "${period}"`);
				const size = Number(match[1]) * BIN_UNITS[match[2]!]!;
				let name = `bin(${period})`;
				if (cursor.accept('as')) name = cursor.next().text;
				by.push({name, value: (row) => formatTimestamp(Math.floor(Number(row['@timestampMs']) / size) * size)});
			} else {
				let name = token.text;
				if (cursor.accept('as')) name = cursor.next().text;
				by.push({name, value: (row) => row[token.text]});
			}
		} while (cursor.accept(','));
	}
	return {kind: 'stats', aggregates, by};
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Glob mode: each `*` captures, lazily, the text up to the literal that follows it; a trailing `*`
 * takes the rest of the value. Unanchored, as Insights finds "url=*" anywhere in the message.
 */
export function globExtractor(pattern: string, names: string[]): (value: string) => Record<string, string> | null {
	const pieces = pattern.split('*');
	const wildcards = pieces.length - 1;
	if (wildcards === 0) throw malformed(`parse pattern "${pattern}" has no * to extract`);
	if (wildcards !== names.length) throw malformed(`parse pattern "${pattern}" has ${wildcards} * but ${names.length} field name${names.length === 1 ? '' : 's'}`);
	const source = pieces.map(escapeRegExp).reduce((regex, piece, index) => `${regex}${index === wildcards && piece === '' ? '(.*)' : '(.*?)'}${piece}`);
	const re = new RegExp(source, 's');
	return (value) => {
		const match = re.exec(value);
		if (!match) return null;
		return Object.fromEntries(names.map((name, index) => [name, match[index + 1]!]));
	};
}

/** Regex mode: each named capturing group becomes a field (groups that did not take part stay absent). */
export function regexExtractor(pattern: string): (value: string) => Record<string, string> | null {
	let re: RegExp;
	try {
		re = new RegExp(pattern, 's');
	} catch (error) {
		throw malformed(`parse: invalid regular expression /${pattern}/ (${(error as Error).message})`);
	}
	if (!/\(\?<[A-Za-z_@$][\w@$]*>/.test(pattern)) throw malformed(`parse: /${pattern}/ has no named capturing group (?<name>...) to extract`);
	return (value) => {
		const groups = re.exec(value)?.groups;
		if (!groups) return null;
		return Object.fromEntries(Object.entries(groups).filter((entry): entry is [string, string] => entry[1] !== undefined));
	};
}

/** `parse [field] "glob" as a, b, ...` or `parse [field] /regex with (?<name>...)/`; field defaults to @message. */
function parseParse(cursor: Cursor): Command {
	let source = '@message';
	if (cursor.peek()?.kind === 'word') source = cursor.next().text;
	const pattern = cursor.next();
	if (pattern.kind === 'regex') return {kind: 'parse', source, extract: regexExtractor(pattern.text)};
	if (pattern.kind !== 'string') throw malformed(`parse needs a "glob" or /regex/ pattern, got "${pattern.text}"`);
	cursor.expect('as');
	const names: string[] = [];
	do {
		const name = cursor.next();
		if (name.kind !== 'word') throw malformed(`parse: expected a field name, got "${name.text}"`);
		names.push(name.text);
	} while (cursor.accept(','));
	return {kind: 'parse', source, extract: globExtractor(pattern.text, names)};
}

function parseCommand(text: string): Command {
	const cursor = new Cursor(tokenize(text));
	const verb = cursor.next().text.toLowerCase();
	let command: Command;
	switch (verb) {
		case 'fields':
		case 'display': {
			const fields: string[] = [];
			do fields.push(cursor.next().text);
			while (cursor.accept(','));
			command = {kind: 'fields', fields};
			break;
		}
		case 'filter':
			command = {kind: 'filter', expr: orExpr(cursor)};
			break;
		case 'stats':
			command = parseStats(cursor);
			break;
		case 'parse':
			command = parseParse(cursor);
			break;
		case 'sort': {
			const keys: Array<{field: string; desc: boolean}> = [];
			do {
				const field = cursor.next().text;
				const desc = cursor.accept('desc');
				if (!desc) cursor.accept('asc');
				keys.push({field, desc});
			} while (cursor.accept(','));
			command = {kind: 'sort', keys};
			break;
		}
		case 'limit': {
			const count = cursor.next();
			if (count.kind !== 'number' || !Number.isInteger(Number(count.text)) || Number(count.text) < 1) throw malformed(`limit needs a positive integer, got "${count.text}"`);
			command = {kind: 'limit', count: Number(count.text)};
			break;
		}
		default:
			throw malformed(`unsupported query command "${verb}" (the lab implements fields, display, filter, parse, stats, sort, limit)`);
	}
	if (!cursor.done()) throw malformed(`unexpected "${cursor.peek()!.text}" in "${text}"`);
	return command;
}

export function parseQuery(query: string): Command[] {
	const commands = splitCommands(query).map(parseCommand);
	if (commands.length === 0) throw malformed('empty query');
	return commands;
}

export function formatTimestamp(ms: number): string {
	return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

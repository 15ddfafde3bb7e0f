// CloudWatch Logs filter patterns for unstructured events, the subset flow logs need:
//   terms      REJECT · "10.0.1.5" · ?REJECT ?NODATA (any of) · -ACCEPT (none of)
//   delimited  [version, account, eni, src="10.0.*", dst, srcport, dstport="22", protocol=6,
//               packets>=1, bytes, start, end, action="REJECT", status]  with =, !=, <, <=, >,
//              >=, `*` wildcards in strings, `&&`/`||` inside one field, `...` for any tokens.
// JSON patterns (`{ $.x = ... }`) are rejected: flow log messages are not JSON.
// No maintained package parses these (AWS does not publish one), hence this small parser.
import {LabError} from './lab-error.js';

export type EventMatcher = (message: string) => boolean;

function invalid(pattern: string, why: string): LabError {
	return new LabError('InvalidParameterException', `Invalid filter pattern ${JSON.stringify(pattern)}: ${why}`);
}

export function compileFilterPattern(pattern: string | undefined | null): EventMatcher {
	const text = (pattern ?? '').trim();
	if (text === '' || text === '""') return () => true;
	if (text.startsWith('{')) throw invalid(text, 'JSON filter patterns are not supported by the lab');
	if (text.startsWith('[')) return compileDelimited(text);
	return compileTerms(text);
}

// ---------------------------------------------------------------------------------------------
// Term patterns

function tokenizeTerms(text: string, pattern: string): string[] {
	const tokens: string[] = [];
	const re = /\s*([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/gy;
	let match: RegExpExecArray | null;
	while ((match = re.exec(text))) {
		const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!;
		if (match[3] !== undefined && match[3].includes('"')) throw invalid(pattern, `unbalanced quote in ${match[3]}`);
		tokens.push(match[1] + '\u0000' + value);
		if (re.lastIndex >= text.length) break;
	}
	if (text.slice(re.lastIndex).trim() !== '') throw invalid(pattern, 'unbalanced quote');
	return tokens;
}

function compileTerms(text: string): EventMatcher {
	const required: string[] = [];
	const anyOf: string[] = [];
	const excluded: string[] = [];
	for (const token of tokenizeTerms(text, text)) {
		const [prefix, value] = token.split('\u0000') as [string, string];
		if (prefix === '?') anyOf.push(value);
		else if (prefix === '-') excluded.push(value);
		else required.push(value);
	}
	return (message) =>
		required.every((term) => message.includes(term)) &&
		(anyOf.length === 0 || anyOf.some((term) => message.includes(term))) &&
		!excluded.some((term) => message.includes(term));
}

// ---------------------------------------------------------------------------------------------
// Space-delimited patterns

type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=';
interface Condition {
	operator: Operator;
	value: string;
	numeric: number | null;
	wildcard: RegExp | null;
}
/** One bracketed element: `...`, or a name with conditions in OR-of-AND form (maybe none). */
type Element = {ellipsis: true} | {ellipsis: false; name: string; anyOf: Condition[][]};

function splitTopLevel(text: string, separator: string): string[] {
	const parts: string[] = [];
	let quoted = false;
	let start = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '\\' && quoted) i++;
		else if (c === '"') quoted = !quoted;
		else if (!quoted && text.startsWith(separator, i)) {
			parts.push(text.slice(start, i));
			start = i + separator.length;
			i += separator.length - 1;
		}
	}
	parts.push(text.slice(start));
	return parts;
}

const CONDITION = /^\s*([A-Za-z0-9_.$@-]+)\s*(!=|<=|>=|=|<|>)\s*(.*?)\s*$/s;

function parseCondition(text: string, pattern: string): {name: string; condition: Condition} {
	const match = CONDITION.exec(text);
	if (!match) throw invalid(pattern, `cannot read condition "${text.trim()}"`);
	const [, name, operator, rawValue] = match as unknown as [string, string, Operator, string];
	let value = rawValue;
	const quoted = /^"((?:[^"\\]|\\.)*)"$/.exec(value);
	if (quoted) value = quoted[1]!.replace(/\\(.)/g, '$1');
	else if (value === '' || /[\s"]/.test(value)) throw invalid(pattern, `bad value in "${text.trim()}"`);
	const numeric = !quoted && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : null;
	if ((operator === '<' || operator === '<=' || operator === '>' || operator === '>=') && numeric === null) {
		throw invalid(pattern, `${operator} needs a number in "${text.trim()}"`);
	}
	const wildcard = value.includes('*') ? new RegExp('^' + value.split('*').map(escapeRegExp).join('.*') + '$', 's') : null;
	return {name, condition: {operator, value, numeric, wildcard}};
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parseElement(text: string, pattern: string): Element {
	const trimmed = text.trim();
	if (trimmed === '...') return {ellipsis: true};
	if (/^[A-Za-z0-9_.$@-]+$/.test(trimmed)) return {ellipsis: false, name: trimmed, anyOf: []};
	let name: string | null = null;
	const anyOf = splitTopLevel(trimmed, '||').map((alternative) =>
		splitTopLevel(alternative, '&&').map((part) => {
			const parsed = parseCondition(part, pattern);
			if (name !== null && parsed.name !== name) throw invalid(pattern, `conditions on "${name}" and "${parsed.name}" in one field`);
			name = parsed.name;
			return parsed.condition;
		}),
	);
	return {ellipsis: false, name: name!, anyOf};
}

function testCondition(condition: Condition, token: string): boolean {
	const {operator, value, numeric, wildcard} = condition;
	if (operator === '=' || operator === '!=') {
		let equal: boolean;
		if (numeric !== null && /^-?\d+(\.\d+)?$/.test(token)) equal = Number(token) === numeric;
		else equal = wildcard ? wildcard.test(token) : token === value;
		return operator === '=' ? equal : !equal;
	}
	if (!/^-?\d+(\.\d+)?$/.test(token)) return false;
	const n = Number(token);
	switch (operator) {
		case '<':
			return n < numeric!;
		case '<=':
			return n <= numeric!;
		case '>':
			return n > numeric!;
		default:
			return n >= numeric!;
	}
}

function testElement(element: Element & {ellipsis: false}, token: string): boolean {
	return element.anyOf.length === 0 || element.anyOf.some((all) => all.every((condition) => testCondition(condition, token)));
}

function compileDelimited(text: string): EventMatcher {
	if (!text.endsWith(']')) throw invalid(text, 'missing "]"');
	const inner = text.slice(1, -1);
	const elements = inner.trim() === '' ? [] : splitTopLevel(inner, ',').map((part) => parseElement(part, text));
	const matchFrom = (tokens: string[], ti: number, ei: number): boolean => {
		if (ei === elements.length) return ti === tokens.length;
		const element = elements[ei]!;
		if (element.ellipsis) {
			for (let skip = ti; skip <= tokens.length; skip++) if (matchFrom(tokens, skip, ei + 1)) return true;
			return false;
		}
		return ti < tokens.length && testElement(element, tokens[ti]!) && matchFrom(tokens, ti + 1, ei + 1);
	};
	return (message) => {
		const trimmed = message.trim();
		return matchFrom(trimmed === '' ? [] : trimmed.split(/\s+/), 0, 0);
	};
}

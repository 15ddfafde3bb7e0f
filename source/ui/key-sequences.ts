// Input ink 6.8 must not see. Its useInput names a key from the escape sequence; for a CSI
// sequence it has no name for but whose modifier parameter has the ctrl bit (`\x1b[31m`: 31 − 1
// = 30, bit 4 set; `\x1b[1;5J`; `\x1b[99;5~`) it hands `undefined` on as the input and throws
// reading it (use-input.js: `input.startsWith`) — in the stdin handler, so the process dies with
// a stack trace. A paste of coloured terminal output is enough. These sequences are no keys sgtui
// binds, so the dispatcher drops every sequence ink cannot name, before ink parses it.
// The grammar and the names are ink's own (build/parse-keypress.js: fnKeyRe, keyName).

const FUNCTION_KEY = /^\u001B+(O|N|\[|\[\[)(?:(\d+)(?:;(\d+))?([~^$])|(?:1;)?(\d+)?([a-zA-Z]))/;

/** The kitty keyboard protocol's forms, which ink parses before the legacy grammar above. */
const KITTY = /^\u001B\[(?:\d+(?:;\d+(?::\d+)?(?:;[\d:]+)?)?u|\d+;\d+:\d+[A-Za-z~])$/;

const NAMED_CODES = new Set([
	'OP', 'OQ', 'OR', 'OS', '[11~', '[12~', '[13~', '[14~', '[[A', '[[B', '[[C', '[[D', '[[E', '[15~', '[17~', '[18~', '[19~',
	'[20~', '[21~', '[23~', '[24~', '[A', '[B', '[C', '[D', '[E', '[F', '[H', 'OA', 'OB', 'OC', 'OD', 'OE', 'OF', 'OH', '[1~',
	'[2~', '[3~', '[4~', '[5~', '[6~', '[[5~', '[[6~', '[7~', '[8~', '[a', '[b', '[c', '[d', '[e', '[2$', '[3$', '[5$', '[6$',
	'[7$', '[8$', 'Oa', 'Ob', 'Oc', 'Od', 'Oe', '[2^', '[3^', '[5^', '[6^', '[7^', '[8^', '[Z',
]);

/** True for an escape sequence that is no key ink can name (`\x1b[31m`, `\x1b[2J`, `\x1b[200~`). */
export function isUnnamedEscapeSequence(input: string): boolean {
	if (!input.startsWith('\u001B') || KITTY.test(input)) return false;
	const parts = FUNCTION_KEY.exec(input);
	if (!parts) return false;
	const code = [parts[1], parts[2], parts[4], parts[6]].filter(Boolean).join('');
	return !NAMED_CODES.has(code);
}

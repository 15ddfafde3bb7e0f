// A shell command laid out for copying at a given width: broken only between words, with " \"
// continuations, so a mouse copy pastes as the same command. A single-quoted word too long for a
// line (aws's --ip-permissions '…') is split into adjacent quoted pieces at its commas — 'a,'\
// newline 'b' is the same word to the shell — and those lines start in column 0, since any
// indent would become a word break. Nothing is ever cut or wrapped inside a token.

/** The words of a command as the shell splits them, quoting kept (single quotes and backslash escapes, as core/shell-quote.ts writes them). */
export function shellWords(command: string): string[] {
	const words: string[] = [];
	let word = '';
	let quoted = false;
	let escaped = false;
	for (const char of command) {
		if (escaped) {
			word += char;
			escaped = false;
			continue;
		}
		if (char === '\\' && !quoted) {
			word += char;
			escaped = true;
			continue;
		}
		if (char === "'") quoted = !quoted;
		if (char === ' ' && !quoted) {
			if (word) words.push(word);
			word = '';
			continue;
		}
		word += char;
	}
	if (word) words.push(word);
	return words;
}

/** 'IpProtocol=tcp,FromPort=1,…' → ["'IpProtocol=tcp,'", "'FromPort=1,…'"], each at most `width` (the first `firstWidth`) when a comma allows. */
function splitQuoted(word: string, width: number, firstWidth = width): string[] {
	const inner = word.slice(1, -1);
	// After a comma (between fields) or a space (inside a description): never inside an address.
	const parts = inner.split(/(?<=[, ])/);
	const pieces: string[] = [];
	let piece = '';
	for (const part of parts) {
		if (piece && piece.length + part.length + 2 > (pieces.length ? width : firstWidth)) {
			pieces.push(`'${piece}'`);
			piece = '';
		}
		piece += part;
	}
	if (piece) pieces.push(`'${piece}'`);
	return pieces;
}

const INDENT = '  ';
const CONTINUATION = ' \\';

/** The command as lines of at most `width` columns where words allow; joined by the shell, the same command. */
export function shellLines(command: string, width: number): string[] {
	// Only POSIX-shell commands (aws …) get `\` continuations; anything else (a PowerShell line,
	// whose continuation is a backtick) stays one whole line.
	if (!command.startsWith('aws ')) return [command];
	const room = Math.max(20, width);
	const lines: string[] = [];
	let line = '';
	for (const word of shellWords(command)) {
		const prefix = line ? `${line} ` : lines.length ? INDENT : '';
		if ((prefix + word).length + CONTINUATION.length <= room || (!line && word.length + prefix.length + CONTINUATION.length <= room)) {
			line = prefix + word;
			continue;
		}
		if (line) lines.push(line + CONTINUATION);
		// Only a word that is one quoted string ('…' with no quote inside) splits into pieces.
		const quoted = /^'[^']*'$/.test(word);
		if (quoted && INDENT.length + word.length + CONTINUATION.length > room) {
			// Adjacent quoted pieces: no indent and no space, or the shell would see two words.
			// The first piece is indented like every continued line: it has two columns less.
			const pieces = splitQuoted(word, room - 1, room - 1 - INDENT.length);
			pieces.slice(0, -1).forEach((piece, index) => lines.push(`${index === 0 ? INDENT : ''}${piece}\\`));
			line = pieces.at(-1) ?? '';
			continue;
		}
		line = INDENT + word;
	}
	if (line) lines.push(line);
	return lines;
}

// Text helpers for fixed-width columns: terminal cells, not JS string length, decide alignment.
// Cells are data: `fit` and `truncate` sanitize (core/display-text.ts) and cap before measuring.
import stringWidth from 'string-width';
import {capCell, display} from '../core/display-text.js';

/** No terminal is wider; measuring more of a 1 MB process name is wasted work. */
const MAX_CELL = 512;

function cell(text: string): string {
	return display(capCell(text, MAX_CELL));
}

export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (width <= 0) return '';
	let value = cell(text);
	if (stringWidth(value) > width) {
		value = truncate(value, width);
	}
	const gap = ' '.repeat(Math.max(0, width - stringWidth(value)));
	return align === 'right' ? gap + value : value + gap;
}

export function truncate(raw: string, width: number): string {
	const text = cell(raw);
	if (stringWidth(text) <= width) return text;
	if (width <= 1) return '…'.slice(0, width);
	let out = '';
	for (const char of text) {
		if (stringWidth(out + char) > width - 1) break;
		out += char;
	}
	return `${out}…`;
}

/**
 * Prose cut to `width` between words, never inside one: an address, id or port in a sentence
 * stays whole or goes whole ("… from members of …", not "sg-0a11…").
 */
export function truncateWords(text: string, width: number): string {
	if (stringWidth(text) <= width) return text;
	const words = text.split(' ');
	let out = '';
	for (const word of words) {
		const next = out ? `${out} ${word}` : word;
		if (stringWidth(next) > width - 2) break;
		out = next;
	}
	return out ? `${out} …` : '…';
}

/**
 * Free text cut to `width`: at a word's end when the cut lands there anyway ("loopback only…"),
 * else before the word it would split ("open to …", not "open to those…" mid-phrase, and never
 * "0.0.0.0/0" as "0…"); a single word (a process name) keeps its start ("systemd-res…").
 */
export function truncateText(raw: string, width: number): string {
	const text = cell(raw);
	const plain = truncate(text, width);
	if (plain === text) return text;
	const kept = plain.slice(0, -1);
	if (kept.endsWith(' ') || text[kept.length] === ' ') return plain;
	const words = truncateWords(text, width);
	return words === '…' ? plain : words;
}

/** Words into lines of at most `width` columns, or null when a word alone is wider. */
export function wrapWords(text: string, width: number): string[] | null {
	const words = text.split(' ');
	return words.some((word) => stringWidth(word) > width) ? null : packItems(words, width, ' ');
}

/**
 * `text` broken between words into the rows an ink `<Text wrap="wrap">` `width` columns wide shows.
 * Ink's own breaks (wrap-ansi with `trim: false`) start the row after one exactly `width` wide with
 * the space between the two words: that row begins one column further in than the others. Text with
 * a word wider than the row (or a newline) is left for ink to break, its rows counted as ink's.
 */
export function wordWrap(text: string, width: number): {text: string; rows: number} {
	const lines = text.includes('\n') ? null : wrapWords(text, Math.max(1, width));
	return lines ? {text: lines.join('\n'), rows: lines.length} : {text, rows: wrappedRows(text, width)};
}

/**
 * Rows `text` takes in an ink `<Text wrap="wrap">` `width` columns wide. Ink wraps with wrap-ansi
 * (`{trim: false, hard: true}`); this mirrors its row breaks so a height computed here is the
 * height drawn: words stay whole, a space before a word that no longer fits stays on the row
 * before (so a row already `width` wide starts the next word on a new one), and a word wider
 * than the row is broken by cells, starting on the current row when that saves a row.
 */
export function wrappedRows(text: string, width: number): number {
	// Ink draws no row for an empty <Text>.
	if (text === '') return 0;
	const columns = Math.max(1, width);
	return text.replaceAll('\r\n', '\n').split('\n').reduce((total, line) => total + lineRows(line, columns), 0);
}

function lineRows(line: string, columns: number): number {
	let rows = 1;
	let used = 0;
	line.split(' ').forEach((word, index) => {
		const length = stringWidth(word);
		if (index !== 0) {
			if (used >= columns) {
				rows += 1;
				used = 0;
			}
			used += 1;
		}
		if (length > columns) {
			const startingThisRow = 1 + Math.floor((length - (columns - used) - 1) / columns);
			const startingNextRow = Math.floor((length - 1) / columns);
			if (startingNextRow < startingThisRow) {
				rows += 1;
				used = 0;
			}
			[...word].forEach((char, at, chars) => {
				const cells = stringWidth(char);
				if (used + cells > columns) {
					rows += 1;
					used = 0;
				}
				used += cells;
				if (used === columns && at < chars.length - 1) {
					rows += 1;
					used = 0;
				}
			});
			return;
		}
		if (used + length > columns && used > 0 && length > 0) {
			rows += 1;
			used = 0;
		}
		used += length;
	});
	return rows;
}

/**
 * Items (key hints, say) joined by `separator` into lines of at most `width` columns, each item
 * whole on one line: a line ends before an item that would not fit, rather than cutting it.
 */
export function packItems(items: readonly string[], width: number, separator = ' · '): string[] {
	const lines: string[] = [];
	let line = '';
	for (const item of items) {
		if (!line) line = item;
		else if (stringWidth(line) + stringWidth(separator) + stringWidth(item) <= width) line += `${separator}${item}`;
		else {
			lines.push(line);
			line = item;
		}
	}
	if (line) lines.push(line);
	return lines;
}

/** `truncateWords`, padded to `width`. */
export function fitWords(text: string, width: number): string {
	if (width <= 0) return '';
	const value = truncateWords(text, width);
	return value + ' '.repeat(Math.max(0, width - stringWidth(value)));
}

/** Unix seconds → "14:03:07" (UTC, as flow logs are). */
export function clock(seconds: number | null | undefined): string {
	if (seconds === null || seconds === undefined) return '-';
	return new Date(seconds * 1000).toISOString().slice(11, 19);
}

/** Seconds → "10 min", "60 s", "~15 min". */
export function duration(seconds: number): string {
	if (seconds < 120) return `${seconds} s`;
	return `${Math.round(seconds / 60)} min`;
}

export function plural(count: number, noun: string, nouns = `${noun}s`): string {
	return `${count} ${count === 1 ? noun : nouns}`;
}

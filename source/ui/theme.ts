// One palette for the whole UI, by meaning rather than by colour, so every screen says "bad",
// "warning" and "fine" the same way. With NO_COLOR / --no-color chalk drops the colours, so
// anything that carries meaning also carries a symbol or a word.
export const color = {
	accent: 'cyan',
	bad: 'red',
	warn: 'yellow',
	good: 'green',
	info: 'blue',
	muted: 'gray',
	title: 'whiteBright',
	selectBg: 'blue',
} as const;

export const symbol = {
	pointer: '›',
	bad: '✗',
	warn: '!',
	good: '✓',
	unknown: '?',
	dot: '·',
	separator: '›',
} as const;

/** Severity words shared by audit markers, verdict panels and the rejects view. */
export type Tone = 'bad' | 'warn' | 'good' | 'info' | 'muted';

export function toneColor(tone: Tone): string {
	return color[tone];
}

export function toneSymbol(tone: Tone): string {
	if (tone === 'bad') return symbol.bad;
	if (tone === 'warn') return symbol.warn;
	if (tone === 'good') return symbol.good;
	return symbol.dot;
}

// Text helpers for fixed-width columns: terminal cells, not JS string length, decide alignment.
import stringWidth from 'string-width';

export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (width <= 0) return '';
	let value = text;
	if (stringWidth(value) > width) {
		value = truncate(value, width);
	}
	const gap = ' '.repeat(Math.max(0, width - stringWidth(value)));
	return align === 'right' ? gap + value : value + gap;
}

export function truncate(text: string, width: number): string {
	if (stringWidth(text) <= width) return text;
	if (width <= 1) return '…'.slice(0, width);
	let out = '';
	for (const char of text) {
		if (stringWidth(out + char) > width - 1) break;
		out += char;
	}
	return `${out}…`;
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

// The banner under the title: one line, or two when the message needs them (the palette's id
// grammar line is ~105 columns, and its end — what an id must look like — is the useful part).
// Past two lines the rest is cut between words, so the screen under it keeps its height.
import {truncate, truncateWords, wrapWords} from './format.js';

export const MAX_BANNER_LINES = 2;

export function bannerLines(text: string, width: number): string[] {
	const inner = Math.max(1, width - 1);
	const lines = wrapWords(text, inner);
	if (!lines) return [truncate(text, inner)];
	if (lines.length <= MAX_BANNER_LINES) return lines;
	const kept = lines.slice(0, MAX_BANNER_LINES - 1);
	return [...kept, truncateWords(lines.slice(MAX_BANNER_LINES - 1).join(' '), inner)];
}

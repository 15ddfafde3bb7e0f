import {frameLines} from './render-and-wait.js';

/** The wizard's main panel as one line of prose (right of the rail), for messages that wrap. */
export function panelText(frame: string): string {
	return frameLines(frame).map((line) => line.split('│ ')[1] ?? '').join(' ').replace(/\s+/g, ' ');
}

/** The wizard's rail (left of its border) as one line of prose, for findings that wrap. */
export function railText(frame: string): string {
	return frameLines(frame).map((line) => line.split('│')[0] ?? '').join(' ').replace(/\s+/g, ' ');
}

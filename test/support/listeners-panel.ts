// Reaching an interface's Listeners tab from the inventory, and reading a panel whose sentences
// wrap inside box borders: shared by the UI tests that watch probes (hung hosts, probe gating).
import type {Rendered} from './render-and-wait.js';

/** The frame's lines joined into one line, box borders and line breaks dropped. */
export const flat = (frame: string) => frame.replace(/\s*│?\s*\n\s*│?\s*/g, ' ');

/** Filters the inventory to `name`, opens it and its Listeners tab; resolves once `until` shows. */
export async function openListeners(ui: Rendered, name: string, until: string | RegExp): Promise<string> {
	await ui.type(`/${name}`);
	await ui.press('enter');
	await ui.press('enter', 'Security group');
	return ui.press('2', until, 15_000);
}

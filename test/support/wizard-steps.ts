import type {Rendered} from './render-and-wait.js';

/** `:wizard <target>` from the palette, until the request form (step 2) is on screen. */
export async function openWizard(ui: Rendered, target: string): Promise<void> {
	await ui.press(':');
	await ui.type(`wizard ${target}`);
	await ui.press('enter', 'What fails?');
}

/** Types the request form's port, then (two fields down) its client address; does not submit. */
export async function fillRequest(ui: Rendered, port: string, client: string): Promise<void> {
	await ui.type(port);
	await ui.press('down');
	await ui.press('down');
	await ui.type(client);
}

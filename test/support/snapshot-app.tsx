// The whole UI on a snapshot (the bundled demo's by default), its flow records replayed at once,
// for tests that drive screens the way a user does; and the way to web-1's interface from there.
import {App} from '../../source/ui/App.js';
import {SnapshotServices, type SnapshotServicesOptions} from '../../source/app/snapshot-services.js';
import {renderAndWait, type Rendered} from './render-and-wait.js';

export const WEB_ENI = 'eni-0f1e2d3c4b5a69788';

/** App on `options.dir` (default demo/snapshot) at `size`; `q` unmounts it. */
export function renderSnapshotApp(size: {columns: number; rows: number}, options: Partial<SnapshotServicesOptions> = {}): Rendered {
	const services = new SnapshotServices({dir: 'demo/snapshot', replayTickMs: 1, replayBatch: 200, ...options});
	const ui = renderAndWait(<App services={services} onQuit={() => ui.unmount()} />, size);
	return ui;
}

/** From the inventory to web-1's interface through the palette (`:eni …`); returns its Rules tab. */
export async function openWebEni(ui: Rendered): Promise<string> {
	await ui.waitForFrame('web-1');
	await ui.press(':');
	await ui.type(`eni ${WEB_ENI}`);
	return ui.press('enter', 'Security group');
}

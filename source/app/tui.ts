// `sgtui` with no subcommand: the full-screen UI. Checks the terminal first (a pipe or CI gets a
// one-line pointer to the scriptable subcommands), picks the evidence source (--snapshot DIR,
// --demo, or live AWS), then runs ink on the alternate screen with console output sent to a log.
import {parseLateWindow} from '../cli/duration.js';
import {UsageError} from '../cli/errors.js';
import {probeOffReason} from '../cli/no-probe.js';
import {parseCommandTimeout} from '../cli/command-timeout.js';
import {rm} from 'node:fs/promises';
import path from 'node:path';
import {setFlagsFromString} from 'node:v8';
import {MessageChannel} from 'node:worker_threads';
import type {SgtuiServices} from '../ui/services.js';
import type {DemoLab} from './demo-lab.js';
import type {InventoryThread} from '../aws/inventory-thread.js';

/** The demo's lab being started, the state directory (aws-env.sh, SSH files) it was given, and the thread its inventory will be read on. */
interface StartingDemo {
	lab: Promise<DemoLab>;
	stateDir: string;
	inventoryThread: InventoryThread;
}

export interface TuiOptions {
	demo?: boolean;
	snapshot?: string;
	color?: boolean;
	profile?: string;
	region?: string;
	endpointUrl?: string;
	debugLog?: string;
	/** Delivery allowance on top of the flow log's aggregation interval for the live rejects (default 15m). */
	lateWindow?: string;
	/** false with --no-probe: no host is dialled. */
	probe?: boolean;
	/** -F: the ssh config probes read (default ~/.ssh/config). */
	sshConfig?: string;
	/** --command-timeout: per probe command. */
	commandTimeout?: string;
}


export const NOT_A_TTY = 'the interactive UI needs a terminal (stdin and stdout must be a TTY); in scripts and CI use the subcommands: sgtui ports | flows | check | audit | tail | snapshot (see sgtui --help)';

export function wantsColor(options: TuiOptions, env: NodeJS.ProcessEnv = process.env): boolean {
	if (options.color === false) return false;
	// https://no-color.org: any non-empty value disables colour.
	return !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

async function createServices(options: TuiOptions, demo?: StartingDemo): Promise<SgtuiServices> {
	if (options.snapshot) {
		const {SnapshotServices} = await import('./snapshot-services.js');
		return new SnapshotServices({dir: options.snapshot});
	}
	const live = await import('./live-services.js');
	const lateAllowanceMs = options.lateWindow === undefined ? undefined : parseLateWindow(options.lateWindow);
	const probeOff = probeOffReason(options) ?? undefined;
	const commandTimeoutMs = options.commandTimeout === undefined ? undefined : parseCommandTimeout(options.commandTimeout);
	if (options.demo) return live.createDemoServices({lateAllowanceMs, probeOff, ...(demo ? {lab: demo.lab, stateDir: demo.stateDir, inventoryThread: demo.inventoryThread} : {})});
	return live.createAwsServices({profile: options.profile, region: options.region, endpointUrl: options.endpointUrl, debugLog: options.debugLog, lateAllowanceMs, probeOff, sshConfigPath: options.sshConfig, commandTimeoutMs});
}

function startingText(options: TuiOptions): string {
	if (options.snapshot) return 'sgtui · loading the snapshot …';
	if (options.demo) return 'sgtui · starting the demo lab …';
	return 'sgtui · connecting to AWS …';
}

export async function run(options: Record<string, unknown>): Promise<number> {
	const tuiOptions = options as TuiOptions;
	if (tuiOptions.demo && tuiOptions.snapshot) throw new UsageError('--demo and --snapshot cannot be combined (--demo already serves the bundled snapshot)');
	if (tuiOptions.sshConfig !== undefined && (tuiOptions.demo || tuiOptions.snapshot)) throw new UsageError(`-F/--ssh-config applies to live AWS only (${tuiOptions.demo ? '--demo uses its own lab hosts' : '--snapshot dials nothing'})`);
	// Checked before the terminal is taken over, so a typo is one usage line.
	if (tuiOptions.commandTimeout !== undefined) parseCommandTimeout(tuiOptions.commandTimeout);
	if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UsageError(NOT_A_TTY);
	// chalk reads the colour level when it is first imported, so decide before loading ink.
	if (!wantsColor(tuiOptions)) process.env.FORCE_COLOR = '0';
	// React (and its reconciler, which ink drives) picks its build from NODE_ENV when first loaded.
	// Unset, that is the development build: twice the code to load (750 KB reconciler) and, on
	// every render, the checks and owner stacks meant for a component author. It is also a leak
	// here: its profiler tracks call performance.measure(), whose entries Node buffers until
	// someone clears them, and a Rejects tab under a flood held thousands (heap snapshots during
	// bench/flood.mjs). So production even when the shell says NODE_ENV=development (web
	// developers often export it); tests render through vitest and keep the checks.
	process.env.NODE_ENV = 'production';
	// A flat footprint under a reject flood. V8 lets the old generation grow to up to 4× what was
	// live after the last full collection before it collects again, choosing the factor from how
	// fast collection runs against the program: on a busy machine, the most. The TUI's live heap is
	// ~40 MB, but what lives past two scavenges is promoted and dies there: the raw records' ring
	// (2,000 records, 4 s at Live Tail's 500/s), ink's per-cell frame objects, each snapshot's rows.
	// The heap reached 130 MB (RSS 300 MB) before each collection (bench/flood.mjs, old space
	// sampled each second). At most 1.5× keeps RSS near 200 MB for a few more full collections,
	// mostly concurrent. V8 reads the flag at every full collection, so it applies when set here.
	setFlagsFromString('--heap-growing-percent=50');
	// First frame first: a one-line "starting" screen written before anything heavy loads, then
	// ink, then the services (the AWS SDK, the demo lab, SSH: seconds on a busy machine) and the
	// UI behind it. Start-up budget: the inventory on screen < 1.5 s (bench/startup.mjs).
	const [{redirectConsole}, {enterAlternateScreen}, {watchTerminalLoss}] = await Promise.all([import('./console-redirect.js'), import('./terminal.js'), import('./terminal-loss.js')]);
	let instance: {unmount(): void} | null = null;
	const quit = () => instance?.unmount();
	// Before the first byte goes to the terminal: a write to one that is gone must not be a crash.
	const loss = watchTerminalLoss(quit);
	const redirect = redirectConsole();
	const leave = enterAlternateScreen(process.stdout);
	// ink's first frame overwrites this line with the same text (it starts at the home position).
	process.stdout.write(`${startingText(tuiOptions)}\r`);
	// The demo's lab starts now, on its own thread (source/app/demo-lab.ts), and so does the thread
	// its inventory will be read on (the AWS SDK loads there, source/aws/inventory-thread.ts), while
	// ink and the UI load here.
	let demo: StartingDemo | undefined;
	if (tuiOptions.demo) {
		const [{openDemoLab, defaultDemoStateDir, demoLabOptions}, {startInventoryThread}] = await Promise.all([import('./demo-lab.js'), import('../aws/inventory-thread.js')]);
		const stateDir = defaultDemoStateDir();
		// Left behind by demos that were killed outright; nothing waits for it.
		void import('./demo-state-sweep.js').then(({sweepDeadDemoStateDirs}) => sweepDeadDemoStateDirs(path.dirname(stateDir))).catch(() => undefined);
		// The lab's thread tells the inventory's thread where to read the moment it serves.
		const {port1, port2} = new MessageChannel();
		demo = {stateDir, inventoryThread: startInventoryThread(port2), lab: openDemoLab(demoLabOptions(stateDir), port1)};
		// Awaited in createServices; a failure before then must not count as unhandled.
		demo.lab.catch(() => undefined);
	}
	const [{render, Text}, React] = await Promise.all([import('ink'), import('react')]);
	let services: SgtuiServices | null = null;
	const onSignal = () => quit();
	// SIGHUP (the terminal hung up) is the loss watcher's.
	process.on('SIGTERM', onSignal);
	try {
		const ink = render(React.createElement(Text, {dimColor: true}, startingText(tuiOptions)), {exitOnCtrlC: false, patchConsole: false, maxFps: 30});
		instance = ink;
		// Asked for now: ink's promise made after an unmount never settles (a terminal lost while
		// the services start unmounts before the await below).
		const exited = ink.waitUntilExit();
		// Lost while ink was loading: nothing to show the UI on.
		if (loss.lost) ink.unmount();
		const [{App}, {systemClipboard}, created] = await Promise.all([import('../ui/App.js'), import('./clipboard.js'), createServices(tuiOptions, demo)]);
		services = created;
		if (!loss.lost) ink.rerender(React.createElement(App, {services, onQuit: quit, clipboard: systemClipboard()}));
		await exited;
	} catch (error) {
		instance?.unmount();
		throw error;
	} finally {
		process.off('SIGTERM', onSignal);
		leave();
		redirect.restore();
		if (services) await services.close().catch(() => undefined);
		// Started but never handed to the services (a failure on the way): stop its thread.
		else await Promise.all([demo?.lab.then((lab) => lab.close()).catch(() => undefined), demo?.inventoryThread.close()]);
		// The demo's aws-env.sh and SSH key are this run's only: gone with it (the services leave a
		// state directory they were handed to whoever made it).
		if (demo) await rm(demo.stateDir, {recursive: true, force: true}).catch(() => undefined);
		// Everything is shut down; an error on the way out is the lost terminal's doing, not news.
		if (loss.lost) loss.exitLikeHangup();
	}
	return 0;
}

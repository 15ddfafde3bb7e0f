// The lab `sgtui --demo` runs: the lab (a real HTTP server speaking the AWS wire protocols on
// 127.0.0.1) on the bundled demo snapshot, plus the lab's SSH server (a real ssh2 server) for the
// snapshot's Linux hosts. Built, it runs on a worker thread of the sgtui process: started before
// ink, the UI and the AWS SDK load on the main thread, it loads and starts on the second core
// meanwhile, and its request handling, simulated traffic and SSH sessions stay off the UI's event
// loop (start-up budget: the inventory on screen < 1.5 s, bench/startup.mjs). Under vitest (the
// source is TypeScript, which a worker cannot load) it runs in-process, the same code.
import path from 'node:path';
import os from 'node:os';
import {type MessagePort, parentPort, Worker, workerData} from 'node:worker_threads';
import type {InventoryThreadSpec, PrefetchMessage} from '../aws/inventory-thread.js';

export interface DemoLabOptions {
	/** Where the SSH side writes its ssh_config, known_hosts and client key. */
	sshDir: string;
	/** realistic (like AWS: after the aggregation interval plus a delay) or fast (tests). */
	delivery: 'realistic' | 'fast';
}

export interface DemoLab {
	endpoint: string;
	region: string;
	credentials: {accessKeyId: string; secretAccessKey: string};
	/**
	 * The ssh config routing the demo's hosts to the lab's SSH server, once that server is up (it
	 * starts after the AWS side, which the first screen needs); null when it could not start.
	 */
	sshConfigPath: Promise<string | null>;
	close(): Promise<void>;
}

type Ready = Omit<DemoLab, 'close' | 'sshConfigPath'>;
type FromLab = {kind: 'ready'; lab: Ready} | {kind: 'ssh'; sshConfigPath: string | null} | {kind: 'failed'; message: string} | {kind: 'closed'};

const WORKER_KIND = 'sgtui-demo-lab';

/**
 * One directory per running demo (by pid): two demos at once must not overwrite each other's
 * aws-env.sh or SSH key; it goes when the demo closes, as its lab does.
 */
export function defaultDemoStateDir(): string {
	return path.join(process.env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state'), 'sgtui', 'demo', String(process.pid));
}

/**
 * openDemoLab's options for a demo keeping its files in `stateDir`. Records arrive like AWS's
 * (after the interval plus a delay); SGTUI_LAB_DELIVERY=fast (tests) delivers them at once.
 */
export function demoLabOptions(stateDir: string, env: NodeJS.ProcessEnv = process.env): DemoLabOptions {
	return {sshDir: path.join(stateDir, 'ssh'), delivery: env.SGTUI_LAB_DELIVERY === 'fast' ? 'fast' : 'realistic'};
}

/**
 * The lab on this thread, then its SSH server: the first screen (the inventory) needs only the AWS
 * side, so the SSH side (ssh2, host keys) loads and starts after it, while the inventory is read.
 */
export async function startDemoLab(options: DemoLabOptions): Promise<DemoLab> {
	// What the lab needs is imported on the lab's side only: the main thread, loading ink and the UI
	// meanwhile, gets nothing but the thread.
	const {startLab, defaultSnapshotDir} = await import('../lab/lab.js');
	const lab = await startLab({snapshotDir: defaultSnapshotDir(), delivery: {mode: options.delivery, seed: 1}});
	const sshSide = (async () => {
		const {startLabSshServer, writeLabSshFiles} = await import('../lab/ssh-hosts.js');
		// Windows servers rarely run OpenSSH: the demo's Windows host answers only through Systems
		// Manager Run Command (the lab's SSM side), so its listeners show that transport at work.
		// The lab has read the captures already (hosts/<instance-id>.txt, platforms from the inventory).
		const sshHosts = Object.fromEntries(Object.entries(lab.hosts).filter(([, host]) => host.os !== 'windows'));
		const server = await startLabSshServer({hosts: sshHosts});
		try {
			const files = await writeLabSshFiles(server, Object.keys(sshHosts).sort(), options.sshDir);
			return {server, configFile: files.configFile};
		} catch (error) {
			await server.close().catch(() => undefined);
			throw error;
		}
	})().catch(() => null); // Without the SSH side the demo still runs; the listener panels say the probe failed.
	return {
		endpoint: lab.endpoint,
		region: lab.region,
		credentials: lab.credentials,
		sshConfigPath: sshSide.then((ssh) => ssh?.configFile ?? null),
		async close() {
			await (await sshSide)?.server.close().catch(() => undefined);
			await lab.close();
		},
	};
}

/** How the demo's services reach its lab (the inventory thread reads with exactly this). */
export function demoAwsSpec(lab: Pick<DemoLab, 'endpoint' | 'region' | 'credentials'>): InventoryThreadSpec {
	return {options: {endpointUrl: lab.endpoint, region: lab.region}, extras: {credentials: lab.credentials, maxAttempts: 3}};
}

/**
 * The demo's lab: on a worker thread when running from the built JavaScript, else in-process.
 * `prefetchTo` (the inventory thread's port) hears where to read the moment the lab serves,
 * straight from the lab's thread, without waiting for this one (busy loading the UI).
 */
export async function openDemoLab(options: DemoLabOptions, prefetchTo?: MessagePort): Promise<DemoLab> {
	if (!import.meta.url.endsWith('.js')) {
		const lab = await startDemoLab(options);
		prefetchTo?.postMessage({kind: 'prefetch', spec: demoAwsSpec(lab)} satisfies PrefetchMessage);
		prefetchTo?.close();
		return lab;
	}
	const worker = new Worker(new URL(import.meta.url), {workerData: {kind: WORKER_KIND, options, prefetchTo}, transferList: prefetchTo ? [prefetchTo] : [], stdout: true, stderr: true});
	// Whatever the lab's thread prints (a library's warning) goes where the UI's own console output
	// goes — a log while the screen is drawn (console-redirect.ts) — never straight onto the frame.
	worker.stdout.setEncoding('utf8').on('data', (text: string) => console.log(text.trimEnd()));
	worker.stderr.setEncoding('utf8').on('data', (text: string) => console.error(text.trimEnd()));
	let sshReady: (path: string | null) => void = () => undefined;
	const sshConfigPath = new Promise<string | null>((resolve) => {
		sshReady = resolve;
	});
	worker.on('message', (message: FromLab) => message.kind === 'ssh' && sshReady(message.sshConfigPath));
	const ready = await new Promise<Ready>((resolve, reject) => {
		const fail = (error: Error) => {
			void worker.terminate();
			reject(error);
		};
		const onMessage = (message: FromLab) => {
			if (message.kind === 'ready') resolve(message.lab);
			else if (message.kind === 'failed') fail(new Error(message.message));
		};
		worker.on('message', onMessage);
		worker.once('error', fail);
		worker.once('exit', (code) => fail(new Error(`the demo lab's thread exited (${code}) before it started`)));
	});
	worker.removeAllListeners('exit');
	worker.removeAllListeners('error');
	worker.once('exit', () => sshReady(null));
	// Once started, a failure on the lab's thread shows as failed AWS calls, not as a crash of the UI.
	worker.on('error', () => undefined);
	return {
		...ready,
		sshConfigPath,
		async close() {
			const closed = new Promise<void>((resolve) => {
				worker.on('message', (message: FromLab) => message.kind === 'closed' && resolve());
				worker.once('exit', () => resolve());
				worker.once('error', () => resolve());
			});
			worker.postMessage('close');
			// A lab that does not close in time is cut off with its thread.
			await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
			await worker.terminate();
		},
	};
}

// The worker's side: start, say where, close when told.
if (parentPort && (workerData as {kind?: string} | null)?.kind === WORKER_KIND) {
	const port = parentPort;
	const {options, prefetchTo} = workerData as {options: DemoLabOptions; prefetchTo?: MessagePort};
	startDemoLab(options).then(
		(lab) => {
			const ready: Ready = {endpoint: lab.endpoint, region: lab.region, credentials: lab.credentials};
			port.on('message', (message) => {
				if (message === 'close') void lab.close().finally(() => port.postMessage({kind: 'closed'} satisfies FromLab));
			});
			prefetchTo?.postMessage({kind: 'prefetch', spec: demoAwsSpec(lab)} satisfies PrefetchMessage);
			prefetchTo?.close();
			port.postMessage({kind: 'ready', lab: ready} satisfies FromLab);
			void lab.sshConfigPath.then((sshConfigPath) => port.postMessage({kind: 'ssh', sshConfigPath} satisfies FromLab));
		},
		(error: unknown) => port.postMessage({kind: 'failed', message: error instanceof Error ? error.message : String(error)} satisfies FromLab),
	);
}

// The TUI's inventory read on a thread of its own. The EC2 SDK is the largest thing sgtui loads (its
// CommonJS bundle is 2 MB: ~350 ms of CPU to compile and run on this 2-core machine), and the
// inventory's nine paginated Describe* calls parse XML on whichever thread sends them. On the UI's
// thread both sat on the path to the first useful screen, behind ink and the UI's own modules; here
// the SDK loads on the second core while ink loads on the first (start-up budget: the demo's
// inventory on screen < 1.5 s, bench/startup.mjs). It is the same fetchInventory with a real EC2
// client built by the same createAwsClients; only the thread differs. Under vitest (TypeScript
// source, which a worker cannot load) it runs in-process, the same code.
import {type MessagePort, parentPort, Worker, workerData} from 'node:worker_threads';
import type {Inventory} from '../core/types.js';
import type {ClientExtras} from './clients.js';
import type {AwsOptions} from './config.js';
import type {InventoryProgress} from './inventory.js';

/** What the thread builds its EC2 client from: plain data, so it can cross to the thread. */
export interface InventoryThreadSpec {
	options: AwsOptions;
	extras: Pick<ClientExtras, 'credentials' | 'maxAttempts'>;
}

export interface InventoryRead {
	inventory: Inventory;
	warnings: string[];
}

export interface InventoryThread {
	/**
	 * Reads the whole inventory (fetchInventory) with a client for `spec`; the read a prefetch for
	 * the same spec started, if there was one (its progress so far is replayed).
	 */
	read(spec: InventoryThreadSpec, onProgress: (progress: InventoryProgress) => void): Promise<InventoryRead>;
	/** Starts reading for `spec` before anyone asks (once per spec: a second prefetch is ignored). */
	prefetch(spec: InventoryThreadSpec): void;
	close(): Promise<void>;
}

/** What a port given to startInventoryThread carries: another thread (the demo's lab) saying where to read, early. */
export interface PrefetchMessage {
	kind: 'prefetch';
	spec: InventoryThreadSpec;
}

type ToThread = {kind: 'read'; id: number; spec: InventoryThreadSpec} | PrefetchMessage;
type FromThread =
	| {kind: 'progress'; id: number; progress: InventoryProgress}
	| {kind: 'done'; id: number; read: InventoryRead}
	| {kind: 'failed'; id: number; message: string};

const WORKER_KIND = 'sgtui-inventory';

/** A read begun by a prefetch, waiting for the read() that takes it. */
interface EarlyRead {
	result: Promise<InventoryRead>;
	/** Replays the progress so far to `onProgress`, which then gets the rest. */
	take(onProgress: (progress: InventoryProgress) => void): void;
}

/** One client per spec for the thread's (or process's) life: a second read reuses its connections. */
function reader() {
	const clients = new Map<string, Promise<import('./clients.js').AwsClients>>();
	const prefetched = new Set<string>();
	const early = new Map<string, EarlyRead>();
	async function fetch(spec: InventoryThreadSpec, onProgress: (progress: InventoryProgress) => void): Promise<InventoryRead> {
		const key = JSON.stringify(spec);
		let made = clients.get(key);
		if (!made) {
			made = import('./clients.js').then(({createAwsClients}) => createAwsClients(spec.options, spec.extras));
			clients.set(key, made);
		}
		const [{fetchInventory}, aws] = await Promise.all([import('./inventory.js'), made]);
		const result = await fetchInventory(aws.ec2, {onProgress});
		return {inventory: result.inventory, warnings: result.warnings};
	}
	return {
		read(spec: InventoryThreadSpec, onProgress: (progress: InventoryProgress) => void): Promise<InventoryRead> {
			const key = JSON.stringify(spec);
			const begun = early.get(key);
			if (!begun) return fetch(spec, onProgress);
			early.delete(key);
			begun.take(onProgress);
			return begun.result;
		},
		prefetch(spec: InventoryThreadSpec): void {
			const key = JSON.stringify(spec);
			if (prefetched.has(key)) return;
			prefetched.add(key);
			const soFar: InventoryProgress[] = [];
			let listener: ((progress: InventoryProgress) => void) | null = null;
			const result = fetch(spec, (progress) => (listener ? listener(progress) : soFar.push(progress)));
			// Nobody may ever take it (the UI closed first): its failure is the taker's to see, or no one's.
			result.catch(() => undefined);
			early.set(key, {
				result,
				take(onProgress) {
					for (const progress of soFar) onProgress(progress);
					listener = onProgress;
				},
			});
		},
		destroy() {
			for (const made of clients.values()) void made.then((aws) => aws.destroy(), () => undefined);
			clients.clear();
		},
	};
}

/**
 * Starts the thread now (the SDK begins loading at once) when running from the built JavaScript;
 * in-process otherwise.
 */
export function startInventoryThread(prefetchFrom?: MessagePort): InventoryThread {
	if (!import.meta.url.endsWith('.js')) {
		const local = reader();
		prefetchFrom?.on('message', (message: PrefetchMessage) => local.prefetch(message.spec));
		prefetchFrom?.unref();
		return {read: (spec, onProgress) => local.read(spec, onProgress), prefetch: (spec) => local.prefetch(spec), close: async () => {
			prefetchFrom?.close();
			local.destroy();
		}};
	}
	const worker = new Worker(new URL(import.meta.url), {workerData: {kind: WORKER_KIND, prefetchFrom}, transferList: prefetchFrom ? [prefetchFrom] : [], stdout: true, stderr: true});
	// Whatever the SDK prints on that thread goes where the UI's console output goes (a log while the
	// screen is drawn, console-redirect.ts), never onto the frame.
	worker.stdout.setEncoding('utf8').on('data', (text: string) => console.log(text.trimEnd()));
	worker.stderr.setEncoding('utf8').on('data', (text: string) => console.error(text.trimEnd()));
	const pending = new Map<number, {resolve: (read: InventoryRead) => void; reject: (error: Error) => void; onProgress: (progress: InventoryProgress) => void}>();
	let lost: Error | null = null;
	const failAll = (error: Error) => {
		lost = error;
		for (const waiting of pending.values()) waiting.reject(error);
		pending.clear();
	};
	worker.on('message', (message: FromThread) => {
		const waiting = pending.get(message.id);
		if (!waiting) return;
		if (message.kind === 'progress') return waiting.onProgress(message.progress);
		pending.delete(message.id);
		if (message.kind === 'done') waiting.resolve(message.read);
		else waiting.reject(new Error(message.message));
	});
	worker.on('error', (error) => failAll(new Error(`the inventory thread failed: ${error.message}`)));
	worker.on('exit', (code) => failAll(new Error(`the inventory thread exited (${code})`)));
	// Idle between reads, it must not keep sgtui running.
	worker.unref();
	let next = 0;
	return {
		read(spec, onProgress) {
			if (lost) return Promise.reject(lost);
			const id = ++next;
			return new Promise<InventoryRead>((resolve, reject) => {
				pending.set(id, {resolve, reject, onProgress});
				worker.postMessage({kind: 'read', id, spec} satisfies ToThread);
			});
		},
		prefetch(spec) {
			if (!lost) worker.postMessage({kind: 'prefetch', spec} satisfies ToThread);
		},
		async close() {
			pending.clear();
			await worker.terminate();
		},
	};
}

// The thread's side: load the SDK at once (that is the point of starting early), then read on request.
if (parentPort && (workerData as {kind?: string} | null)?.kind === WORKER_KIND) {
	const port = parentPort;
	const local = reader();
	const {prefetchFrom} = workerData as {prefetchFrom?: MessagePort};
	prefetchFrom?.on('message', (message: PrefetchMessage) => local.prefetch(message.spec));
	prefetchFrom?.unref();
	void import('./sdk.js').then(({ec2Sdk}) => ec2Sdk()).catch(() => undefined);
	port.on('message', (message: ToThread) => {
		if (message.kind === 'prefetch') return local.prefetch(message.spec);
		const {id} = message;
		local.read(message.spec, (progress) => port.postMessage({kind: 'progress', id, progress} satisfies FromThread)).then(
			(read) => port.postMessage({kind: 'done', id, read} satisfies FromThread),
			(error: unknown) => port.postMessage({kind: 'failed', id, message: error instanceof Error ? error.message : String(error)} satisfies FromThread),
		);
	});
}

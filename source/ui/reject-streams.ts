// The session's live reject streams, one per network interface, kept outside React and above the
// screens. Screens unmount on every screen change (the wizard pushed over an interface, esc back, a
// palette jump), so a stream owned by a screen was thrown away and reconnected each time; here a
// screen *holds* its interface's stream and hands it back, and coming back finds the same store
// (records, counts, trends) with the same subscription still delivering into it: nothing shown
// twice, nothing lost in between.
//
// When a stream no longer held by any screen stops (the policy, README "Rejects tab"):
// - never while its interface is on the navigation stack (its screen under the wizard, or a
//   wizard on that interface or its instance): the user is coming back to it;
// - at once when the user opens another interface's stream (one live stream per visit, and Live
//   Tail is billed per session minute);
// - otherwise after LINGER_MS (esc to the inventory and straight back keeps the stream);
// - and never more than MAX_STREAMS at a time: past that the longest idle ones stop first.
//
// `a` (ACCEPTs too) does not restart anything: the REJECT subscription keeps running and a second
// one for every record that is not a REJECT feeds the same store; turning `a` off stops that one
// and drops its records, so turning it on again cannot count them twice.
import {LiveStore} from './live-store.js';
import type {SgtuiServices, Subscription} from './services.js';
import type {View} from './navigation.js';
import type {Inventory} from '../core/types.js';

export const LINGER_MS = 60_000;
export const MAX_STREAMS = 3;

/** What a view of one interface's stream reads: replaced (never mutated) when `all` changes. */
export interface RejectStreamEntry {
	readonly eniId: string;
	readonly store: LiveStore;
	/** ACCEPTs (every non-REJECT record) are streamed too. */
	readonly all: boolean;
}

export interface StreamSetup {
	/** The flow log's aggregation interval: the trend's bucket size. */
	bucketSeconds: number;
	/** The interface's own addresses (direction of each record). */
	ownAddresses: readonly string[];
}

interface Held {
	view: RejectStreamEntry;
	rejects: Subscription;
	others: Subscription | null;
	holders: number;
	/** When it was last handed back (for the cap), and the linger timer. */
	idleSince: number;
	linger: NodeJS.Timeout | null;
}

export class RejectStreamPool {
	private readonly streams = new Map<string, Held>();
	private readonly listeners = new Set<() => void>();
	private wanted: ReadonlySet<string> = new Set();
	private closed = false;

	constructor(
		private readonly services: SgtuiServices,
		private readonly options: {lingerMs?: number; maxStreams?: number} = {},
	) {}

	/** The interface's stream, started on first use. Idle until held. */
	ensure(eniId: string, setup: StreamSetup): RejectStreamEntry {
		const known = this.streams.get(eniId);
		if (known) {
			known.view.store.setBucketSeconds(setup.bucketSeconds);
			return known.view;
		}
		const store = new LiveStore({bucketSeconds: setup.bucketSeconds, ownAddresses: setup.ownAddresses});
		const held: Held = {
			view: {eniId, store, all: false},
			rejects: this.services.subscribeRejects([eniId], {records: 'rejects'}, {onRecords: (records) => store.push(records), onStatus: (status) => store.setStatus(status)}),
			others: null,
			holders: 0,
			idleSince: Date.now(),
			linger: null,
		};
		if (this.closed) held.rejects.stop();
		else this.streams.set(eniId, held);
		// Called while rendering: stopping others (which tells their views) waits for hold().
		this.idle(held);
		return held.view;
	}

	/** A screen shows the stream (from an effect): it runs at least until the returned release is called. */
	hold(eniId: string): () => void {
		const held = this.streams.get(eniId);
		if (!held) return () => undefined;
		held.holders++;
		this.cancelLinger(held);
		// Opening another interface's stream is leaving the previous one.
		for (const [id, other] of [...this.streams]) if (id !== eniId && other.holders === 0 && !this.wanted.has(id)) this.stop(id);
		this.enforceCap();
		let released = false;
		return () => {
			if (released) return;
			released = true;
			held.holders--;
			held.idleSince = Date.now();
			if (this.streams.get(eniId) === held) this.idle(held);
		};
	}

	/** ensure() and hold() from a screen's effect: a stream that stopped since the render starts again. */
	open(eniId: string, setup: StreamSetup): () => void {
		const created = !this.streams.has(eniId);
		this.ensure(eniId, setup);
		const release = this.hold(eniId);
		if (created) this.notify();
		return release;
	}

	get(eniId: string): RejectStreamEntry | undefined {
		return this.streams.get(eniId)?.view;
	}

	/** Interfaces with a running stream (tests and the status of the policy). */
	running(): string[] {
		return [...this.streams.keys()];
	}

	/** ACCEPTs too (a second subscription into the same store), or REJECTs only again. */
	setAll(eniId: string, all: boolean): void {
		const held = this.streams.get(eniId);
		if (!held || held.view.all === all) return;
		const store = held.view.store;
		if (all) {
			held.others = this.services.subscribeRejects([eniId], {records: 'others'}, {onRecords: (records) => store.push(records), onStatus: (status) => store.setOthersStatus(status)});
		} else {
			held.others?.stop();
			held.others = null;
			store.setOthersStatus(null);
			store.dropNonRejects();
		}
		held.view = {...held.view, all};
		this.notify();
	}

	/** The interfaces on the navigation stack: their streams are kept while the user is away. */
	retain(eniIds: Iterable<string>): void {
		this.wanted = new Set(eniIds);
		const inUse = [...this.streams.values()].some((held) => held.holders > 0);
		for (const [id, held] of [...this.streams]) {
			if (held.holders > 0) continue;
			if (this.wanted.has(id)) this.cancelLinger(held);
			// Another interface is on screen: this one was left for it.
			else if (inUse) this.stop(id);
			else this.idle(held);
		}
	}

	/** Stops everything (the app is closing). */
	close(): void {
		this.closed = true;
		for (const id of [...this.streams.keys()]) this.stop(id);
	}

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	private idle(held: Held): void {
		if (held.holders > 0 || held.linger || this.wanted.has(held.view.eniId)) return;
		held.linger = setTimeout(() => {
			held.linger = null;
			if (held.holders === 0 && !this.wanted.has(held.view.eniId)) this.stop(held.view.eniId);
		}, this.options.lingerMs ?? LINGER_MS);
		held.linger.unref?.();
	}

	private cancelLinger(held: Held): void {
		if (held.linger) clearTimeout(held.linger);
		held.linger = null;
	}

	private enforceCap(): void {
		const max = Math.max(1, this.options.maxStreams ?? MAX_STREAMS);
		const idle = [...this.streams.values()].filter((held) => held.holders === 0).sort((a, b) => a.idleSince - b.idleSince);
		while (this.streams.size > max && idle.length > 0) this.stop(idle.shift()!.view.eniId);
	}

	private stop(eniId: string): void {
		const held = this.streams.get(eniId);
		if (!held) return;
		this.streams.delete(eniId);
		this.cancelLinger(held);
		held.rejects.stop();
		held.others?.stop();
		this.notify();
	}

	private notify(): void {
		for (const listener of this.listeners) listener();
	}
}

/** The interfaces the navigation stack will come back to: its interface screens and wizards' targets. */
export function eniIdsOnStack(stack: readonly View[], inventory: Inventory | null): string[] {
	const ids: string[] = [];
	for (const view of stack) {
		if (view.kind === 'eni') ids.push(view.eniId);
		else if (view.kind === 'wizard' && view.target && inventory) {
			for (const eni of inventory.networkInterfaces) if (eni.id === view.target || eni.instanceId === view.target) ids.push(eni.id);
		}
	}
	return ids;
}

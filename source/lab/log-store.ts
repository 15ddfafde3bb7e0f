// The lab's CloudWatch Logs storage: log groups holding one stream per ENI, events kept in
// timestamp order. Appends are broadcast so Live Tail sessions see events as they are ingested.
import {EventEmitter} from 'node:events';

export interface LogEvent {
	timestamp: number;
	ingestionTime: number;
	message: string;
	eventId: string;
	/** Global insertion order: breaks timestamp ties and orders pagination tokens. */
	seq: number;
}

export interface LogStream {
	name: string;
	creationTime: number;
	events: LogEvent[];
	lastIngestionTime: number | null;
}

export interface LogGroup {
	name: string;
	creationTime: number;
	streams: Map<string, LogStream>;
	/** The flow log format of the records in this group (Insights parses messages with it). */
	flowFormat: string | null;
}

export interface AppendedEvents {
	group: LogGroup;
	stream: LogStream;
	events: LogEvent[];
}

/** Orders events as CloudWatch Logs returns them: by timestamp, then by arrival. */
export function compareEvents(a: LogEvent, b: LogEvent): number {
	return a.timestamp - b.timestamp || a.seq - b.seq;
}

/**
 * Adds a batch to a stream's sorted events: the batch is sorted on its own and, when it doesn't
 * all come after the last event, merged into the tail it overlaps. No `push(...batch)` (a flood's
 * batch of a few hundred thousand overflows the call stack) and no re-sort of the whole stream
 * per batch (a flood makes that quadratic).
 */
export function insertInOrder(sorted: LogEvent[], batch: readonly LogEvent[]): void {
	const added = batch.length > 1 ? [...batch].sort(compareEvents) : batch;
	const first = added[0];
	if (first === undefined) return;
	// The first stored event that sorts after the batch's first: everything from there on merges.
	let low = 0;
	let high = sorted.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (compareEvents(sorted[middle]!, first) <= 0) low = middle + 1;
		else high = middle;
	}
	const later = sorted.splice(low);
	let i = 0;
	let j = 0;
	while (i < later.length && j < added.length) sorted.push(compareEvents(later[i]!, added[j]!) <= 0 ? later[i++]! : added[j++]!);
	while (i < later.length) sorted.push(later[i++]!);
	while (j < added.length) sorted.push(added[j++]!);
}

export class LogStore {
	readonly groups = new Map<string, LogGroup>();
	private readonly emitter = new EventEmitter();
	private seq = 0;

	constructor(private readonly now: () => number) {
		this.emitter.setMaxListeners(0);
	}

	ensureGroup(name: string, flowFormat: string | null = null): LogGroup {
		let group = this.groups.get(name);
		if (!group) {
			group = {name, creationTime: this.now(), streams: new Map(), flowFormat};
			this.groups.set(name, group);
		} else if (flowFormat && !group.flowFormat) {
			group.flowFormat = flowFormat;
		}
		return group;
	}

	ensureStream(group: LogGroup, name: string): LogStream {
		let stream = group.streams.get(name);
		if (!stream) {
			stream = {name, creationTime: this.now(), events: [], lastIngestionTime: null};
			group.streams.set(name, stream);
		}
		return stream;
	}

	/**
	 * Ingests events now (ingestionTime = now, unless an item says when it arrived: records loaded
	 * from a snapshot arrived when AWS delivered them, not when the lab started) and notifies live
	 * listeners.
	 */
	append(groupName: string, streamName: string, items: Array<{timestamp: number; message: string; ingestionTime?: number}>): LogEvent[] {
		const group = this.ensureGroup(groupName);
		const stream = this.ensureStream(group, streamName);
		const ingestionTime = this.now();
		const events = items.map((item) => {
			const seq = ++this.seq;
			// 56 digits like AWS's ids; unique because seq is.
			const eventId = String(item.timestamp).padStart(20, '0') + String(seq).padStart(36, '0');
			return {timestamp: item.timestamp, ingestionTime: Math.min(item.ingestionTime ?? ingestionTime, ingestionTime), message: item.message, eventId, seq};
		});
		if (events.length === 0) return events;
		insertInOrder(stream.events, events);
		stream.lastIngestionTime = ingestionTime;
		this.emitter.emit('append', {group, stream, events} satisfies AppendedEvents);
		return events;
	}

	onAppend(listener: (appended: AppendedEvents) => void): () => void {
		this.emitter.on('append', listener);
		return () => this.emitter.off('append', listener);
	}
}

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
		const tail = stream.events.at(-1);
		stream.events.push(...events);
		if (tail && events.some((event) => compareEvents(event, tail) < 0)) stream.events.sort(compareEvents);
		else if (events.length > 1) stream.events.sort(compareEvents);
		stream.lastIngestionTime = ingestionTime;
		this.emitter.emit('append', {group, stream, events} satisfies AppendedEvents);
		return events;
	}

	onAppend(listener: (appended: AppendedEvents) => void): () => void {
		this.emitter.on('append', listener);
		return () => this.emitter.off('append', listener);
	}
}

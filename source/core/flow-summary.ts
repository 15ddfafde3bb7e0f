// Incremental summary of flow records: rejected (source, destination port, protocol) tuples with
// counts and first/last seen, plus how many records, NODATA/SKIPDATA records and malformed lines
// went by. Incremental so the TUI can feed live records into it and sample rows() per frame; the
// fast file scanner feeds it tuples directly (addTuple) and workers' partial summaries merge.
// With `byDirection` the rows are (direction, peer, service port, protocol): a dropped return
// path then reads as one 'reply' row per client instead of one row per ephemeral port.
import {classifyFlowDirection, FLOW_DIRECTIONS, type FlowDirection, flowPeer} from './flow-direction.js';
import type {FlowAction, FlowRecord} from './types.js';
import {canonicalAddress, isValidAddress} from './cidr.js';
import {shellQuote} from './shell-quote.js';

export interface FlowSummaryRow {
	/** The source address; with `byDirection`, the peer (the client of a reply, the remote end of 'out'). */
	srcAddr: string | null;
	/** The destination port; with `byDirection`, the service port (a reply's source port). */
	dstPort: number | null;
	protocol: number | null;
	/** REJECT unless the aggregator was built with `{actions: 'all'}`. */
	action: FlowAction | null;
	count: number;
	/** Earliest `start` (Unix seconds) among the records, null if none had one. */
	firstSeen: number | null;
	/** Latest `end` (Unix seconds), null if none had one. */
	lastSeen: number | null;
	/** Only with `byDirection`. */
	direction?: FlowDirection;
}

export interface FlowSummaryTotals {
	records: number;
	rejects: number;
	accepts: number;
	nodata: number;
	skipdata: number;
	/**
	 * OK (or status-less) records with no action: a LogFormat without `${action}`, or `-` in it.
	 * NODATA/SKIPDATA records have none either but are counted as such, so the five categories add
	 * up to `records`.
	 */
	noAction: number;
	malformed: number;
	firstMalformedLine: number | null;
}

export interface FlowSummaryOptions {
	/** 'reject' (default) keeps only REJECT tuples; 'all' keeps every action (NODATA included). */
	actions?: 'reject' | 'all';
	/** Group by (direction, peer, service port, protocol) instead of (source, destination port, protocol). */
	byDirection?: boolean;
	/** The interface's own addresses, when known: they tell replies from inbound traffic without v5's flow-direction. */
	eniAddresses?: Iterable<string> | null;
	/**
	 * At most this many groups (a live session with ever new peers must stay flat): past it the
	 * smallest groups are folded into `others`, whose record count stays exact. A folded group
	 * that comes back starts a new row, so row counts are then lower bounds.
	 */
	maxRows?: number;
}

/** What a bounded summary folded away: groups and the records they held. */
export interface FoldedRows {
	groups: number;
	count: number;
}

const ACTION_CODE = {ACCEPT: 1, REJECT: 2} as const;

/**
 * The (port, protocol, action) part of a tuple as one small integer, so the hot path does one
 * string-keyed lookup (the source) and one integer-keyed one; null when out of range.
 */
function tupleCode(dstPort: number | null, protocol: number | null, action: FlowAction | null, direction: FlowDirection | undefined): number | null {
	const port = dstPort === null ? 0 : dstPort + 1;
	const proto = protocol === null ? 0 : protocol + 1;
	if (port > 65536 || proto > 256) return null;
	return ((port * 257 + proto) * 3 + (action === null ? 0 : ACTION_CODE[action])) * 4 + directionCode(direction);
}

/** 0 for no direction, 1.. for FLOW_DIRECTIONS (the fast scanner packs it next to the action). */
export function directionCode(direction: FlowDirection | undefined): number {
	return direction === undefined ? 0 : FLOW_DIRECTIONS.indexOf(direction) + 1;
}

export class FlowSummary {
	readonly totals: FlowSummaryTotals = {records: 0, rejects: 0, accepts: 0, nodata: 0, skipdata: 0, noAction: 0, malformed: 0, firstMalformedLine: null};
	readonly actions: 'reject' | 'all';
	readonly byDirection: boolean;
	readonly eniAddresses: ReadonlySet<string>;
	private readonly bySource = new Map<string | null, Map<number, FlowSummaryRow>>();
	/** Tuples whose numbers don't fit tupleCode (garbage ports): rare, keyed by text. */
	private readonly odd = new Map<string, FlowSummaryRow>();
	private count = 0;
	private readonly maxRows: number;
	private readonly folded: FoldedRows = {groups: 0, count: 0};

	constructor(options: FlowSummaryOptions = {}) {
		this.maxRows = options.maxRows ?? Infinity;
		this.actions = options.actions ?? 'reject';
		this.byDirection = options.byDirection === true;
		this.eniAddresses = new Set([...(options.eniAddresses ?? [])].map(canonicalAddress));
	}

	/** The options to build an empty summary like this one (e.g. in a worker). */
	get options(): {actions: 'reject' | 'all'; byDirection: boolean; eniAddresses: string[]} {
		return {actions: this.actions, byDirection: this.byDirection, eniAddresses: [...this.eniAddresses]};
	}

	add(record: FlowRecord): void {
		this.countRecord(record.action ?? null, record.logStatus ?? null);
		if (this.byDirection) {
			if (record.action !== 'REJECT' && this.actions === 'reject') return;
			const direction = classifyFlowDirection(record, this.eniAddresses);
			const {peer, port} = flowPeer(record, direction);
			this.addTuple(peer, port, record.protocol ?? null, record.action ?? null, record.start ?? null, record.end ?? null, 1, direction);
			return;
		}
		this.addTuple(record.srcAddr ?? null, record.dstPort ?? null, record.protocol ?? null, record.action ?? null, record.start ?? null, record.end ?? null);
	}

	/** Counts one record in the totals (without touching the tuples). */
	countRecord(action: FlowAction | null, logStatus: string | null): void {
		this.totals.records++;
		if (action === 'REJECT') this.totals.rejects++;
		else if (action === 'ACCEPT') this.totals.accepts++;
		if (logStatus === 'NODATA') this.totals.nodata++;
		else if (logStatus === 'SKIPDATA') this.totals.skipdata++;
		else if (action === null) this.totals.noAction++;
	}

	/**
	 * Adds one record's tuple; ignored unless it is a REJECT or the summary keeps all actions.
	 * With a direction, `srcAddr` is the peer and `dstPort` the service port (see flowPeer).
	 * An IPv6 peer is keyed by its RFC 5952 text, whatever spelling the record used. The fast
	 * scanner's tuples are keyed by the bytes and arrive here once per distinct tuple, so that
	 * costs its per-record loop nothing.
	 */
	addTuple(srcAddr: string | null, dstPort: number | null, protocol: number | null, action: FlowAction | null, start: number | null, end: number | null, count = 1, direction?: FlowDirection): void {
		if (action !== 'REJECT' && this.actions === 'reject') return;
		if (srcAddr !== null) srcAddr = canonicalAddress(srcAddr);
		const code = tupleCode(dstPort, protocol, action, direction);
		let row: FlowSummaryRow | undefined;
		if (code === null) {
			const key = `${srcAddr} ${dstPort} ${protocol} ${action} ${direction}`;
			row = this.odd.get(key);
			if (!row) this.odd.set(key, (row = this.newRow(srcAddr, dstPort, protocol, action, direction)));
		} else {
			row = this.bySource.get(srcAddr)?.get(code);
			if (!row) {
				// newRow may fold, and folding drops a source's map once its rows are gone: look the
				// map up after it, or the new row would go into a detached map and its count be lost.
				row = this.newRow(srcAddr, dstPort, protocol, action, direction);
				let inner = this.bySource.get(srcAddr);
				if (!inner) this.bySource.set(srcAddr, (inner = new Map<number, FlowSummaryRow>()));
				inner.set(code, row);
			}
		}
		row.count += count;
		if (start !== null && (row.firstSeen === null || start < row.firstSeen)) row.firstSeen = start;
		if (end !== null && (row.lastSeen === null || end > row.lastSeen)) row.lastSeen = end;
	}

	private newRow(srcAddr: string | null, dstPort: number | null, protocol: number | null, action: FlowAction | null, direction: FlowDirection | undefined): FlowSummaryRow {
		if (this.count >= this.maxRows) this.fold();
		this.count++;
		const row: FlowSummaryRow = {srcAddr, dstPort, protocol, action, count: 0, firstSeen: null, lastSeen: null};
		if (direction !== undefined) row.direction = direction;
		return row;
	}

	/** Counts a line that could not be parsed; `line` is 1-based. */
	addMalformed(line: number): void {
		this.totals.malformed++;
		if (this.totals.firstMalformedLine === null || line < this.totals.firstMalformedLine) this.totals.firstMalformedLine = line;
	}

	/** Folds another summary (e.g. a worker's part of a file) into this one. */
	merge(other: FlowSummary | {totals: FlowSummaryTotals; rows: FlowSummaryRow[]}): void {
		const totals = other.totals;
		this.totals.records += totals.records;
		this.totals.rejects += totals.rejects;
		this.totals.accepts += totals.accepts;
		this.totals.nodata += totals.nodata;
		this.totals.skipdata += totals.skipdata;
		this.totals.noAction += totals.noAction;
		this.totals.malformed += totals.malformed;
		if (totals.firstMalformedLine !== null && (this.totals.firstMalformedLine === null || totals.firstMalformedLine < this.totals.firstMalformedLine)) {
			this.totals.firstMalformedLine = totals.firstMalformedLine;
		}
		const rows = other instanceof FlowSummary ? other.rows() : other.rows;
		for (const row of rows) {
			this.addTuple(row.srcAddr, row.dstPort, row.protocol, row.action, row.firstSeen, row.lastSeen, row.count, row.direction);
		}
	}

	get size(): number {
		return this.count;
	}

	/** Groups folded away by `maxRows` and their records (exact). */
	get others(): FoldedRows {
		return {...this.folded};
	}

	/**
	 * Folds the smaller half of the rows into `others`: amortized O(1) per new row, and what
	 * stays is the groups that matter (most records, then the most recent).
	 */
	private fold(): void {
		const rows: Array<{row: FlowSummaryRow; drop: () => void}> = [];
		for (const [source, inner] of this.bySource) {
			for (const [code, row] of inner) {
				rows.push({
					row,
					drop: () => {
						inner.delete(code);
						if (inner.size === 0) this.bySource.delete(source);
					},
				});
			}
		}
		for (const [key, row] of this.odd) rows.push({row, drop: () => this.odd.delete(key)});
		rows.sort((a, b) => a.row.count - b.row.count || (a.row.lastSeen ?? 0) - (b.row.lastSeen ?? 0));
		const keep = Math.floor(this.maxRows / 2);
		for (const {row, drop} of rows.slice(0, Math.max(0, rows.length - keep))) {
			drop();
			this.count--;
			this.folded.groups++;
			this.folded.count += row.count;
		}
	}

	/** Rows by count (descending), then source, port, protocol, action, direction for a stable order. */
	rows(limit?: number): FlowSummaryRow[] {
		const rows: FlowSummaryRow[] = [];
		for (const inner of this.bySource.values()) for (const row of inner.values()) rows.push({...row});
		for (const row of this.odd.values()) rows.push({...row});
		rows.sort(compareRows);
		return limit === undefined ? rows : rows.slice(0, limit);
	}
}

function compareText(a: string | null, b: string | null): number {
	const x = a ?? '';
	const y = b ?? '';
	return x < y ? -1 : x > y ? 1 : 0;
}

function compareRows(a: FlowSummaryRow, b: FlowSummaryRow): number {
	if (a.count !== b.count) return b.count - a.count;
	const source = compareText(a.srcAddr, b.srcAddr);
	if (source !== 0) return source;
	if ((a.dstPort ?? -1) !== (b.dstPort ?? -1)) return (a.dstPort ?? -1) - (b.dstPort ?? -1);
	if ((a.protocol ?? -1) !== (b.protocol ?? -1)) return (a.protocol ?? -1) - (b.protocol ?? -1);
	const action = compareText(a.action, b.action);
	if (action !== 0) return action;
	return directionCode(a.direction) - directionCode(b.direction);
}

/** Summarizes a finished set of records (REJECTs only unless told otherwise). */
export function summarizeRejects(records: Iterable<FlowRecord>, options: FlowSummaryOptions = {}): FlowSummary {
	const summary = new FlowSummary(options);
	for (const record of records) summary.add(record);
	return summary;
}

/** "skipped 3 malformed lines, first at line 17", or null when nothing was skipped. */
export function formatMalformedNote(stats: {malformed: number; firstMalformedLine: number | null}): string | null {
	if (stats.malformed === 0) return null;
	const noun = stats.malformed === 1 ? 'line' : 'lines';
	const where = stats.firstMalformedLine === null ? '' : `, first at line ${stats.firstMalformedLine}`;
	return `skipped ${stats.malformed} malformed ${noun}${where}`;
}

/**
 * The line under a direction-aware table that holds reply rows: what they mean and the check to
 * run, filled in with the top reply row's client and service port. Null without reply rows.
 */
export function formatReplyNote(rows: readonly FlowSummaryRow[]): string | null {
	const reply = rows.find((row) => row.direction === 'reply');
	if (!reply) return null;
	const port = reply.dstPort === null ? '' : ` --port ${reply.dstPort}`;
	// The peer is the record's text: only an address goes into the command, quoted like every argument.
	const client = reply.srcAddr !== null && isValidAddress(reply.srcAddr) ? shellQuote(reply.srcAddr) : 'CLIENT';
	return `reply rows: the instance's answers were REJECTed on the way out — the signature of a network ACL that drops return traffic (see \`sgtui check …${port} --from ${client}\`)`;
}

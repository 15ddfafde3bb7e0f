// The line-by-line rules for a flow log file, shared by the record reader and the fast byte
// scanner so both classify every line the same way:
//   - a blank line is counted as a line and nothing else;
//   - the first non-blank line may be an S3 header naming the fields: it sets the format (unless
//     the user gave one) and is not a record;
//   - a later line that does not parse but is a header (files concatenated with `cat`) is a
//     header too, and switches the format unless the user gave one;
//   - anything else that does not parse is counted as malformed with its 1-based line number.
import type {FlowRecord} from './types.js';
import {type FlowField, DEFAULT_FLOW_FORMAT, formatString, parseHeaderLine, toFields} from './flow-format.js';
import {createFlowLineParser} from './flow-parser.js';

export interface FlowReadStats {
	lines: number;
	records: number;
	nodata: number;
	skipdata: number;
	malformed: number;
	firstMalformedLine: number | null;
	/** The format in use (the last one, if a header switched it), as a `${a} ${b}` string. */
	format: string;
}

export type FlowLineOutcome = FlowRecord | 'blank' | 'header' | 'malformed';

export class FlowLineClassifier {
	readonly stats: FlowReadStats;
	/** True when the user named the format: headers are then skipped, never obeyed. */
	readonly explicit: boolean;
	private currentFields: FlowField[];
	private parse: (line: string) => FlowRecord | null;
	private seenContent = false;
	/** Called when a header line changes the format (the fast scanner re-plans its columns). */
	onFormatChange: ((fields: FlowField[]) => void) | null = null;

	/**
	 * `format` null/undefined: the v2 default until a header says otherwise. `explicit` defaults to
	 * "a format was given"; a worker scanning the middle of a file passes the format found at the
	 * top with `explicit: false, midFile: true`.
	 */
	constructor(format?: string | readonly FlowField[] | null, options: {explicit?: boolean; midFile?: boolean} = {}) {
		this.explicit = options.explicit ?? (format !== undefined && format !== null);
		this.seenContent = options.midFile ?? false;
		this.currentFields = toFields(format ?? DEFAULT_FLOW_FORMAT);
		this.parse = createFlowLineParser(this.currentFields);
		this.stats = {lines: 0, records: 0, nodata: 0, skipdata: 0, malformed: 0, firstMalformedLine: null, format: formatString(this.currentFields)};
	}

	get fields(): readonly FlowField[] {
		return this.currentFields;
	}

	/** Whether the next non-blank line is the first one (and so may be a header). */
	get expectingHeader(): boolean {
		return !this.seenContent;
	}

	/** Classifies the next line (without its newline) and updates the stats. */
	next(line: string): FlowLineOutcome {
		this.stats.lines++;
		if (line.trim() === '') return 'blank';
		const first = !this.seenContent;
		this.seenContent = true;
		if (first && this.tryHeader(line)) return 'header';
		const record = this.parse(line);
		if (record) {
			this.countRecord(record.logStatus ?? null);
			return record;
		}
		if (!first && this.tryHeader(line)) return 'header';
		this.countMalformed();
		return 'malformed';
	}

	/** For the fast scanner: a line it validated itself (same rules as the parser). */
	countRecord(logStatus: string | null): void {
		this.seenContent = true;
		this.stats.records++;
		if (logStatus === 'NODATA') this.stats.nodata++;
		else if (logStatus === 'SKIPDATA') this.stats.skipdata++;
	}

	/** A line too long to hold, or one the parser rejected. */
	countMalformed(lineNumber = this.stats.lines): void {
		this.stats.malformed++;
		if (this.stats.firstMalformedLine === null) this.stats.firstMalformedLine = lineNumber;
	}

	/** For the fast scanner: counts a line it handled without decoding it. */
	countLine(): void {
		this.stats.lines++;
	}

	private tryHeader(line: string): boolean {
		const header = parseHeaderLine(line);
		if (!header) return false;
		if (!this.explicit && formatString(header) !== this.stats.format) {
			this.currentFields = header;
			this.parse = createFlowLineParser(header);
			this.stats.format = formatString(header);
			this.onFormatChange?.(header);
		}
		return true;
	}
}

// One flow log line → one FlowRecord. The same parser reads files, CloudWatch Logs event messages
// (the live reject stream, the lab) and the records the fast byte scanner hands back when it is
// unsure, so "malformed" means one thing everywhere:
//   - the number of space-separated values differs from the number of fields in the format;
//   - a numeric field is neither digits nor `-`, or beyond its range (a port above 65535, a
//     protocol above 255, a time no Date holds, a counter past the exact integers);
//   - action is not ACCEPT/REJECT/`-`, or log-status is not OK/NODATA/SKIPDATA/`-`.
// `-` (not applicable) becomes null. NODATA/SKIPDATA records are ordinary records.
import type {FlowRecord} from './types.js';
import {type FlowField, toFields} from './flow-format.js';

const DIGITS = /^\d+$/;
const SEPARATORS = /[ \t]+/;

/** Splits a record the way AWS writes it: values separated by spaces (tabs and runs tolerated). */
export function splitFlowLine(line: string): string[] {
	const trimmed = line.trim();
	return trimmed === '' ? [] : trimmed.split(SEPARATORS);
}

/** Converts one value by its field's kind; undefined means the value is invalid. */
export function flowValue(field: FlowField, text: string): string | number | null | undefined {
	if (text === '-') return null;
	switch (field.kind) {
		case 'number': {
			if (!DIGITS.test(text)) return undefined;
			const value = Number(text);
			return value <= (field.max ?? Number.MAX_SAFE_INTEGER) ? value : undefined;
		}
		case 'action':
			return text === 'ACCEPT' || text === 'REJECT' ? text : undefined;
		case 'log-status':
			return text === 'OK' || text === 'NODATA' || text === 'SKIPDATA' ? text : undefined;
		default:
			return text;
	}
}

/**
 * Builds a parser for one format. Returns null for a malformed line (the caller counts it).
 * Keys follow the format's order, so NDJSON output reads like the log line.
 */
export function createFlowLineParser(format: string | readonly FlowField[]): (line: string) => FlowRecord | null {
	const fields = toFields(format);
	const count = fields.length;
	return (line: string): FlowRecord | null => {
		const values = splitFlowLine(line);
		if (values.length !== count) return null;
		const record: FlowRecord = {};
		for (let index = 0; index < count; index++) {
			const field = fields[index]!;
			const value = flowValue(field, values[index]!);
			if (value === undefined) return null;
			record[field.key] = value;
		}
		return record;
	};
}

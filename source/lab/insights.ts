// CloudWatch Logs Insights, the subset sgtui sends: `fields`/`display`, `parse` (glob
// "a=* b=*" as x, y, or /regex/ with (?<name>...) groups), `filter` (= != < <= > >=, and/or/not,
// parentheses, like "text" or /regex/, in [..], ispresent()), `stats` with count(*), count(f),
// count_distinct(f), min, max, sum, avg `as` name `by` fields or bin(5m), `sort`, `limit`.
// Flow log messages are parsed into fields (srcAddr, dstPort, action, ...) with the log group's
// flow log format, as Insights discovers them. Anything else is a MalformedQueryException.
import {createFlowLineParser} from '../core/flow-parser.js';
import {compare, formatTimestamp, parseQuery, type Aggregate, type Row, type Value} from './insights-query.js';
import type {LogEvent} from './log-store.js';

export {formatTimestamp, parseQuery} from './insights-query.js';

// ---------------------------------------------------------------------------------------------
// Running

export interface QueryInput {
	events: Array<{event: LogEvent; logGroup: string; logStream: string; flowFormat: string | null}>;
	accountId: string;
	limit: number;
}

export interface QueryOutput {
	results: Array<Array<{field: string; value: string}>>;
	recordsMatched: number;
	recordsScanned: number;
	bytesScanned: number;
}

function aggregate(rows: Row[], aggregateSpec: Aggregate): Value {
	const {fn, field} = aggregateSpec;
	if (fn === 'count') return field === null ? rows.length : rows.filter((row) => row[field] !== undefined && row[field] !== null).length;
	const values = rows.map((row) => (field === null ? undefined : row[field])).filter((value): value is string | number => value !== undefined && value !== null);
	if (fn === 'count_distinct') return new Set(values.map(String)).size;
	if (values.length === 0) return null;
	if (fn === 'min' || fn === 'max') {
		const pick = values.reduce((best, value) => {
			const c = compare(value, best)!;
			return (fn === 'min' ? c < 0 : c > 0) ? value : best;
		});
		return field === '@timestamp' ? formatTimestamp(Number(rows.find((row) => row[field] === pick)?.['@timestampMs'])) : pick;
	}
	const numbers = values.map(Number).filter((n) => !Number.isNaN(n));
	const sum = numbers.reduce((a, b) => a + b, 0);
	return fn === 'sum' ? sum : numbers.length ? sum / numbers.length : null;
}

export function runQuery(query: string, input: QueryInput): QueryOutput {
	const commands = parseQuery(query);
	const parsers = new Map<string, (line: string) => Record<string, Value> | null>();
	let bytesScanned = 0;
	let rows: Row[] = input.events.map(({event, logGroup, logStream, flowFormat}, index) => {
		bytesScanned += Buffer.byteLength(event.message) + 26;
		const row: Row = {
			'@timestamp': event.timestamp,
			'@timestampMs': event.timestamp,
			'@message': event.message,
			'@logStream': logStream,
			'@log': `${input.accountId}:${logGroup}`,
			'@ingestionTime': event.ingestionTime,
			'@ptr': Buffer.from(`${logGroup}|${logStream}|${event.eventId}|${index}`).toString('base64'),
		};
		if (flowFormat) {
			let parse = parsers.get(flowFormat);
			if (!parse) {
				parse = createFlowLineParser(flowFormat);
				parsers.set(flowFormat, parse);
			}
			Object.assign(row, parse(event.message) ?? {});
		}
		return row;
	});
	const recordsScanned = rows.length;
	let matched = rows.length;
	let projection: string[] | null = null;
	let limit = input.limit;
	let aggregated = false;
	for (const command of commands) {
		switch (command.kind) {
			case 'filter':
				rows = rows.filter(command.expr);
				if (!aggregated) matched = rows.length;
				break;
			case 'parse':
				// Rows the pattern does not match stay, without the extracted fields.
				for (const row of rows) {
					const value = row[command.source];
					if (value === undefined || value === null) continue;
					const extracted = command.extract(String(value));
					if (extracted) Object.assign(row, extracted);
				}
				break;
			case 'fields':
				projection = [...(projection ?? []), ...command.fields.filter((field) => !(projection ?? []).includes(field))];
				break;
			case 'stats': {
				const groups = new Map<string, Row[]>();
				for (const row of rows) {
					const key = JSON.stringify(command.by.map((group) => group.value(row) ?? null));
					const list = groups.get(key);
					if (list) list.push(row);
					else groups.set(key, [row]);
				}
				rows = [...groups.values()].map((members) => {
					const out: Row = {};
					for (const group of command.by) out[group.name] = group.value(members[0]!);
					for (const spec of command.aggregates) out[spec.name] = aggregate(members, spec);
					return out;
				});
				projection = [...command.by.map((group) => group.name), ...command.aggregates.map((spec) => spec.name)];
				aggregated = true;
				break;
			}
			case 'sort':
				rows = [...rows].sort((a, b) => {
					for (const key of command.keys) {
						const field = key.field === '@timestamp' && !aggregated ? '@timestampMs' : key.field;
						const c = compare(a[field], b[field]) ?? (a[field] === undefined || a[field] === null ? 1 : -1);
						if (c !== 0) return key.desc ? -c : c;
					}
					return 0;
				});
				break;
			case 'limit':
				limit = Math.min(limit, command.count);
				break;
		}
	}
	rows = rows.slice(0, limit);
	const fields = projection ?? ['@timestamp', '@message', '@logStream', '@log'];
	const results = rows.map((row) => {
		const cells = fields
			.filter((field) => row[field] !== undefined && row[field] !== null)
			.map((field) => ({field, value: field === '@timestamp' && !aggregated ? formatTimestamp(Number(row['@timestampMs'])) : String(row[field])}));
		if (!aggregated && row['@ptr']) cells.push({field: '@ptr', value: String(row['@ptr'])});
		return cells;
	});
	return {results, recordsMatched: matched, recordsScanned, bytesScanned};
}

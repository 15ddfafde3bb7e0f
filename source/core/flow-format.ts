// VPC Flow Logs record formats: the documented fields (v2–v8), how a LogFormat string or an S3
// header line names them, and the CloudWatch Logs Insights camelCase name each one gets in a
// FlowRecord. Unknown `${field}` names are accepted (AWS adds fields over time) and kept as
// strings under a camelCased name, so a new field never makes a whole file unreadable.
import {EvidenceError} from './evidence-error.js';

/** How a field's text becomes a value: numbers are validated, enums are checked. */
export type FlowFieldKind = 'string' | 'number' | 'action' | 'log-status';

export interface FlowField {
	/** The name as in a LogFormat (`${name}`) or an S3 header line, e.g. `pkt-srcaddr`. */
	name: string;
	/** The Logs Insights style key in a FlowRecord, e.g. `pktSrcAddr`. */
	key: string;
	kind: FlowFieldKind;
	/** The flow log version that introduced the field; null for a field sgtui does not know. */
	version: number | null;
	/** A number field's largest valid value; a line with more is malformed. */
	max?: number;
}

type FieldSpec = [name: string, key: string, kind: FlowFieldKind, version: number, max?: number];

// Numbers a record can hold: ports are 16 bits, the protocol number 8 (IANA), and start/end are
// Unix seconds a Date can represent (ECMA-262: ±8.64e15 ms). Counters (packets, bytes) are
// 64-bit in AWS's schema but never near 2^53 in one aggregation interval: beyond the exact
// integers a value is damage, not traffic (1e+23 as a port, "Invalid time value" as a start).
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
const PORT_MAX = 65_535;
const PROTOCOL_MAX = 255;
const SECONDS_MAX = 8_640_000_000_000;

const FIELD_SPECS: FieldSpec[] = [
	['version', 'version', 'number', 2],
	['account-id', 'accountId', 'string', 2],
	['interface-id', 'interfaceId', 'string', 2],
	['srcaddr', 'srcAddr', 'string', 2],
	['dstaddr', 'dstAddr', 'string', 2],
	['srcport', 'srcPort', 'number', 2, PORT_MAX],
	['dstport', 'dstPort', 'number', 2, PORT_MAX],
	['protocol', 'protocol', 'number', 2, PROTOCOL_MAX],
	['packets', 'packets', 'number', 2],
	['bytes', 'bytes', 'number', 2],
	['start', 'start', 'number', 2, SECONDS_MAX],
	['end', 'end', 'number', 2, SECONDS_MAX],
	['action', 'action', 'action', 2],
	['log-status', 'logStatus', 'log-status', 2],
	['vpc-id', 'vpcId', 'string', 3],
	['subnet-id', 'subnetId', 'string', 3],
	['instance-id', 'instanceId', 'string', 3],
	['tcp-flags', 'tcpFlags', 'number', 3],
	['type', 'type', 'string', 3],
	['pkt-srcaddr', 'pktSrcAddr', 'string', 3],
	['pkt-dstaddr', 'pktDstAddr', 'string', 3],
	['region', 'region', 'string', 4],
	['az-id', 'azId', 'string', 4],
	['sublocation-type', 'sublocationType', 'string', 4],
	['sublocation-id', 'sublocationId', 'string', 4],
	['pkt-src-aws-service', 'pktSrcAwsService', 'string', 5],
	['pkt-dst-aws-service', 'pktDstAwsService', 'string', 5],
	['flow-direction', 'flowDirection', 'string', 5],
	// An integer code (1 = same VPC … 8 = inter-Region peering); Parquet types it INT_32.
	['traffic-path', 'trafficPath', 'number', 5],
	['ecs-cluster-arn', 'ecsClusterArn', 'string', 7],
	['ecs-cluster-name', 'ecsClusterName', 'string', 7],
	['ecs-container-instance-arn', 'ecsContainerInstanceArn', 'string', 7],
	['ecs-container-instance-id', 'ecsContainerInstanceId', 'string', 7],
	['ecs-container-id', 'ecsContainerId', 'string', 7],
	['ecs-second-container-id', 'ecsSecondContainerId', 'string', 7],
	['ecs-service-name', 'ecsServiceName', 'string', 7],
	['ecs-task-definition-arn', 'ecsTaskDefinitionArn', 'string', 7],
	['ecs-task-arn', 'ecsTaskArn', 'string', 7],
	['ecs-task-id', 'ecsTaskId', 'string', 7],
	['reject-reason', 'rejectReason', 'string', 8],
];

/** Every documented field, in the order of AWS's "Available fields" table. */
export const FLOW_FIELDS: readonly FlowField[] = FIELD_SPECS.map(([name, key, kind, version, max]) => (kind === 'number' ? {name, key, kind, version, max: max ?? Number.MAX_SAFE_INTEGER} : {name, key, kind, version}));

const FIELDS_BY_NAME = new Map(FLOW_FIELDS.map((field) => [field.name, field]));

/** The default (v2) format: what a flow log without a custom LogFormat writes. */
export const DEFAULT_FLOW_FORMAT =
	'${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

const FIELD_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

function camelCase(name: string): string {
	return name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** The field for a name; an unknown but well-formed name becomes a string field. */
export function flowField(name: string): FlowField | null {
	const known = FIELDS_BY_NAME.get(name);
	if (known) return known;
	return FIELD_NAME.test(name) ? {name, key: camelCase(name), kind: 'string', version: null} : null;
}

/**
 * Parses a LogFormat as DescribeFlowLogs returns it (`${version} ${srcaddr} ...`). Bare names
 * separated by spaces (as in an S3 header line) are accepted too, since people copy either.
 * Throws EvidenceError naming the offending token.
 */
export function parseLogFormat(format: string): FlowField[] {
	const tokens = format.trim().split(/\s+/).filter(Boolean);
	if (tokens.length === 0) throw new EvidenceError('empty flow log format');
	const fields: FlowField[] = [];
	const seen = new Set<string>();
	for (const token of tokens) {
		const match = /^\$\{([^}]*)\}$/.exec(token);
		const name = match ? match[1]!.trim() : token;
		const field = flowField(name);
		if (!field) throw new EvidenceError(`invalid flow log format field "${token}" (expected \${field-name})`);
		if (seen.has(field.name)) throw new EvidenceError(`flow log format names "${field.name}" twice`);
		seen.add(field.name);
		fields.push(field);
	}
	return fields;
}

/**
 * Recognizes the header line that starts files delivered to S3 (`version account-id ...`) and
 * returns its fields, or null when the line is not a header. Every token must look like a field
 * name and most must be documented ones, so a record whose values happen to be lowercase words
 * (`eni-0abc vpc-0abc`) is never mistaken for a header.
 */
export function parseHeaderLine(line: string): FlowField[] | null {
	const tokens = line.trim().split(/\s+/).filter(Boolean);
	if (tokens.length === 0) return null;
	let known = 0;
	const seen = new Set<string>();
	for (const token of tokens) {
		if (!FIELD_NAME.test(token) || seen.has(token)) return null;
		seen.add(token);
		if (FIELDS_BY_NAME.has(token)) known++;
	}
	if (known * 2 <= tokens.length) return null;
	return tokens.map((token) => flowField(token)!);
}

/** The canonical `${a} ${b}` string for a list of fields. */
export function formatString(fields: readonly FlowField[]): string {
	return fields.map((field) => `\${${field.name}}`).join(' ');
}

/** Accepts either a format string or parsed fields. */
export function toFields(format: string | readonly FlowField[]): FlowField[] {
	return typeof format === 'string' ? parseLogFormat(format) : [...format];
}

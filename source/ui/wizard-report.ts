// The wizard's evidence report: what was checked, what each layer said, the flow records seen
// while reproducing, the verdict and the narrowest fix. JSON for tools, Markdown for a ticket.
import type {CheckRequest, FlowRecord, HostCapture, Listener} from '../core/types.js';
import {exposureText, listenerEndpoint} from '../core/listener-endpoint.js';
import type {CheckResult} from './services.js';
import {describeRequest} from './wizard-state.js';
import {layersInPathOrder, verdictText} from './verdict-text.js';

export interface ReportInput {
	generatedAt: Date;
	mode: string;
	name: string | null;
	request: CheckRequest;
	result: CheckResult;
	host: {status: 'captured'; capture: HostCapture} | {status: 'unavailable'; reason: string};
	/** Records for the ENI and port seen while reproducing (newest first). */
	records: FlowRecord[];
	stream: string;
}

export interface EvidenceReport {
	markdown: string;
	json: Record<string, unknown>;
	baseName: string;
}

const MAX_RECORDS = 200;

function socketLine(listener: Listener): string {
	const families = listener.accepts ? `, takes ${[listener.accepts.ipv4 ? 'IPv4' : null, listener.accepts.ipv6 ? 'IPv6' : null].filter(Boolean).join(' and ') || 'neither family'}${listener.accepts.assumed ? ' (assumed: the listing cannot show IPV6_V6ONLY)' : ''}` : '';
	return `${listener.protocol} ${listenerEndpoint(listener)} (${exposureText(listener)}${families})${listener.process ? ` ${listener.process}` : ''}${listener.pid ? ` pid ${listener.pid}` : ''}`;
}

function recordLine(record: FlowRecord): string {
	const time = record.end ?? record.start;
	return [typeof time === 'number' ? new Date(time * 1000).toISOString().replace('.000Z', 'Z') : '-', `${record.srcAddr ?? '-'}:${record.srcPort ?? '-'}`, '→', `${record.dstAddr ?? '-'}:${record.dstPort ?? '-'}`, `proto ${record.protocol ?? '-'}`, record.action ?? record.logStatus ?? '-'].join(' ');
}

export function reportBaseName(request: CheckRequest, result: CheckResult, at: Date): string {
	const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
	return `sgtui-triage-${result.target.eniId}-${request.protocol}${request.port}-${stamp}`;
}

/**
 * One row per section of the report, for step 7's preview before it is written: `evidence` holds
 * the ids, addresses and counts (never cut), `detail` the words that may shrink.
 */
export interface ReportPreviewRow {
	section: string;
	evidence: string;
	detail: string;
}

export function reportPreview(input: ReportInput): ReportPreviewRow[] {
	const {request, result} = input;
	const onPort = input.host.status === 'captured' ? input.host.capture.listeners.filter((listener) => listener.port === request.port && request.protocol !== 'icmp' && listener.protocol === request.protocol) : [];
	const layers = layersInPathOrder(result);
	const stopped = layers.filter(([, layer]) => layer.status === 'deny').map(([title]) => title);
	const actions = (action: string) => input.records.filter((record) => record.action === action).length;
	const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
	return [
		{section: 'Target', evidence: `${result.target.eniId} ${result.target.privateIp ?? ''}`.trim(), detail: (input.name ?? result.target.instanceId ?? '').replace(/\s*\(eni-[0-9a-f]+\)$/, '')},
		{section: 'Request', evidence: describeRequest(request), detail: `client OS ${request.clientOs}`},
		{section: 'Verdict', evidence: `${stopped.length} of ${plural(layers.length, 'layer')} stop it`, detail: verdictText(result.verdict).title},
		{
			section: 'Listeners',
			evidence: input.host.status === 'captured' ? `${plural(onPort.length, 'socket')} on ${request.protocol}/${request.port}` : 'none',
			// The capture's source names hosts and ids a shrinking cell would cut: the report holds it whole.
			detail: input.host.status === 'captured' ? `${input.host.capture.format} listing` : input.host.reason,
		},
		{section: 'Records', evidence: `${actions('REJECT')} REJECT, ${actions('ACCEPT')} ACCEPT`, detail: input.stream},
	];
}

export function buildReport(input: ReportInput): EvidenceReport {
	const {request, result} = input;
	const verdict = verdictText(result.verdict);
	const records = input.records.slice(0, MAX_RECORDS);
	const onPort = input.host.status === 'captured' ? input.host.capture.listeners.filter((listener) => listener.port === request.port && request.protocol !== 'icmp' && listener.protocol === request.protocol) : [];
	const layers = layersInPathOrder(result);

	const md: string[] = [];
	md.push(`# sgtui triage: ${input.name ?? result.target.eniId} ${describeRequest(request)}`, '');
	md.push(`- Generated: ${input.generatedAt.toISOString()} from ${input.mode}`);
	md.push(`- Target: ${result.target.instanceId ?? '(no instance)'} / ${result.target.eniId}, private ${result.target.privateIp ?? '-'}, subnet ${result.target.subnetId}, groups ${result.target.groupIds.join(', ') || 'none'}`);
	md.push(`- Source: ${result.sourceDescription}; client OS ${request.clientOs}`, '');
	md.push(`## Verdict: ${verdict.title}`, '', verdict.explanation, '');
	for (const problem of result.problems) {
		md.push(`### ${problem.summary}`, '');
		if (problem.decidingRule) md.push(`Deciding rule: ${problem.decidingRule.text}`, '');
		md.push(`Fix: ${problem.fix.summary}`, '');
		if (problem.fix.command) md.push('```sh', problem.fix.command, '```', '');
		if (problem.fix.warning) md.push(`> Warning: ${problem.fix.warning}`, '');
	}
	if (result.unknowns.length) md.push('## Missing evidence', '', ...result.unknowns.map((line) => `- ${line}`), '');
	md.push('## Layers', '');
	for (const [title, layer, name] of layers) {
		md.push(`- **${title}** (\`${name}\`): ${layer.notEvaluated ? 'not evaluated' : layer.status} — ${layer.summary}`);
		for (const rule of layer.rules) md.push(`  - ${rule.text}`);
	}
	md.push('', '## Listeners', '');
	if (input.host.status === 'captured') {
		md.push(`From ${input.host.capture.source} (${input.host.capture.format}).`, '');
		md.push(...(onPort.length ? onPort.map((listener) => `- ${socketLine(listener)}`) : [`- nothing listens on ${request.protocol}/${request.port}`]));
	} else {
		md.push(`Unavailable: ${input.host.reason}`);
	}
	md.push('', '## Flow records seen while reproducing', '', `Stream: ${input.stream}.`, '');
	md.push(...result.observed.findings.map((line) => `- ${line}`));
	if (records.length) md.push('', '```', ...records.map(recordLine), '```');
	else md.push('', 'None. No REJECT is not proof of access: records arrive after the aggregation interval plus the delivery delay.');
	if (result.notes.length) md.push('', '## Notes', '', ...result.notes.map((line) => `- ${line}`));
	md.push('');

	const json = {
		generatedAt: input.generatedAt.toISOString(),
		source: input.mode,
		target: result.target,
		request,
		verdict: result.verdict,
		problems: result.problems,
		fixes: result.problems.map((problem) => problem.fix),
		layers: result.layers,
		listeners: input.host.status === 'captured'
			? {status: 'captured', source: input.host.capture.source, format: input.host.capture.format, onPort, all: input.host.capture.listeners}
			: {status: 'unavailable', reason: input.host.reason},
		observed: result.observed,
		matchedRecords: records,
		matchedRecordsTruncated: input.records.length > records.length,
		unknowns: result.unknowns,
		notes: result.notes,
	};
	return {markdown: md.join('\n'), json, baseName: reportBaseName(request, result, input.generatedAt)};
}

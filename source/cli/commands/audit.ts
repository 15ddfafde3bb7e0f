// `sgtui audit --snapshot DIR`: risky and useless rules in a saved snapshot, most severe first,
// each with the command that removes it. Read-only: the commands are printed, never run.
import {fixEndpointFromEnv, withEndpointUrl} from '../../core/fix-endpoint.js';
import {audit, type AuditFinding} from '../../core/audit.js';
import {loadSnapshot} from '../../files/load-snapshot.js';
import {EXIT, UsageError} from '../errors.js';
import {ignoreClosedPipe} from '../quiet-epipe.js';
import {bold, formatTable, useColor} from '../text-table.js';
import {display, displayCopy} from '../../core/display-text.js';

export interface AuditOptions {
	snapshot?: unknown;
	json?: unknown;
}

export interface AuditIo {
	stdout: {write(text: string): unknown; isTTY?: boolean};
	stderr: {write(text: string): unknown; isTTY?: boolean};
}

const DEFAULT_IO: AuditIo = {stdout: process.stdout, stderr: process.stderr};

function counts(findings: AuditFinding[]): string {
	const by = (severity: string) => findings.filter((finding) => finding.severity === severity).length;
	return `${findings.length} finding${findings.length === 1 ? '' : 's'} (${by('high')} high, ${by('medium')} medium, ${by('low')} low)`;
}

export function formatAuditReport(dir: string, findings: AuditFinding[], hostsCaptured: number, color = false): string {
	const lines = [`Audit of ${dir}: ${counts(findings)}; listener captures for ${hostsCaptured} instance${hostsCaptured === 1 ? '' : 's'}`];
	if (findings.length === 0) return `${lines[0]}\nNothing to report.\n`;
	lines.push('');
	lines.push(formatTable(['SEVERITY', 'KIND', 'GROUP', 'RULE'], findings.map((finding) => [finding.severity.toUpperCase(), finding.kind, finding.groupId ?? '-', finding.rule ? ruleText(finding) : '-']), {color}));
	findings.forEach((finding, index) => {
		lines.push('', bold(`${index + 1}. [${finding.severity}] ${finding.message}`, color));
		if (finding.fix) {
			lines.push(`   Fix: ${finding.fix.summary}`);
			if (finding.fix.command) lines.push(`     ${finding.fix.command}`);
		}
		if (finding.alternative) {
			lines.push(`   Otherwise: ${finding.alternative.summary}`);
			if (finding.alternative.command) lines.push(`     ${finding.alternative.command}`);
		}
	});
	return lines.join('\n') + '\n';
}

function ruleText(finding: AuditFinding): string {
	const rule = finding.rule!;
	const peer = rule.peer.kind === 'cidr4' || rule.peer.kind === 'cidr6' ? rule.peer.cidr : rule.peer.kind === 'group' ? rule.peer.groupId : rule.peer.prefixListId;
	const ports = rule.protocol === '-1' ? 'all' : rule.fromPort === rule.toPort ? `${rule.protocol} ${rule.fromPort}` : `${rule.protocol} ${rule.fromPort}-${rule.toPort}`;
	return `${ports} from ${peer}`;
}

export async function run(options: AuditOptions, _args: string[] = [], io: AuditIo = DEFAULT_IO): Promise<number> {
	if (io.stdout === process.stdout) ignoreClosedPipe(process.stdout);
	if (typeof options.snapshot !== 'string' || options.snapshot === '') throw new UsageError('--snapshot DIR is required');
	const snapshot = await loadSnapshot(options.snapshot);
	for (const warning of snapshot.warnings) io.stderr.write(`sgtui: warning: ${display(warning)}\n`);
	const findings = withEndpointUrl(audit(snapshot.inventory, snapshot.hosts), fixEndpointFromEnv(process.env));
	if (options.json) {
		io.stdout.write(JSON.stringify({findings, warnings: snapshot.warnings}, null, 2) + '\n');
	} else {
		io.stdout.write(formatAuditReport(display(options.snapshot), displayCopy(findings), Object.keys(snapshot.hosts).length, useColor(io.stdout)));
	}
	return EXIT.ok;
}

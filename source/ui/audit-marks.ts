// Which network interfaces an audit finding concerns: its own ENI list when it has one, else
// every ENI carrying the finding's group. The worst severity colours the inventory marker.
import type {Inventory} from '../core/types.js';
import type {AuditFinding} from './services.js';
import type {AuditMark} from './inventory-rows.js';
import type {Tone} from './theme.js';

export function severityTone(severity: AuditFinding['severity']): Tone {
	return severity === 'high' ? 'bad' : severity === 'medium' ? 'warn' : 'info';
}

const RANK: Record<AuditFinding['severity'], number> = {high: 3, medium: 2, low: 1};

export function findingEnis(inventory: Inventory, finding: AuditFinding): string[] {
	if (finding.eniIds && finding.eniIds.length > 0) return finding.eniIds;
	if (!finding.groupId) return [];
	return inventory.networkInterfaces.filter((eni) => eni.groupIds.includes(finding.groupId!)).map((eni) => eni.id);
}

export function findingsForEni(inventory: Inventory, findings: readonly AuditFinding[], eniId: string): AuditFinding[] {
	return findings.filter((finding) => finding.kind !== 'evidence-missing' && findingEnis(inventory, finding).includes(eniId));
}

export function auditMarks(inventory: Inventory, findings: readonly AuditFinding[]): Map<string, AuditMark> {
	const worst = new Map<string, {count: number; rank: number; severity: AuditFinding['severity']}>();
	for (const finding of findings) {
		if (finding.kind === 'evidence-missing') continue;
		for (const eniId of findingEnis(inventory, finding)) {
			const current = worst.get(eniId) ?? {count: 0, rank: 0, severity: 'low' as const};
			current.count++;
			if (RANK[finding.severity] > current.rank) {
				current.rank = RANK[finding.severity];
				current.severity = finding.severity;
			}
			worst.set(eniId, current);
		}
	}
	return new Map([...worst].map(([eniId, value]) => [eniId, {count: value.count, tone: severityTone(value.severity)}]));
}

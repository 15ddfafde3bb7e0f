// Findings about rules that are risky (world-open admin or database ports, all-traffic rules) or
// useless (nothing listens on the port, or only on loopback; groups attached to nothing). A
// finding that depends on host evidence is only made when every instance using the group was
// captured; otherwise the audit says which capture is missing instead of guessing.
import {isWholeInternet, parseCidrRange} from './cidr.js';
import {revokeIngressCommand} from './fix-commands.js';
import {hasPorts, protocolNumber} from './protocols.js';
import {describeRulePorts, describeSgRule} from './sg-evaluator.js';
import type {HostCapture, Inventory, Listener, NetworkInterface, SecurityGroup, SecurityGroupRule} from './types.js';
import type {Fix} from './check-types.js';
import {shellCommand} from './shell-quote.js';
import {publicSubnetFindings} from './audit-routes.js';
import {hostPortAnswer} from './path/host.js';

export type AuditSeverity = 'high' | 'medium' | 'low';
export type AuditKind = 'world-open-admin-port' | 'all-traffic' | 'open-but-unused' | 'loopback-only' | 'unattached-group' | 'public-subnet-no-public-address' | 'evidence-missing';

export interface AuditFinding {
	severity: AuditSeverity;
	kind: AuditKind;
	groupId?: string;
	rule?: SecurityGroupRule;
	eniIds?: string[];
	message: string;
	fix?: Fix;
	/** A second way out that is right only under a condition its summary states (never the fix itself). */
	alternative?: Fix;
}

/** Ports that must never be open to the world: remote admin, databases, caches, search, control planes. */
export const ADMIN_PORTS: Record<number, string> = {
	20: 'FTP data',
	21: 'FTP',
	22: 'SSH',
	23: 'Telnet',
	135: 'MS RPC',
	137: 'NetBIOS',
	138: 'NetBIOS',
	139: 'NetBIOS',
	445: 'SMB',
	1433: 'SQL Server',
	1521: 'Oracle',
	2049: 'NFS',
	2375: 'Docker API',
	2376: 'Docker API (TLS)',
	2379: 'etcd',
	2380: 'etcd peer',
	3306: 'MySQL',
	3389: 'RDP',
	4333: 'mSQL',
	5432: 'PostgreSQL',
	5601: 'Kibana',
	5900: 'VNC',
	5984: 'CouchDB',
	5985: 'WinRM',
	5986: 'WinRM (TLS)',
	6379: 'Redis',
	6443: 'Kubernetes API',
	7001: 'Cassandra',
	8086: 'InfluxDB',
	9042: 'Cassandra',
	9092: 'Kafka',
	9200: 'Elasticsearch',
	9300: 'Elasticsearch transport',
	10250: 'kubelet',
	11211: 'Memcached',
	27017: 'MongoDB',
	27018: 'MongoDB',
};

const SEVERITY_ORDER: Record<AuditSeverity, number> = {high: 0, medium: 1, low: 2};

function worldOpen(rule: SecurityGroupRule): boolean {
	return (rule.peer.kind === 'cidr4' || rule.peer.kind === 'cidr6') && isWholeInternet(rule.peer.cidr);
}

/** Wide: a /16 or wider IPv4 range, a /48 or wider IPv6 range. */
function wideRange(rule: SecurityGroupRule): boolean {
	if (rule.peer.kind !== 'cidr4' && rule.peer.kind !== 'cidr6') return false;
	const range = parseCidrRange(rule.peer.cidr);
	return range.prefix <= (range.family === 'ipv4' ? 16 : 48);
}

/** The rule's port range for TCP/UDP; null when it covers every port of every protocol. */
function portRange(rule: SecurityGroupRule): {protocol: number; from: number; to: number} | null {
	const protocol = protocolNumber(rule.protocol);
	if (protocol === null || !hasPorts(protocol)) return null;
	// Literal, as the evaluator reads it: -1 means "all" for ICMP types only (sg-evaluator.ts).
	if (rule.fromPort === null) return {protocol, from: 0, to: 65535};
	return {protocol, from: rule.fromPort, to: rule.toPort ?? rule.fromPort};
}

function allTraffic(rule: SecurityGroupRule): boolean {
	const protocol = protocolNumber(rule.protocol);
	if (protocol === -1) return true;
	const range = portRange(rule);
	return range !== null && range.from <= 1 && range.to === 65535;
}

function groupLabel(group: SecurityGroup): string {
	return group.name ? `${group.id} (${group.name})` : group.id;
}

function revokeFix(group: SecurityGroup, rule: SecurityGroupRule, summary: string): Fix {
	return {summary, command: revokeIngressCommand(group.id, rule)};
}

interface HostView {
	eni: NetworkInterface;
	instanceId: string | null;
	capture: HostCapture | undefined;
}

function listenersIn(capture: HostCapture, protocol: number, from: number, to: number): Listener[] {
	const name = protocol === 6 ? 'tcp' : 'udp';
	return capture.listeners.filter((listener) => listener.protocol === name && listener.port >= from && listener.port <= to);
}

/** Why an ENI without an instance has no listener evidence: detached, or another service's interface. */
function unattachedReason(eni: NetworkInterface): string {
	if (eni.status === 'available' && (!eni.interfaceType || eni.interfaceType === 'interface')) return `${eni.id} is attached to no instance`;
	return `${eni.id} is not an instance (${eni.interfaceType || eni.description || 'interface'})`;
}

export function audit(inventory: Inventory, hosts: Record<string, HostCapture>): AuditFinding[] {
	const findings: AuditFinding[] = [];
	const enisByGroup = new Map<string, NetworkInterface[]>();
	for (const eni of inventory.networkInterfaces) {
		for (const groupId of eni.groupIds) enisByGroup.set(groupId, [...(enisByGroup.get(groupId) ?? []), eni]);
	}

	for (const group of inventory.securityGroups) {
		const enis = enisByGroup.get(group.id) ?? [];
		const label = groupLabel(group);
		const eniIds = enis.map((eni) => eni.id);

		if (inventory.known.networkInterfaces && enis.length === 0 && group.name !== 'default') {
			findings.push({
				severity: 'low',
				kind: 'unattached-group',
				groupId: group.id,
				message: `${label} is attached to no network interface.`,
				fix: {summary: 'Delete it if nothing will use it (AWS refuses while another group\'s rule references it).', command: shellCommand(['aws', 'ec2', 'delete-security-group', '--group-id', group.id])},
			});
		}

		const views: HostView[] = enis.map((eni) => ({eni, instanceId: eni.instanceId, capture: eni.instanceId ? hosts[eni.instanceId] : undefined}));
		const missing = views.filter((view) => !view.capture);
		let missingReported = false;

		for (const rule of group.ingress) {
			const text = describeSgRule(rule, group);
			if (allTraffic(rule) && (worldOpen(rule) || wideRange(rule))) {
				const world = worldOpen(rule);
				findings.push({
					severity: world ? 'high' : 'medium',
					kind: 'all-traffic',
					groupId: group.id,
					rule,
					eniIds,
					message: `${text}: every port is open to ${world ? 'the whole internet' : `a wide range (${rule.peer.kind === 'cidr4' || rule.peer.kind === 'cidr6' ? rule.peer.cidr : ''})`}.`,
					fix: revokeFix(group, rule, 'Revoke it and allow only the ports and clients that need access (`sgtui check TARGET --port N --from IP` prints the narrow rule).'),
				});
				continue;
			}
			const range = portRange(rule);
			if (worldOpen(rule) && range) {
				const exposed = Object.keys(ADMIN_PORTS).map(Number).filter((port) => port >= range.from && port <= range.to);
				if (exposed.length > 0) {
					const names = exposed.slice(0, 5).map((port) => `${port} ${ADMIN_PORTS[port]}`).join(', ');
					findings.push({
						severity: 'high',
						kind: 'world-open-admin-port',
						groupId: group.id,
						rule,
						eniIds,
						message: `${text}: ${names}${exposed.length > 5 ? ', …' : ''} open to the whole internet.`,
						fix: revokeFix(group, rule, 'Revoke it and allow only the admins\' addresses (as /32) or a bastion\'s security group; `sgtui check TARGET --port N --from IP` prints the narrow rule.'),
					});
				}
			}
			if (!range || enis.length === 0) continue;
			// Host evidence: only conclusive when every ENI using the group is an instance we captured.
			if (missing.length > 0) {
				if (!missingReported) {
					missingReported = true;
					// One reason per instance: an instance with several ENIs in the group lacks one capture, not several.
					const why = [...new Set(missing.map((view) => (view.instanceId ? `no listener capture for ${view.instanceId}` : unattachedReason(view.eni))))];
					findings.push({
						severity: 'low',
						kind: 'evidence-missing',
						groupId: group.id,
						eniIds: missing.map((view) => view.eni.id),
						message: `Cannot tell whether the ports ${label} opens are in use: ${why.slice(0, 4).join('; ')}${why.length > 4 ? `; and ${why.length - 4} more` : ''}.`,
					});
				}
				continue;
			}
			const found = views.flatMap((view) => listenersIn(view.capture!, range.protocol, range.from, range.to));
			const reachable = found.filter((listener) => listener.exposure !== 'loopback');
			const where = [...new Set(views.map((view) => view.instanceId!))].join(', ');
			const ports = describeRulePorts(rule);
			if (found.length === 0) {
				findings.push({
					severity: 'medium',
					kind: 'open-but-unused',
					groupId: group.id,
					rule,
					eniIds,
					message: `${text}: nothing listens on ${ports} on ${where}. Open but unused: close it.`,
					fix: revokeFix(group, rule, `Revoke the rule; nothing on ${where} answers on ${ports}.`),
				});
			} else if (reachable.length === 0) {
				// The host layer's own answer, as the wizard and the Listeners tab give it: the service
				// accepts local connections only, and the fix is its bind address — no group change
				// reaches it. Revoking the rule is only the answer if the service is meant to stay
				// local, so that command is offered as the alternative, never as the fix.
				const sample = found[0]!;
				const view = views.find((candidate) => candidate.capture!.listeners.includes(sample))!;
				const platform = inventory.instances.find((instance) => instance.id === view.instanceId)?.platform ?? null;
				const answer = hostPortAnswer({eni: view.eni, platform, host: view.capture!, protocol: sample.protocol, port: sample.port, family: sample.family});
				findings.push({
					severity: 'medium',
					kind: 'loopback-only',
					groupId: group.id,
					rule,
					eniIds,
					message: `${text}: ${ports} listens only on loopback on ${where} — ${answer.result.summary}`,
					fix: answer.fix ?? {summary: 'Bind the service to 0.0.0.0 or the private IP.'},
					alternative: revokeFix(group, rule, 'Only if the service is meant to stay local: the rule reaches nothing, so revoke it to remove the exposure.'),
				});
			}
		}
	}
	if (!inventory.known.securityGroups) {
		findings.push({severity: 'low', kind: 'evidence-missing', message: 'Security groups were not captured: nothing to audit.'});
	} else if (!inventory.known.networkInterfaces) {
		findings.push({severity: 'low', kind: 'evidence-missing', message: 'Network interfaces were not captured: cannot tell which groups are used or what listens behind them.'});
	}
	findings.push(...publicSubnetFindings(inventory));
	return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.groupId ?? '').localeCompare(b.groupId ?? ''));
}

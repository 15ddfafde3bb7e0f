// The pure view models behind the tables, on the demo snapshot.
import {beforeAll, describe, expect, it} from 'vitest';
import {loadSnapshot} from '../../source/files/load-snapshot.js';
import {audit} from '../../source/core/audit.js';
import type {Snapshot} from '../../source/core/types.js';
import {listenerMatrix, unusedRules} from '../../source/ui/listener-matrix.js';
import {ruleRows} from '../../source/ui/rule-rows.js';
import {auditMarks} from '../../source/ui/audit-marks.js';
import {filterRows, inventoryRows} from '../../source/ui/inventory-rows.js';
import {fitColumns} from '../../source/ui/columns.js';

let snapshot: Snapshot;
const eni = (id: string) => snapshot.inventory.networkInterfaces.find((candidate) => candidate.id === id)!;

beforeAll(async () => {
	snapshot = await loadSnapshot('demo/snapshot');
});

describe('listener × rule matrix', () => {
	it('flags the loopback-only socket a rule opens, and the rule nothing answers (app-1)', () => {
		const app = eni('eni-01a2b3c4d5e6f7081');
		const rows = listenerMatrix(snapshot.inventory, app, snapshot.hosts['i-0b2c3d4e5f6071829']!);
		const api = rows.find((row) => row.endpoint === '127.0.0.1:8080')!;
		expect(api).toMatchObject({exposure: 'loopback', sg: 'web-sg', tone: 'bad', verdict: 'loopback only: accepts local connections only'});
		// The fix is the bind address (the host layer's answer), not closing the rule: the rule is not "unused".
		expect(api.problem?.fix).toMatch(/^Bind the service to 0\.0\.0\.0 .*No security-group change is needed/);
		expect(rows.find((row) => row.endpoint === '127.0.0.1:9229')).toMatchObject({tone: 'muted', verdict: 'loopback only (local use)', problem: null});
		expect(rows.find((row) => row.endpoint === '0.0.0.0:22')).toMatchObject({sg: 'bastion-sg', tone: 'good'});
		expect(unusedRules(snapshot.inventory, app, snapshot.hosts['i-0b2c3d4e5f6071829']!.listeners)).toEqual([]);
	});

	it('reads reachability from the families a socket takes, as the host layer does', () => {
		const app = eni('eni-01a2b3c4d5e6f7081');
		const v6only = {protocol: 'tcp' as const, family: 'ipv6' as const, address: '::', port: 22, exposure: 'all-interfaces' as const, pid: 1, process: 'sshd', accepts: {ipv4: false, ipv6: true}};
		const capture = {format: 'ss' as const, listeners: [v6only], skipped: [], source: 'test'};
		expect(listenerMatrix(snapshot.inventory, app, capture)[0]!.verdict).toBe('open to those sources · IPv6 clients only');
		const both = {...capture, listeners: [v6only, {...v6only, family: 'ipv4' as const, address: '0.0.0.0', accepts: {ipv4: true, ipv6: false}}]};
		expect(listenerMatrix(snapshot.inventory, app, both).map((row) => row.verdict)).toEqual(['open to those sources', 'open to those sources']);
		// Bound to an address that is not the interface's: not reachable at it, whatever the rules say.
		const docker = {...capture, listeners: [{...v6only, family: 'ipv4' as const, address: '172.17.0.1', exposure: 'specific' as const, accepts: {ipv4: true, ipv6: false}}]};
		expect(listenerMatrix(snapshot.inventory, app, docker)[0]).toMatchObject({verdict: "not on this interface's address", tone: 'bad'});
	});

	it('a socket bound to one device (ss: 0.0.0.0%eth0) shows the device in its address and its verdict', () => {
		const app = eni('eni-01a2b3c4d5e6f7081');
		const everywhere = {protocol: 'tcp' as const, family: 'ipv4' as const, address: '0.0.0.0', port: 22, exposure: 'all-interfaces' as const, pid: 1, process: 'sshd'};
		const bound = {...everywhere, interface: 'eth0'};
		const [row] = listenerMatrix(snapshot.inventory, app, {format: 'ss' as const, listeners: [bound], skipped: [], source: 'test'});
		expect(row).toMatchObject({endpoint: '0.0.0.0%eth0:22', verdict: 'open to those sources · eth0 only'});
		// Beside a socket on every device (SO_REUSEPORT, or another service) it keeps its own row.
		const both = listenerMatrix(snapshot.inventory, app, {format: 'ss' as const, listeners: [everywhere, bound], skipped: [], source: 'test'});
		expect(both.map((candidate) => candidate.endpoint)).toEqual(['0.0.0.0:22', '0.0.0.0%eth0:22']);
	});

	it('says which sockets the whole internet can reach (win-jump RDP)', () => {
		const rows = listenerMatrix(snapshot.inventory, eni('eni-04d5e6f708192a3b4'), snapshot.hosts['i-0e5f60718293a4b52']!);
		expect(rows.find((row) => row.endpoint === '0.0.0.0:3389' && row.protocol === 'tcp')).toMatchObject({sg: '0.0.0.0/0', verdict: 'open to the whole internet', tone: 'warn'});
	});

	it('lists unused rules for db-1 (3306 with nothing listening)', () => {
		const db = eni('eni-02b3c4d5e6f708192');
		expect(unusedRules(snapshot.inventory, db, snapshot.hosts['i-0c3d4e5f607182930']!.listeners).map((rule) => rule.text)).toContain('sg-0c11b22c33d44e503 tcp 3306');
	});
});

describe('rules, audit marks and inventory rows', () => {
	it('puts groups first, then the NACL in evaluation order with the catch-all last', () => {
		const rows = ruleRows(snapshot.inventory, eni('eni-03c4d5e6f708192a3'), []);
		const nacl = rows.filter((row) => row.kind === 'rule' && row.layer === 'nacl' && row.direction === 'out');
		expect(nacl.map((row) => row.kind === 'rule' && row.label)).toEqual(['100', '110', '120', '130', '*', '*']);
		expect(rows[0]).toMatchObject({kind: 'heading', text: 'Security group sg-0d11b22c33d44e504 bastion-sg'});
	});

	it('marks the rules and interfaces the audit is about', () => {
		const findings = audit(snapshot.inventory, snapshot.hosts);
		const rdp = ruleRows(snapshot.inventory, eni('eni-04d5e6f708192a3b4'), findings).find((row) => row.kind === 'rule' && row.what === 'tcp 3389' && row.layer === 'sg');
		expect(rdp).toMatchObject({tone: 'bad'});
		const marks = auditMarks(snapshot.inventory, findings);
		expect(marks.get('eni-04d5e6f708192a3b4')).toMatchObject({tone: 'bad'});
		expect(marks.get('eni-01a2b3c4d5e6f7081')?.count).toBeGreaterThan(0);
		expect(marks.has('eni-03c4d5e6f708192a3')).toBe(false);
	});

	it('names AWS-managed interfaces by their type, not their long description', () => {
		const nat = inventoryRows(snapshot.inventory).find((row) => row.eniId === 'eni-05e6f708192a3b4c5');
		expect(nat?.name).toBe('NAT gateway');
	});

	it('an instance state that is none of EC2\'s reads as unknown, with what the evidence said', () => {
		const inventory = structuredClone(snapshot.inventory);
		inventory.instances[0] = {...inventory.instances[0]!, state: 'unknown', unrecognizedState: 'hibernated'};
		const row = inventoryRows(inventory).find((candidate) => candidate.instanceId === inventory.instances[0]!.id);
		expect(row?.state).toBe('unknown: "hibernated"');
	});

	it('filters inventory rows by every word typed', () => {
		const rows = inventoryRows(snapshot.inventory);
		expect(filterRows(rows, 'web').map((row) => row.name)).toEqual(['web-1']);
		expect(filterRows(rows, 'sg-0d11b22c33d44e504').map((row) => row.name)).toEqual(['bastion']);
		expect(filterRows(rows, '10.20.1 win').map((row) => row.name)).toEqual(['win-jump']);
	});

	it('drops the lowest-priority columns first when the terminal is narrow', () => {
		const columns = [
			{id: 'a', title: 'A', width: 10, priority: 9, text: () => ''},
			{id: 'b', title: 'B', width: 10, priority: 1, text: () => ''},
			{id: 'c', title: 'C', width: 10, grow: true, priority: 5, text: () => ''},
		];
		expect(fitColumns(columns, 40).map((column) => [column.id, column.fitted])).toEqual([['a', 10], ['b', 10], ['c', 18]]);
		expect(fitColumns(columns, 25).map((column) => [column.id, column.fitted])).toEqual([['a', 10], ['c', 14]]);
	});
});

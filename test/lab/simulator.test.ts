import {afterEach, describe, expect, it} from 'vitest';
import {AuthorizeSecurityGroupIngressCommand, RevokeSecurityGroupIngressCommand} from '@aws-sdk/client-ec2';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {decide} from '../../source/lab/simulator.js';
import {labInventory} from '../../source/lab/snapshot-state.js';
import {ManualClock} from '../support/manual-clock.js';
import {FIXTURE, IDS, ec2Client} from './lab-helpers.js';

let lab: Lab | null = null;
afterEach(async () => {
	await lab?.close();
	lab = null;
});

/** Messages in arrival order (the stream itself is in timestamp order, and record starts vary). */
function streamMessages(lab: Lab, group: string, stream: string): string[] {
	const events = [...lab.state.logs.groups.get(group)!.streams.get(stream)!.events];
	return events.sort((a, b) => a.seq - b.seq).map((event) => event.message);
}

describe('traffic simulator', () => {
	it('derives one retrying client per inbound (source, destination, port, protocol) seen in the snapshot', async () => {
		lab = await startLab({snapshotDir: FIXTURE, simulate: {ratePerSecond: 0}});
		const clients = lab.simulator!.clients.map((client) => `${client.eniId} ${client.srcAddr} ${client.dstPort}/${client.protocol}`).sort();
		expect(clients).toEqual(
			[
				`${IDS.eniDb} 10.0.1.10 5432/6`,
				`${IDS.eniWeb} 198.51.100.23 443/6`,
				`${IDS.eniWeb} 198.51.100.23 8443/6`,
				`${IDS.eniWeb} 203.0.113.7 22/6`,
				`${IDS.eniWindows} 192.0.2.0 3389/6`,
				`${IDS.eniWindows} 192.0.2.1 3389/6`,
				`${IDS.eniWindows} 192.0.2.2 3389/6`,
			].sort(),
		);
	});

	it('decides with the current rules: security groups, the ACL inbound and the ACL on the return path', async () => {
		lab = await startLab({snapshotDir: FIXTURE, simulate: false});
		const inventory = labInventory(lab.state);
		const client = (port: number) => ({eniId: IDS.eniWeb, srcAddr: '203.0.113.7', dstAddr: '10.0.1.10', dstPort: port, protocol: 6, template: {}});
		expect(decide(inventory, client(22), 40000)).toEqual({action: 'REJECT', returnDropped: false});
		expect(decide(inventory, client(443), 40000)).toEqual({action: 'ACCEPT', returnDropped: false});
		// The db subnet's ACL lets replies out only to ports 1024–49151.
		const db = {eniId: IDS.eniDb, srcAddr: '10.0.1.10', dstAddr: '10.0.2.20', dstPort: 5432, protocol: 6, template: {}};
		expect(decide(inventory, db, 40000)).toEqual({action: 'ACCEPT', returnDropped: false});
		expect(decide(inventory, db, 55000)).toEqual({action: 'ACCEPT', returnDropped: true});
		// The ACL admits 5432 only from 10.0.0.0/16.
		expect(decide(inventory, {...db, srcAddr: '192.0.2.1'}, 40000).action).toBe('REJECT');
	});

	it('writes REJECTs for a blocked client until the rule is authorized, then ACCEPTs; revoking brings the REJECTs back', async () => {
		lab = await startLab({snapshotDir: FIXTURE, simulate: {ratePerSecond: 0}});
		const sim = lab.simulator!;
		const attempts = () => streamMessages(lab!, IDS.flowGroup, IDS.eniWeb).filter((message) => message.includes(' 203.0.113.7 ') && message.includes(' 22 6 '));
		const before = attempts().length;
		sim.step(sim.clients.length * 2);
		const fresh = attempts().slice(before);
		expect(fresh).toHaveLength(2);
		expect(fresh.every((message) => message.split(' ')[12] === 'REJECT')).toBe(true);
		// The record carries the current time and a fresh ephemeral port.
		const now = Math.floor(Date.now() / 1000);
		expect(Math.abs(Number(fresh[0]!.split(' ')[11]) - now)).toBeLessThanOrEqual(2);
		expect(Number(fresh[0]!.split(' ')[5])).toBeGreaterThanOrEqual(32768);

		const permission = {IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: '203.0.113.7/32'}]};
		await ec2Client(lab).send(new AuthorizeSecurityGroupIngressCommand({GroupId: IDS.sgWeb, IpPermissions: [permission]}));
		sim.step(sim.clients.length);
		expect(attempts().at(-1)!.split(' ')[12]).toBe('ACCEPT');
		await ec2Client(lab).send(new RevokeSecurityGroupIngressCommand({GroupId: IDS.sgWeb, IpPermissions: [permission]}));
		sim.step(sim.clients.length);
		expect(attempts().at(-1)!.split(' ')[12]).toBe('REJECT');
	});

	it('logs a reply dropped by the stateless ACL as an outbound REJECT in the custom format', async () => {
		lab = await startLab({snapshotDir: FIXTURE, simulate: {ratePerSecond: 0}});
		const before = streamMessages(lab, IDS.dbFlowGroup, IDS.eniDb).length;
		// Ephemeral ports are random: enough attempts make some land above 49151.
		lab.simulator!.step(lab.simulator!.clients.length * 40);
		const fresh = streamMessages(lab, IDS.dbFlowGroup, IDS.eniDb).slice(before).map((message) => message.split(' '));
		const inbound = fresh.filter((fields) => fields[17] === 'ingress');
		const outbound = fresh.filter((fields) => fields[17] === 'egress');
		expect(inbound.length).toBe(40);
		expect(inbound.every((fields) => fields[15] === 'ACCEPT' && fields[0] === '5' && fields[1] === IDS.vpc)).toBe(true);
		expect(outbound.length).toBeGreaterThan(0);
		for (const fields of outbound) {
			expect(fields.slice(6, 8)).toEqual(['10.0.2.20', '10.0.1.10']);
			expect(Number(fields[9])).toBeGreaterThan(49151);
			expect(fields[15]).toBe('REJECT');
		}
	});

	it('runs on its own at the configured rate (a manual clock drives its timer)', async () => {
		const clock = new ManualClock();
		lab = await startLab({snapshotDir: FIXTURE, simulate: {ratePerSecond: 25}, clock});
		const sim = lab.simulator!;
		const count = () => [...lab!.state.logs.groups.values()].reduce((sum, group) => sum + [...group.streams.values()].reduce((n, stream) => n + stream.events.length, 0), 0);
		const records = count();
		expect(sim.attempts).toBe(0);
		// 25/s ticks every 100 ms (at most 10 ticks a second) with 2.5 attempts owed per tick.
		clock.advance(99);
		expect(sim.attempts).toBe(0);
		clock.advance(1);
		expect(sim.attempts).toBe(2);
		clock.advance(900);
		expect(sim.attempts).toBe(25);
		clock.advance(2000);
		expect(sim.attempts).toBe(75);
		// Every attempt is logged (the fixture's flow logs capture ALL traffic), stamped with the clock's time.
		expect(count() - records).toBeGreaterThanOrEqual(75);
		const newest = streamMessages(lab, IDS.flowGroup, IDS.eniWeb).at(-1)!.split(' ');
		expect(Number(newest[11])).toBe(Math.floor(clock.now() / 1000));
		await lab.close();
		lab = null;
		expect(clock.pending).toBe(0);
	});
});

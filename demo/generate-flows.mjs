#!/usr/bin/env node
// Writes demo/snapshot/flowlogs/<eni-id>.log: 30 minutes of VPC Flow Log records for the demo shop,
// in the LogFormat of the VPC's CloudWatch Logs flow log, consistent with the snapshot's security
// groups and network ACLs (see demo/README.md for the story). Deterministic (seeded), so re-running
// it reproduces the committed files byte for byte:
//
//   node demo/generate-flows.mjs [snapshot-dir]
//
// The addresses, ids and the format are read from the snapshot's aws/*.json; the traffic scenario
// is written out below. Timestamps start at a fixed base (2025-06-02 09:00:00 UTC); the lab rebases
// them to "now".
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const snapshot = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'snapshot');
const readAws = (name) => JSON.parse(readFileSync(join(snapshot, 'aws', name), 'utf8'));

export const BASE = 1_748_854_800; // 2025-06-02T09:00:00Z, a Monday morning at the office
const WINDOWS = 30; // one-minute aggregation windows

// ---------------------------------------------------------------------------------------------
// Seeded randomness (mulberry32): the committed files must be reproducible.
let seed = 0x5e7a11;
function random() {
	seed = (seed + 0x6d2b79f5) | 0;
	let t = seed;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
const int = (low, high) => low + Math.floor(random() * (high - low + 1));
const pick = (items) => items[int(0, items.length - 1)];
const chance = (p) => random() < p;
const linuxPort = () => int(32768, 60999); // net.ipv4.ip_local_port_range default
const windowsPort = () => int(49152, 65535); // Windows and macOS dynamic ports

// ---------------------------------------------------------------------------------------------
// The shop, from the snapshot.
const flowLog = readAws('describe-flow-logs.json').FlowLogs.find((log) => log.LogDestinationType === 'cloud-watch-logs');
const fields = [...flowLog.LogFormat.matchAll(/\$\{([a-z0-9-]+)\}/g)].map((match) => match[1]);
const account = readAws('describe-instances.json').Reservations[0].OwnerId;
const instanceNames = new Map();
for (const reservation of readAws('describe-instances.json').Reservations) {
	for (const instance of reservation.Instances) {
		instanceNames.set(instance.Tags.find((tag) => tag.Key === 'Name').Value, instance.InstanceId);
	}
}
const enis = new Map(); // name → {id, ip, ipv6, subnetId, vpcId, instanceId}
for (const eni of readAws('describe-network-interfaces.json').NetworkInterfaces) {
	const instanceId = eni.Attachment?.InstanceId;
	if (!instanceId) continue; // the NAT gateway's ENI carries no part of the story
	const name = [...instanceNames].find(([, id]) => id === instanceId)[0];
	enis.set(name, {
		id: eni.NetworkInterfaceId,
		ip: eni.PrivateIpAddress,
		ipv6: eni.Ipv6Addresses[0]?.Ipv6Address ?? null,
		subnetId: eni.SubnetId,
		vpcId: eni.VpcId,
		instanceId,
	});
}
const web = enis.get('web-1');
const app = enis.get('app-1');
const db = enis.get('db-1');
const bastion = enis.get('bastion');
const winJump = enis.get('win-jump');

// People and machines outside the VPC (documentation ranges; the office is 198.51.100.0/24).
const office = {linuxDev: '198.51.100.23', macUser: '198.51.100.41', windowsAdmin: '198.51.100.64', opsLaptop: '198.51.100.57'};
const customers = Array.from({length: 40}, () => `203.0.113.${int(2, 254)}`);
const ipv6Customers = Array.from({length: 8}, () => `2001:db8:${int(0x10, 0xff).toString(16)}:${int(1, 0xffff).toString(16)}::${int(1, 0xfff).toString(16)}`);
const scanners = Array.from({length: 25}, () => `192.0.2.${int(2, 254)}`);
const s3 = () => `52.218.${int(0, 127)}.${int(1, 254)}`; // com.amazonaws.eu-west-1.s3 (pl-6da54004)
const paymentApi = '203.0.113.80';
const updateServer = () => pick(['203.0.113.200', '203.0.113.201', '203.0.113.202']);

// ---------------------------------------------------------------------------------------------
// Records. TCP flags as flow logs report them: FIN 1, SYN 2, RST 4, SYN-ACK 18 (OR-ed per window).
const TCP = 6;
const FLAGS = {syn: 2, rst: 4, synAck: 18, finished: 3, finishedReply: 19};
// traffic-path (egress only): 1 another resource in the VPC (a NAT or transit gateway's interface), 7 gateway endpoint, 8 internet gateway.
const PATH = {vpc: 1, gatewayEndpoint: 7, internet: 8};

const records = new Map([...enis.values()].map((eni) => [eni.id, []]));

/**
 * One record on one ENI. `direction` is from the ENI's point of view; src/dst as on the wire.
 */
function record(eni, window, {src, dst, srcPort, dstPort, packets, bytes, action, flags, direction, path}, after = null) {
	// A reply starts when (or just after) the request it answers.
	const start = after === null ? BASE + window * 60 + int(0, 45) : Math.min(after + int(0, 2), BASE + window * 60 + 59);
	const end = BASE + window * 60 + 60 + int(0, 4);
	records.get(eni.id).push({
		version: 5,
		'account-id': account,
		'interface-id': eni.id,
		srcaddr: src,
		dstaddr: dst,
		srcport: srcPort,
		dstport: dstPort,
		protocol: TCP,
		packets,
		bytes,
		start,
		end,
		action,
		'log-status': 'OK',
		'vpc-id': eni.vpcId,
		'subnet-id': eni.subnetId,
		'instance-id': eni.instanceId,
		'tcp-flags': flags,
		type: src.includes(':') ? 'IPv6' : 'IPv4',
		'pkt-srcaddr': src,
		'pkt-dstaddr': dst,
		'flow-direction': direction,
		'traffic-path': direction === 'egress' ? path : '-',
	});
	return start;
}

/** A TCP connection into `eni` from outside; `reply` says what the subnet's NACL does to the answer. */
function inbound(eni, window, {client, clientPort, port, packets, bytes, replyPackets, replyBytes, reply = 'ACCEPT', flags, replyFlags, path = PATH.internet, accepted = true}) {
	const dst = client.includes(':') ? eni.ipv6 : eni.ip;
	const start = record(eni, window, {src: client, dst, srcPort: clientPort, dstPort: port, packets, bytes, action: accepted ? 'ACCEPT' : 'REJECT', flags, direction: 'ingress'});
	if (accepted) {
		record(eni, window, {src: dst, dst: client, srcPort: port, dstPort: clientPort, packets: replyPackets, bytes: replyBytes, action: reply, flags: replyFlags, direction: 'egress', path}, start);
	}
}

/** A TCP connection from `eni` to somewhere outside the VPC (the security groups allow all egress). */
function outbound(eni, window, {server, port, clientPort = linuxPort(), packets, bytes, replyPackets, replyBytes, path}) {
	const start = record(eni, window, {src: eni.ip, dst: server, srcPort: clientPort, dstPort: port, packets, bytes, action: 'ACCEPT', flags: FLAGS.finished, direction: 'egress', path});
	record(eni, window, {src: server, dst: eni.ip, srcPort: port, dstPort: clientPort, packets: replyPackets, bytes: replyBytes, action: 'ACCEPT', flags: FLAGS.finishedReply, direction: 'ingress'}, start);
}

/** A connection between two ENIs in the VPC: logged on both, each from its own point of view. */
function internal(from, to, window, {port, packets, bytes, replyPackets, replyBytes, flags, replyFlags}) {
	const clientPort = linuxPort();
	const forward = {src: from.ip, dst: to.ip, srcPort: clientPort, dstPort: port, packets, bytes, action: 'ACCEPT', flags};
	const back = {src: to.ip, dst: from.ip, srcPort: port, dstPort: clientPort, packets: replyPackets, bytes: replyBytes, action: 'ACCEPT', flags: replyFlags};
	const start = record(from, window, {...forward, direction: 'egress', path: PATH.vpc});
	record(from, window, {...back, direction: 'ingress'}, start);
	record(to, window, {...forward, direction: 'ingress'}, start);
	record(to, window, {...back, direction: 'egress', path: PATH.vpc}, start);
}

/** A probe the ENI's security group (or the subnet's NACL) drops: SYN retransmits, no answer. */
function rejected(eni, window, {client, clientPort, port, attempts = 1}) {
	const dst = client.includes(':') ? eni.ipv6 : eni.ip;
	record(eni, window, {src: client, dst, srcPort: clientPort, dstPort: port, packets: attempts, bytes: attempts * 60, action: 'REJECT', flags: FLAGS.syn, direction: 'ingress'});
}

/**
 * The public subnet's NACL (acl-0f9e8d7c6b5a40321) lets the SYN in but allows outbound replies only
 * to ports 1024-32767 (rule 120): a client on a modern ephemeral port never gets the SYN-ACK.
 */
const publicNaclAllowsReplyTo = (clientPort) => clientPort >= 1024 && clientPort <= 32767;

function blockedReturn(eni, window, {client, clientPort, port, attempts}) {
	const reply = publicNaclAllowsReplyTo(clientPort) ? 'ACCEPT' : 'REJECT';
	if (reply === 'ACCEPT') {
		inbound(eni, window, {client, clientPort, port, packets: int(8, 20), bytes: int(1500, 4000), replyPackets: int(8, 20), replyBytes: int(2000, 6000), flags: FLAGS.finished, replyFlags: FLAGS.finishedReply});
		return;
	}
	inbound(eni, window, {client, clientPort, port, packets: attempts, bytes: attempts * 60, replyPackets: attempts, replyBytes: attempts * 60, reply, flags: FLAGS.syn, replyFlags: FLAGS.synAck});
}

// ---------------------------------------------------------------------------------------------
// The scenario, minute by minute.
const attempts = () => int(3, 6); // a client's SYN and its retransmits within one minute

// Office users who keep retrying: [window, client, client port chooser].
const dashboardTries = [
	[4, office.linuxDev, linuxPort], [5, office.linuxDev, null], [6, office.linuxDev, null],
	[8, office.macUser, windowsPort], [9, office.macUser, null],
	[13, office.linuxDev, linuxPort], [17, office.macUser, windowsPort],
	[21, office.linuxDev, linuxPort], [22, office.linuxDev, null],
];
const sshTries = [
	[2, office.linuxDev, linuxPort], [3, office.linuxDev, null],
	[11, office.linuxDev, linuxPort], [12, office.linuxDev, null],
	[19, office.opsLaptop, linuxPort], [26, office.linuxDev, linuxPort],
];
const rdpTries = [[7, office.windowsAdmin, windowsPort], [8, office.windowsAdmin, null], [16, office.windowsAdmin, windowsPort]];

function retries(table, window, state, fire) {
	for (const [at, client, newPort] of table) {
		if (at !== window) continue;
		// Retries within the same attempt reuse the client's port (the SYN is retransmitted).
		if (newPort || !state.has(client)) state.set(client, (newPort ?? linuxPort)());
		fire(client, state.get(client));
	}
}

const dashboardPorts = new Map();
const sshPorts = new Map();
const rdpPorts = new Map();
const appPool = Array.from({length: 4}, () => linuxPort()); // shop-api's pooled postgres connections

for (let window = 0; window < WINDOWS; window++) {
	// web-1: the public site. Static pages are served; every /api call is proxied to app-1:8080,
	// which answers with a RST because shop-api listens on 127.0.0.1 only (nginx returns 502).
	for (let i = int(3, 6); i > 0; i--) {
		const client = chance(0.15) ? pick(ipv6Customers) : pick(customers);
		inbound(web, window, {
			client, clientPort: chance(0.5) ? linuxPort() : windowsPort(), port: 443,
			packets: int(10, 40), bytes: int(1200, 6500), replyPackets: int(10, 45), replyBytes: int(4000, 95000),
			flags: FLAGS.finished, replyFlags: FLAGS.finishedReply,
		});
	}
	if (chance(0.35)) {
		inbound(web, window, {
			client: pick(customers), clientPort: windowsPort(), port: 80,
			packets: int(4, 6), bytes: int(380, 520), replyPackets: int(3, 5), replyBytes: int(420, 640),
			flags: FLAGS.finished, replyFlags: FLAGS.finishedReply,
		});
	}
	for (let i = int(1, 3); i > 0; i--) {
		internal(web, app, window, {port: 8080, packets: 1, bytes: 60, replyPackets: 1, replyBytes: 40, flags: FLAGS.syn, replyFlags: FLAGS.rst});
	}
	retries(dashboardTries, window, dashboardPorts, (client, clientPort) => rejected(web, window, {client, clientPort, port: 8443, attempts: attempts()}));
	if (chance(0.3)) rejected(web, window, {client: pick(scanners), clientPort: int(1024, 65535), port: pick([23, 3306, 6379, 8080, 9200])});
	if (window % 10 === 3) outbound(web, window, {server: updateServer(), port: 443, packets: int(20, 40), bytes: int(3000, 6000), replyPackets: int(40, 90), replyBytes: int(60000, 180000), path: PATH.internet});

	// app-1: shop-api keeps a pool to postgres and calls a payment API through the transit gateway (shared egress).
	for (const clientPort of appPool) {
		if (!chance(0.8)) continue;
		const forward = {src: app.ip, dst: db.ip, srcPort: clientPort, dstPort: 5432, packets: int(20, 200), bytes: int(3000, 40000), action: 'ACCEPT', flags: 0};
		const back = {src: db.ip, dst: app.ip, srcPort: 5432, dstPort: clientPort, packets: int(20, 200), bytes: int(5000, 250000), action: 'ACCEPT', flags: 0};
		const start = record(app, window, {...forward, direction: 'egress', path: PATH.vpc});
		record(app, window, {...back, direction: 'ingress'}, start);
		record(db, window, {...forward, direction: 'ingress'}, start);
		record(db, window, {...back, direction: 'egress', path: PATH.vpc}, start);
	}
	if (chance(0.4)) outbound(app, window, {server: paymentApi, port: 443, packets: int(12, 20), bytes: int(2000, 4000), replyPackets: int(10, 18), replyBytes: int(5000, 9000), path: PATH.vpc});

	// db-1: WAL-G pushes WAL segments to S3 through the gateway endpoint every minute.
	outbound(db, window, {server: s3(), port: 443, packets: int(300, 1200), bytes: int(4_000_000, 17_000_000), replyPackets: int(150, 600), replyBytes: int(9000, 40000), path: PATH.gatewayEndpoint});

	// bastion: the office's ssh gets in, the SYN-ACK back to the client's ephemeral port does not.
	retries(sshTries, window, sshPorts, (client, clientPort) => blockedReturn(bastion, window, {client, clientPort, port: 22, attempts: attempts()}));
	if (chance(0.3)) rejected(bastion, window, {client: pick(scanners), clientPort: int(1024, 65535), port: pick([22, 22, 22, 23, 2222])});
	if (window === 0 || window === 15) outbound(bastion, window, {server: updateServer(), port: 443, packets: int(10, 20), bytes: int(1500, 3000), replyPackets: int(10, 30), replyBytes: int(8000, 30000), path: PATH.internet, clientPort: int(32768, 60999)});

	// win-jump: RDP is open to the world, so scanners' SYNs are accepted; most replies die in the
	// public NACL like the admin's own. Other probes hit the security group or the NACL.
	retries(rdpTries, window, rdpPorts, (client, clientPort) => blockedReturn(winJump, window, {client, clientPort, port: 3389, attempts: attempts()}));
	for (let i = chance(0.7) ? int(1, 3) : 0; i > 0; i--) {
		blockedReturn(winJump, window, {client: pick(scanners), clientPort: int(1024, 65535), port: 3389, attempts: int(1, 2)});
	}
	if (chance(0.4)) rejected(winJump, window, {client: pick(scanners), clientPort: int(1024, 65535), port: pick([445, 23, 1433, 5985, 3306, 135])});
	if (window % 12 === 5) outbound(winJump, window, {server: updateServer(), port: 443, clientPort: windowsPort(), packets: int(30, 60), bytes: int(4000, 9000), replyPackets: int(60, 200), replyBytes: int(90_000, 400_000), path: PATH.internet});
}

// ---------------------------------------------------------------------------------------------
// NODATA: a window in which an ENI saw nothing still gets one record.
for (const eni of enis.values()) {
	const list = records.get(eni.id);
	for (let window = 0; window < WINDOWS; window++) {
		const from = BASE + window * 60;
		if (list.some((entry) => entry.start >= from && entry.start < from + 60)) continue;
		const empty = Object.fromEntries(fields.map((field) => [field, '-']));
		list.push({
			...empty,
			version: 5,
			'account-id': account,
			'interface-id': eni.id,
			start: from + int(0, 5),
			end: from + 60 + int(0, 4),
			'log-status': 'NODATA',
			'vpc-id': eni.vpcId,
			'subnet-id': eni.subnetId,
			'instance-id': eni.instanceId,
		});
	}
}

const out = join(snapshot, 'flowlogs');
mkdirSync(out, {recursive: true});
for (const [eniId, list] of records) {
	list.sort((a, b) => a.start - b.start || a.end - b.end);
	const lines = list.map((entry) => fields.map((field) => String(entry[field] ?? '-')).join(' '));
	writeFileSync(join(out, `${eniId}.log`), lines.join('\n') + '\n');
	console.log(`${eniId}.log: ${list.length} records, ${list.filter((entry) => entry.action === 'REJECT').length} REJECT`);
}

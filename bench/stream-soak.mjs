#!/usr/bin/env node
// Long-session soak of the reject stream: a lab in a child process ingests REJECTs at a steady
// rate with ever new peers (some stamped up to half a window late), while this process runs what
// `sgtui tail` and the TUI run — the reject stream over the real SDK client, the bounded CLI
// summary and the bounded live store — and samples its own RSS. Exactly once is checked in O(1)
// memory: every record carries a sequence number (in `bytes`); count, sum and sum of squares of
// what arrived must equal what was emitted. Exits non-zero when a record is missing or doubled,
// or RSS grows over the second half of the run.
//
//   npm run build && node --expose-gc bench/stream-soak.mjs [--seconds 3600] [--rate 200] [--new-peers 20] [--window-minutes 5] [--seed 7]
//   npm run build && node --expose-gc bench/stream-soak.mjs --hours 8 [--rate 200] [--new-peers 20] [--window-minutes 25]
//      data-accelerated: 8 hours' worth of records on a simulated clock (bench/lib/accelerated-soak.mjs)
//
// The budget is 8 hours at 200 records/s with 20 new peers/s: --seconds 28800. RSS only
// reaches its plateau after two late-delivery windows (the de-duplicator holds that much), so a
// short run wants a short window: --seconds 120 --window-minutes 0.5.
import {fork} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {built, option} from './bench-setup.mjs';

const seconds = option('--seconds', 3600);
const rate = option('--rate', 200);
const newPeers = option('--new-peers', 20);
const windowMinutes = option('--window-minutes', 5);
const seed = option('--seed', 7);
const windowMs = windowMinutes * 60_000;
const ENI = 'eni-0f1e2d3c4b5a69788';
const GROUP = '/vpc/flow-logs/shop-prod';

const [labPath, clientsPath, streamPath, summaryPath, storePath] = built('lab/lab.js', 'aws/clients.js', 'aws/reject-stream.js', 'core/flow-summary.js', 'ui/live-store.js');

if (process.argv.includes('--hours')) await accelerated();
else if (process.argv.includes('--lab-child')) await labChild();
else await soak();

async function accelerated() {
	const {acceleratedSoak} = await import('./lib/accelerated-soak.mjs');
	const modules = await Promise.all(built('core/flow-parser.js', 'core/flow-format.js', 'core/stream-machine.js', 'aws/event-dedupe.js', 'core/flow-summary.js', 'ui/live-store.js').map((path) => import(path)));
	if (!globalThis.gc) console.error('stream-soak: run with node --expose-gc, or heap figures include garbage');
	const result = await acceleratedSoak({hours: option('--hours', 8), rate, newPeers, windowMinutes: process.argv.includes('--window-minutes') ? windowMinutes : 25, seed, modules});
	console.log(JSON.stringify(result));
	if (!result.exact) console.error(`stream-soak: ${result.emitted} emitted, ${result.delivered} delivered, store ${result.storeTotal}, summary ${result.summaryTotal}: not exact`);
	if (result.heapFlat === false) console.error(`stream-soak: heap grew from ${result.heapMb.secondHour} MB (hour 2) to ${result.heapMb.lastHour} MB (last hour)`);
	process.exit(result.exact && result.heapFlat !== false ? 0 : 1);
}

/** The child: the lab, and a generator appending `rate` records/s straight into its log store. */
async function labChild() {
	const {startLab} = await import(labPath);
	const lab = await startLab({simulate: false});
	const format = lab.state.logs.groups.get(GROUP).flowFormat;
	const fields = format.trim().split(/\s+/).map((field) => field.slice(2, -1));
	let random = seed >>> 0;
	const next = () => {
		random = (random * 1664525 + 1013904223) >>> 0;
		return random / 4294967296;
	};
	let seq = 0;
	let peers = 0;
	let sum = 0n;
	let squares = 0n;
	let timer = null;
	const line = (values) => fields.map((field) => values[field] ?? '-').join(' ');
	process.on('message', (message) => {
		if (message === 'start') {
			const perTick = rate / 10;
			const peersPerTick = newPeers / 10;
			let owedPeers = 0;
			timer = setInterval(() => {
				const now = Date.now();
				owedPeers += peersPerTick;
				const lines = [];
				for (let i = 0; i < perTick; i++) {
					seq++;
					sum += BigInt(seq);
					squares += BigInt(seq) * BigInt(seq);
					if (owedPeers >= 1) {
						peers++;
						owedPeers--;
					}
					// New peers arrive steadily; old ones keep retrying now and then.
					const peer = owedPeers >= 0 && i < peersPerTick ? peers : Math.floor(next() * Math.max(1, peers));
					const address = `100.${64 + ((peer >> 16) & 63)}.${(peer >> 8) & 255}.${peer & 255}`;
					const late = next() < 0.2 ? Math.floor(next() * (windowMs / 2)) : 0;
					const start = Math.floor((now - late) / 1000);
					lines.push(line({version: '5', 'account-id': '123456789012', 'interface-id': ENI, srcaddr: address, dstaddr: '10.20.1.10', srcport: String(32768 + (seq % 28000)), dstport: String([22, 443, 3389, 8443][seq % 4]), protocol: '6', packets: '1', bytes: String(seq), start: String(start), end: String(start + 1), action: 'REJECT', 'log-status': 'OK', 'flow-direction': 'ingress', type: 'IPv4'}));
				}
				lab.appendFlowRecords(ENI, lines);
				// The lab is AWS here, not what is measured: keep it bounded too.
				const stream = lab.state.logs.groups.get(GROUP).streams.get(ENI);
				const floor = now - 3 * windowMs - 60_000;
				if (stream.events.length > 0 && stream.events[0].timestamp < floor) stream.events = stream.events.filter((event) => event.timestamp >= floor);
			}, 100);
		} else if (message === 'stop') {
			clearInterval(timer);
			process.send({emitted: seq, sum: String(sum), squares: String(squares), peers});
		} else if (message === 'exit') {
			void lab.close().then(() => process.exit(0));
		}
	});
	process.send({endpoint: lab.endpoint, region: lab.region, credentials: lab.credentials, format});
}

async function soak() {
	const child = fork(fileURLToPath(import.meta.url), ['--lab-child', ...process.argv.slice(2)], {stdio: ['ignore', 'inherit', 'inherit', 'ipc']});
	const messages = [];
	let wake = null;
	child.on('message', (message) => {
		messages.push(message);
		wake?.();
	});
	const nextMessage = async () => {
		while (messages.length === 0) await new Promise((resolve) => (wake = resolve));
		return messages.shift();
	};
	const lab = await nextMessage();
	const [{createAwsClients}, {startRejectStream}, {FlowSummary}, {LiveStore}] = await Promise.all([import(clientsPath), import(streamPath), import(summaryPath), import(storePath)]);
	const clients = createAwsClients({endpointUrl: lab.endpoint, region: lab.region, debugLogPath: null}, {credentials: lab.credentials, maxAttempts: 6}, {});
	const summary = new FlowSummary({actions: 'reject', byDirection: true, maxRows: 2000});
	const store = new LiveStore({ownAddresses: ['10.20.1.10']});
	let received = 0;
	let sum = 0n;
	let squares = 0n;
	const since = Date.now();
	const stream = startRejectStream({
		logs: clients.logs,
		logGroupName: GROUP,
		eniIds: [ENI],
		format: lab.format,
		windowMs,
		since,
		onEvent: (event) => {
			if (!event.record.srcAddr?.startsWith('100.')) return;
			const seq = BigInt(event.record.bytes);
			received++;
			sum += seq;
			squares += seq * seq;
			summary.add(event.record);
			store.push([event.record]);
		},
	});
	const started = Date.now();
	while (!stream.status.connected && Date.now() - started < 30_000) await new Promise((resolve) => setTimeout(resolve, 50));
	if (!stream.status.connected) throw new Error(`the stream did not connect: ${JSON.stringify(stream.status)}`);
	child.send("start");
	const samples = [];
	const sampleEvery = Math.max(1, Math.min(30, seconds / 40)) * 1000;
	const end = Date.now() + seconds * 1000;
	while (Date.now() < end) {
		await new Promise((resolve) => setTimeout(resolve, Math.min(sampleEvery, end - Date.now())));
		globalThis.gc?.();
		const rss = process.memoryUsage().rss;
		samples.push({t: Math.round((Date.now() - started) / 1000), rssMb: Math.round(rss / 1e6), received, dedupe: stream.dedupeSize, rows: summary.size, aggregates: store.snapshot().aggregates.length});
		if (process.stderr.isTTY) process.stderr.write(`\r${samples.at(-1).t}/${seconds} s  rss ${samples.at(-1).rssMb} MB  received ${received}  dedupe ${stream.dedupeSize}   `);
	}
	child.send('stop');
	const final = await nextMessage();
	// Drain: what was emitted last arrives within an update or a poll.
	const drainUntil = Date.now() + 60_000;
	while (received < final.emitted && Date.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 100));
	await new Promise((resolve) => setTimeout(resolve, 2000));
	await stream.stop();
	clients.destroy();
	child.send('exit');

	const exactlyOnce = received === final.emitted && String(sum) === final.sum && String(squares) === final.squares;
	// Flat: the second half's last quarter against its first, after the plateau of two windows.
	const half = samples.slice(Math.floor(samples.length / 2));
	const quarter = Math.max(1, Math.floor(half.length / 2));
	const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
	const earlier = median(half.slice(0, quarter).map((sample) => sample.rssMb));
	const later = median(half.slice(-quarter).map((sample) => sample.rssMb));
	const plateau = seconds * 1000 >= 4 * windowMs;
	const flat = later <= earlier * 1.15 + 10;
	const result = {
		bench: 'stream-soak',
		seconds,
		rate,
		newPeersPerSecond: newPeers,
		windowMinutes,
		emitted: final.emitted,
		received,
		exactlyOnce,
		peers: final.peers,
		late: stream.status.late,
		rssMb: {start: samples[0]?.rssMb, secondHalfFirst: earlier, secondHalfLast: later, max: Math.max(...samples.map((sample) => sample.rssMb))},
		rssFlat: flat,
		plateauReached: plateau,
		summaryRows: summary.size,
		summaryOthers: summary.others,
		storeAggregates: store.snapshot().aggregates.length,
		storeOthers: store.snapshot().others,
	};
	if (process.stderr.isTTY) process.stderr.write('\n');
	console.log(JSON.stringify(result));
	if (!exactlyOnce) console.error(`stream-soak: emitted ${final.emitted}, received ${received} (sums ${exactlyOnce ? 'match' : 'differ'}): not exactly once`);
	if (plateau && !flat) console.error(`stream-soak: RSS grew from ${earlier} MB to ${later} MB over the second half`);
	if (!plateau) console.error(`stream-soak: ${seconds} s is shorter than four windows (${windowMinutes} min): RSS had no plateau to hold, not judged`);
	process.exit(exactlyOnce && (!plateau || flat) ? 0 : 1);
}

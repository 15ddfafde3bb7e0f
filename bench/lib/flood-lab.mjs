// The flood's lab and record generator on a worker thread (bench/flood.mjs). The main thread only
// writes keys to the pty and timestamps the frames it reads back: with the lab (which keeps every
// one of the 1.2 million records, and collects that heap) and the 20,000-records-a-second
// generator on the same event loop, a frame's arrival was stamped late whenever they ran, and the
// bench's own pauses were counted as the TUI's key → frame time.
import {parentPort, workerData} from 'node:worker_threads';
import {rejectRecord, startBenchLab} from './lab-tui.mjs';
import {seeded} from './pty.mjs';

const TICK_MS = 50;
const {root, eniId} = workerData;
const {lab, flowTarget} = await startBenchLab(root);
const {eni, fields} = flowTarget(eniId);
const next = seeded(99);
// 4,000 distinct scanners × a few ports: enough tuples to stress aggregation.
const sources = Array.from({length: 4000}, () => `${1 + Math.floor(next() * 222)}.${Math.floor(next() * 256)}.${Math.floor(next() * 256)}.${1 + Math.floor(next() * 253)}`);
const ports = [22, 3389, 23, 445, 1433, 3306, 5432, 6379];
let emitted = 0;
const line = (nowSeconds) => {
	const index = emitted++;
	return rejectRecord(lab, eni, fields, {
		'srcaddr': sources[index % sources.length], 'srcport': String(1024 + (index % 60000)), 'dstport': String(ports[index % ports.length]),
		'start': String(nowSeconds), 'end': String(nowSeconds),
	});
};

let timer = null;
/** Appends `rate` records a second for `seconds`, catching up by the clock; posts how many. */
function pump(rate, seconds) {
	const began = performance.now();
	const until = began + seconds * 1000;
	const first = emitted;
	timer = setInterval(() => {
		const nowSeconds = Math.floor(Date.now() / 1000);
		const batch = [];
		const owed = first + Math.floor(((Math.min(performance.now(), until) - began) / 1000) * rate) - emitted;
		for (let i = 0; i < owed; i++) batch.push(line(nowSeconds));
		if (batch.length > 0) lab.appendFlowRecords(eniId, batch);
		if (performance.now() >= until) {
			clearInterval(timer);
			timer = null;
			parentPort.postMessage({type: 'pumped', count: emitted - first});
		}
	}, TICK_MS);
}

parentPort.on('message', async (message) => {
	if (message.type === 'pump') pump(message.rate, message.seconds);
	else if (message.type === 'stop' && timer) clearInterval(timer);
	else if (message.type === 'close') {
		if (timer) clearInterval(timer);
		await lab.close();
		parentPort.postMessage({type: 'closed'});
	}
});
parentPort.postMessage({type: 'ready', lab: {endpoint: lab.endpoint, region: lab.region, accountId: lab.accountId, credentials: {...lab.credentials}}, tickMs: TICK_MS});

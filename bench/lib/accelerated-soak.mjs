// The reject stream's long session, data-accelerated: `--hours 8` drives 8 hours' worth of
// records (200/s, 20 new peers/s: 5.76M records, 576k peers) through what a live session runs
// after the wire — the flow-line parser, the stream machine (Live Tail mode, a cut and backfill
// every simulated hour), the de-duplicator and the late ledger pruned as the driver prunes them,
// the CLI's bounded summary and the TUI's bounded live store — on a simulated clock, as fast as
// the CPU goes. Per simulated hour: heap used after a full GC. Checked: the heap is flat (last
// hour against the second, after the de-duplicator's plateau of two windows) and the totals are
// exact (every record delivered once although backfills re-read a window; top groups + "others"
// = emitted, in both aggregates). This is not a wall-clock soak: timers, sockets and the SDK are
// not in it (the lab → SDK soak in stream-soak.mjs --seconds covers those for a shorter time).
export async function acceleratedSoak({hours, rate, newPeers, windowMinutes, seed, modules}) {
	const [{createFlowLineParser}, {DEFAULT_FLOW_FORMAT}, machine, {EventDedupe, LateKeys}, {FlowSummary}, {LiveStore}] = modules;
	const {initialStreamState, step, retainFrom, classifyArrival} = machine;
	const ENI = 'eni-0f1e2d3c4b5a69788';
	const windowMs = windowMinutes * 60_000;
	const T0 = Date.UTC(2026, 0, 1);
	let now = T0;
	const config = {mode: 'live-tail', windowMs, marginMs: 10_000, since: T0, startedAt: T0, pollIntervalMs: 3000, sweepIntervalMs: 60_000, maxLiveTailFailures: 3, liveTailRetryMs: 300_000, arnKnown: true, deepMs: 0, deepSweepIntervalMs: 600_000};
	const parse = createFlowLineParser(DEFAULT_FLOW_FORMAT);
	const dedupe = new EventDedupe();
	const lateKeys = new LateKeys();
	const summary = new FlowSummary({actions: 'reject', byDirection: true, maxRows: 2000});
	const store = new LiveStore({ownAddresses: ['10.20.1.10'], now: () => now});
	let state = initialStreamState();
	let random = seed >>> 0;
	const next = () => {
		random = (random * 1664525 + 1013904223) >>> 0;
		return random / 4294967296;
	};
	// What "CloudWatch Logs" holds for re-reads: the last two windows and a margin of records.
	const held = [];
	let heldStart = 0;
	let emitted = 0;
	let delivered = 0;
	let duplicatesRejected = 0;
	let peers = 0;
	const deliver = (event, source) => {
		if (classifyArrival(event, config) === 'history-skip') return;
		const key = {logStreamName: ENI, timestamp: event.timestamp, message: event.message, eventId: source === 'live-tail' ? undefined : event.eventId};
		if (!dedupe.accept(key)) {
			duplicatesRejected++;
			return;
		}
		const arrival = classifyArrival(event, config);
		if ((arrival === 'late' || source === 'sweep') && !lateKeys.add(key)) return;
		const record = parse(event.message);
		delivered++;
		summary.add(record);
		store.push([record]);
	};
	const run = (commands) => {
		for (const command of commands) {
			if (command.type !== 'read') continue;
			// FilterLogEvents over [from, to): everything held in that event-time range, with eventIds.
			const to = command.to ?? Infinity;
			for (let index = heldStart; index < held.length; index++) {
				const event = held[index];
				if (event.timestamp >= command.from && event.timestamp < to) deliver(event, command.kind);
			}
			dispatch({type: 'read-done', now, kind: command.kind});
		}
	};
	const dispatch = (input) => {
		const result = step(state, input, config);
		state = result.state;
		run(result.commands);
	};
	dispatch({type: 'start', now});
	dispatch({type: 'session-started', now});
	const samples = [];
	const began = performance.now();
	const seconds = Math.round(hours * 3600);
	const perSecond = rate;
	for (let second = 1; second <= seconds; second++) {
		now = T0 + second * 1000;
		for (let i = 0; i < perSecond; i++) {
			const seq = ++emitted;
			const isNew = i < newPeers;
			if (isNew) peers++;
			const peer = isNew ? peers : Math.floor(next() * Math.max(1, peers));
			const address = `100.${64 + ((peer >> 16) & 63)}.${(peer >> 8) & 255}.${peer & 255}`;
			const late = next() < 0.2 ? Math.floor(next() * (windowMs / 2)) : 0;
			const start = Math.floor((now - late) / 1000);
			const message = `2 123456789012 ${ENI} ${address} 10.20.1.10 ${32768 + (seq % 28000)} ${[22, 443, 3389, 8443][seq % 4]} 6 1 ${seq} ${start} ${start + 1} REJECT OK`;
			const event = {timestamp: start * 1000, ingestionTime: now, message, eventId: String(seq)};
			held.push(event);
			// Live Tail pushes it at ingestion.
			deliver(event, 'live-tail');
		}
		dispatch({type: 'session-update', now});
		// The driver prunes on every update when no read is in flight (reads here are synchronous).
		dedupe.prune(retainFrom(state, config, now));
		// The service's store (not measured, but it is in this heap): keep two windows and a margin.
		const keepFrom = now - 2 * windowMs - 120_000;
		while (heldStart < held.length && held[heldStart].ingestionTime < keepFrom) heldStart++;
		if (heldStart > 100_000) {
			held.splice(0, heldStart);
			heldStart = 0;
		}
		// A cut every simulated hour: reconnect, backfill a window back, sweep one more.
		if (second % 3600 === 1800) {
			dispatch({type: 'session-ended', now, reason: 'interrupted', message: 'cut'});
			dispatch({type: 'timer', now});
			dispatch({type: 'session-started', now});
		}
		if (second % 3600 === 0) {
			globalThis.gc?.();
			const memory = process.memoryUsage();
			samples.push({hour: second / 3600, heapMb: Math.round(memory.heapUsed / 1e5) / 10, rssMb: Math.round(memory.rss / 1e5) / 10, dedupeKeys: dedupe.keys, lateKeys: lateKeys.size, summaryRows: summary.size, storeAggregates: store.snapshot().aggregates.length, elapsedS: Math.round((performance.now() - began) / 100) / 10});
			if (process.stderr.isTTY) process.stderr.write(`\rsimulated hour ${second / 3600}/${hours}: heap ${samples.at(-1).heapMb} MB, ${emitted} records   `);
		}
	}
	if (process.stderr.isTTY) process.stderr.write('\n');
	const snapshot = store.snapshot();
	const storeSum = snapshot.aggregates.reduce((sum, row) => sum + row.count, 0) + snapshot.others.count;
	const summarySum = summary.rows().reduce((sum, row) => sum + row.count, 0) + summary.others.count;
	const exact = delivered === emitted && snapshot.totals.received === emitted && storeSum === emitted && summarySum === emitted;
	const second = samples[1] ?? samples[0];
	const last = samples.at(-1);
	const flat = hours >= 3 ? last.heapMb <= second.heapMb * 1.1 + 5 : null;
	return {
		bench: 'stream-soak (accelerated)',
		simulatedHours: hours,
		rate,
		newPeersPerSecond: newPeers,
		windowMinutes,
		emitted,
		peers,
		delivered,
		duplicatesRejected,
		storeTotal: storeSum,
		summaryTotal: summarySum,
		exact,
		heapFlat: flat,
		heapMb: {secondHour: second?.heapMb, lastHour: last?.heapMb, max: Math.max(...samples.map((sample) => sample.heapMb))},
		wallSeconds: Math.round((performance.now() - began) / 1000),
		samples,
	};
}

// Benchmark 3: a REJECT flood. The lab (no simulated traffic) takes 20,000 REJECT records a second
// into web-1's ENI for --flood-seconds while `sgtui` (live mode against the lab, real SDK clients
// and Live Tail) shows that ENI's Rejects tab in a pty. Measured: key → frame about twice a second
// (the keys below), the TUI's RSS every second, and at the end the REJECT count on screen against
// what was emitted (equal, or the screen says SAMPLED: Live Tail sends at most 500 events a second).
//
// The lab and the generator run on a worker thread (bench/lib/flood-lab.mjs); this thread only
// writes keys and timestamps the frames. Until 2026-12-01 they shared this event loop: the
// generator's ticks, the lab's Live Tail frames and the collection of its 1.2 million stored
// records delayed the reading of a frame (this loop's lag: p99 60–200 ms, max up to 1 s on a busy
// machine), and that delay was counted as the TUI's key → frame time.
//
// Keys: enter / esc (open the selected group's raw records and back), a view change on the same
// subscription. An earlier version pressed `a`, which restarts the subscription with an empty
// store (the ACCEPT filter is applied at the source), so its count compared a fresh store with
// the whole flood ("-9 counted"). Before the flood, 200 records/s for a few seconds, under Live
// Tail's limit: that count must be exact and the screen must not say SAMPLED. After the flood the
// screen must still say SAMPLED if any update was sampled (the stream's flag is sticky; it used
// to clear on the next quiet update, so a reader after the flood saw a low count and no SAMPLED).
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {once} from 'node:events';
import {Worker} from 'node:worker_threads';
import stripAnsi from 'strip-ansi';
import {openWebRejects, labEnv} from './lib/lab-tui.mjs';
import {sleep} from './lib/pty.mjs';
import {rssOf} from './lib/proc.mjs';
import {quantile, row} from './lib/stats.mjs';

const ENI = 'eni-0f1e2d3c4b5a69788';
const RATE = 20_000;
const EXACT_RATE = 200;

function lastCount(text) {
	const matches = [...text.matchAll(/· ([\d,]+) REJECT\b/g)];
	return matches.length === 0 ? null : Number(matches.at(-1)[1].replaceAll(',', ''));
}

/** The lab and the generator on their own thread (bench/lib/flood-lab.mjs says why). */
async function startFloodLab(root) {
	const worker = new Worker(new URL('./lib/flood-lab.mjs', import.meta.url), {workerData: {root, eniId: ENI}});
	const [ready] = await once(worker, 'message');
	if (ready.type !== 'ready') throw new Error(`the flood lab did not start: ${JSON.stringify(ready)}`);
	/** Appends `rate` records a second for `seconds` in the worker; `done` resolves to how many. */
	const pumpAt = (rate, seconds) => {
		const done = new Promise((resolve) => {
			const onMessage = (message) => {
				if (message.type !== 'pumped') return;
				worker.off('message', onMessage);
				resolve(message.count);
			};
			worker.on('message', onMessage);
		});
		worker.postMessage({type: 'pump', rate, seconds});
		return {done, stop: () => worker.postMessage({type: 'stop'})};
	};
	const close = async () => {
		worker.postMessage({type: 'close'});
		await Promise.race([once(worker, 'message'), sleep(10_000)]);
		await worker.terminate();
	};
	return {lab: ready.lab, tickMs: ready.tickMs, pumpAt, close};
}

export async function run(ctx) {
	const rows = [];
	const failures = [];
	const notes = [];
	const flood = await startFloodLab(ctx.root);
	const {lab, pumpAt} = flood;
	const home = mkdtempSync(join(tmpdir(), 'sgtui-bench-home-'));
	let app = null;
	try {
		app = await openWebRejects(ctx.root, lab, labEnv(lab, home));
		await app.settle(500);
		const pid = app.pid();

		/** The newest REJECT count on screen once it has not changed for `quietMs` (or the timeout). */
		const steadyCount = async (expected, quietMs = 2500, timeoutMs = 20_000) => {
			const deadline = performance.now() + timeoutMs;
			let seen = lastCount(stripAnsi(app.pending));
			let since = performance.now();
			while (performance.now() < deadline) {
				if (expected !== null && seen === expected) return seen;
				await sleep(100);
				const now = lastCount(stripAnsi(app.pending));
				if (now !== seen) {
					seen = now;
					since = performance.now();
				} else if (performance.now() - since >= quietMs) return seen;
			}
			return seen;
		};

		const phaseSeconds = Math.max(3, Math.min(10, Math.round(ctx.floodSeconds / 2)));
		// The stream shows 15 minutes of history first: count from where it settles.
		const base = await steadyCount(null);
		app.mark();
		// Under Live Tail's limit: exact, and not SAMPLED.
		const exactEmitted = await pumpAt(EXACT_RATE, phaseSeconds).done;
		const exactCount = await steadyCount((base ?? 0) + exactEmitted);
		const exactScreen = stripAnsi(app.pending);
		const exactShown = exactCount === null || base === null ? null : exactCount - base;
		const exactOk = exactShown === exactEmitted && !exactScreen.includes('SAMPLED');

		// The flood, with key presses: enter opens the selected group's raw records, esc goes back.
		// A view toggle on the same subscription (a would restart it with an empty store).
		const keyMs = [];
		let missed = 0;
		const rss = [];
		const began = performance.now();
		const until = began + ctx.floodSeconds * 1000;
		const pump = pumpAt(RATE, ctx.floodSeconds);
		const sampler = setInterval(() => rss.push(rssOf(pid) / 2 ** 20), 1000);
		let opened = false;
		try {
			while (performance.now() < until) {
				opened = !opened;
				try {
					keyMs.push(await app.keyToFrame(opened ? '\r' : '\u001b', opened ? 'Raw records of' : 'Newest raw records', 5000));
				} catch {
					missed++;
					keyMs.push(5000);
				}
				await sleep(400);
			}
			await pump.done;
		} finally {
			pump.stop();
			clearInterval(sampler);
		}
		const floodEmitted = await pump.done;
		if (opened) await app.keyToFrame('\u001b', 'Newest raw records', 10_000).catch(() => {});
		// Counted == emitted, or SAMPLED on the screen after the flood.
		const after = await steadyCount((exactCount ?? 0) + floodEmitted, 4000, 60_000);
		if (process.env.BENCH_DEBUG) console.error(`BEFORE j:\n${stripAnsi(app.pending).slice(-2500)}`);
		app.mark();
		// A redraw with the current status line: j moves the selection.
		app.send('j');
		await app.settle(500);
		const screen = stripAnsi(app.pending);
		if (process.env.BENCH_DEBUG) console.error(`BASE ${base} EXACT ${exactCount} AFTER ${after}\n${screen.slice(-3000)}`);
		const sampled = screen.includes('SAMPLED');
		const shown = after === null || exactCount === null ? null : after - exactCount;
		const p50 = quantile(keyMs, 0.5);
		const p99 = quantile(keyMs, 0.99);
		const keys = row({what: `3. key → frame during the flood (${keyMs.length} presses of enter / esc)`, samples: keyMs, unit: 'ms'});
		keys.median = `p50 ${p50.toFixed(1)} ms`;
		keys.budget = 'p50 < 30 ms, p99 < 100 ms';
		keys.ok = p50 < 30 && p99 < 100 && missed === 0;
		keys.holds = `${keys.ok ? 'yes' : '**no**'} (p99 ${p99.toFixed(1)} ms${missed ? `, ${missed} without a frame in 5 s` : ''})`;
		rows.push(keys);
		const third = Math.max(1, Math.floor(rss.length / 3));
		const early = rss.slice(0, third).reduce((a, b) => a + b, 0) / third;
		const late = rss.slice(-third).reduce((a, b) => a + b, 0) / third;
		const peak = Math.max(...rss);
		const flat = late <= early * 1.25 + 10;
		const rssRow = row({what: `3. TUI RSS during the flood (sampled each second, ${rss.length} samples)`, samples: rss, unit: 'MB'});
		rssRow.budget = '< 250 MB and flat';
		rssRow.ok = peak < 250 && flat;
		rssRow.holds = `${rssRow.ok ? 'yes' : '**no**'} (peak ${peak.toFixed(0)} MB; first third ${early.toFixed(0)} MB, last third ${late.toFixed(0)} MB)`;
		rows.push(rssRow);
		const counted = (value) => (value === null ? 'no count found' : `${value.toLocaleString('en-US')} counted`);
		rows.push({what: `3. REJECTs emitted vs counted on screen at ${EXACT_RATE}/s (under Live Tail's 500/s)`, median: `${exactEmitted.toLocaleString('en-US')} emitted`, range: `${counted(exactShown)}${exactScreen.includes('SAMPLED') ? ', screen says SAMPLED' : ''}`, n: 1, peer: '', peerMedian: '', ratio: '', budget: 'equal, not sampled', holds: exactOk ? 'yes' : '**no**', ok: exactOk});
		const countsOk = shown === floodEmitted || sampled;
		rows.push({what: `3. REJECTs emitted vs counted on screen at ${RATE.toLocaleString('en-US')}/s`, median: `${floodEmitted.toLocaleString('en-US')} emitted`, range: `${counted(shown)}${sampled ? ', screen says SAMPLED' : ''}`, n: 1, peer: '', peerMedian: '', ratio: '', budget: 'equal, or the screen says sampled', holds: countsOk ? 'yes' : '**no**', ok: countsOk});
		notes.push(`First ${exactEmitted} records at ${EXACT_RATE}/s, then the flood: ${floodEmitted.toLocaleString('en-US')} REJECT records in ${ctx.floodSeconds} s into ${ENI} (${(floodEmitted / ctx.floodSeconds).toFixed(0)}/s, appended every ${flood.tickMs} ms to the lab's log store, which Live Tail reads), one subscription throughout.`);
	} catch (error) {
		failures.push(error instanceof Error ? error.message : String(error));
	} finally {
		if (app) {
			app.send('q');
			await app.close();
		}
		await flood.close();
		if (process.env.BENCH_DEBUG) console.error(`debug log kept in ${home}`);
		else rmSync(home, {recursive: true, force: true});
	}
	return {rows, failures, notes};
}

// Benchmark 3: a REJECT flood. The lab (in this process, no simulated traffic) takes 20,000 REJECT
// records a second into web-1's ENI for --flood-seconds while `sgtui` (live mode against the lab,
// real SDK clients and Live Tail) shows that ENI's Rejects tab in a pty. Measured: key → frame for
// `a` (REJECT only ⇄ REJECT + ACCEPT, a toggle whose frame says which) about twice a second, the
// TUI's RSS every second, and at the end the REJECT count on screen against what was emitted
// (equal, or the screen says SAMPLED: Live Tail sends at most 500 events a second).
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
import stripAnsi from 'strip-ansi';
import {openWebRejects, labEnv, rejectRecord, startBenchLab} from './lib/lab-tui.mjs';
import {seeded, sleep} from './lib/pty.mjs';
import {rssOf} from './lib/proc.mjs';
import {quantile, row} from './lib/stats.mjs';

const ENI = 'eni-0f1e2d3c4b5a69788';
const RATE = 20_000;
const EXACT_RATE = 200;
const TICK_MS = 50;

function lastCount(text) {
	const matches = [...text.matchAll(/· ([\d,]+) REJECT\b/g)];
	return matches.length === 0 ? null : Number(matches.at(-1)[1].replaceAll(',', ''));
}

export async function run(ctx) {
	const rows = [];
	const failures = [];
	const notes = [];
	const {lab, flowTarget} = await startBenchLab(ctx.root);
	const home = mkdtempSync(join(tmpdir(), 'sgtui-bench-home-'));
	let app = null;
	try {
		const {eni, fields} = flowTarget(ENI);
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

		app = await openWebRejects(ctx.root, lab, labEnv(lab, home));
		await app.settle(500);
		const pid = app.pid();

		/** Appends `rate` records a second for `seconds`, catching up by the clock; returns the pump. */
		const pumpAt = (rate, seconds) => {
			const began = performance.now();
			const until = began + seconds * 1000;
			const first = emitted;
			let timer = null;
			const done = new Promise((resolve) => {
				timer = setInterval(() => {
					const nowSeconds = Math.floor(Date.now() / 1000);
					const batch = [];
					const owed = first + Math.floor(((Math.min(performance.now(), until) - began) / 1000) * rate) - emitted;
					for (let i = 0; i < owed; i++) batch.push(line(nowSeconds));
					if (batch.length > 0) lab.appendFlowRecords(ENI, batch);
					if (performance.now() >= until) {
						clearInterval(timer);
						resolve(emitted - first);
					}
				}, TICK_MS);
			});
			return {done, stop: () => clearInterval(timer)};
		};

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
		const floodEmitted = emitted - exactEmitted;
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
		notes.push(`First ${exactEmitted} records at ${EXACT_RATE}/s, then the flood: ${floodEmitted.toLocaleString('en-US')} REJECT records in ${ctx.floodSeconds} s into ${ENI} (${(floodEmitted / ctx.floodSeconds).toFixed(0)}/s, appended every ${TICK_MS} ms to the lab's log store, which Live Tail reads), one subscription throughout.`);
	} catch (error) {
		failures.push(error instanceof Error ? error.message : String(error));
	} finally {
		if (app) {
			app.send('q');
			await app.close();
		}
		await lab.close();
		if (process.env.BENCH_DEBUG) console.error(`debug log kept in ${home}`);
		else rmSync(home, {recursive: true, force: true});
	}
	return {rows, failures, notes};
}

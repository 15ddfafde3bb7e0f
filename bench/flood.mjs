// Benchmark 3: a REJECT flood. The lab (in this process, no simulated traffic) takes 20,000 REJECT
// records a second into web-1's ENI for --flood-seconds while `sgtui` (live mode against the lab,
// real SDK clients and Live Tail) shows that ENI's Rejects tab in a pty. Measured: key → frame for
// `a` (REJECT only ⇄ REJECT + ACCEPT, a toggle whose frame says which) about twice a second, the
// TUI's RSS every second, and at the end the REJECT count on screen against what was emitted
// (equal, or the screen says SAMPLED: Live Tail sends at most 500 events a second).
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
		const before = lastCount(stripAnsi(app.pending)) ?? 0;

		// The flood.
		const keyMs = [];
		let missed = 0;
		const rss = [];
		const began = performance.now();
		const until = began + ctx.floodSeconds * 1000;
		const pump = setInterval(() => {
			const nowSeconds = Math.floor(Date.now() / 1000);
			const batch = [];
			// Catch up by the clock, so a slow tick doesn't lower the rate.
			const owed = Math.floor(((Math.min(performance.now(), until) - began) / 1000) * RATE) - emitted;
			for (let i = 0; i < owed; i++) batch.push(line(nowSeconds));
			if (batch.length > 0) lab.appendFlowRecords(ENI, batch);
		}, TICK_MS);
		const sampler = setInterval(() => rss.push(rssOf(pid) / 2 ** 20), 1000);
		let all = false;
		try {
			while (performance.now() < until) {
				all = !all;
				try {
					keyMs.push(await app.keyToFrame('a', all ? 'REJECT + ACCEPT' : 'REJECT only', 5000));
				} catch {
					missed++;
					keyMs.push(5000);
				}
				await sleep(400);
			}
		} finally {
			clearInterval(pump);
			clearInterval(sampler);
		}
		if (all) {
			app.send('a');
			await app.waitFor('REJECT only', 10_000).catch(() => {});
		}
		// One Live Tail update (1 s) plus rendering, then read the count.
		await sleep(2500);
		app.mark();
		app.send('a');
		await app.waitFor('REJECT + ACCEPT', 10_000).catch(() => {});
		await app.settle(500);
		const screen = stripAnsi(app.pending);
		if (process.env.BENCH_DEBUG) console.error(`BEFORE ${before}\n${screen.slice(-3000)}`);
		const after = lastCount(screen);
		const sampled = screen.includes('SAMPLED');
		const shown = after === null ? null : after - before;
		const p50 = quantile(keyMs, 0.5);
		const p99 = quantile(keyMs, 0.99);
		const keys = row({what: `3. key → frame during the flood (${keyMs.length} presses of a)`, samples: keyMs, unit: 'ms'});
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
		const countsOk = shown === emitted || sampled;
		rows.push({what: `3. REJECTs emitted vs counted on screen`, median: `${emitted.toLocaleString('en-US')} emitted`, range: `${shown === null ? 'no count found' : shown.toLocaleString('en-US')} counted${sampled ? ', screen says SAMPLED' : ''}`, n: 1, peer: '', peerMedian: '', ratio: '', budget: 'equal, or the screen says sampled', holds: countsOk ? 'yes' : '**no**', ok: countsOk});
		notes.push(`Flood: ${emitted.toLocaleString('en-US')} REJECT records in ${ctx.floodSeconds} s into ${ENI} (${(emitted / ctx.floodSeconds).toFixed(0)}/s, appended every ${TICK_MS} ms to the lab's log store, which Live Tail reads).`);
	} catch (error) {
		failures.push(error instanceof Error ? error.message : String(error));
	} finally {
		if (app) {
			app.send('q');
			await app.close();
		}
		await lab.close();
		rmSync(home, {recursive: true, force: true});
	}
	return {rows, failures, notes};
}

// Benchmarks 1 and 2: `sgtui flows --input` (summary) and `sgtui flows --json` (NDJSON) on
// generated default-format flow logs, against the mawk one-liners an operator would write, in the
// same run, interleaved. Checks both agree (tuple by tuple; byte for byte for NDJSON) and samples
// the peak RSS of sgtui's whole process tree (worker threads are inside the one process).
import {spawnSync} from 'node:child_process';
import {createReadStream, createWriteStream, existsSync, readFileSync, renameSync, rmSync, statfsSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pipeline} from 'node:stream/promises';
import {createGzip} from 'node:zlib';
import {writeFlowFile} from './generate-flows.mjs';
import {runTimed} from './lib/proc.mjs';
import {interleave, row} from './lib/stats.mjs';

const AWK_SUMMARY = '$13=="REJECT"{c[$4" "$7" "$8]++} END{for (k in c) print k, c[k]}';
// The same fields, names and order as sgtui's NDJSON (numbers bare, text quoted, "-" → null
// needs no case here: REJECT records have every field).
const AWK_JSON = '$13=="REJECT"{printf "{\\"version\\":%s,\\"accountId\\":\\"%s\\",\\"interfaceId\\":\\"%s\\",\\"srcAddr\\":\\"%s\\",\\"dstAddr\\":\\"%s\\",\\"srcPort\\":%s,\\"dstPort\\":%s,\\"protocol\\":%s,\\"packets\\":%s,\\"bytes\\":%s,\\"start\\":%s,\\"end\\":%s,\\"action\\":\\"%s\\",\\"logStatus\\":\\"%s\\"}\\n",$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14}';
const PROTOCOLS = {icmp: 1, tcp: 6, udp: 17, icmpv6: 58};
const RSS_BUDGET_MB = 150;

export function hasMawk() {
	return spawnSync('mawk', ['-W', 'version'], {stdio: 'ignore'}).status === 0;
}

// Files this big (20M records: 2.3 GB) are made in the temp dir for the run and deleted after it.
const TEMPORARY_RECORDS = 10_000_000;
const BYTES_PER_RECORD = 115;

/** Free bytes where `dir` lives. */
function freeBytes(dir) {
	const info = statfsSync(dir);
	return info.bavail * info.bsize;
}

/**
 * The generated input for (records, seed): kept in bench/out between runs, or for the biggest
 * sizes written to the temp dir (after checking there is room, with 1 GB to spare) and listed in
 * `temporary` for deletion.
 */
async function input(ctx, records, {gzip = false, temporary = []} = {}) {
	const big = records >= TEMPORARY_RECORDS;
	const base = big ? join(tmpdir(), `sgtui-bench-flows-${records}-42-${process.pid}.log`) : join(ctx.out, `flows-${records}-42.log`);
	if (big && !existsSync(base)) {
		const needed = records * BYTES_PER_RECORD + 2 ** 30;
		const free = freeBytes(tmpdir());
		if (free < needed) throw new Error(`${records} records need ${(needed / 2 ** 30).toFixed(1)} GB free in ${tmpdir()}, only ${(free / 2 ** 30).toFixed(1)} GB are (set TMPDIR elsewhere, or --records 2000000)`);
		temporary.push(base, `${base}.json`);
	}
	const meta = `${base}.json`;
	const generator = statSync(join(ctx.root, 'bench/generate-flows.mjs')).mtimeMs;
	const wanted = JSON.stringify({records, seed: 42, generator});
	if (!existsSync(base) || !existsSync(meta) || readFileSync(meta, 'utf8') !== wanted) {
		// 20M: ten copies of the 2M file (generating 20M lines in JS takes minutes; the scan
		// doesn't care that the lines repeat).
		if (records >= 20_000_000 && records % 2_000_000 === 0) {
			const part = await input(ctx, 2_000_000, {temporary});
			ctx.log(`writing ${records} records (${records / 2_000_000} × the 2M file) to ${base}`);
			const out = createWriteStream(base);
			for (let copy = 0; copy < records / 2_000_000; copy++) await pipeline(createReadStream(part), out, {end: false});
			await new Promise((resolve) => out.end(resolve));
		} else {
			ctx.log(`generating ${records} records into ${base}`);
			await writeFlowFile(base, {records, seed: 42});
		}
		writeFileSync(meta, wanted);
	}
	if (!gzip) return base;
	const gz = `${base}.gz`;
	if (!existsSync(gz) || statSync(gz).mtimeMs < statSync(base).mtimeMs) {
		ctx.log(`compressing ${base}`);
		// Via a temp name: an interrupted run must not leave a truncated .gz behind.
		await pipeline(createReadStream(base), createGzip({level: 6}), createWriteStream(`${gz}.tmp`));
		renameSync(`${gz}.tmp`, gz);
	}
	return gz;
}

/** sgtui's summary table → Map("src port protocol-number" → count), inbound rows (awk counts by source). */
function parseSgtui(stdout) {
	const counts = new Map();
	for (const line of stdout.split('\n').slice(1)) {
		const match = /^in\s+(\S+)\s+(\S+)\s+(\S+)\s+([\d,]+)\s+\S+\s+\S+$/.exec(line);
		if (match) counts.set(`${match[1]} ${match[2]} ${PROTOCOLS[match[3]] ?? match[3]}`, Number(match[4].replaceAll(',', '')));
	}
	return counts;
}

function parseAwk(stdout) {
	const counts = new Map();
	for (const line of stdout.split('\n')) {
		const match = /^(\S+ \S+ \S+) (\d+)$/.exec(line);
		if (match) counts.set(match[1], Number(match[2]));
	}
	return counts;
}

function disagreements(mine, theirs) {
	const out = [];
	for (const [key, count] of theirs) if (mine.get(key) !== count) out.push(`${key}: mawk ${count}, sgtui ${mine.get(key) ?? 0}`);
	for (const key of mine.keys()) if (!theirs.has(key)) out.push(`${key}: only in sgtui`);
	return out;
}

export async function run(ctx) {
	const rows = [];
	const failures = [];
	const notes = [];
	if (!hasMawk()) {
		failures.push('mawk is not installed (apt-get install mawk): benchmarks 1 and 2 skipped');
		return {rows, failures, notes};
	}
	const sizes = ctx.records ?? (ctx.smoke ? [200_000] : [2_000_000, 20_000_000]);
	const temporary = [];
	const cleanUp = () => {
		for (const file of temporary) rmSync(file, {force: true});
	};
	// Ctrl-C during a 20M run must not leave 2.3 GB in the temp dir.
	const interrupted = () => {
		cleanUp();
		process.exit(130);
	};
	process.once('SIGINT', interrupted);
	try {
		await summaries(ctx, sizes, temporary, rows, failures);
	} finally {
		cleanUp();
		process.off('SIGINT', interrupted);
	}
	await gzipAndJson(ctx, sizes, rows, failures);
	return {rows, failures, notes};
}

// Cold page cache would measure the disk, not the tools: read each file once first.
const warm = (file) => spawnSync('cat', [file], {stdio: ['ignore', 'ignore', 'ignore']});

/** Benchmark 1 (plain files), each size in turn. */
async function summaries(ctx, sizes, temporary, rows, failures) {
	const node = process.execPath;
	for (const records of sizes) {
		const file = await input(ctx, records, {temporary});
		warm(file);
		const label = records >= 1e6 ? `${records / 1e6}M` : `${records / 1e3}k`;
		const mb = (statSync(file).size / 1024 / 1024).toFixed(0);
		// Agreement first, outside the timings.
		const mine = parseSgtui((await runTimed([node, ctx.main, 'flows', '--input', file], {capture: true})).stdout);
		const theirs = parseAwk((await runTimed(['mawk', AWK_SUMMARY, file], {capture: true})).stdout);
		const wrong = disagreements(mine, theirs);
		if (wrong.length > 0) failures.push(`flows ${label}: sgtui and mawk disagree on ${wrong.length} tuples, e.g. ${wrong.slice(0, 2).join('; ')}`);
		if (theirs.size === 0) failures.push(`flows ${label}: no REJECTs found (generator broken?)`);
		const rss = [];
		const samples = await interleave([
			{name: 'sgtui', once: async () => {
				const result = await runTimed([node, ctx.main, 'flows', '--input', file], {sampleRss: true});
				rss.push(result.peakRss / 1024 / 1024);
				return result.seconds;
			}},
			{name: 'mawk', once: async () => (await runTimed(['mawk', AWK_SUMMARY, file])).seconds},
		], ctx.runs, ctx.sample(`flows ${label}`));
		const r = row({what: `1. flows --input, ${label} records (${mb} MB)`, samples: samples.get('sgtui'), unit: 's', peer: `mawk one-liner`, peerSamples: samples.get('mawk')});
		r.budget = '≤ 0.6× mawk';
		r.holds = r.raw / r.peerRaw <= 0.6 ? 'yes' : '**no**';
		r.ok = r.raw / r.peerRaw <= 0.6;
		rows.push(r);
		const peak = Math.max(...rss);
		rows.push(row({what: `1. flows --input, ${label}: peak RSS of the process tree`, samples: rss, unit: 'MB', budget: {text: `< ${RSS_BUDGET_MB} MB`, holds: peak < RSS_BUDGET_MB}, note: 'max over runs decides'}));
		rows.at(-1).holds = peak < RSS_BUDGET_MB ? `yes (max ${peak.toFixed(0)} MB)` : `**no** (max ${peak.toFixed(0)} MB)`;
		rows.at(-1).ok = peak < RSS_BUDGET_MB;
	}

}

/** Benchmark 1's .gz row and benchmark 2, on the smallest size. */
async function gzipAndJson(ctx, sizes, rows, failures) {
	const node = process.execPath;
	// gzip: sgtui decompresses in libuv's thread pool while it scans; the peer is zcat | mawk.
	{
		const records = sizes[0];
		const gz = await input(ctx, records, {gzip: true});
		warm(gz);
		const label = records >= 1e6 ? `${records / 1e6}M` : `${records / 1e3}k`;
		const mine = parseSgtui((await runTimed([node, ctx.main, 'flows', '--input', gz], {capture: true})).stdout);
		const theirs = parseAwk((await runTimed([`zcat < '${gz}' | mawk '${AWK_SUMMARY.replaceAll("'", "'\\''")}'`], {capture: true, shell: true})).stdout);
		const wrong = disagreements(mine, theirs);
		if (wrong.length > 0) failures.push(`flows ${label}.gz: sgtui and zcat | mawk disagree on ${wrong.length} tuples`);
		const samples = await interleave([
			{name: 'sgtui', once: async () => (await runTimed([node, ctx.main, 'flows', '--input', gz])).seconds},
			{name: 'zcat|mawk', once: async () => (await runTimed([`zcat < '${gz}' | mawk '${AWK_SUMMARY.replaceAll("'", "'\\''")}'`], {shell: true})).seconds},
		], ctx.runs, ctx.sample(`flows ${label}.gz`));
		const r = row({what: `1. flows --input, ${label} records, .gz`, samples: samples.get('sgtui'), unit: 's', peer: 'zcat | mawk', peerSamples: samples.get('zcat|mawk')});
		r.budget = '≤ 0.6× peer';
		r.ok = r.raw / r.peerRaw <= 0.6;
		r.holds = r.ok ? 'yes' : '**no**';
		rows.push(r);
	}

	// 2. NDJSON.
	{
		const records = sizes[0];
		const file = await input(ctx, records);
		const label = records >= 1e6 ? `${records / 1e6}M` : `${records / 1e3}k`;
		const mine = (await runTimed([node, ctx.main, 'flows', '--json', '--input', file], {capture: true})).stdout;
		const theirs = (await runTimed(['mawk', AWK_JSON, file], {capture: true})).stdout;
		if (mine !== theirs) failures.push(`flows --json ${label}: sgtui's NDJSON differs from mawk's (${mine.length} vs ${theirs.length} chars)`);
		const samples = await interleave([
			{name: 'sgtui', once: async () => (await runTimed([node, ctx.main, 'flows', '--json', '--input', file])).seconds},
			{name: 'mawk', once: async () => (await runTimed(['mawk', AWK_JSON, file])).seconds},
		], ctx.runs, ctx.sample(`flows --json ${label}`));
		const r = row({what: `2. flows --json, ${label} records → NDJSON (${mine.split('\n').length - 1} lines)`, samples: samples.get('sgtui'), unit: 's', peer: 'mawk printf of the same JSON', peerSamples: samples.get('mawk')});
		r.budget = '≤ 2× mawk';
		r.ok = r.raw / r.peerRaw <= 2;
		r.holds = r.ok ? 'yes' : '**no**';
		rows.push(r);
	}
}

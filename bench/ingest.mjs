#!/usr/bin/env node
// Ingest benchmark: `sgtui flows --input FILE` against the awk one-liner operators use
// (awk '$13=="REJECT"{c[$4" "$7" "$8]++}'), on the same generated file, in the same run.
// Checks both agree tuple by tuple, that reading stays in bounded memory, and exits non-zero
// if sgtui is slower than awk or anything disagrees.
//
//   npm run build && node bench/ingest.mjs [--records 2000000] [--runs 3] [--seed 42]
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync, realpathSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {built, option, root} from './bench-setup.mjs';
import {writeFlowFile} from './generate-flows.mjs';

const records = option('--records', 2_000_000);
const runs = option('--runs', 3);
const seed = option('--seed', 42);

const [main] = built('cli/main.js', 'files/flow-file.js', 'files/flow-summarize.js');

// 1. The input: generated once per (records, seed) and kept in bench/out (gitignored).
const file = join(root, 'bench/out', `flows-${records}-${seed}.log`);
const meta = `${file}.json`;
const wanted = JSON.stringify({records, seed, generator: statSync(join(root, 'bench/generate-flows.mjs')).mtimeMs});
if (!existsSync(file) || !existsSync(meta) || readFileSync(meta, 'utf8') !== wanted) {
	process.stderr.write(`generating ${records} records into ${file} ...\n`);
	await writeFlowFile(file, {records, seed});
	writeFileSync(meta, wanted);
}
const size = statSync(file).size;

// 2. The contenders. awk is whatever `awk` is here (Debian: mawk, fast).
const awkProgram = '$13=="REJECT"{c[$4" "$7" "$8]++} END{for (k in c) print k, c[k]}';
const awkName = (() => {
	try {
		return `awk (${realpathSync('/usr/bin/awk').split('/').pop()})`;
	} catch {
		return 'awk';
	}
})();
const contenders = [
	{name: 'sgtui flows', command: process.execPath, args: [main, 'flows', '--input', file], parse: parseSgtui},
	{name: awkName, command: 'awk', args: [awkProgram, file], parse: parseAwk},
];

const PROTOCOLS = {icmp: 1, tcp: 6, udp: 17, icmpv6: 58};

/** sgtui's table → Map("src port protocol-number" → count). */
function parseSgtui(stdout) {
	const counts = new Map();
	for (const line of stdout.split('\n').slice(1)) {
		// DIR first: awk counts by source address, which is the peer of inbound rows.
		const match = /^in\s+(\S+)\s+(\S+)\s+(\S+)\s+([\d,]+)\s+\S+\s+\S+$/.exec(line);
		if (!match) continue;
		const protocol = PROTOCOLS[match[3]] ?? match[3];
		counts.set(`${match[1]} ${match[2]} ${protocol}`, Number(match[4].replaceAll(',', '')));
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

function timeOnce(contender) {
	const began = process.hrtime.bigint();
	const result = spawnSync(contender.command, contender.args, {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024});
	const seconds = Number(process.hrtime.bigint() - began) / 1e9;
	if (result.status !== 0) throw new Error(`${contender.name} failed (${result.status}): ${result.stderr}`);
	return {seconds, stdout: result.stdout};
}

// Warm the page cache so neither pays for the disk.
spawnSync('cat', [file], {stdio: ['ignore', 'ignore', 'ignore']});

const results = contenders.map((contender) => ({contender, times: [], counts: null}));
for (let run = 0; run < runs; run++) {
	// Alternate, so background load hits both alike.
	for (const result of run % 2 === 0 ? results : [...results].reverse()) {
		const {seconds, stdout} = timeOnce(result.contender);
		result.times.push(seconds);
		result.counts ??= result.contender.parse(stdout);
	}
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const total = (counts) => [...counts.values()].reduce((sum, n) => sum + n, 0);
const [sgtui, awk] = results;

// 3. Agreement, tuple by tuple.
const mismatches = [];
for (const [key, count] of awk.counts) if (sgtui.counts.get(key) !== count) mismatches.push(`${key}: awk ${count}, sgtui ${sgtui.counts.get(key) ?? 0}`);
for (const key of sgtui.counts.keys()) if (!awk.counts.has(key)) mismatches.push(`${key}: only in sgtui`);

// 4. Bounded memory: read the whole file through both sgtui paths and report peak RSS.
function peakRss(mode) {
	const script = `
		import {openFlowFile} from ${JSON.stringify(join(root, 'dist/files/flow-file.js'))};
		import {summarizeFlowFile} from ${JSON.stringify(join(root, 'dist/files/flow-summarize.js'))};
		const file = ${JSON.stringify(file)};
		// Sampled, not maxRSS: a spawned child's maxRSS can start at its parent's.
		let peak = 0;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
		let n = 0;
		if (${JSON.stringify(mode)} === 'records') { const {records} = openFlowFile(file); for await (const r of records) n++; }
		else { const {stats} = await summarizeFlowFile(file); n = stats.records; }
		clearInterval(sampler);
		console.log(JSON.stringify({n, maxRssKb: Math.round(peak / 1024)}));`;
	const scriptFile = join(root, 'bench/out', `rss-${mode}.mjs`);
	writeFileSync(scriptFile, script);
	// A heap far smaller than the file: anything kept per line would run out of memory.
	const result = spawnSync(process.execPath, ['--max-old-space-size=64', '--max-semi-space-size=8', scriptFile], {encoding: 'utf8'});
	if (result.status !== 0) throw new Error(`memory check (${mode}) failed: ${result.stderr}`);
	return JSON.parse(result.stdout);
}
const RSS_LIMIT_MB = 160;
const memory = ['summary', 'records'].map((mode) => ({mode, ...peakRss(mode)}));

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rows = results.map(({contender, times, counts}) => [
	contender.name,
	...times.map((t) => `${t.toFixed(2)}s`),
	`${median(times).toFixed(2)}s`,
	`${((size / 1024 / 1024) / median(times)).toFixed(0)} MB/s`,
	String(total(counts)),
	String(counts.size),
]);
const headers = ['tool', ...Array.from({length: runs}, (_, i) => `run ${i + 1}`), 'median', 'throughput', 'rejects', 'tuples'];
const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column].length)));
const line = (cells) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
console.log(`${records.toLocaleString('en-US')} records, ${mb(size)}: ${file}`);
console.log(line(headers));
for (const row of rows) console.log(line(row));
console.log('');
for (const {mode, n, maxRssKb} of memory) console.log(`peak RSS reading all ${n} records (${mode} path): ${(maxRssKb / 1024).toFixed(0)} MB (64 MB heap; limit ${RSS_LIMIT_MB} MB for a ${mb(size)} file)`);

const failures = [];
if (mismatches.length > 0) failures.push(`sgtui and awk disagree on ${mismatches.length} tuples, e.g. ${mismatches.slice(0, 3).join('; ')}`);
if (total(sgtui.counts) === 0) failures.push('no rejects found: the generator or the parser is broken');
if (median(sgtui.times) >= median(awk.times)) failures.push(`sgtui (${median(sgtui.times).toFixed(2)}s) is slower than ${awkName} (${median(awk.times).toFixed(2)}s)`);
for (const {mode, maxRssKb, n} of memory) {
	if (maxRssKb / 1024 > RSS_LIMIT_MB) failures.push(`${mode} path peaked at ${(maxRssKb / 1024).toFixed(0)} MB`);
	if (n !== records) failures.push(`${mode} path read ${n} records, expected ${records}`);
}
if (failures.length > 0) {
	for (const failure of failures) console.error(`FAIL: ${failure}`);
	process.exit(1);
}
console.log(`OK: same ${total(awk.counts)} rejects in ${awk.counts.size} tuples; sgtui ${(median(awk.times) / median(sgtui.times)).toFixed(2)}x the speed of ${awkName}`);

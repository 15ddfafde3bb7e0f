// The reject stream's soaks (bench/stream-soak.mjs), in two forms. Wall clock: the lab → SDK path
// for 120 s with a 30 s late-delivery window (smoke: 30 s, 15 s window). Data-accelerated: the
// issue's 8 hours at 200 records/s with 20 new peers/s (5.76M records) on a simulated clock
// through parser, stream machine, de-duplicator and both bounded aggregates (smoke: 3 hours).
// Each script's exit status decides: exactly once / exact totals, and flat memory.
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {join} from 'node:path';

async function runScript(script, args) {
	const child = spawn(process.execPath, ['--expose-gc', script, ...args], {stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const code = await new Promise((resolve) => child.on('close', resolve));
	return {code, lines: output.trim().split('\n').map((line) => line.trim())};
}

export async function run(ctx) {
	const script = join(ctx.root, 'bench/stream-soak.mjs');
	if (!existsSync(script)) return {rows: [], failures: [], notes: ['bench/stream-soak.mjs is not here: skipped']};
	const rows = [];
	const notes = [];
	const seconds = ctx.smoke ? 30 : 120;
	const window = ctx.smoke ? '0.25' : '0.5';
	const wall = await runScript(script, ['--seconds', String(seconds), '--window-minutes', window]);
	rows.push({what: `soak: reject stream for ${seconds} s (stream-soak.mjs --seconds ${seconds} --window-minutes ${window})`, median: '', range: '', n: 1, peer: '', peerMedian: '', ratio: '', budget: 'exactly once, flat RSS', holds: wall.code === 0 ? 'yes' : `**no** (exit ${wall.code})`, ok: wall.code === 0});
	notes.push(...wall.lines.slice(-3).map((line) => `soak: ${line}`));

	const hours = ctx.smoke ? 3 : 8;
	const fast = await runScript(script, ['--hours', String(hours)]);
	let result = null;
	try {
		result = JSON.parse(fast.lines.find((line) => line.startsWith('{')) ?? 'null');
	} catch {}
	const ok = fast.code === 0 && result !== null;
	rows.push({
		what: `soak: ${hours} simulated hours at 200 records/s, 20 new peers/s (stream-soak.mjs --hours ${hours}; not wall clock)`,
		median: result ? `heap ${result.heapMb.secondHour} → ${result.heapMb.lastHour} MB` : '',
		range: result ? `max ${result.heapMb.max} MB` : '',
		n: 1, peer: '', peerMedian: '', ratio: '',
		budget: 'exact totals, heap of the last hour ≤ 1.1 × the second + 5 MB',
		holds: ok ? `yes (${result.emitted.toLocaleString('en-US')} records, ${result.wallSeconds} s)` : `**no** (exit ${fast.code})`,
		ok,
	});
	if (result) notes.push(`accelerated soak per simulated hour (heap MB after GC): ${result.samples.map((sample) => sample.heapMb).join(', ')}`);
	else notes.push(...fast.lines.slice(-3).map((line) => `accelerated soak: ${line}`));
	return {rows, failures: [], notes};
}

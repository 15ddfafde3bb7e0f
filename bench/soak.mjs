// The reject stream's long soak (bench/stream-soak.mjs, engineer "stream"), run here in a short
// form: 120 s with a 30 s late-delivery window (smoke: 30 s, 15 s window). Its own exit status
// decides: exactly-once delivery and flat RSS.
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {join} from 'node:path';

export async function run(ctx) {
	const script = join(ctx.root, 'bench/stream-soak.mjs');
	if (!existsSync(script)) return {rows: [], failures: [], notes: ['bench/stream-soak.mjs is not here: skipped']};
	const seconds = ctx.smoke ? 30 : 120;
	const window = ctx.smoke ? '0.25' : '0.5';
	const child = spawn(process.execPath, ['--expose-gc', script, '--seconds', String(seconds), '--window-minutes', window], {stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const code = await new Promise((resolve) => child.on('close', resolve));
	const tail = output.trim().split('\n').slice(-3).map((line) => line.trim());
	const holds = code === 0;
	return {
		rows: [{what: `soak: reject stream for ${seconds} s (stream-soak.mjs --seconds ${seconds} --window-minutes ${window})`, median: '', range: '', n: 1, peer: '', peerMedian: '', ratio: '', budget: 'exactly once, flat RSS', holds: holds ? 'yes' : `**no** (exit ${code})`, ok: holds}],
		failures: [],
		notes: tail.map((line) => `soak: ${line}`),
	};
}

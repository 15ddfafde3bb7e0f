// Benchmark 4: event → screen on the Live Tail path. One lab (in this process, no simulated
// traffic); three watchers of web-1's ENI at once: the TUI's Rejects tab (pty), `sgtui tail --json`
// and the Debian AWS CLI's `aws logs tail --follow`. Each run ingests one REJECT with a unique
// source address and times until each watcher shows it.
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {openWebRejects, labEnv, rejectRecord, startBenchLab} from './lib/lab-tui.mjs';
import {sleep} from './lib/pty.mjs';
import {median, row} from './lib/stats.mjs';
import {AWS_CLI} from './startup.mjs';

const ENI = 'eni-0f1e2d3c4b5a69788';

/** A process whose stdout we search for text, timestamped on arrival. */
function watchProcess(argv, env) {
	const child = spawn(argv[0], argv.slice(1), {stdio: ['ignore', 'pipe', 'pipe'], env});
	let text = '';
	const waiters = [];
	const onData = (chunk) => {
		const at = performance.now();
		text += chunk;
		if (text.length > 1_000_000) text = text.slice(-100_000);
		for (const waiter of [...waiters]) if (text.includes(waiter.needle)) {
			waiters.splice(waiters.indexOf(waiter), 1);
			clearTimeout(waiter.timer);
			waiter.resolve(at);
		}
	};
	child.stdout.on('data', onData);
	let stderr = '';
	child.stderr.on('data', (chunk) => (stderr += chunk));
	return {
		child,
		stderr: () => stderr,
		waitFor(needle, timeoutMs = 30_000) {
			return new Promise((resolve, reject) => {
				if (text.includes(needle)) return resolve(performance.now());
				const waiter = {needle, resolve, timer: setTimeout(() => {
					waiters.splice(waiters.indexOf(waiter), 1);
					reject(new Error(`${argv[0]}: no ${needle} within ${timeoutMs} ms; stderr: ${stderr.slice(-300)}`));
				}, timeoutMs)};
				waiters.push(waiter);
			});
		},
		stop() {
			if (child.exitCode === null) child.kill('SIGTERM');
		},
	};
}

export async function run(ctx) {
	const rows = [];
	const failures = [];
	const notes = [];
	const {lab, flowTarget} = await startBenchLab(ctx.root);
	const home = mkdtempSync(join(tmpdir(), 'sgtui-bench-home-'));
	const env = {...process.env, ...labEnv(lab, home), AWS_DEFAULT_REGION: lab.region, AWS_PAGER: ''};
	const watchers = [];
	let app = null;
	try {
		const {eni, flowLog, fields} = flowTarget(ENI);
		const record = (src, port) => {
			const now = String(Math.floor(Date.now() / 1000));
			return rejectRecord(lab, eni, fields, {'srcaddr': src, 'srcport': String(port), 'dstport': '22', 'start': now, 'end': now});
		};

		const tail = watchProcess([process.execPath, join(ctx.root, 'dist/cli/sgtui.js'), 'tail', ENI, '--json', '--since', '1s', '--endpoint-url', lab.endpoint, '--region', lab.region], env);
		watchers.push({name: 'sgtui tail', watcher: tail});
		if (existsSync(AWS_CLI)) {
			const aws = watchProcess([AWS_CLI, 'logs', 'tail', flowLog.LogGroupName, '--follow', '--log-stream-names', ENI, '--since', '1m', '--format', 'short', '--endpoint-url', lab.endpoint, '--region', lab.region], env);
			watchers.push({name: 'aws logs tail --follow', watcher: aws});
		} else {
			notes.push(`${AWS_CLI} (Debian awscli v2) is missing: the AWS CLI column is empty`);
		}
		app = await openWebRejects(ctx.root, lab, env);
		const tui = {waitFor: (needle, timeoutMs = 30_000) => app.waitFor(needle, timeoutMs)};
		watchers.unshift({name: 'TUI Rejects tab', watcher: tui});

		// Warm-up: every watcher has seen one record before timing starts.
		lab.appendFlowRecords(ENI, [record('192.0.2.250', 40999)]);
		await Promise.all(watchers.map(({watcher}) => watcher.waitFor('192.0.2.250', 60_000)));

		const samples = new Map(watchers.map(({name}) => [name, []]));
		for (let run = 0; run < ctx.runs; run++) {
			// Land at different points of the watchers' 1 s cycles.
			await sleep(1300 + ((run * 370) % 1000));
			const src = `192.0.2.${10 + run}`;
			app.mark();
			const sent = performance.now();
			lab.appendFlowRecords(ENI, [record(src, 41000 + run)]);
			await Promise.all(watchers.map(async ({name, watcher}) => {
				try {
					samples.get(name).push(((await watcher.waitFor(src, 30_000)) - sent) / 1000);
				} catch (error) {
					failures.push(`${name}: ${error.message}`);
				}
			}));
			ctx.sample('event → screen')(`run ${run + 1}`, watchers.map(({name}) => `${name} ${samples.get(name).at(-1)?.toFixed(2)} s`).join(', '));
		}
		const awsSamples = samples.get('aws logs tail --follow') ?? null;
		for (const name of ['TUI Rejects tab', 'sgtui tail']) {
			const mine = samples.get(name);
			const r = row({what: `4. event → screen: ${name === 'sgtui tail' ? 'sgtui tail --json' : 'TUI Rejects tab (pty)'}`, samples: mine, unit: 's', peer: awsSamples ? 'aws logs tail --follow (Debian AWS CLI v2)' : '', peerSamples: awsSamples});
			r.budget = 'median ≤ 1.2 s and ≥ 3× sooner';
			const m = mine.length > 0 ? median(mine) : Infinity;
			const theirs = awsSamples && awsSamples.length > 0 ? median(awsSamples) : null;
			r.ok = m <= 1.2 && (theirs === null || theirs / m >= 3);
			r.holds = `${r.ok ? 'yes' : '**no**'}${theirs ? ` (${(theirs / m).toFixed(1)}× sooner)` : ''}`;
			rows.push(r);
		}
		notes.push('The lab sends Live Tail sessionUpdates every second, as AWS does; the AWS CLI polls FilterLogEvents.');
	} catch (error) {
		failures.push(error instanceof Error ? error.message : String(error));
	} finally {
		for (const {watcher} of watchers) watcher.stop?.();
		if (app) {
			app.send('q');
			await app.close();
		}
		await lab.close();
		rmSync(home, {recursive: true, force: true});
	}
	return {rows, failures, notes};
}

// Benchmark 4: event → screen on the Live Tail path. One lab (in this process, no simulated
// traffic); three watchers of web-1's ENI at once: the TUI's Rejects tab (pty), `sgtui tail --json`
// and the Debian AWS CLI's `aws logs tail --follow`. Each run ingests one REJECT with a unique
// source address and times until each watcher shows it.
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {PtyApp, sleep} from './lib/pty.mjs';
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
	const dist = (path) => pathToFileURL(join(ctx.root, 'dist', path)).href;
	const {startLab} = await import(dist('lab/lab.js'));
	const {eniFacts, coveringFlowLog} = await import(dist('lab/snapshot-state.js'));
	const lab = await startLab({simulate: false});
	const home = mkdtempSync(join(tmpdir(), 'sgtui-bench-home-'));
	const env = {
		...process.env, HOME: home, XDG_STATE_HOME: home, AWS_ACCESS_KEY_ID: lab.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: lab.credentials.secretAccessKey,
		AWS_REGION: lab.region, AWS_DEFAULT_REGION: lab.region, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: join(home, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
		AWS_PAGER: '',
	};
	const watchers = [];
	let app = null;
	try {
		const eni = eniFacts(lab.state).get(ENI);
		const flowLog = coveringFlowLog(lab.state, eni);
		const format = (lab.state.logs.groups.get(flowLog.LogGroupName)?.flowFormat ?? '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}')
			.trim().split(/\s+/).map((token) => token.slice(2, -1));
		const record = (src, port) => {
			const now = String(Math.floor(Date.now() / 1000));
			const values = {'version': '2', 'account-id': lab.accountId, 'interface-id': ENI, 'srcaddr': src, 'dstaddr': eni.privateIps[0], 'srcport': String(port), 'dstport': '22', 'protocol': '6', 'packets': '1', 'bytes': '40', 'start': now, 'end': now, 'action': 'REJECT', 'log-status': 'OK', 'flow-direction': 'ingress', 'vpc-id': eni.vpcId ?? '-', 'subnet-id': eni.subnetId ?? '-', 'instance-id': eni.instanceId ?? '-', 'tcp-flags': '2', 'type': 'IPv4', 'pkt-srcaddr': src, 'pkt-dstaddr': eni.privateIps[0]};
			return format.map((field) => values[field] ?? '-').join(' ');
		};

		const tail = watchProcess([process.execPath, join(ctx.root, 'dist/cli/sgtui.js'), 'tail', ENI, '--json', '--since', '1s', '--endpoint-url', lab.endpoint, '--region', lab.region], env);
		watchers.push({name: 'sgtui tail', watcher: tail});
		if (existsSync(AWS_CLI)) {
			const aws = watchProcess([AWS_CLI, 'logs', 'tail', flowLog.LogGroupName, '--follow', '--log-stream-names', ENI, '--since', '1m', '--format', 'short', '--endpoint-url', lab.endpoint, '--region', lab.region], env);
			watchers.push({name: 'aws logs tail --follow', watcher: aws});
		} else {
			notes.push(`${AWS_CLI} (Debian awscli v2) is missing: the AWS CLI column is empty`);
		}
		app = new PtyApp([process.execPath, join(ctx.root, 'dist/cli/sgtui.js'), '--endpoint-url', lab.endpoint, '--region', lab.region], {env});
		await app.waitFor('Network interfaces', 60_000);
		await app.settle();
		app.send('/');
		await sleep(200);
		app.send('web-1');
		await sleep(300);
		app.send('\r');
		await sleep(500);
		app.send('\r');
		await app.waitFor('Security group', 20_000);
		await app.settle();
		app.mark();
		app.send('3');
		await app.waitFor('streaming', 30_000);
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

#!/usr/bin/env node
// Many-host SSH benchmark: the lab's ssh2 server plays N hosts; `sgtui ports` probes them all
// through the real SSH path (handshake, host-key check, key auth, exec). Checks every host came
// back with its own listing, and exits non-zero past the budget (default 10 s for 50 hosts on a
// 2-core machine).
//
//   npm run build && node bench/ssh-many.mjs [--hosts 50] [--concurrency 16] [--budget-ms 10000]
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {built, option} from './bench-setup.mjs';

const count = option('--hosts', 50);
const concurrency = option('--concurrency', 16);
const budgetMs = option('--budget-ms', 10_000);

const [main, labModule] = built('cli/main.js', 'lab/ssh-hosts.js');

const {startLabSshServer, writeLabSshFiles} = await import(pathToFileURL(labModule).href);
const ids = Array.from({length: count}, (_, index) => `i-0be0c${String(index).padStart(12, '0')}`);
const hosts = Object.fromEntries(ids.map((id, index) => [id, {
	os: 'linux',
	listingText: `tcp LISTEN 0 128 0.0.0.0:${20000 + index} 0.0.0.0:* users:(("app${index}",pid=${1000 + index},fd=3))\n`
		+ 'tcp LISTEN 0 128 127.0.0.1:5432 0.0.0.0:* users:(("postgres",pid=900,fd=5))\n',
}]));
const dir = mkdtempSync(join(tmpdir(), 'sgtui-bench-ssh-'));
const server = await startLabSshServer({hosts});
try {
	const files = await writeLabSshFiles(server, ids, dir);
	const started = performance.now();
	const child = spawn(process.execPath, [main, 'ports', ...ids, '-F', files.configFile, '--json', '--concurrency', String(concurrency)], {stdio: ['ignore', 'pipe', 'inherit']});
	let stdout = '';
	child.stdout.on('data', (chunk) => (stdout += chunk));
	const code = await new Promise((resolve) => child.on('close', resolve));
	const elapsedMs = performance.now() - started;
	const results = JSON.parse(stdout).hosts;
	const wrong = results.filter((host, index) => host.error || host.target !== ids[index] || !host.listeners.some((listener) => listener.port === 20000 + index));
	console.log(`sgtui ports: ${count} hosts, concurrency ${concurrency}: ${Math.round(elapsedMs)} ms (${(elapsedMs / count).toFixed(1)} ms/host), exit ${code}, ${server.commandCount} commands answered`);
	if (results.length !== count || wrong.length > 0) {
		console.error(`bench: ${wrong.length} of ${results.length} hosts wrong or failed (expected ${count})`);
		process.exitCode = 1;
	} else if (elapsedMs > budgetMs) {
		console.error(`bench: over budget (${Math.round(elapsedMs)} ms > ${budgetMs} ms)`);
		process.exitCode = 1;
	}
} finally {
	await server.close();
	rmSync(dir, {recursive: true, force: true});
}

// Benchmark 7: SSH fan-out. `sgtui ports HOST… --json` gathering the listener inventory of 50
// lab hosts (the lab's ssh2 server plays them all on one loopback port) and of 10 real OpenSSH
// sshd processes started here on 127.0.0.1, against what an operator would type without sgtui:
// a sequential `for h in …; do ssh h ss …; done` with OpenSSH's client, same hosts, same run.
import {execFileSync, spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {connect, createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {runTimed} from './lib/proc.mjs';
import {interleave, row} from './lib/stats.mjs';

const SSHD = '/usr/sbin/sshd';

function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** `count` OpenSSH sshd processes on loopback sharing one host key and one client key. */
async function startSshds(count, dir) {
	mkdirSync(dir, {recursive: true});
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_ed25519')]);
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client_ed25519')]);
	writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_ed25519.pub')), {mode: 0o600});
	try {
		execFileSync('mkdir', ['-p', '/run/sshd']);
	} catch {}
	const hostLine = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
	const user = execFileSync('id', ['-un'], {encoding: 'utf8'}).trim();
	const servers = [];
	for (let index = 0; index < count; index++) {
		const port = await freePort();
		const config = join(dir, `sshd_${index}.conf`);
		writeFileSync(config, [
			`ListenAddress 127.0.0.1:${port}`, `HostKey ${join(dir, 'host_ed25519')}`, `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
			`PidFile ${join(dir, `sshd_${index}.pid`)}`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PubkeyAuthentication yes',
			'PermitRootLogin prohibit-password', 'UsePAM no', 'StrictModes no', 'MaxStartups 100', 'LogLevel ERROR', '',
		].join('\n'));
		const child = spawn(SSHD, ['-D', '-e', '-f', config], {stdio: ['ignore', 'ignore', 'pipe']});
		let log = '';
		child.stderr.on('data', (chunk) => (log += chunk));
		servers.push({port, child, log: () => log});
	}
	// Listening when a connection is accepted.
	for (const server of servers) {
		const deadline = Date.now() + 10_000;
		for (;;) {
			const ok = await new Promise((resolve) => {
				const socket = connect(server.port, '127.0.0.1');
				socket.once('connect', () => (socket.destroy(), resolve(true)));
				socket.once('error', () => resolve(false));
			});
			if (ok) break;
			if (Date.now() > deadline || server.child.exitCode !== null) throw new Error(`sshd on ${server.port} did not start: ${server.log()}`);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	}
	const names = servers.map((_, index) => `sshd-${index}`);
	writeFileSync(join(dir, 'known_hosts'), servers.map((server) => `[127.0.0.1]:${server.port} ${hostLine}`).join('\n') + '\n');
	writeFileSync(join(dir, 'ssh_config'), [
		...servers.map((server, index) => `Host ${names[index]}\n  HostName 127.0.0.1\n  Port ${server.port}\n  User ${user}`),
		'Host *', `  IdentityFile ${join(dir, 'client_ed25519')}`, '  IdentitiesOnly yes', `  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
		'  StrictHostKeyChecking yes', '  BatchMode yes', '',
	].join('\n'));
	return {names, config: join(dir, 'ssh_config'), stop: () => Promise.all(servers.map((server) => new Promise((resolve) => {
		if (server.child.exitCode !== null) return resolve();
		server.child.once('exit', resolve);
		server.child.kill('SIGTERM');
	})))};
}

/** Runs sgtui ports over the hosts; checks every host answered with listeners. */
async function sgtuiPorts(ctx, hosts, config, check) {
	const result = await runTimed([process.execPath, join(ctx.root, 'dist/cli/sgtui.js'), 'ports', ...hosts, '-F', config, '--json'], {capture: true}).catch((error) => ({error}));
	if (result.error) throw result.error;
	const answered = JSON.parse(result.stdout).hosts;
	const wrong = answered.filter((host, index) => host.error || host.target !== hosts[index] || !check(host, index));
	if (answered.length !== hosts.length || wrong.length > 0) throw new Error(`sgtui ports: ${wrong.length} of ${answered.length} hosts wrong, e.g. ${JSON.stringify(wrong[0]).slice(0, 300)}`);
	return result.seconds;
}

async function sequentialSsh(hosts, config, command) {
	const script = `for h in ${hosts.join(' ')}; do ssh -F '${config}' "$h" '${command}' || exit 1; done`;
	return (await runTimed([script], {shell: true})).seconds;
}

export async function run(ctx) {
	const rows = [];
	const failures = [];
	const notes = [];
	const dir = mkdtempSync(join(tmpdir(), 'sgtui-bench-ssh-'));
	try {
		// 50 lab hosts.
		const labHosts = ctx.labHosts;
		const {startLabSshServer, writeLabSshFiles} = await import(pathToFileURL(join(ctx.root, 'dist/lab/ssh-hosts.js')).href);
		const ids = Array.from({length: labHosts}, (_, index) => `i-0bench${String(index).padStart(10, '0')}`);
		const hosts = Object.fromEntries(ids.map((id, index) => [id, {
			os: 'linux',
			listingText: `tcp LISTEN 0 128 0.0.0.0:${20000 + index} 0.0.0.0:* users:(("app${index}",pid=${1000 + index},fd=3))\n`
				+ 'tcp LISTEN 0 128 127.0.0.1:5432 0.0.0.0:* users:(("postgres",pid=900,fd=5))\n',
		}]));
		const server = await startLabSshServer({hosts});
		try {
			const files = await writeLabSshFiles(server, ids, join(dir, 'lab'));
			const samples = await interleave([
				{name: 'sgtui', once: () => sgtuiPorts(ctx, ids, files.configFile, (host, index) => host.listeners.some((listener) => listener.port === 20000 + index))},
				{name: 'ssh loop', once: () => sequentialSsh(ids, files.configFile, 'ss -H -ltnup')},
			], ctx.runs, ctx.sample(`ssh ${labHosts} lab hosts`));
			const r = row({what: `7. sgtui ports: listener inventory of ${labHosts} lab hosts (ssh2 server on loopback)`, samples: samples.get('sgtui'), unit: 's', peer: 'sequential `ssh host ss -H -ltnup` loop (OpenSSH client)', peerSamples: samples.get('ssh loop')});
			r.budget = '< 3 s';
			r.ok = r.raw < 3;
			r.holds = r.ok ? 'yes' : '**no**';
			rows.push(r);
		} finally {
			await server.close();
		}

		// 10 real sshd.
		if (!existsSync(SSHD)) {
			notes.push(`${SSHD} is missing (apt-get install openssh-server): the real-sshd row is skipped`);
		} else {
			const count = ctx.sshdCount;
			const sshds = await startSshds(count, join(dir, 'sshd'));
			try {
				const samples = await interleave([
					{name: 'sgtui', once: () => sgtuiPorts(ctx, sshds.names, sshds.config, (host) => host.listeners.length > 0)},
					{name: 'ssh loop', once: () => sequentialSsh(sshds.names, sshds.config, 'ss -lntup')},
				], ctx.runs, ctx.sample(`ssh ${count} sshd`));
				rows.push(row({what: `7. sgtui ports: listener inventory of ${count} real OpenSSH sshd targets on loopback`, samples: samples.get('sgtui'), unit: 's', peer: 'sequential `ssh host ss -lntup` loop', peerSamples: samples.get('ssh loop')}));
			} finally {
				await sshds.stop();
			}
		}
	} catch (error) {
		failures.push(error instanceof Error ? error.message : String(error));
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
	return {rows, failures, notes};
}

// Benchmark 5: start-up. `sgtui --version` (the installed launcher) against `node -e 0`;
// `sgtui ports --input` on a small capture; the first frame and the first inventory frame of
// `sgtui --demo` and `sgtui --snapshot demo/snapshot` in a pty; `aws --version` (the Debian AWS CLI)
// as the reference a user knows. The budget "first demo frame < 1.5 s" is held by the first USEFUL
// frame, the inventory on screen (demo lab started, SDK loaded, the Describe* calls answered): the
// one-line "starting" frame before it shows nothing a user can act on, so it is reported only.
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PtyApp} from './lib/pty.mjs';
import {runTimed} from './lib/proc.mjs';
import {interleave, row} from './lib/stats.mjs';

export const AWS_CLI = '/usr/bin/aws';

/**
 * Milliseconds from spawning the TUI to its first frame and to the inventory on screen. A fresh
 * HOME each run; the SDK's V8 code cache (source/aws/code-cache.ts) in `cacheHome`, which is how a
 * user starts every time but the first after installing or upgrading.
 */
async function tuiStart(ctx, args, cacheHome) {
	const home = mkdtempSync(join(tmpdir(), 'sgtui-bench-home-'));
	const app = new PtyApp([process.execPath, join(ctx.root, 'dist/cli/sgtui.js'), ...args], {env: {HOME: home, XDG_STATE_HOME: home, XDG_CACHE_HOME: cacheHome ?? join(home, '.cache')}});
	try {
		const first = await app.waitFor(/sgtui ·|Network interfaces/, 60_000);
		const inventory = await app.waitFor('Network interfaces', 60_000);
		return {first: first - app.started, inventory: inventory - app.started};
	} finally {
		app.send('q');
		await app.close();
		rmSync(home, {recursive: true, force: true});
	}
}

export async function run(ctx) {
	const rows = [];
	const failures = [];
	const notes = [];
	const node = process.execPath;
	const launcher = join(ctx.root, 'dist/cli/sgtui.js');
	const listing = join(ctx.root, 'test/fixtures/listeners/netstat-lnt.txt');
	const haveAws = existsSync(AWS_CLI);
	if (!haveAws) notes.push(`${AWS_CLI} (Debian awscli) is missing: apt-get install awscli for the reference row`);
	const ms = async (argv) => (await runTimed(argv)).seconds * 1000;
	const cli = await interleave([
		{name: 'node', once: () => ms([node, '-e', '0'])},
		{name: 'version', once: () => ms([node, launcher, '--version'])},
		{name: 'ports', once: () => ms([node, launcher, 'ports', '--input', listing])},
		...(haveAws ? [{name: 'aws', once: () => ms([AWS_CLI, '--version'])}] : []),
	], ctx.runs, ctx.sample('start-up'));
	const version = row({what: '5. sgtui --version', samples: cli.get('version'), unit: 'ms', peer: 'node -e 0', peerSamples: cli.get('node')});
	version.budget = '≤ 1.5× node -e 0';
	version.ok = version.raw / version.peerRaw <= 1.5;
	version.holds = version.ok ? 'yes' : '**no**';
	rows.push(version);
	rows.push(row({what: '5. sgtui ports --input (small netstat capture)', samples: cli.get('ports'), unit: 'ms', peer: 'node -e 0', peerSamples: cli.get('node')}));
	if (haveAws) rows.push(row({what: '5. aws --version (Debian AWS CLI v2, reference)', samples: cli.get('aws'), unit: 'ms', peer: 'node -e 0', peerSamples: cli.get('node')}));

	// One code cache for the runs below, filled by an untimed run first; the cold start (a fresh
	// cache, as on the first run after installing) is measured separately.
	const cacheHome = mkdtempSync(join(tmpdir(), 'sgtui-bench-cache-'));
	const cold = [];
	for (let run = 0; run < ctx.runs; run++) {
		const result = await tuiStart(ctx, ['--demo']);
		cold.push(result.inventory);
		ctx.sample('tui --demo (cold code cache)')('inventory', `${result.inventory.toFixed(0)} ms`);
	}
	await tuiStart(ctx, ['--demo'], cacheHome);
	for (const [label, args] of [['--demo', ['--demo']], ['--snapshot demo/snapshot', ['--snapshot', join(ctx.root, 'demo/snapshot')]]]) {
		const first = [];
		const inventory = [];
		const aws = [];
		for (let run = 0; run < ctx.runs; run++) {
			const result = await tuiStart(ctx, args, cacheHome);
			first.push(result.first);
			inventory.push(result.inventory);
			ctx.sample(`tui ${label}`)('first/inventory', `${result.first.toFixed(0)} / ${result.inventory.toFixed(0)} ms`);
			if (haveAws) aws.push(await ms([AWS_CLI, '--version']));
		}
		rows.push(row({what: `5. sgtui ${label}: first frame (the "starting" line)`, samples: first, unit: 'ms', peer: haveAws ? 'aws --version' : '', peerSamples: haveAws ? aws : null}));
		const inventoryRow = row({what: `5. sgtui ${label}: first useful frame (the inventory on screen)`, samples: inventory, unit: 'ms', peer: haveAws ? 'aws --version' : '', peerSamples: haveAws ? aws : null});
		if (label === '--demo') {
			inventoryRow.budget = '< 1500 ms';
			inventoryRow.ok = inventoryRow.raw < 1500;
			inventoryRow.holds = inventoryRow.ok ? 'yes' : '**no**';
		}
		rows.push(inventoryRow);
	}
	rows.push(row({what: '5. sgtui --demo: first useful frame, cold code cache (first run after installing)', samples: cold, unit: 'ms'}));
	rmSync(cacheHome, {recursive: true, force: true});
	notes.push('The TUI rows share one V8 code cache for the AWS SDK (filled by an untimed run first), as every start but the first after installing has; the cold row starts each run with an empty one.');
	notes.push('The TUI figures are from spawning `script` (which allocates the pty) to the frame arriving on the pty, so they include the shell `script` starts.');
	return {rows, failures, notes};
}

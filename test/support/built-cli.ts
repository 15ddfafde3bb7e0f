// The built CLI for tests that run `sgtui` as a user does. Where it is comes from global-setup.ts;
// when dist/ is stale, the first caller in the run builds it into the temp dir while the other
// test processes wait, so a run compiles the project at most once.
import {spawnSync, type SpawnSyncOptionsWithStringEncoding, type SpawnSyncReturns} from 'node:child_process';
import {copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {inject} from 'vitest';

export const root = fileURLToPath(new URL('../../', import.meta.url));

const BUILD_WAIT_MS = 300_000;

function sleep(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function buildOnce(buildDir: string): void {
	const done = join(buildDir, '.built');
	try {
		// mkdir is atomic: exactly one test process wins and builds.
		mkdirSync(join(buildDir, '.lock'));
	} catch {
		const deadline = Date.now() + BUILD_WAIT_MS;
		while (!existsSync(done)) {
			if (Date.now() > deadline) throw new Error(`built CLI: gave up waiting for another test process to build into ${buildDir}`);
			sleep(100);
		}
		return;
	}
	// Type errors in files being edited elsewhere still emit (no noEmitOnError), as `npm run build` does.
	// The temp dir is laid out as the package is (dist/, package.json, demo/, node_modules/), so the
	// built CLI finds its package root and the bundled demo as an installed one does.
	const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(buildDir, 'dist')], {encoding: 'utf8'});
	copyFileSync(join(root, 'package.json'), join(buildDir, 'package.json'));
	symlinkSync(join(root, 'node_modules'), join(buildDir, 'node_modules'));
	symlinkSync(join(root, 'demo'), join(buildDir, 'demo'));
	writeFileSync(done, existsSync(join(buildDir, 'dist/cli/main.js')) ? '' : `tsc exited ${tsc.status}: ${tsc.stdout}${tsc.stderr}`);
}

/** Absolute path of the built cli/main.js, fresh for this run. */
export function builtCli(): string {
	const main = inject('builtCli');
	const buildDir = inject('builtCliBuildDir');
	if (!main) throw new Error('built CLI: not provided — is test/support/global-setup.ts registered in vitest.config.ts?');
	if (buildDir) {
		buildOnce(buildDir);
		const failure = readFileSync(join(buildDir, '.built'), 'utf8');
		if (failure) throw new Error(`built CLI: the build produced no cli/main.js: ${failure}`);
	}
	return main;
}

/** The directory the build's modules are in (dist/ or the temp build), for scripts that import them. */
export function builtDir(): string {
	return dirname(dirname(builtCli()));
}

/** Runs `sgtui ARGS` from the built CLI: cwd the repo root unless given, NO_COLOR set, output as text. */
export function runCli(args: readonly string[], options: Partial<SpawnSyncOptionsWithStringEncoding> = {}): SpawnSyncReturns<string> {
	return spawnSync(process.execPath, [builtCli(), ...args], {cwd: root, ...options, encoding: 'utf8', env: {...process.env, NO_COLOR: '1', ...options.env}});
}

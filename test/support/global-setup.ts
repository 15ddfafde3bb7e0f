// Decides once per vitest run where the built CLI is, for the tests that run it as a user does.
// `npm test` builds dist/ first, so dist/ is used when it is at least as new as every source file;
// otherwise the tests must not run a stale build, and the first test that needs the CLI builds it
// once into a temp dir (see built-cli.ts). Lazily: a run without CLI tests costs no build.
import {mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {TestProject} from 'vitest/node';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Absolute path of the built cli/main.js (in a temp build dir it may not exist yet). */
		builtCli: string;
		/** The temp dir to build into on first use, or '' when dist/ is fresh. */
		builtCliBuildDir: string;
	}
}

const root = fileURLToPath(new URL('../../', import.meta.url));

function mtimes(dir: string, keep: (name: string) => boolean): number[] {
	return readdirSync(dir, {recursive: true, withFileTypes: true})
		.filter((entry) => entry.isFile() && keep(entry.name))
		.map((entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs);
}

/** dist/ is fresh when its oldest .js is no older than the newest file under source/ (a full tsc build rewrites every output). */
export function distIsFresh(): boolean {
	let built: number[];
	try {
		built = mtimes(join(root, 'dist'), (name) => name.endsWith('.js'));
	} catch {
		return false;
	}
	if (built.length === 0) return false;
	return Math.min(...built) >= Math.max(...mtimes(join(root, 'source'), () => true));
}

export default function setup(project: TestProject): () => void {
	// The SDK's V8 code cache (source/aws/code-cache.ts) goes to a directory of this run, never the
	// user's ~/.cache; every test loading the SDK, in-process or through the built CLI, uses it.
	const cacheHome = mkdtempSync(join(tmpdir(), 'sgtui-test-cache-'));
	process.env.XDG_CACHE_HOME = cacheHome;
	const removeCache = () => rmSync(cacheHome, {recursive: true, force: true});
	if (distIsFresh()) {
		project.provide('builtCli', join(root, 'dist/cli/main.js'));
		project.provide('builtCliBuildDir', '');
		return removeCache;
	}
	const buildDir = mkdtempSync(join(tmpdir(), 'sgtui-build-'));
	project.provide('builtCli', join(buildDir, 'dist/cli/main.js'));
	project.provide('builtCliBuildDir', buildDir);
	return () => {
		removeCache();
		rmSync(buildDir, {recursive: true, force: true});
	};
}

// V8 code cache for the AWS SDK's bundles. client-ec2's CommonJS bundle is 2 MB; compiling it is
// ~190 ms of CPU on every start (~35 ms from a code cache), and in the TUI it sits on the path to
// the first useful screen (bench/startup.mjs). Node 22 has module.enableCompileCache() for this;
// Node 20, which every machine here runs, does not, so the bundle is compiled here the way Node's
// CommonJS loader does it (the module wrapper, a real Module in require.cache) with V8's cachedData.
// The cache lives in the user's own cache directory (0700; a cache another user could write would
// be code they could run as us, so a directory not ours or open to others is not used). An entry is
// keyed by a hash of Node's version, the file's path and its whole text, so an upgraded SDK or Node
// never meets a stale entry; V8 also refuses data it did not produce for this source and flags.
// Entries unused for 30 days are removed when a new one is written.
import {createHash} from 'node:crypto';
import {closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, utimesSync, writeSync} from 'node:fs';
import {createRequire, Module} from 'node:module';
import {homedir} from 'node:os';
import path from 'node:path';
import {Script} from 'node:vm';

/** $XDG_CACHE_HOME/sgtui/v8 (default ~/.cache/sgtui/v8); null when SGTUI_CODE_CACHE=off. */
export function defaultCodeCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
	if (env.SGTUI_CODE_CACHE === 'off') return null;
	const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : path.join(homedir(), '.cache');
	return path.join(base, 'sgtui', 'v8');
}

/** The directory, made if missing, when only this user can write it; null otherwise. */
function usableDir(dir: string): string | null {
	try {
		mkdirSync(dir, {recursive: true, mode: 0o700});
		const stat = lstatSync(dir);
		const mine = typeof process.getuid !== 'function' || stat.uid === process.getuid();
		return stat.isDirectory() && mine && (stat.mode & 0o022) === 0 ? dir : null;
	} catch {
		return null;
	}
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Entries unused this long go (an upgraded SDK or Node leaves its old entries, ~4 MB each, behind). */
export const CODE_CACHE_MAX_IDLE_MS = 30 * DAY_MS;
const ENTRY_NAME = /^[0-9a-f]{40}\.bin(\.\d+\.[0-9a-z]+)?$/;

function readIfOurs(file: string): {data: Buffer; mtimeMs: number} | undefined {
	try {
		const stat = lstatSync(file);
		if (!stat.isFile() || (typeof process.getuid === 'function' && stat.uid !== process.getuid())) return undefined;
		return {data: readFileSync(file), mtimeMs: stat.mtimeMs};
	} catch {
		return undefined;
	}
}

/**
 * An entry's mtime says when it was last used: a used entry is touched (at most once a day, so a
 * start costs no write), and a miss, which writes a new entry, removes those idle for 30 days. Only
 * names this cache writes are touched, and only when ours.
 */
function touch(file: string, mtimeMs: number, now: number): void {
	if (now - mtimeMs < DAY_MS) return;
	try {
		utimesSync(file, new Date(now), new Date(now));
	} catch {
		// Then it is pruned a month early and rewritten once: only a slower start.
	}
}

function pruneIdle(dir: string, now: number): void {
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return;
	}
	for (const name of names) {
		if (!ENTRY_NAME.test(name)) continue;
		const file = path.join(dir, name);
		try {
			const stat = lstatSync(file);
			const mine = typeof process.getuid !== 'function' || stat.uid === process.getuid();
			if (stat.isFile() && mine && now - stat.mtimeMs > CODE_CACHE_MAX_IDLE_MS) unlinkSync(file);
		} catch {
			// Gone already, or not ours to remove.
		}
	}
}

/** Atomically: a reader sees the old entry or the new one, never half of one. */
function writeEntry(file: string, data: Buffer): void {
	const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
	try {
		const fd = openSync(temp, 'wx', 0o600);
		try {
			writeSync(fd, data);
		} finally {
			closeSync(fd);
		}
		renameSync(temp, file);
	} catch {
		// A cache that cannot be written only costs the next start its compile time.
		try {
			unlinkSync(temp);
		} catch {
			// Never created.
		}
	}
}

type InternalModule = Module & {filename: string; paths: string[]; loaded: boolean; exports: unknown};
type ModuleStatics = {wrap(source: string): string; _nodeModulePaths(dir: string): string[]};

/**
 * require(id) from `from`, compiling the file with a V8 code cache in `cacheDir` (a plain require
 * when cacheDir is null or unusable, or the module is already loaded).
 */
export function requireWithCodeCache(from: string, id: string, cacheDir: string | null): unknown {
	const require = createRequire(from);
	const filename = require.resolve(id);
	const loaded = require.cache[filename];
	if (loaded) return loaded.exports;
	const dir = cacheDir === null ? null : usableDir(cacheDir);
	if (!dir || !filename.endsWith('.js')) return require(id);
	const source = readFileSync(filename, 'utf8');
	const key = createHash('sha256').update(`${process.version}\0${process.arch}\0${filename}\0`).update(source).digest('hex').slice(0, 40);
	const entry = path.join(dir, `${key}.bin`);
	const cached = readIfOurs(entry);
	const cachedData = cached?.data;
	const statics = Module as unknown as ModuleStatics;
	// The same wrapper Node's loader compiles, so the code sees exports, require, module, __filename, __dirname.
	const script = new Script(statics.wrap(source), {filename, cachedData});
	const module = new Module(filename) as InternalModule;
	module.filename = filename;
	module.paths = statics._nodeModulePaths(path.dirname(filename));
	require.cache[filename] = module;
	try {
		const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
		wrapper.call(module.exports, module.exports, createRequire(filename), module, filename, path.dirname(filename));
	} catch (error) {
		delete require.cache[filename];
		throw error;
	}
	module.loaded = true;
	const now = Date.now();
	// Made after the module ran, the data also holds the functions its start-up compiled lazily.
	if (!cached || script.cachedDataRejected) {
		writeEntry(entry, script.createCachedData());
		pruneIdle(dir, now);
	} else touch(entry, cached.mtimeMs, now);
	return module.exports;
}

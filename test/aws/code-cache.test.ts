// The V8 code cache the SDK's bundles load through (source/aws/code-cache.ts), on small CommonJS
// modules written by the test: what is cached, where, when it is used, and when it is not.
import {chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs';
import {spawnSync} from 'node:child_process';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {CODE_CACHE_MAX_IDLE_MS, defaultCodeCacheDir, requireWithCodeCache} from '../../source/aws/code-cache.js';
import {builtDir} from '../support/built-cli.js';

describe('requireWithCodeCache', () => {
	let dir: string;
	let cache: string;
	let from: string;
	beforeEach(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'sgtui-code-cache-'));
		cache = path.join(dir, 'cache', 'sgtui', 'v8');
		from = path.join(dir, 'app.js');
		writeFileSync(from, '');
	});
	afterEach(() => rmSync(dir, {recursive: true, force: true}));

	function writeModule(name: string, body: string): string {
		const file = path.join(dir, 'node_modules', name, 'index.js');
		mkdirSync(path.dirname(file), {recursive: true});
		writeFileSync(file, body);
		return file;
	}
	const forget = (file: string) => delete createRequire(from).cache[file];
	const entries = () => readdirSync(cache).sort();

	it('runs the module as require() would, caches its code 0600 in a 0700 directory, and registers it', () => {
		const file = writeModule('lib', "const path = require('node:path'); exports.name = path.basename(__filename); exports.dir = __dirname; exports.self = module.exports === exports && this === exports;");
		const loaded = requireWithCodeCache(from, 'lib', cache) as Record<string, unknown>;
		expect(loaded).toEqual({name: 'index.js', dir: path.dirname(file), self: true});
		// Registered like any CommonJS module: a later require() gets the same exports, not a second run.
		expect(createRequire(from)('lib')).toBe(loaded);
		expect(requireWithCodeCache(from, 'lib', cache)).toBe(loaded);
		expect(entries()).toHaveLength(1);
		expect(statSync(cache).mode & 0o777).toBe(0o700);
		expect(statSync(path.join(cache, entries()[0]!)).mode & 0o777).toBe(0o600);
	});

	it('loading the same text again uses the entry without rewriting it', () => {
		const file = writeModule('a', 'exports.value = 41 + 1;');
		requireWithCodeCache(from, 'a', cache);
		const [entry] = entries();
		const before = readFileSync(path.join(cache, entry!));
		const mtime = statSync(path.join(cache, entry!)).mtimeMs;
		forget(file);
		expect(requireWithCodeCache(from, 'a', cache)).toEqual({value: 42});
		expect(entries()).toEqual([entry]);
		expect(statSync(path.join(cache, entry!)).mtimeMs).toBe(mtime);
		expect(readFileSync(path.join(cache, entry!)).equals(before)).toBe(true);
	});

	it('garbage in an entry is refused by V8 (a new process): the module still loads and the entry is rewritten; changed text is a new entry', () => {
		// In one process V8 keeps compiled code in memory and would never read the entry again, so
		// each load here is its own node process running the built module.
		const codeCache = pathToFileURL(path.join(builtDir(), 'aws', 'code-cache.js')).href;
		const load = () => {
			const run = spawnSync(process.execPath, ['--input-type=module', '-e', `const {requireWithCodeCache} = await import(${JSON.stringify(codeCache)}); console.log(JSON.stringify(requireWithCodeCache(${JSON.stringify(from)}, 'b', ${JSON.stringify(cache)})));`], {encoding: 'utf8'});
			expect(run.stderr).toBe('');
			return JSON.parse(run.stdout) as unknown;
		};
		const file = writeModule('b', 'exports.version = 1;');
		expect(load()).toEqual({version: 1});
		const [first] = entries();
		const garbage = Buffer.alloc(4096, 7);
		writeFileSync(path.join(cache, first!), garbage);
		expect(load()).toEqual({version: 1});
		const rewritten = readFileSync(path.join(cache, first!));
		expect(rewritten.equals(garbage)).toBe(false);
		// V8 accepts the rewritten entry: the next process leaves it as it is.
		expect(load()).toEqual({version: 1});
		expect(readFileSync(path.join(cache, first!)).equals(rewritten)).toBe(true);
		writeFileSync(file, 'exports.version = 2;');
		expect(load()).toEqual({version: 2});
		expect(entries()).toHaveLength(2);
	});

	it('entries idle for 30 days go when a new entry is written; a used entry is touched (once a day) and stays', () => {
		const day = 24 * 60 * 60 * 1000;
		const used = writeModule('used', 'exports.v = 1;');
		requireWithCodeCache(from, 'used', cache);
		const [usedEntry] = entries();
		// Old but used: the hit touches it, so the prune below keeps it.
		const old = new Date(Date.now() - CODE_CACHE_MAX_IDLE_MS - day);
		utimesSync(path.join(cache, usedEntry!), old, old);
		forget(used);
		requireWithCodeCache(from, 'used', cache);
		expect(Date.now() - statSync(path.join(cache, usedEntry!)).mtimeMs).toBeLessThan(day);
		// An idle entry of an older SDK, a leftover temp file, and files that are not ours by name.
		const stale = path.join(cache, `${'a'.repeat(40)}.bin`);
		const staleTemp = path.join(cache, `${'b'.repeat(40)}.bin.123.x7`);
		const recent = path.join(cache, `${'c'.repeat(40)}.bin`);
		const foreign = path.join(cache, 'notes.txt');
		for (const file of [stale, staleTemp, recent, foreign]) writeFileSync(file, 'x');
		for (const file of [stale, staleTemp, foreign]) utimesSync(file, old, old);
		const recentTime = new Date(Date.now() - CODE_CACHE_MAX_IDLE_MS + day);
		utimesSync(recent, recentTime, recentTime);
		writeModule('fresh', 'exports.v = 2;');
		requireWithCodeCache(from, 'fresh', cache);
		const names = entries();
		expect(names).not.toContain(path.basename(stale));
		expect(names).not.toContain(path.basename(staleTemp));
		expect(names).toEqual(expect.arrayContaining([usedEntry, path.basename(recent), 'notes.txt']));
		expect(names).toHaveLength(4);
	});

	it('a cache directory others can write is not used (its code would run as us): a plain require, nothing written', () => {
		mkdirSync(cache, {recursive: true});
		chmodSync(cache, 0o777);
		writeModule('c', 'exports.ok = true;');
		expect(requireWithCodeCache(from, 'c', cache)).toEqual({ok: true});
		expect(entries()).toEqual([]);
	});

	it('null (turned off) is a plain require', () => {
		writeModule('d', 'exports.ok = true;');
		expect(requireWithCodeCache(from, 'd', null)).toEqual({ok: true});
		expect(() => readdirSync(cache)).toThrow(/ENOENT/);
	});

	it('an error thrown by the module propagates, and a later load runs it again', () => {
		const file = writeModule('e', "if (!globalThis.__sgtuiCodeCacheSecond) { globalThis.__sgtuiCodeCacheSecond = true; throw new Error('first load fails'); } exports.ok = true;");
		expect(() => requireWithCodeCache(from, 'e', cache)).toThrow('first load fails');
		expect(createRequire(from).cache[file]).toBeUndefined();
		expect(requireWithCodeCache(from, 'e', cache)).toEqual({ok: true});
	});

	it('tests keep it out of the user\'s ~/.cache (test/support/global-setup.ts), and the SDK loads through it', async () => {
		expect(process.env.XDG_CACHE_HOME?.startsWith(path.join(tmpdir(), 'sgtui-test-cache-'))).toBe(true);
		const {ec2Sdk} = await import('../../source/aws/sdk.js');
		expect(typeof ec2Sdk().EC2Client).toBe('function');
		expect(readdirSync(defaultCodeCacheDir()!).length).toBeGreaterThan(0);
	});

	it('SGTUI_CODE_CACHE=off turns it off; XDG_CACHE_HOME (absolute only) moves it', () => {
		expect(defaultCodeCacheDir({SGTUI_CODE_CACHE: 'off'})).toBeNull();
		expect(defaultCodeCacheDir({XDG_CACHE_HOME: '/x/cache'})).toBe('/x/cache/sgtui/v8');
		expect(defaultCodeCacheDir({XDG_CACHE_HOME: 'relative'})).toMatch(/\/\.cache\/sgtui\/v8$/);
	});
});

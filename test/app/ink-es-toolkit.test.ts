// ink imports `throttle` from 'es-toolkit/compat'; sgtui gives it vendor/ink-es-toolkit, which
// re-exports es-toolkit's own compat/throttle so start-up does not load the whole compat API
// (~415 modules). These tests hold the wiring: ink must get the real function, and nothing else
// ink imports from es-toolkit may go missing.
import {createRequire} from 'node:module';
import {readdir, readFile} from 'node:fs/promises';
import {fileURLToPath, pathToFileURL} from 'node:url';
import path from 'node:path';
import {describe, expect, it} from 'vitest';

// ink's package exports neither package.json nor a require() entry: find it where npm puts it.
const inkDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/ink');

describe('es-toolkit as ink resolves it', () => {
	it('is the stand-in, and its throttle is es-toolkit\'s own', async () => {
		const resolved = createRequire(path.join(inkDir, 'build', 'ink.js')).resolve('es-toolkit/compat');
		expect(resolved).toContain(`${path.sep}vendor${path.sep}ink-es-toolkit${path.sep}`);
		const seen = await import(pathToFileURL(resolved).href) as {throttle: unknown};
		const real = await import('es-toolkit-full/compat/throttle') as {default: unknown};
		expect(seen.throttle).toBe(real.default);
	});

	it('provides every name ink imports from es-toolkit', async () => {
		const files = await collectJs(path.join(inkDir, 'build'));
		const wanted = new Set<string>();
		for (const file of files) {
			const text = await readFile(file, 'utf8');
			for (const match of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'es-toolkit([^']*)'/g)) {
				expect(match[2], `${file} imports es-toolkit${match[2]}`).toBe('/compat');
				for (const name of match[1]!.split(',')) wanted.add(name.trim().split(/\s+as\s+/)[0]!);
			}
			expect(text, `${file} imports es-toolkit some other way`).not.toMatch(/from\s*'es-toolkit'|import\('es-toolkit/);
		}
		expect([...wanted]).toEqual(['throttle']);
	});

	it('throttles as ink relies on: first call at once, the last one after the wait', async () => {
		const {throttle} = await import('es-toolkit/compat');
		const calls: number[] = [];
		const throttled = throttle((value: number) => calls.push(value), 40, {leading: true, trailing: true});
		throttled(1);
		throttled(2);
		throttled(3);
		expect(calls).toEqual([1]);
		await new Promise((resolve) => setTimeout(resolve, 80));
		expect(calls).toEqual([1, 3]);
	});
});

async function collectJs(dir: string): Promise<string[]> {
	const out: string[] = [];
	for (const entry of await readdir(dir, {withFileTypes: true})) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) out.push(...await collectJs(full));
		else if (entry.name.endsWith('.js')) out.push(full);
	}
	return out;
}

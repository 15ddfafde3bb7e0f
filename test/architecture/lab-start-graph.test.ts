// What the demo's lab loads before it serves (README "Development", start-up budget: the demo's
// inventory on screen < 1.5 s): the modules reached from source/lab/lab.ts by run-time static
// imports. ssh2 (the SSH side starts after the AWS side), the Live Tail event-stream codec (loaded
// with the first session) and zod's ES module graph (224 files; load-snapshot.ts requires its
// CommonJS build) must stay off that path.
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {importsOf, resolveSpecifier} from '../support/import-graph.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The packages (bare specifiers) a file reaches through run-time static imports, with one path to each. */
function staticPackages(entry: string): Map<string, string[]> {
	const packages = new Map<string, string[]>();
	const seen = new Set<string>();
	const walk = (file: string, trail: string[]) => {
		if (seen.has(file)) return;
		seen.add(file);
		for (const edge of importsOf(file, readFileSync(path.join(root, file), 'utf8'))) {
			if (edge.typeOnly || edge.dynamic) continue;
			if (edge.specifier.startsWith('.')) {
				const target = resolveSpecifier(file, edge.specifier, (candidate) => existsSync(path.join(root, candidate)));
				if (target) walk(target, [...trail, target]);
			} else if (!packages.has(edge.specifier)) packages.set(edge.specifier, trail);
		}
	};
	walk(entry, [entry]);
	return packages;
}

describe('the lab\'s start-up module graph', () => {
	const packages = staticPackages('source/lab/lab.ts');

	it('is walked for real (node built-ins and the core modules are on it)', () => {
		expect([...packages.keys()]).toEqual(expect.arrayContaining(['node:http', 'ipaddr.js']));
	});

	it.each(['ssh2', '@smithy/eventstream-codec', 'zod'])('does not load %s before the lab serves', (name) => {
		expect(packages.get(name), `reached through ${packages.get(name)?.join(' → ')}`).toBeUndefined();
	});
});

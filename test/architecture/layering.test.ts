// The layering the README promises, checked on every source file's real imports: static, type-only,
// re-exports and dynamic import(), from .ts and .tsx alike, each resolved to a file that exists.
//   core   pure: nothing from aws/remote/lab/ui/files/app/cli, no Node I/O module, no React or ink,
//          no SDK or ssh2 at run time (the SDK's response *types* are its input shapes);
//   ui     renders state and routes keys: no AWS SDK, no ssh2, no Node I/O, nothing from
//          aws/remote/lab/files (I/O arrives through the services the app layer hands it).
// The checker is tested on small made-up trees first, so a checker that silently passes
// everything fails here before it is trusted with the real tree.
import {readdirSync, readFileSync} from 'node:fs';
import {builtinModules} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {importsOf, resolveSpecifier as resolve} from '../support/import-graph.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
/** Node modules that do I/O or reach the process's surroundings. */
const NODE_IO = /^(node:)?(fs|fs\/promises|child_process|net|dgram|http|https|http2|tls|dns|dns\/promises|readline|worker_threads|cluster|os|process|inspector|repl|tty|v8|vm)$/;

type Layer = 'core' | 'aws' | 'remote' | 'lab' | 'ui' | 'files' | 'app' | 'cli';

function layerOf(file: string): Layer | null {
	const match = /^source\/([a-z]+)\//.exec(file);
	return match ? (match[1] as Layer) : null;
}

const FORBIDDEN_LAYERS: Partial<Record<Layer, Layer[]>> = {
	core: ['aws', 'remote', 'lab', 'ui', 'files', 'app', 'cli'],
	ui: ['aws', 'remote', 'lab', 'files', 'cli'],
};

/** Every layering violation and unresolvable import in a tree of files (path → text). */
export function layeringViolations(files: ReadonlyMap<string, string>): string[] {
	const exists = (file: string) => files.has(file);
	const problems: string[] = [];
	for (const [file, text] of files) {
		const layer = layerOf(file);
		for (const edge of importsOf(file, text)) {
			const where = `${file}: ${edge.dynamic ? 'import(' : ''}'${edge.specifier}'${edge.dynamic ? ')' : ''}`;
			if (edge.specifier === '<computed>') {
				problems.push(`${where}: a computed import() cannot be checked`);
				continue;
			}
			if (edge.specifier.startsWith('.')) {
				const target = resolve(file, edge.specifier, exists);
				if (target === null) {
					problems.push(`${where}: no such file`);
					continue;
				}
				const targetLayer = layerOf(target);
				if (layer && targetLayer && FORBIDDEN_LAYERS[layer]?.includes(targetLayer)) problems.push(`${where}: ${layer} must not import from ${targetLayer}`);
				continue;
			}
			const bare = edge.specifier;
			if (layer === 'core') {
				if (NODE_BUILTINS.has(bare) && NODE_IO.test(bare)) problems.push(`${where}: core is pure, no Node I/O`);
				if (/^(react|ink|ink-.*|react-.*)$/.test(bare)) problems.push(`${where}: core has no React`);
				if ((/^@aws-sdk\//.test(bare) || /^@smithy\//.test(bare) || bare === 'ssh2') && !edge.typeOnly) problems.push(`${where}: core uses the SDK's types only, never its code`);
			}
			if (layer === 'ui') {
				if (/^@aws-sdk\//.test(bare) || /^@smithy\//.test(bare) || bare === 'ssh2') problems.push(`${where}: ui renders state, it does not call AWS or SSH`);
				if (NODE_BUILTINS.has(bare) && NODE_IO.test(bare)) problems.push(`${where}: ui does no I/O`);
			}
		}
	}
	return problems;
}

function sourceTree(): Map<string, string> {
	const files = new Map<string, string>();
	for (const entry of readdirSync(path.join(root, 'source'), {recursive: true, withFileTypes: true})) {
		if (!entry.isFile() || !/\.(ts|tsx)$/.test(entry.name)) continue;
		const absolute = path.join(entry.parentPath, entry.name);
		files.set(path.relative(root, absolute).split(path.sep).join('/'), readFileSync(absolute, 'utf8'));
	}
	return files;
}

describe('the layering checker (on made-up trees)', () => {
	const tree = (files: Record<string, string>) => layeringViolations(new Map(Object.entries(files)));

	it('follows .tsx files and .tsx targets', () => {
		expect(tree({'source/core/a.tsx': "import {x} from '../ui/View.js';", 'source/ui/View.tsx': ''})).toEqual(["source/core/a.tsx: '../ui/View.js': core must not import from ui"]);
	});

	it('follows dynamic import() and re-exports', () => {
		expect(tree({'source/core/a.ts': "export async function f() { return import('../aws/c.js'); }", 'source/aws/c.ts': ''})).toEqual(["source/core/a.ts: import('../aws/c.js'): core must not import from aws"]);
		expect(tree({'source/core/a.ts': "export {c} from '../lab/c.js';", 'source/lab/c.ts': ''})).toEqual(["source/core/a.ts: '../lab/c.js': core must not import from lab"]);
	});

	it('fails on an import whose file does not exist, static or dynamic', () => {
		expect(tree({'source/app/a.ts': "import {x} from './gone.js';"})).toEqual(["source/app/a.ts: './gone.js': no such file"]);
		expect(tree({'source/app/a.ts': "await import('./gone.js');"})).toEqual(["source/app/a.ts: import('./gone.js'): no such file"]);
		expect(tree({'source/app/a.ts': 'await import(name);'})).toEqual(["source/app/a.ts: import('<computed>'): a computed import() cannot be checked"]);
	});

	it('keeps Node I/O out of core and ui, and the SDK and ssh2 out of ui', () => {
		expect(tree({'source/core/a.ts': "import {readFileSync} from 'node:fs';\nimport {spawn} from 'child_process';"})).toHaveLength(2);
		expect(tree({'source/core/a.ts': "import {Box} from 'ink';"})).toHaveLength(1);
		expect(tree({'source/core/a.ts': "import {EC2Client} from '@aws-sdk/client-ec2';"})).toHaveLength(1);
		expect(tree({'source/core/a.ts': "import type {Instance} from '@aws-sdk/client-ec2';\nimport {type SecurityGroup} from '@aws-sdk/client-ec2';"})).toEqual([]);
		expect(tree({'source/ui/a.tsx': "import type {Client} from 'ssh2';"})).toHaveLength(1);
		expect(tree({'source/ui/a.tsx': "import {EC2Client} from '@aws-sdk/client-ec2';"})).toHaveLength(1);
		expect(tree({'source/ui/a.tsx': "import {readFile} from 'node:fs/promises';"})).toHaveLength(1);
		expect(tree({'source/ui/a.tsx': "import {load} from '../files/load.js';", 'source/files/load.ts': ''})).toHaveLength(1);
	});

	it('lets the other layers be', () => {
		expect(tree({'source/app/a.ts': "import {readFile} from 'node:fs/promises';\nimport {x} from '../ui/x.js';\nimport {y} from '../aws/y.js';", 'source/ui/x.tsx': '', 'source/aws/y.ts': ''})).toEqual([]);
		expect(tree({'source/core/a.ts': "import {x} from './b.js';\nimport ipaddr from 'ipaddr.js';", 'source/core/b.ts': ''})).toEqual([]);
	});
});

describe('source/ layering', () => {
	it('every import resolves and no layer reaches where it must not', () => {
		const files = sourceTree();
		expect(files.size).toBeGreaterThan(100);
		expect([...files.keys()].some((file) => file.endsWith('.tsx'))).toBe(true);
		expect(layeringViolations(files)).toEqual([]);
	});
});

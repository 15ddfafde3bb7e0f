// The output boundary holds only if nothing reaches fd 1/2 around it. This reads every source
// file and fails on the ways around the guard that process.stdout/stderr.write cannot see.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

const SOURCE = fileURLToPath(new URL('../../source', import.meta.url));

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(full);
		return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
	});
}

const BYPASSES: Array<[RegExp, string]> = [
	[/writeSync\s*\(\s*(?:1|2|process\.std(?:out|err)\.fd)\b/, 'fs.writeSync to fd 1/2'],
	[/\bstd(?:out|err)\.fd\b/, 'the raw stdout/stderr file descriptor'],
	[/['"]\/dev\/(?:tty|stdout|stderr)['"]/, 'opening the terminal directly'],
	[/new\s+(?:tty\.)?WriteStream\s*\(/, 'a second terminal stream'],
	[/stdio\s*:.*['"]inherit['"]/, 'a child process writing to our terminal'],
	[/process\.std(?:out|err)\.write\s*=/, 'replacing the guarded write'],
];

describe('one output boundary', () => {
	const files = sourceFiles(SOURCE);

	it('finds the source tree', () => {
		expect(files.length).toBeGreaterThan(50);
	});

	it('nothing in source/ writes to the terminal around the guard', () => {
		const found: string[] = [];
		for (const file of files) {
			const relative = path.relative(SOURCE, file);
			if (relative === path.join('cli', 'terminal-guard.ts')) continue;
			const lines = readFileSync(file, 'utf8').split('\n');
			lines.forEach((line, index) => {
				for (const [pattern, what] of BYPASSES) if (pattern.test(line)) found.push(`${relative}:${index + 1}: ${what}`);
			});
		}
		expect(found).toEqual([]);
	});

	it('the entry point installs the guard before any command runs', () => {
		const main = readFileSync(path.join(SOURCE, 'cli', 'main.ts'), 'utf8');
		const install = main.indexOf('\ninstallTerminalGuard();');
		expect(install).toBeGreaterThan(0);
		expect(main.indexOf('await main(')).toBeGreaterThan(install);
	});

	it('the text helpers every table goes through sanitize', () => {
		for (const helper of ['cli/text-table.ts', 'ui/format.ts', 'ui/use-async.ts', 'ui/App.tsx']) {
			expect(readFileSync(path.join(SOURCE, helper), 'utf8'), helper).toMatch(/display(?:-text|Services|Copy)?|errorLine/);
		}
	});
});

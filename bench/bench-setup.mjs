// What every benchmark starts with: the repo root, its numeric --options, and the built modules
// it runs (benchmarks measure dist/, the code users install).
import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {installNetworkGuard} from '../test/support/network-guard.mjs';

// A benchmark dials loopback only (the lab, its SSH hosts), and so do the sgtui runs it starts.
installNetworkGuard();

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const args = process.argv.slice(2);

/** `--name N` from the command line, or the fallback; anything but a number stops the bench. */
export function option(name, fallback) {
	const index = args.indexOf(name);
	if (index === -1) return fallback;
	const value = Number(args[index + 1]);
	if (!Number.isFinite(value)) {
		console.error(`bench: ${name} must be a number, got ${JSON.stringify(args[index + 1] ?? '')}`);
		process.exit(2);
	}
	return value;
}

/** Absolute paths of these files under dist/; stops the bench when one was not built. */
export function built(...paths) {
	const missing = paths.find((path) => !existsSync(join(root, 'dist', path)));
	if (missing) {
		console.error(`bench: dist/${missing} is missing: run \`npm run build\` first`);
		process.exit(2);
	}
	return paths.map((path) => join(root, 'dist', path));
}

#!/usr/bin/env node
// The installed `sgtui` command. `sgtui --version` answers before commander loads, so it costs
// little more than starting node (budget: ≤ 1.5× `node -e 0`, bench/startup.mjs); everything
// else is main.ts.
import {VERSION} from './version.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) process.stdout.write(`${VERSION}\n`);
else {
	// React's production build, whatever the shell says: the development build (chosen when NODE_ENV
	// is unset, as it is for anyone running the command) renders slower, and its profiler tracks call
	// performance.measure(), whose entries Node keeps in a buffer nobody empties: a busy Rejects tab
	// held thousands of them and grew without bound (heap snapshots during bench/flood.mjs). React
	// picks its build on first import, hence here, before main.js pulls in ink. Tests render
	// through vitest and keep the development build's checks.
	process.env.NODE_ENV = 'production';
	await import('./main.js');
}

#!/usr/bin/env node
// The installed `sgtui` command. `sgtui --version` answers before commander loads, so it costs
// little more than starting node (budget: ≤ 1.5× `node -e 0`, bench/startup.mjs); everything
// else is main.ts.
import {VERSION} from './version.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) process.stdout.write(`${VERSION}\n`);
else await import('./main.js');

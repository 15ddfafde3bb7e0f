// In a strict run (CI=true or SGTUI_STRICT_PEERS=1, see peers.ts) a skipped test fails the run: a
// green CI must mean every peer test ran. Catches skips that do not go through skipWithout() too
// (a stray `.skip`, `skipIf`, `ctx.skip()`). Outside strict mode it only counts them.
import type {Reporter, TestModule} from 'vitest/node';
import {strictPeers} from './peers.js';

export default class StrictSkipsReporter implements Reporter {
	onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
		const skipped: string[] = [];
		for (const module of testModules) {
			for (const test of module.children.allTests()) {
				if (test.result().state === 'skipped') skipped.push(`${module.moduleId.replace(`${process.cwd()}/`, '')} > ${test.fullName}`);
			}
		}
		if (skipped.length === 0 || !strictPeers()) return;
		process.stderr.write(`\nstrict run (CI=true or SGTUI_STRICT_PEERS=1): ${skipped.length} test(s) skipped, which fails the run:\n${skipped.map((name) => `  - ${name}`).join('\n')}\n`);
		process.exitCode = 1;
	}
}

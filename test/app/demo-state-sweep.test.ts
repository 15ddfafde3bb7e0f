import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {processIsAlive, sweepDeadDemoStateDirs} from '../../source/app/demo-state-sweep.js';

/** The pid of a process that has run and exited (reaped, so no longer signalable). */
function deadPid(): number {
	const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'});
	return Number(child.stdout);
}

describe('sweepDeadDemoStateDirs', () => {
	let parent = '';
	afterEach(() => rmSync(parent, {recursive: true, force: true}));

	it('removes the directories of demos whose process is gone, keeps live ones and anything not named by a pid', async () => {
		parent = mkdtempSync(path.join(tmpdir(), 'sgtui-demo-state-'));
		const dead = deadPid();
		expect(processIsAlive(dead)).toBe(false);
		for (const name of [String(process.pid), String(dead), 'notes', '0']) {
			mkdirSync(path.join(parent, name, 'ssh'), {recursive: true});
			writeFileSync(path.join(parent, name, 'aws-env.sh'), 'export AWS_REGION=us-east-1\n');
		}
		// 1 is init: alive, and not ours (EPERM for an unprivileged user) — kept either way.
		mkdirSync(path.join(parent, '1'));
		expect(await sweepDeadDemoStateDirs(parent)).toEqual([String(dead)]);
		expect(readdirSync(parent).sort()).toEqual(['0', '1', String(process.pid), 'notes'].sort());
	});

	it('a missing parent is nothing to sweep', async () => {
		parent = path.join(tmpdir(), `sgtui-demo-state-missing-${process.pid}`);
		expect(await sweepDeadDemoStateDirs(parent)).toEqual([]);
	});
});

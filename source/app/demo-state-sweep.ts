// Each demo keeps its aws-env.sh and SSH files in <state>/sgtui/demo/<pid> and removes it when it
// closes. A demo killed outright (SIGKILL, a crashed terminal) cannot, so the next demo removes the
// directories of processes that no longer exist. Only all-digit names are considered, and a pid
// that answers (even EPERM: another user's live process) keeps its directory.
import {readdir, rm} from 'node:fs/promises';
import path from 'node:path';

export function processIsAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code !== 'ESRCH';
	}
}

/** Removes `parent`/<pid> for every pid that is gone; returns the names removed. */
export async function sweepDeadDemoStateDirs(parent: string, isAlive: (pid: number) => boolean = processIsAlive): Promise<string[]> {
	const names = await readdir(parent).catch(() => [] as string[]);
	const removed: string[] = [];
	for (const name of names) {
		if (!/^[1-9]\d{0,9}$/.test(name)) continue;
		const pid = Number(name);
		if (pid === process.pid || isAlive(pid)) continue;
		await rm(path.join(parent, name), {recursive: true, force: true});
		removed.push(name);
	}
	return removed;
}

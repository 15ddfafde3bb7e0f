// Files sgtui writes for the user (the wizard's report and fix script): the name is checked (it
// is built from ids and must stay inside its directory), the file is created, never reused —
// O_EXCL refuses an existing name and O_NOFOLLOW a symlink planted under it — and it is readable
// by its owner only (it describes the account's weak spots).
import {constants} from 'node:fs';
import {open} from 'node:fs/promises';
import path from 'node:path';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

/** Creates `dir/name` exclusively with mode 0600; `name-2`, `name-3`… when the name is taken. Returns the path. */
export async function writePrivateFile(dir: string, name: string, extension: string, data: string, mode = 0o600): Promise<string> {
	if (!SAFE_NAME.test(name) || name.includes('..')) throw new Error(`refusing to write a file named ${JSON.stringify(name)}: not a plain file name`);
	for (let attempt = 1; attempt <= 100; attempt++) {
		const file = path.join(dir, `${attempt === 1 ? name : `${name}-${attempt}`}${extension}`);
		let handle;
		try {
			handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
			throw error;
		}
		try {
			await handle.writeFile(data);
		} finally {
			await handle.close();
		}
		return file;
	}
	throw new Error(`${path.join(dir, name)}${extension} and 99 numbered variants already exist`);
}

// The demo's standing banner: how to use the AWS CLI on its lab. One row at 80 columns (with a
// state directory under the home directory): the lab's address is already in the header, so the
// row spends itself on the file to `source`, home-relative.
import path from 'node:path';

export function demoNotice(envFile: string, home: string): string {
	const relative = path.relative(home, envFile);
	const shown = home && relative && relative !== '..' && !relative.startsWith('../') && !path.isAbsolute(relative) ? `~/${relative}` : envFile;
	return `AWS CLI on this lab: source ${shown}`;
}

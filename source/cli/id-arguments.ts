// Ids typed on the command line are checked against AWS's id grammar where they enter, like ids
// read from a snapshot or from AWS: what passes holds only `[a-z]+-[0-9a-f]+`, so it can name a
// file, go into a printed `aws …` command or a lab request without surprises. A bad one is a usage
// error (exit 2) naming the flag and the value as typed (sanitized by the error line, and cut).
import {expectedIds, isAwsId, malformedIdMessage, quotedArgument, type AwsIdKind} from '../core/aws-ids.js';
import {UsageError} from './errors.js';

export {quotedArgument};

/** The id if it is well formed and of one of `kinds`; else a UsageError naming `flag`. */
export function requireAwsId(value: unknown, flag: string, kinds: readonly AwsIdKind[]): string {
	const text = typeof value === 'string' ? value : String(value ?? '');
	const problem = malformedIdMessage(flag, text, kinds);
	if (problem) throw new UsageError(problem);
	return text;
}

/**
 * For arguments that take host names too (`sgtui ports TARGET`): `i-` then only letters and digits
 * is a word meant as an instance id — a host name would have a dot or another dash. Unless it is
 * a valid id or the ssh config makes it an alias (see `requireInstanceIdOrAlias`), it is refused
 * instead of being dialled as a host name.
 */
export function shapedLikeInstanceId(text: string): boolean {
	return /^i-[0-9a-zA-Z]+$/.test(text);
}

/**
 * `host` (shaped like an instance id) if it is a valid id or a configured ssh alias (`isAlias`:
 * an ssh config `Host` entry gives it a `HostName`, the same test that makes an instance id "named
 * by the ssh config" elsewhere); else a UsageError naming the target and the ssh config read.
 */
export function requireInstanceIdOrAlias(target: string, host: string, isAlias: boolean, configName: string): void {
	if (isAwsId('instance', host) || isAlias) return;
	throw new UsageError(`TARGET ${quotedArgument(target)} is not ${expectedIds(['instance'])}, nor an alias in ${configName} (no Host entry there gives it a HostName)`);
}

// Ids typed on the command line are checked against AWS's id grammar where they enter, like ids
// read from a snapshot or from AWS: what passes holds only `[a-z]+-[0-9a-f]+`, so it can name a
// file, go into a printed `aws …` command or a lab request without surprises. A bad one is a usage
// error (exit 2) naming the flag and the value as typed (sanitized by the error line, and cut).
import {AWS_ID_PREFIXES, isAwsId, type AwsIdKind} from '../core/aws-ids.js';
import {UsageError} from './errors.js';

const NAMES: Partial<Record<AwsIdKind, string>> = {
	instance: 'an instance id',
	networkInterface: 'a network interface id',
	securityGroup: 'a security group id',
};

/** The value as typed, short enough for one line (a 1 MB argument is not echoed whole). */
export function quotedArgument(value: string, max = 80): string {
	return `"${[...value].length > max ? `${[...value].slice(0, max).join('')}…` : value}"`;
}

function expected(kinds: readonly AwsIdKind[]): string {
	const what = kinds.map((kind) => `${NAMES[kind] ?? `a ${kind} id`} (${AWS_ID_PREFIXES[kind]}-…)`);
	const list = what.length > 1 ? `${what.slice(0, -1).join(', ')} or ${what.at(-1)}` : what[0]!;
	return `${list}: the prefix, a dash, then 8 or 17 lowercase hex digits`;
}

/** The id if it is well formed and of one of `kinds`; else a UsageError naming `flag`. */
export function requireAwsId(value: unknown, flag: string, kinds: readonly AwsIdKind[]): string {
	const text = typeof value === 'string' ? value : String(value ?? '');
	if (kinds.some((kind) => isAwsId(kind, text))) return text;
	throw new UsageError(`${flag} ${quotedArgument(text)} is not ${expected(kinds)}`);
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
	throw new UsageError(`TARGET ${quotedArgument(target)} is not ${expected(['instance'])}, nor an alias in ${configName} (no Host entry there gives it a HostName)`);
}

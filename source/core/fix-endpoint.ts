// Printed fixes name the endpoint sgtui read from. Against the demo's lab, `--endpoint-url` or
// AWS_ENDPOINT_URL, a pasted `aws ec2 …` without the flag would go to real AWS — the account the
// shell's credentials reach, not the one sgtui showed (and Debian's aws CLI 2.9 ignores
// AWS_ENDPOINT_URL, so the environment is no protection). Every `aws` call of every `command`
// field gets `--endpoint-url <quoted url>` right after `aws` (a global option, taken there by
// CLI v1 and v2 alike).
import {shellQuote} from './shell-quote.js';

// An `aws` that starts a line, or a command substitution inside one: the Elastic IP fix allocates
// the address in `"$(aws ec2 allocate-address …)"`, and that call must not reach real AWS either.
const AWS_CALL = /(^|\$\()aws\s+(?!--endpoint-url[\s=])/gm;

function addToLines(command: string, flag: string): string {
	return command.replace(AWS_CALL, (_match, start: string) => `${start}aws ${flag} `);
}

function rewrite(value: unknown, flag: string, depth: number): unknown {
	if (value === null || typeof value !== 'object' || depth > 32) return value;
	if (Array.isArray(value)) {
		const next = value.map((item) => rewrite(item, flag, depth + 1));
		return next.some((item, index) => item !== value[index]) ? next : value;
	}
	let changed: Record<string, unknown> | null = null;
	for (const [key, item] of Object.entries(value)) {
		const next = key === 'command' && typeof item === 'string' ? addToLines(item, flag) : rewrite(item, flag, depth + 1);
		if (next !== item) {
			changed ??= {...(value as Record<string, unknown>)};
			changed[key] = next;
		}
	}
	return changed ?? value;
}

/** `value` with every `command` field's `aws` lines sent to `endpointUrl`; unchanged when null. */
export function withEndpointUrl<T>(value: T, endpointUrl: string | null | undefined): T {
	if (!endpointUrl) return value;
	return rewrite(value, `--endpoint-url ${shellQuote(endpointUrl)}`, 0) as T;
}

/**
 * The endpoint a command reading a snapshot should name in its fixes: the one the AWS CLI would be
 * sent to from this environment (EC2's own variable first, as the SDK and CLI v2.13+ read them).
 */
export function fixEndpointFromEnv(env: Record<string, string | undefined>): string | null {
	if (env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'] === 'true') return null;
	return env['AWS_ENDPOINT_URL_EC2'] || env['AWS_ENDPOINT_URL'] || null;
}

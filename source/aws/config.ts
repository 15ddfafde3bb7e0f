// Where sgtui's AWS clients point and with which identity, resolved the way AWS users expect:
// flags first, then the SDK's own default chain (env, shared config/credentials files, SSO,
// container and instance roles). Endpoint overrides come from --endpoint-url or, natively in the
// SDK, from AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_EC2 / AWS_ENDPOINT_URL_CLOUDWATCH_LOGS and a
// profile's `endpoint_url`.
import {AwsSetupError} from './errors.js';

export interface AwsOptions {
	profile?: string;
	region?: string;
	endpointUrl?: string;
	/** Debug log file for SDK output; null discards it; undefined = the default path. */
	debugLogPath?: string | null;
}

export interface AwsSettings {
	profile: string | undefined;
	/** Undefined: leave it to the SDK (profile's region); a missing region is reported on first use. */
	region: string | undefined;
	/** An explicit --endpoint-url (env and config-file overrides are applied by the SDK itself). */
	endpoint: string | undefined;
}

/** The env vars that override endpoints, per service, in the SDK's own precedence order. */
export const ENDPOINT_ENV = {
	ec2: ['AWS_ENDPOINT_URL_EC2', 'AWS_ENDPOINT_URL'],
	logs: ['AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', 'AWS_ENDPOINT_URL'],
	ssm: ['AWS_ENDPOINT_URL_SSM', 'AWS_ENDPOINT_URL'],
} as const;

function validateEndpoint(value: string, source: string): string {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new AwsSetupError(`${source} "${value}" is not a URL (expected e.g. http://127.0.0.1:4566)`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new AwsSetupError(`${source} "${value}" must start with http:// or https://`);
	}
	return value.replace(/\/+$/, '');
}

/**
 * Flags over environment. The JS SDK reads only AWS_REGION, while the AWS CLI also honours
 * AWS_DEFAULT_REGION; people coming from the CLI expect the latter to work too.
 */
export function resolveAwsSettings(options: AwsOptions, env: NodeJS.ProcessEnv = process.env): AwsSettings {
	const profile = options.profile?.trim() || undefined;
	if (options.profile !== undefined && !profile) throw new AwsSetupError('--profile needs a profile name');
	const region = options.region?.trim() || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || undefined;
	if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$|^[a-z0-9-]+$/.test(region)) {
		throw new AwsSetupError(`"${region}" is not an AWS region name (e.g. eu-west-1)`);
	}
	const endpoint = options.endpointUrl ? validateEndpoint(options.endpointUrl, '--endpoint-url') : undefined;
	for (const names of Object.values(ENDPOINT_ENV)) {
		for (const name of names) {
			const value = env[name];
			if (value) validateEndpoint(value, name);
		}
	}
	return {profile, region, endpoint};
}

/** The endpoint override in effect for a service, for status lines ("using http://…"); null = AWS. */
export function endpointOverride(service: keyof typeof ENDPOINT_ENV, settings: AwsSettings, env: NodeJS.ProcessEnv = process.env): string | null {
	if (settings.endpoint) return settings.endpoint;
	if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return null;
	for (const name of ENDPOINT_ENV[service]) {
		if (env[name]) return env[name];
	}
	return null;
}

// The AWS options every AWS-backed subcommand shares (--profile, --region, --endpoint-url,
// --debug-log), turned into clients. Kept out of the command modules so the TUI can reuse it.
import {type AwsClients, checkAwsAccess, createAwsClients} from './clients.js';

export interface AwsCliOptions {
	profile?: unknown;
	region?: unknown;
	endpointUrl?: unknown;
	debugLog?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Builds the clients and resolves region and credentials up front (AwsSetupError if missing). */
export async function clientsFromCliOptions(options: AwsCliOptions): Promise<AwsClients & {region: string}> {
	// Like the AWS CLI, --profile overrides AWS_PROFILE for the whole process: the SDK resolves a
	// profile's `endpoint_url` from AWS_PROFILE only, ignoring the clients' own profile option.
	const profile = text(options.profile)?.trim();
	if (profile) process.env.AWS_PROFILE = profile;
	const clients = createAwsClients({
		profile: text(options.profile),
		region: text(options.region),
		endpointUrl: text(options.endpointUrl),
		debugLogPath: text(options.debugLog),
	});
	try {
		const {region} = await checkAwsAccess(clients);
		return Object.assign(clients, {region});
	} catch (error) {
		clients.destroy();
		throw error;
	}
}

// The AWS clients for a CLI subcommand: a missing region or credentials is the user's set-up to
// fix, so it is reported as a usage error (one line, exit 2) rather than a failure.
import {type AwsCliOptions, clientsFromCliOptions} from '../aws/cli-clients.js';
import {AwsSetupError} from '../aws/errors.js';
import {UsageError} from './errors.js';

export async function awsClientsForCli(options: AwsCliOptions): ReturnType<typeof clientsFromCliOptions> {
	try {
		return await clientsFromCliOptions(options);
	} catch (error) {
		if (error instanceof AwsSetupError) throw new UsageError(error.message);
		throw error;
	}
}

// The SDK clients sgtui uses, built once per command from resolved settings. Everything that
// talks to AWS takes these clients as parameters, so tests point the very same code at the lab.
import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import type {EC2Client} from '@aws-sdk/client-ec2';
import type {SSMClient} from '@aws-sdk/client-ssm';
import {type AwsOptions, type AwsSettings, resolveAwsSettings} from './config.js';
import {AwsSetupError, explainAwsError, isMissingCredentials, isMissingRegion, SETUP_HINT} from './errors.js';
import {createDebugLogger, type DebugLogger} from './sdk-logger.js';
import {ec2Sdk, logsSdk, ssmSdk} from './sdk.js';

export interface AwsClients {
	/** EC2 (created on first use: the TUI may read its inventory on another thread, inventory-thread.ts). */
	readonly ec2: EC2Client;
	/** CloudWatch Logs, for the rejects views, tail and history (created on first use). */
	readonly logs: CloudWatchLogsClient;
	/** Systems Manager, for the Run Command probe transport (created on first use). */
	readonly ssm: SSMClient;
	settings: AwsSettings;
	logger: DebugLogger;
	destroy(): void;
}

export interface ClientExtras {
	/** Static credentials (the lab's test keys); otherwise the default provider chain. */
	credentials?: {accessKeyId: string; secretAccessKey: string; sessionToken?: string};
	maxAttempts?: number;
	logger?: DebugLogger;
}

// AWS's own endpoints; anything else (the lab, LocalStack, a proxy) is a custom endpoint.
const AWS_HOST = /(^|\.)(amazonaws\.com|amazonaws\.com\.cn|api\.aws|c2s\.ic\.gov|sc2s\.sgov\.gov)$/;

/**
 * StartLiveTail is sent to the `stream-` host prefix, which a custom endpoint does not serve.
 * The endpoint may come from a flag, an env var or the shared config file, resolved by the
 * SDK's per-command endpoint middleware, so the check runs after it, in the build step: with a
 * custom endpoint the request goes to exactly the endpoint's host (what `disableHostPrefix`
 * does when the endpoint is known up front).
 */
function disableHostPrefixForCustomEndpoints(client: CloudWatchLogsClient): void {
	type Args = {request: {hostname?: string; headers?: Record<string, string>}};
	type Next = (args: Args) => Promise<unknown>;
	type Context = {endpointV2?: {url?: URL}};
	client.middlewareStack.add(
		((next: Next, context: Context) => async (args: Args) => {
			const host = context.endpointV2?.url?.hostname;
			const request = args.request;
			if (host && !AWS_HOST.test(host) && request.hostname && request.hostname !== host && request.hostname.endsWith(host)) {
				request.hostname = host;
			}
			return next(args);
		}) as never,
		{step: 'build', priority: 'high', name: 'sgtuiCustomEndpointHost', override: true},
	);
}

export function createAwsClients(options: AwsOptions = {}, extras: ClientExtras = {}, env: NodeJS.ProcessEnv = process.env): AwsClients {
	const settings = resolveAwsSettings(options, env);
	const logger = extras.logger ?? createDebugLogger(options.debugLogPath);
	// The SDK prints a Node-version notice to stderr through process.emitWarning, which would land
	// in the middle of NDJSON or a full-screen frame; it is recorded in the debug log instead.
	if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined && Number(process.versions.node.split('.')[0]) < 22) {
		process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
		logger.info(`node ${process.version}: AWS SDK releases after January 2027 will require node >= 22`);
	}
	const common = {
		region: settings.region,
		profile: settings.profile,
		endpoint: settings.endpoint,
		credentials: extras.credentials,
		retryMode: 'adaptive',
		maxAttempts: extras.maxAttempts ?? 6,
		logger,
	} as const;
	// Each SDK package loads (and its client is built) when first asked for: the TUI's first screen
	// needs none of them on its own thread (bench/startup.mjs).
	let ec2: EC2Client | null = null;
	let logs: CloudWatchLogsClient | null = null;
	let ssm: SSMClient | null = null;
	return {
		get ec2() {
			ec2 ??= new (ec2Sdk().EC2Client)({...common});
			return ec2;
		},
		get logs() {
			if (!logs) {
				logs = new (logsSdk().CloudWatchLogsClient)({...common, disableHostPrefix: Boolean(settings.endpoint)});
				disableHostPrefixForCustomEndpoints(logs);
			}
			return logs;
		},
		get ssm() {
			ssm ??= new (ssmSdk().SSMClient)({...common});
			return ssm;
		},
		settings,
		logger,
		destroy() {
			ec2?.destroy();
			logs?.destroy();
			ssm?.destroy();
		},
	};
}

/**
 * Resolves region and credentials before the first call, so a missing one is reported as one
 * sentence with a hint instead of surfacing mid-way through an inventory.
 */
export async function checkAwsAccess(clients: AwsClients): Promise<{region: string}> {
	let region: string;
	try {
		region = await clients.ec2.config.region();
	} catch (error) {
		if (isMissingRegion(error) || error instanceof AwsSetupError) throw new AwsSetupError(`no AWS region is configured; ${SETUP_HINT}`);
		throw explainAwsError(error, 'ec2', 'configuration');
	}
	if (!region) throw new AwsSetupError(`no AWS region is configured; ${SETUP_HINT}`);
	try {
		await clients.ec2.config.credentials();
	} catch (error) {
		if (isMissingCredentials(error)) {
			const profile = clients.settings.profile ? ` for profile "${clients.settings.profile}"` : '';
			throw new AwsSetupError(`no AWS credentials were found${profile} (env, shared config, SSO or instance role); ${SETUP_HINT}`);
		}
		throw explainAwsError(error, 'sts', 'credentials');
	}
	return {region};
}

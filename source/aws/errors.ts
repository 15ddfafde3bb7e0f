// AWS failures as one sentence an operator can act on. The SDK's own messages name neither the
// IAM permission that was missing nor what to do next; sgtui's users need both, on one line.

/** A problem with where/how to reach AWS (no credentials, no region, bad endpoint). */
export class AwsSetupError extends Error {
	override name = 'AwsSetupError';
}

/** An AWS call failed; `permission` is set when it was an authorization failure. */
export class AwsCallError extends Error {
	override name = 'AwsCallError';
	constructor(
		message: string,
		readonly code: string,
		readonly permission: string | null,
		cause?: unknown,
	) {
		super(message, {cause});
	}
}

export const SETUP_HINT = 'try `sgtui --demo`, or set AWS_PROFILE/AWS_REGION';

const DENIED = new Set([
	'AccessDenied',
	'AccessDeniedException',
	'UnauthorizedOperation',
	'UnauthorizedAccess',
	'Client.UnauthorizedOperation',
]);

const BAD_CREDENTIALS = new Set([
	'AuthFailure',
	'InvalidClientTokenId',
	'UnrecognizedClientException',
	'SignatureDoesNotMatch',
	'IncompleteSignature',
	'InvalidSignatureException',
	'ExpiredToken',
	'ExpiredTokenException',
	'RequestExpired',
]);

interface ErrorLike {
	name?: string;
	Code?: string;
	code?: string;
	message?: string;
	$metadata?: {httpStatusCode?: number};
}

/**
 * The AWS error code: the SDK error's name (ResourceNotFoundException, ThrottlingException…).
 * An AwsCallError (our one-line explanation around an SDK error) answers with the error it wraps,
 * so a caller testing for a code gets the same answer before and after explainAwsError; one made
 * without a cause answers with its own code.
 */
export function errorCode(error: unknown): string {
	if (error instanceof AwsCallError) return error.cause === undefined ? error.code : errorCode(error.cause);
	const candidate = error as ErrorLike | null;
	return String(candidate?.name ?? candidate?.Code ?? candidate?.code ?? 'Error');
}

export function httpStatus(error: unknown): number | undefined {
	if (error instanceof AwsCallError) return error.cause === undefined ? undefined : httpStatus(error.cause);
	return (error as ErrorLike | null)?.$metadata?.httpStatusCode;
}

export function isDenied(error: unknown): boolean {
	return DENIED.has(errorCode(error)) || httpStatus(error) === 403;
}

const CREDENTIAL_CODES = new Set(['CredentialsProviderError', 'TokenProviderError']);

/** Does this error mean "no usable credentials were found" (before any call went out)? */
export function isMissingCredentials(error: unknown): boolean {
	const code = errorCode(error);
	const message = String((error as ErrorLike | null)?.message ?? '');
	return CREDENTIAL_CODES.has(code) || /could not load credentials/i.test(message);
}

export function isMissingRegion(error: unknown): boolean {
	return /region is missing|region="" is not a valid/i.test(String((error as ErrorLike | null)?.message ?? ''));
}

// Secrets never reach messages: the SDK's messages don't carry them, but a signed URL or an
// access key id could appear in a proxy's error body, so anything key-like is masked.
function scrub(text: string): string {
	return text
		.replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, '$1…')
		.replace(/(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s]+/gi, '$1…')
		.split('\n')[0]!
		.trim();
}

/**
 * Turns any SDK error from `service:operation` into an AwsSetupError or AwsCallError with one
 * clear sentence. `service` is the IAM prefix (`ec2`, `logs`).
 */
export function explainAwsError(error: unknown, service: string, operation: string): Error {
	if (error instanceof AwsCallError || error instanceof AwsSetupError) return error;
	const code = errorCode(error);
	const permission = `${service}:${operation}`;
	const raw = scrub(String((error as ErrorLike | null)?.message ?? error));
	if (isMissingRegion(error)) return new AwsSetupError(`no AWS region is configured; ${SETUP_HINT}`);
	if (isMissingCredentials(error)) return new AwsSetupError(`no AWS credentials were found (env, shared config, SSO or instance role); ${SETUP_HINT}`);
	if (DENIED.has(code) || (httpStatus(error) === 403 && !BAD_CREDENTIALS.has(code))) {
		return new AwsCallError(`${permission} denied: grant it to this identity (see the README's IAM policy)`, code, permission, error);
	}
	if (BAD_CREDENTIALS.has(code)) {
		return new AwsCallError(`AWS rejected the credentials (${code}) calling ${permission}: refresh them (e.g. \`aws sso login\`) or pick another --profile`, code, null, error);
	}
	if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'TimeoutError' || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(raw)) {
		return new AwsCallError(`cannot reach the AWS endpoint for ${service} (${raw}); check --endpoint-url / AWS_ENDPOINT_URL and the network`, code, null, error);
	}
	if (notAwsAnswer(error)) {
		const status = httpStatus(error);
		// A 5xx page is an endpoint that lacks the operation (moto has no DescribeInstanceInformation)
		// or broke on it; anything else is most likely the wrong address.
		const hint = status !== undefined && status >= 500 ? 'it may not implement this operation' : 'check --endpoint-url / AWS_ENDPOINT_URL';
		return new AwsCallError(`${permission}: the endpoint did not answer as AWS does (${status === undefined ? '' : `HTTP ${status}, `}not an AWS response); ${hint}`, code, null, error);
	}
	return new AwsCallError(`${permission} failed: ${code}${raw && raw !== code ? `: ${raw}` : ''}`, code, null, error);
}

/**
 * The SDK could not read the answer at all: a web page (a wrong path, a proxy's or a mock's 404)
 * where AWS's XML or JSON belongs. Its own message is the parser's ("XML parse error: mismatched
 * tags", "Unexpected token '<'"), which says nothing about the endpoint being wrong.
 */
function notAwsAnswer(error: unknown): boolean {
	const message = String((error as ErrorLike | null)?.message ?? '');
	return errorCode(error) === 'SyntaxError' || /Deserialization error|XML parse error/.test(message);
}

/** Runs one AWS call and rewrites its failure with explainAwsError. */
export async function awsCall<T>(service: string, operation: string, call: () => Promise<T>): Promise<T> {
	try {
		return await call();
	} catch (error) {
		throw explainAwsError(error, service, operation);
	}
}

// CloudWatch Logs reads shared by the reject stream, the snapshot writer and history: the flow
// log group's ARN (StartLiveTail wants ARNs), and FilterLogEvents pages drawn through the shared
// 5 requests/s bucket.
import type {CloudWatchLogsClient, FilteredLogEvent} from '@aws-sdk/client-cloudwatch-logs';
import {logsSdk} from './sdk.js';
import {awsCall, AwsCallError} from './errors.js';
import {sharedBucket, type TokenBucket} from './token-bucket.js';

/** FilterLogEvents takes at most 100 stream names. */
export const MAX_STREAMS_PER_CALL = 100;

export async function resolveLogGroupArn(logs: CloudWatchLogsClient, logGroupName: string, signal?: AbortSignal): Promise<string> {
	let nextToken: string | undefined;
	do {
		await sharedBucket(logs).take(signal);
		const page = await awsCall('logs', 'DescribeLogGroups', () => logs.send(new (logsSdk().DescribeLogGroupsCommand)({logGroupNamePrefix: logGroupName, nextToken}), {abortSignal: signal}));
		const group = page.logGroups?.find((candidate) => candidate.logGroupName === logGroupName);
		if (group) {
			// `arn` ends with ":*"; StartLiveTail rejects that form. Newer responses also carry logGroupArn.
			const arn = group.logGroupArn ?? group.arn?.replace(/:\*$/, '');
			if (arn) return arn;
		}
		nextToken = page.nextToken;
	} while (nextToken);
	throw new AwsCallError(`log group "${logGroupName}" does not exist (the flow log may never have delivered, or it is in another region)`, 'ResourceNotFoundException', null);
}

export interface FilterOptions {
	logGroupName: string;
	logStreamNames?: string[];
	startTime?: number;
	endTime?: number;
	filterPattern?: string;
	limit?: number;
	bucket?: TokenBucket;
	signal?: AbortSignal;
}

/** Every matching event, page by page (oldest first within AWS's interleaving). */
export async function* filterLogEvents(logs: CloudWatchLogsClient, options: FilterOptions): AsyncGenerator<FilteredLogEvent[]> {
	const bucket = options.bucket ?? sharedBucket(logs);
	const streams = options.logStreamNames;
	const groups = streams && streams.length > MAX_STREAMS_PER_CALL ? chunk(streams, MAX_STREAMS_PER_CALL) : [streams];
	for (const logStreamNames of groups) {
		let nextToken: string | undefined;
		do {
			await bucket.take(options.signal);
			if (options.signal?.aborted) return;
			const page = await awsCall('logs', 'FilterLogEvents', () =>
				logs.send(
					new (logsSdk().FilterLogEventsCommand)({
						logGroupName: options.logGroupName,
						logStreamNames: logStreamNames?.length ? logStreamNames : undefined,
						startTime: options.startTime,
						endTime: options.endTime,
						filterPattern: options.filterPattern,
						limit: options.limit,
						nextToken,
					}),
					{abortSignal: options.signal},
				),
			);
			yield page.events ?? [];
			nextToken = page.nextToken;
		} while (nextToken);
	}
}

function chunk<T>(values: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let index = 0; index < values.length; index += size) out.push(values.slice(index, index + size));
	return out;
}

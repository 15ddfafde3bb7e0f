// Fault knobs: mutable at runtime (tests flip them on a running lab). Counters are per lab.
import {SSM_OUTPUT_LIMIT} from '../core/ssm-output.js';

export interface FaultKnobs {
	/** Every Nth API call fails with the service's throttling error (0 = never). */
	throttleEveryNth: number;
	/** Every Nth API call fails with HTTP 500/503 (0 = never). */
	serverErrorEveryNth: number;
	/** A Live Tail stream is cut (socket destroyed) after this many sessionUpdates (0 = never). */
	cutLiveTailAfterUpdates: number;
	/** Live Tail sessions end with SessionTimeoutException after this long (AWS: 3 h). */
	liveTailSessionSeconds: number;
	/** StartLiveTail answers AccessDeniedException. */
	denyLiveTail: boolean;
	/** GetQueryResults says "Running" this many times before "Complete". */
	queryRunningPolls: number;
	/**
	 * FilterLogEvents calls allowed per second before ThrottlingException (AWS: 5 per account and
	 * region, not raisable). 0 = unlimited, the default, so unrelated tests are not slowed.
	 */
	filterLogEventsPerSecond: number;
	/**
	 * API actions this "identity" may not call, by name (`DescribeFlowLogs`, `FilterLogEvents`):
	 * they answer as AWS does for a missing IAM permission (EC2: UnauthorizedOperation, HTTP 403;
	 * Logs: AccessDeniedException, HTTP 400).
	 */
	denyActions: string[];
	/** Systems Manager: instances that are not managed (absent from DescribeInstanceInformation, SendCommand refuses them). */
	ssmUnmanaged: string[];
	/** Managed instances whose agent is offline (PingStatus ConnectionLost; commands end DeliveryTimedOut). */
	ssmOffline: string[];
	/** Instances whose probe runs past its executionTimeout (TimedOut / ExecutionTimedOut). */
	ssmTimeout: string[];
	/** Characters of stdout Run Command keeps (AWS: 24,000); lower it to see truncation. */
	ssmOutputLimit: number;
	/** Milliseconds per Run Command step: not yet visible, Pending, InProgress (tests: a few ms). */
	ssmStepMs: number;
	/** The next N simulated records are delivered `lateBurstDelayMs` later than they would be (a late burst). */
	lateBurstRecords: number;
	lateBurstDelayMs: number;
}

export const DEFAULT_FAULTS: FaultKnobs = {
	throttleEveryNth: 0,
	serverErrorEveryNth: 0,
	cutLiveTailAfterUpdates: 0,
	liveTailSessionSeconds: 3 * 60 * 60,
	denyLiveTail: false,
	queryRunningPolls: 0,
	filterLogEventsPerSecond: 0,
	denyActions: [],
	ssmUnmanaged: [],
	ssmOffline: [],
	ssmTimeout: [],
	ssmOutputLimit: SSM_OUTPUT_LIMIT,
	ssmStepMs: 1000,
	lateBurstRecords: 0,
	lateBurstDelayMs: 0,
};

// The lab's caller, as AWS names it in an authorization failure.
const LAB_USER_ARN = 'arn:aws:iam::123456789012:user/lab';

/** AWS's wording for a denied action; null when `action` is allowed. */
export function deniedAction(faults: FaultKnobs, service: 'ec2' | 'logs' | 'ssm', action: string, resource?: string): {code: string; message: string; status: number} | null {
	if (!faults.denyActions.includes(action)) return null;
	const because = `User: ${LAB_USER_ARN} is not authorized to perform: ${service}:${action}${resource ? ` on resource: ${resource}` : ''}`;
	return service === 'ec2'
		? {code: 'UnauthorizedOperation', message: `You are not authorized to perform this operation. ${because}`, status: 403}
		: {code: 'AccessDeniedException', message: `${because} because no identity-based policy allows the ${service}:${action} action`, status: 400};
}

export type InjectedFault = 'throttle' | 'server-error' | null;

/** Counts calls and says which fault, if any, this call gets. */
export function faultCounter(faults: FaultKnobs): () => InjectedFault {
	let calls = 0;
	return () => {
		calls++;
		if (faults.throttleEveryNth > 0 && calls % faults.throttleEveryNth === 0) return 'throttle';
		if (faults.serverErrorEveryNth > 0 && calls % faults.serverErrorEveryNth === 0) return 'server-error';
		return null;
	};
}

/** A one-second sliding window: true when this call is over the quota. */
export function quotaWindow(limit: () => number, now: () => number = Date.now): () => boolean {
	const recent: number[] = [];
	return () => {
		const max = limit();
		if (max <= 0) return false;
		const t = now();
		while (recent.length > 0 && recent[0]! <= t - 1000) recent.shift();
		if (recent.length >= max) return true;
		recent.push(t);
		return false;
	};
}

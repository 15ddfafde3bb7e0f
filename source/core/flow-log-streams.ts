// Which CloudWatch Logs streams hold a network interface's flow records. A flow log delivering to
// CloudWatch Logs gives each interface a log stream of its own (CreateFlowLogs: "each network
// interface has a unique log stream in the log group"), named by the interface and the flow log's
// traffic type: `eni-0123…-all`, `eni-0123…-accept`, `eni-0123…-reject`. Records put under the
// bare interface id (older set-ups, hand-made groups, the lab) belong to it too. All four are
// read: one log group may hold streams of several flow logs, and an exact list (not a prefix)
// keeps `eni-0123abcd` from also matching another interface whose longer id starts the same.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html

const SUFFIXES = ['', '-all', '-accept', '-reject'] as const;

/** The log stream names that can hold `eniId`'s flow records, the bare id first. */
export function flowLogStreamNames(eniId: string): string[] {
	return SUFFIXES.map((suffix) => `${eniId}${suffix}`);
}

/** Every stream name of these interfaces, in their order. */
export function flowLogStreamNamesOf(eniIds: readonly string[]): string[] {
	return eniIds.flatMap(flowLogStreamNames);
}

/** The interface a flow-log stream belongs to (`eni-0123…-all` → `eni-0123…`); other names as they are. */
export function eniOfFlowLogStream(streamName: string): string {
	const match = /^(eni-[0-9a-f]+)-(?:all|accept|reject)$/.exec(streamName);
	return match ? match[1]! : streamName;
}

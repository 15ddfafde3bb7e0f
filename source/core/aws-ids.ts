// AWS's resource-id grammar: a type prefix, a dash, and 8 (older resources) or 17 lowercase hex
// digits. Ids are checked against it where they enter sgtui (snapshot files, live inventory, the
// command line), so every later use — a file name, a printed `aws ec2 …` command, a lab lookup —
// can rely on an id holding nothing but `[a-z]+-[0-9a-f]+`.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html

export const AWS_ID_PREFIXES = {
	instance: 'i',
	networkInterface: 'eni',
	securityGroup: 'sg',
	securityGroupRule: 'sgr',
	networkAcl: 'acl',
	subnet: 'subnet',
	vpc: 'vpc',
	prefixList: 'pl',
	routeTable: 'rtb',
	internetGateway: 'igw',
	egressOnlyInternetGateway: 'eigw',
	natGateway: 'nat',
	peering: 'pcx',
	transitGateway: 'tgw',
	vpnGateway: 'vgw',
	flowLog: 'fl',
	vpcEndpoint: 'vpce',
	image: 'ami',
	elasticIpAllocation: 'eipalloc',
} as const;

export type AwsIdKind = keyof typeof AWS_ID_PREFIXES;

const HEX_PART = /^(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** True when `value` is a well-formed id of that kind (`sg-0123456789abcdef0`, `eni-1a2b3c4d`). */
export function isAwsId(kind: AwsIdKind, value: string): boolean {
	const prefix = `${AWS_ID_PREFIXES[kind]}-`;
	return value.startsWith(prefix) && HEX_PART.test(value.slice(prefix.length));
}

/** The kind of a well-formed id, or null (also for ids of kinds sgtui does not know). */
export function awsIdKind(value: string): AwsIdKind | null {
	for (const kind of Object.keys(AWS_ID_PREFIXES) as AwsIdKind[]) {
		if (isAwsId(kind, value)) return kind;
	}
	return null;
}

const KIND_NAMES: Partial<Record<AwsIdKind, string>> = {
	instance: 'an instance id',
	networkInterface: 'a network interface id',
	securityGroup: 'a security group id',
};

/** The value as typed, short enough for one line (a 1 MB argument is not echoed whole). */
export function quotedArgument(value: string, max = 80): string {
	return `"${[...value].length > max ? `${[...value].slice(0, max).join('')}…` : value}"`;
}

/** "an instance id (i-…) or a network interface id (eni-…): the prefix, a dash, then 8 or 17 lowercase hex digits" */
export function expectedIds(kinds: readonly AwsIdKind[]): string {
	const what = kinds.map((kind) => `${KIND_NAMES[kind] ?? `a ${kind} id`} (${AWS_ID_PREFIXES[kind]}-…)`);
	const list = what.length > 1 ? `${what.slice(0, -1).join(', ')} or ${what.at(-1)}` : what[0]!;
	return `${list}: the prefix, a dash, then 8 or 17 lowercase hex digits`;
}

/**
 * null when `value` is a well-formed id of one of `kinds`; else the one-line complaint the CLI and
 * the TUI's palette both give, naming where it was typed (`TARGET`, `--from`, `eni`). Not
 * sanitized: the caller's error line or display does that.
 */
export function malformedIdMessage(label: string, value: string, kinds: readonly AwsIdKind[]): string | null {
	if (kinds.some((kind) => isAwsId(kind, value))) return null;
	return `${label} ${quotedArgument(value)} is not ${expectedIds(kinds)}`;
}

// Which transport lists a host's sockets: SSH or Systems Manager Run Command. `auto` follows what
// the operator already set up: SSH when the ssh config or --user names the host (that is a
// statement of how they reach it), else Run Command when the instance is a managed instance whose
// agent is online, else SSH to the address the inventory gives (the old behaviour). Pure: the
// facts are gathered by the caller.

export const PROBE_VIAS = ['auto', 'ssh', 'ssm'] as const;
export type ProbeVia = (typeof PROBE_VIAS)[number];

export function isProbeVia(value: unknown): value is ProbeVia {
	return typeof value === 'string' && (PROBE_VIAS as readonly string[]).includes(value);
}

/** What DescribeInstanceInformation said about the instance. */
export type SsmStatus =
	| {kind: 'online'}
	| {kind: 'offline'; reason: string}
	| {kind: 'not-managed'}
	/** Not asked, or the lookup failed (denied, not implemented, no AWS configured). */
	| {kind: 'unknown'; reason: string};

export interface TransportFacts {
	/** The target is an instance id (only those can be reached through Systems Manager). */
	isInstance: boolean;
	/** The ssh config has a HostName for it, or --user was given, or it is not an instance id. */
	sshNamed: boolean;
	ssm: SsmStatus;
}

export type TransportChoice =
	| {transport: 'ssh'; why: string; /** Why SSM was not used, kept for the error if SSH fails too. */ ssmNote: string | null}
	| {transport: 'ssm'; why: string}
	| {transport: null; error: string};

export function ssmStatusText(status: SsmStatus): string {
	switch (status.kind) {
		case 'online': return 'managed, agent online';
		case 'offline': return status.reason;
		case 'not-managed': return 'not a managed instance (DescribeInstanceInformation does not list it)';
		case 'unknown': return `not checked: ${status.reason}`;
	}
}

export function chooseTransport(via: ProbeVia, facts: TransportFacts): TransportChoice {
	if (via === 'ssh') return {transport: 'ssh', why: '--via ssh', ssmNote: null};
	if (via === 'ssm') {
		if (!facts.isInstance) return {transport: null, error: 'Systems Manager reaches instances by id: give i-… targets with --via ssm'};
		return {transport: 'ssm', why: '--via ssm'};
	}
	if (!facts.isInstance) return {transport: 'ssh', why: 'not an instance id', ssmNote: null};
	if (facts.sshNamed) return {transport: 'ssh', why: 'the ssh config or --user names the host', ssmNote: null};
	if (facts.ssm.kind === 'online') return {transport: 'ssm', why: 'no ssh config entry; the instance is managed by Systems Manager'};
	return {transport: 'ssh', why: 'no ssh config entry, and Systems Manager cannot reach it', ssmNote: ssmStatusText(facts.ssm)};
}

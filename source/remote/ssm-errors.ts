// Systems Manager probe failures and the prober interface, apart from the probe itself so the
// SSH-only paths can name them without loading the AWS SDK.
import type {ManagedInstance, ManagedLookup, SsmFailureKind} from '../aws/ssm-run-command.js';
import type {HostProbeResult, ProbeErrorKind} from './probe.js';

/** What to enable, per failure: the second line of a report, the rest of the TUI's panel. */
export const SSM_ERROR_HINTS: Record<SsmFailureKind | 'no-transport', string> = {
	'ssm-not-managed': 'make it a managed instance: run the SSM agent (preinstalled on Amazon Linux and Windows AMIs), attach an instance profile with AmazonSSMManagedInstanceCore, and give it a route to the ssm, ssmmessages and ec2messages endpoints (NAT or VPC endpoints)',
	'ssm-offline': 'the agent stopped answering: start the instance or the agent (amazon-ssm-agent / AmazonSSMAgent service), and check its route to the Systems Manager endpoints',
	'ssm-denied': 'grant the permission to your identity (README: IAM permissions; ssm:SendCommand scoped to the AWS-RunShellScript and AWS-RunPowerShellScript documents)',
	'ssm-timeout': 'the agent did not finish in time: check it is running and not busy, or probe over SSH (--via ssh)',
	'ssm-truncated': 'Run Command returns only the first 24,000 characters of output: probe this host over SSH (--via ssh) for the whole listing',
	'ssm-failed': 'the host did not run the probe script (see the message); probe over SSH (--via ssh) instead',
	'no-transport': 'enable one of them: SSH (a Host entry in the ssh config or --user, and TCP 22 open from here) or Systems Manager (agent, instance profile with AmazonSSMManagedInstanceCore, and ssm:SendCommand for you)',
};

export interface SsmProber {
	/** Which of these instances are managed (one batched lookup). */
	describe(instanceIds: string[]): Promise<ManagedLookup>;
	/** Probes one instance; `info` from describe, or null when that lookup was not possible. */
	probe(target: string, instanceId: string, info: ManagedInstance | null, platformHint: 'linux' | 'windows' | null): Promise<HostProbeResult>;
}

export function ssmError(result: HostProbeResult, kind: ProbeErrorKind, message: string): HostProbeResult {
	result.error = {kind, message, hint: kind in SSM_ERROR_HINTS ? SSM_ERROR_HINTS[kind as keyof typeof SSM_ERROR_HINTS] : '', fingerprint: null};
	return result;
}

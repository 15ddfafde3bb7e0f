// Connection failures as the operator needs to tell them apart: each kind points at a different
// fix (a security group or NACL for timeouts, sshd for refusals, keys for auth, known_hosts for
// host keys). Messages never carry key material or passphrases.

export type SshErrorKind =
	| 'auth-failed'
	| 'refused'
	| 'timeout'
	| 'no-route'
	| 'dns'
	| 'host-key-changed'
	| 'host-key-revoked'
	| 'host-key-unknown'
	| 'key-unreadable'
	| 'connection-lost'
	| 'command-failed'
	| 'command-timeout'
	| 'unresolved'
	| 'other';

export class SshError extends Error {
	override name = 'SshError';
	constructor(
		readonly kind: SshErrorKind,
		message: string,
		/** The SHA256 fingerprint for host-key errors, so a UI can show it apart from the message. */
		readonly fingerprint: string | null = null,
	) {
		super(message);
	}
}

/** Hints that follow the error on a second line in plain output. */
export const SSH_ERROR_HINTS: Record<SshErrorKind, string> = {
	'auth-failed': 'check the user (--user) and key (--identity, ssh-agent); the instance\'s key pair is in `aws ec2 describe-instances`',
	'refused': 'the host answered but nothing listens on the SSH port: sshd stopped, or a host firewall rejects it',
	'timeout': 'no answer: typically a security group, a network ACL or a route drops the packets (run `sgtui check … -p 22`)',
	'no-route': 'no route to the address from here: private address without --jump, or a routing problem',
	'dns': 'the host name does not resolve',
	'host-key-changed': 'the key differs from known_hosts: if the instance was really replaced, remove the old line (ssh-keygen -R HOST) after verifying the new fingerprint out of band',
	'host-key-revoked': 'the presented key is marked @revoked in known_hosts',
	'host-key-unknown': 'compare the fingerprint with one you trust (e.g. `aws ec2 get-console-output` prints the instance\'s host key fingerprints) before accepting it',
	'key-unreadable': 'a key file could not be read or decrypted',
	'connection-lost': 'the TCP connection opened but closed before SSH finished: sshd dropped it (MaxStartups, TCP wrappers) or something in between did',
	'command-failed': 'the remote host did not run the probe commands',
	'command-timeout': 'the host logged in but a probe command never finished: the host is hung or overloaded (`sgtui ports --command-timeout 60s` waits longer)',
	'unresolved': 'sgtui could not work out where to connect: give --snapshot DIR (instance addresses), a Host entry in the ssh config, or --jump for private addresses',
	'other': '',
};

/** Maps a socket or ssh2 error to a kind. `hopLabel` prefixes errors raised on a bastion. */
export function classifySshError(error: unknown, where: string): SshError {
	if (error instanceof SshError) return error;
	const err = error as NodeJS.ErrnoException & {level?: string; description?: string};
	const message = (err?.message ?? String(error)).split('\n')[0]!;
	const code = err?.code ?? '';
	if (err?.level === 'client-authentication' || /authentication methods failed/i.test(message)) {
		return new SshError('auth-failed', `${where}: authentication failed (no key or agent identity was accepted)`);
	}
	if (code === 'ECONNREFUSED' || /connection refused/i.test(message)) return new SshError('refused', `${where}: connection refused`);
	if (code === 'ETIMEDOUT' || /timed out/i.test(message)) return new SshError('timeout', `${where}: timed out`);
	if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || /no route|unreachable/i.test(message)) {
		return new SshError('no-route', `${where}: no route to host`);
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return new SshError('dns', `${where}: host name does not resolve`);
	if (code === 'ECONNRESET' || code === 'EPIPE' || /socket|closed|reset|connection lost/i.test(message)) {
		return new SshError('connection-lost', `${where}: connection closed by the remote side (${message})`);
	}
	return new SshError('other', `${where}: ${message}`);
}

// Every command the probe sends, as constants: nothing a user types ever reaches a remote shell.
// The lab's SSH server (source/lab/ssh-hosts.ts) answers exactly these strings.

export const DETECT_OS = 'uname -s';
export const DETECT_WINDOWS = 'cmd /c ver';
export const USER_ID = 'id -u';

export interface ListingCommand {
	tool: 'ss' | 'netstat' | 'proc-net';
	command: string;
	/** ss/netstat print the owning process only for the caller's own sockets unless root. */
	namesNeedRoot: boolean;
}

/** Linux, in order of preference: iproute2, net-tools, then the kernel's tables (no names). */
export const LINUX_LISTINGS: ListingCommand[] = [
	{tool: 'ss', command: 'ss -H -ltnup', namesNeedRoot: true},
	{tool: 'netstat', command: 'netstat -ltnup', namesNeedRoot: true},
	{tool: 'proc-net', command: 'cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6', namesNeedRoot: false},
];

/** Non-interactive sudo: fails at once instead of prompting when a password would be needed. */
export function withSudo(command: string): string {
	return `sudo -n ${command}`;
}

// Run through `sh -c` so a login shell that is not POSIX (fish, csh) still reads it. No single
// quotes inside: the whole script is single-quoted.
const LINUX_FIREWALL_SCRIPT = [
	'for s in firewalld ufw nftables iptables; do echo "service $s $(systemctl is-active $s 2>/dev/null)"; done',
	'if ! command -v iptables >/dev/null 2>&1; then echo "iptables absent"; elif r=$(iptables -S INPUT 2>/dev/null); then echo "iptables policy=$(echo "$r" | sed -n "s/^-P INPUT //p") rules=$(echo "$r" | grep -c "^-A")"; else echo "iptables unreadable"; fi',
	'if ! command -v nft >/dev/null 2>&1; then echo "nft absent"; elif r=$(nft list ruleset 2>/dev/null); then echo "nft rules=$(echo "$r" | grep -c -E "(drop|reject)")"; else echo "nft unreadable"; fi',
].join('; ');

export const LINUX_FIREWALL = `sh -c '${LINUX_FIREWALL_SCRIPT}'`;

export const WINDOWS_LISTING = 'netstat -nao';
export const WINDOWS_TASKLIST = 'tasklist /fo csv /nh';
export const WINDOWS_FIREWALL = 'netsh advfirewall show allprofiles state';

/** A shell's "no such command": exit 127 in sh/bash, cmd's "is not recognized". */
export function isCommandMissing(result: {code: number | null; stderr: string}): boolean {
	return result.code === 127 || /not found|not recognized|No such file/i.test(result.stderr);
}

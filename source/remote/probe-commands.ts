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

// ---- Run Command (SSM) ------------------------------------------------------------------------
// The same probe, as one script per platform: Run Command runs a document once, not a command per
// round trip, so the script tries the listing tools in the SSH probe's order and prints each
// answer under a section marker. The agent runs it as root (Linux) / SYSTEM (Windows), so no sudo.
// The last line is an end marker: output without it was cut (Run Command keeps only the first
// 24,000 characters of stdout and ends the cut text with "---Output truncated---").

export const SSM_LINUX_DOCUMENT = 'AWS-RunShellScript';
export const SSM_WINDOWS_DOCUMENT = 'AWS-RunPowerShellScript';
export const SSM_SECTION_PREFIX = '--- sgtui: ';
export const SSM_END_SECTION = 'end';

/** The Linux listing a script section names, e.g. "listing ss -H -ltnup". */
export const ssmListingSection = (command: string) => `listing ${command}`;

const echo = (section: string) => `echo '${SSM_SECTION_PREFIX}${section}'`;
const [SS, NETSTAT, PROC_NET] = LINUX_LISTINGS as [ListingCommand, ListingCommand, ListingCommand];

/**
 * AWS-RunShellScript `commands`: POSIX sh, one fixed script. A tool is used only if it ran
 * successfully (a missing `ss`, or BSD netstat refusing `-ltnup`, falls through to the next), and
 * /proc/net only if it printed something: an empty answer there means "could not read", not
 * "nothing listens".
 */
export const SSM_LINUX_COMMANDS: readonly string[] = [
	`${echo('os')}; ${DETECT_OS}`,
	`${echo('uid')}; ${USER_ID}`,
	`if out=$(${SS.command} 2>/dev/null); then ${echo(ssmListingSection(SS.command))}; printf '%s\\n' "$out"; ` +
		`elif out=$(${NETSTAT.command} 2>/dev/null); then ${echo(ssmListingSection(NETSTAT.command))}; printf '%s\\n' "$out"; ` +
		`else ${echo(ssmListingSection(PROC_NET.command))}; ${PROC_NET.command} 2>/dev/null; fi`,
	`${echo('firewall')}; ${LINUX_FIREWALL}`,
	echo(SSM_END_SECTION),
];

/**
 * Rows of `netstat -nao` that can be listeners: the header, every UDP socket (the parser counts
 * them all, connected ones included), and TCP sockets whose peer is the unspecified address
 * (`0.0.0.0:0` / `[::]:0`). Matching the peer rather than the word LISTENING works on localised
 * Windows too; dropping established connections keeps a busy server's listing under Run
 * Command's 24,000-character output limit. A .NET and a JavaScript regular expression alike (the
 * lab filters its captures with it).
 */
export const WINDOWS_LISTENER_ROW = String.raw`^\s*Proto\s|^\s*UDP\s|\s(0\.0\.0\.0:0|\[::\]:0)\s`;

const writeOutput = (section: string) => `Write-Output '${SSM_SECTION_PREFIX}${section}'`;

/** AWS-RunPowerShellScript `commands`. */
export const SSM_WINDOWS_COMMANDS: readonly string[] = [
	writeOutput(`listing ${WINDOWS_LISTING}`),
	`${WINDOWS_LISTING} | Select-String -Pattern '${WINDOWS_LISTENER_ROW}' | ForEach-Object { $_.Line }`,
	writeOutput(`tasklist ${WINDOWS_TASKLIST}`),
	WINDOWS_TASKLIST,
	writeOutput('firewall'),
	WINDOWS_FIREWALL,
	writeOutput(SSM_END_SECTION),
];

// ---- One round trip over SSH -------------------------------------------------------------------
// The Linux probe (uname, id, the listing tools in order with `sudo -n` first when not root, the
// firewall) as one POSIX sh script sent on stdin to `sh -s NONCE`: one exec instead of four or
// more. Each exec costs a round trip and, on a real sshd, a login shell start (a slow ~/.bashrc
// made that seconds per command). The decisions are probeLinux's, step for step; every answer
// comes back under a marker carrying the nonce, so a listing line cannot pose as a section. A
// host without sh (Windows' cmd, PowerShell) prints no marker and gets the command-by-command probe.

/** The command; the script goes to its stdin. `sh -s` runs in any login shell (fish, csh too). */
export const linuxProbeCommand = (nonce: string) => `sh -s ${nonce}`;
export const LINUX_PROBE_COMMAND_PATTERN = /^sh -s ([0-9a-f]{16})$/;
export const linuxProbeMarker = (nonce: string) => `--- sgtui ${nonce}: `;

/** A listing tool that ran and failed: its exit code on the first line, then its stderr. */
export const failedSection = (command: string) => `failed ${command}`;

const mark = (section: string) => `echo "--- sgtui $1: ${section}"`;

function listingStep(listing: ListingCommand): string {
	const {command} = listing;
	const tool = command.split(' ')[0]!;
	const usable = listing.tool === 'proc-net' ? `o=$(${command} 2>/dev/null); [ -n "$(printf '%s' "$o" | tr -d '[:space:]')" ]` : `o=$(${command} 2>/dev/null)`;
	const sudo = listing.namesNeedRoot
		? [
				'  if [ "$u" != 0 ] && [ -z "$sr" ]; then',
				`    if o=$(${withSudo(command)} 2>/dev/null); then found=1; ${mark(`listing ${withSudo(command)}`)}; [ -n "$o" ] && printf '%s\\n' "$o"`,
				// sudo works but the tool is missing: the plain command would fail too.
				`    elif ${withSudo(command)} 2>&1 >/dev/null | grep -qF 'sudo: ${tool}: command not found'; then skip=1`,
				// sudo missing, or it wants a password: every later tool would fail the same way.
				'    else sr=1; fi',
				'  fi',
			]
		: [];
	return [
		'if [ -z "$found" ]; then',
		'  skip=',
		...sudo,
		'  if [ -z "$found" ] && [ -z "$skip" ]; then',
		`    if ${usable}; then found=1; ${mark(`listing ${command}`)}; [ -n "$o" ] && printf '%s\\n' "$o"`,
		// Again, for its stderr and exit code: the note says why it failed (these only read).
		`    else e=$(${command} 2>&1 >/dev/null); c=$?; ${mark(failedSection(command))}; echo "$c"; printf '%s\\n' "$e"; fi`,
		'  fi',
		'fi',
	].join('\n');
}

// One brace group, read whole before it runs, with stdin from /dev/null: no command in it can
// swallow the rest of the script from sh's stdin.
export const LINUX_PROBE_SCRIPT = [
	'{',
	`FW='${LINUX_FIREWALL_SCRIPT}'`,
	`${mark('os')}; uname -s 2>/dev/null`,
	'u=$(id -u 2>/dev/null)',
	`${mark('uid')}; echo "$u"`,
	'found=; sr=',
	...LINUX_LISTINGS.map(listingStep),
	`${mark('firewall')}; if [ "$u" = 0 ] || [ -n "$sr" ]; then sh -c "$FW"; else sudo -n sh -c "$FW"; fi`,
	mark(SSM_END_SECTION),
	'} </dev/null',
	'',
].join('\n');

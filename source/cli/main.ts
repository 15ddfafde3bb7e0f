#!/usr/bin/env node
// sgtui's entry point. Only commander loads eagerly: each subcommand imports its module on use, so
// the non-UI commands never load React, ink or the AWS SDK and start fast.
import {Command, CommanderError, Option} from 'commander';
import {EvidenceError} from '../core/evidence-error.js';
import {EXIT, InputError, UsageError} from './errors.js';
import {display, errorLine} from '../core/display-text.js';
import {installTerminalGuard} from './terminal-guard.js';
import {VERSION} from './version.js';

installTerminalGuard();

type Runner = (options: Record<string, unknown>, args: string[]) => Promise<number>;

async function runCommand(load: () => Promise<{run: Runner}>, options: Record<string, unknown>, args: string[] = []) {
	const module = await load();
	process.exitCode = await module.run(options, args);
}

// Commander quotes the argument it refuses: one line through the sanitizer, as every error (a CR
// or a cursor move in an argument must not redraw the terminal's line). Its suggestion comes on a
// line of its own ("\n(Did you mean --input?)"): joined to the message, quoted as the word is.
function usageLine(text: string): string {
	const [message = '', ...rest] = text.trim().replace(/^error: /, '').split('\n');
	const suggestion = /^\(Did you mean (.+)\?\)$/.exec(rest.join(' ').trim())?.[1];
	const line = display(suggestion === undefined ? message : `${message} (did you mean '${suggestion}'?)`);
	return message.startsWith('unknown command ') ? `${line} — see sgtui --help` : `${line} (run with --help for usage)`;
}

/** Commander's own reports (with its suggestion), which it makes only for a root without an action. */
interface ReportsUnknownWords {
	unknownCommand(): never;
	unknownOption(flag: string): never;
}

function buildProgram(): Command {
	const program = new Command();
	program
		.name('sgtui')
		.description('Find out why a connection to an EC2 instance fails — without opening a security group to the world.')
		.version(VERSION, '-V, --version')
		.configureOutput({outputError: (text, write) => write(`sgtui: ${usageLine(text)}\n`)})
		.exitOverride();

	program
		.command('ports')
		.description('Show what listens on a host and what is reachable from outside: live over SSH or Systems Manager (TARGET...), or from a captured listing (--input)')
		.argument('[targets...]', 'instance id (i-…), host, ssh config alias or user@host[:port]; several at once')
		.option('-i, --input <file>', 'listing captured from the host ("-" for stdin): ss, netstat, Windows netstat -nao [+ tasklist]')
		.option('--tasklist <file>', 'Windows `tasklist /fo csv /nh` output, to name the processes')
		.option('-F, --config <file>', 'ssh config file (default ~/.ssh/config)')
		.option('--user <name>', 'login user (default: ssh config, else guessed from the AMI: ec2-user, ubuntu, admin, Administrator)')
		.option('--identity <file>', 'private key to try first')
		.option('--jump <hosts>', 'bastion(s), like ssh -J: [user@]host[:port][,…]; overrides ProxyJump')
		.option('--accept-new', 'record unknown host keys in known_hosts (like StrictHostKeyChecking=accept-new); a changed key is still refused')
		.option('-s, --snapshot <dir>', 'snapshot directory, to find instance addresses')
		.option('--concurrency <n>', 'hosts probed at once (default 16)')
		.option('--command-timeout <duration>', 'fail a host whose probe command gives no result within this long (default 20s; e.g. 5s, 2m)')
		.option('--via <transport>', 'auto (default): SSH when the ssh config or --user names the host, else Systems Manager Run Command when the instance is managed; ssh; ssm')
		.option('--profile <name>', 'with SSM: AWS profile')
		.option('--region <name>', 'with SSM: AWS region')
		.option('--endpoint-url <url>', 'with SSM: send AWS calls there (e.g. the lab)')
		.option('--debug-log <file>', 'with SSM: where AWS SDK diagnostics go')
		.option('--json', 'machine-readable output: {"listeners": [...]} for --input, {"hosts": [...]} for targets')
		.action(async (targets: string[], options: Record<string, unknown>) => {
			if (targets.length === 0) return runCommand(() => import('./commands/ports.js'), options);
			if (options.input !== undefined || options.tasklist !== undefined) {
				throw new UsageError('give either TARGET... (probe over SSH) or --input FILE (a captured listing), not both');
			}
			return runCommand(() => import('./commands/ports-ssh.js'), options, targets);
		});

	program
		.command('flows')
		.description('Read VPC Flow Log records and summarize the REJECTs by (source, port, protocol)')
		.requiredOption('-i, --input <file>', 'flow log file, .gz allowed ("-" for stdin)')
		.option('--format <string>', 'the flow log\'s LogFormat (default: a header line if present, else the v2 default format)')
		.option('--all', 'include ACCEPT and NODATA/SKIPDATA records, not only REJECT')
		.option('--json', 'NDJSON: one record per line')
		.action(async (options: Record<string, unknown>) => {
			// The summary of a big plain file is scanned by worker threads too: start them now, so
			// they load their modules while this thread loads the rest of `flows`.
			const threads = options.json !== true && typeof options.input === 'string' && options.input !== '-' ? await import('../files/flow-scan-threads.js') : null;
			threads?.prestartScanThreads(options.input as string);
			try {
				await runCommand(() => import('./commands/flows.js'), options);
			} finally {
				threads?.releaseScanThreads();
			}
		});

	program
		.command('check')
		.description('Decide whether the client (--from) can reach TARGET on a port, layer by layer along the whole path, and print the narrowest fix')
		.argument('<target>', 'instance id (i-…) or network interface id (eni-…)')
		.requiredOption('-p, --port <n>', 'destination port (for ICMP: the ICMP type, 8 = echo request)')
		.addOption(new Option('--protocol <name>', 'protocol').choices(['tcp', 'udp', 'icmp']).default('tcp'))
		.option('--from <source>', 'client address, CIDR or security group id (default: anywhere, i.e. 0.0.0.0/0 — name the real client for the narrowest fix)')
		.addOption(new Option('--client-os <os>', 'client ephemeral port range for the NACL return path').choices(['linux', 'windows', 'nat']).default('linux'))
		.requiredOption('-s, --snapshot <dir>', 'snapshot directory (see README)')
		.option('--json', 'machine-readable output')
		.action(async (target: string, options: Record<string, unknown>) => runCommand(() => import('./commands/check.js'), options, [target]));

	program
		.command('audit')
		.description('List risky or useless rules: world-open admin ports, all-traffic rules, rules nothing listens on, unused groups')
		.requiredOption('-s, --snapshot <dir>', 'snapshot directory (see README)')
		.option('--json', 'machine-readable output')
		.action(async (options: Record<string, unknown>) => runCommand(() => import('./commands/audit.js'), options));

	// AWS-backed subcommands share these options; the SDK's default chain fills in the rest.
	const withAwsOptions = (command: Command) =>
		command
			.option('--profile <name>', 'AWS profile from the shared config/credentials files (default: AWS_PROFILE or "default")')
			.option('--region <name>', 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile\'s region)')
			.option('--endpoint-url <url>', 'send AWS calls here (e.g. the lab); AWS_ENDPOINT_URL[_EC2|_CLOUDWATCH_LOGS] also work')
			.option('--debug-log <file>', 'where AWS SDK diagnostics go (default: $XDG_STATE_HOME/sgtui/debug.log)');

	withAwsOptions(
		program
			.command('snapshot')
			.description('Save a live account\'s evidence (describe-* outputs, recent flow records) as a snapshot directory')
			.requiredOption('-o, --out <dir>', 'directory to write (must be empty unless --force)')
			.option('--instances <ids>', 'only these instances (comma-separated i-… ids) and what they need')
			.option('--minutes <n>', 'flow records of the last N minutes (0 = none)', '30')
			.option('--force', 'replace the snapshot files in a non-empty directory')
			.option('--probe-hosts', 'also list what listens on each instance (as `sgtui ports`: SSH or Systems Manager) into hosts/<instance-id>.txt')
			.option('--no-probe', 'dial no host (SGTUI_NO_PROBE=1 too): refuses --probe-hosts')
			.option('--via <transport>', 'with --probe-hosts: auto (default), ssh or ssm, as for `sgtui ports`')
			.option('-F, --ssh-config <file>', 'with --probe-hosts: ssh config file (default ~/.ssh/config)')
			.option('--accept-new', 'with --probe-hosts: record unknown host keys in known_hosts; a changed key is still refused')
			.option('--jump <hosts>', 'with --probe-hosts: bastion(s), like ssh -J: [user@]host[:port][,…]; overrides ProxyJump')
			.option('--user <name>', 'with --probe-hosts: login user (default: ssh config, else guessed from the platform)')
			.option('--identity <file>', 'with --probe-hosts: private key to try first')
			.option('--command-timeout <duration>', 'with --probe-hosts: fail a host whose probe command gives no result within this long (default 20s; e.g. 5s, 2m)'),
	).action(async (options: Record<string, unknown>) => runCommand(() => import('./commands/snapshot.js'), options));

	withAwsOptions(
		program
			.command('tail')
			.description('Stream live REJECTs (VPC Flow Logs via CloudWatch Logs Live Tail) for an instance, ENI or security group')
			.argument('<target>', 'instance id (i-…), network interface id (eni-…) or security group id (sg-… = every ENI using it)')
			.option('--since <duration>', 'also show records of this recent past (e.g. 90s, 10m, 2h)', '10m')
			.option('--all', 'every record, not only REJECT')
			.option('--json', 'NDJSON: one record per line (camelCase fields plus eventTimestamp)')
			.option('--max-events <n>', 'stop after N records')
			.option('--for <duration>', 'stop after this long (e.g. 5m)')
			.option('--history <duration>', 'instead of streaming: REJECTs of this recent past (e.g. 30m), aggregated by Logs Insights')
			.option('--late-window <duration>', 'delivery allowance on top of the flow log\'s aggregation interval: records up to this late are still shown, exactly once', '15m')
			.addOption(new Option('--mode <mode>', 'how to read: Live Tail with polling fallback, or force one').choices(['auto', 'live-tail', 'polling']).default('auto')),
	).action(async (target: string, options: Record<string, unknown>) => runCommand(() => import('./commands/tail.js'), options, [target]));

	program
		.command('lab')
		.description('Run the lab — a local AWS (EC2, CloudWatch Logs, Live Tail) serving a snapshot with simulated traffic — until Ctrl-C')
		.option('-s, --snapshot <dir>', 'snapshot directory to serve (default: the bundled demo)')
		.option('--port <n>', 'port on 127.0.0.1 (default: a free one)')
		.option('--rate <n>', 'simulated connection attempts per second (0 = off)', '2')
		.option('--session-seconds <n>', 'Live Tail session length before SessionTimeoutException (default: 10800, as AWS)')
		.option('--deny <actions>', 'answer these API actions as denied, e.g. DescribeFlowLogs,StartLiveTail (to see how sgtui degrades)')
		.option('--verbose', 'print one line per request on stderr')
		.addOption(new Option('--delivery <mode>', 'realistic: records arrive after the aggregation interval plus a seeded delay, with stragglers (like AWS); fast: at once').choices(['realistic', 'fast']).default('realistic'))
		.option('--seed <n>', 'seed for the simulated traffic and delivery delays (replayable runs)', '1')
		.option('--ssh-dir <dir>', 'write the SSH hosts\' ssh_config, known_hosts and key here (default: a private temp dir, removed on exit)')
		.option('--no-ssh', 'do not start the SSH server for the snapshot\'s hosts')
		.action(async (options: Record<string, unknown>) => runCommand(() => import('./commands/lab.js'), options));

	// No subcommand: the full-screen UI (source/app/tui.ts). Positional options keep these root
	// flags from taking a subcommand's flag of the same name (`check … --snapshot DIR`).
	withAwsOptions(
		program
			.enablePositionalOptions()
			.option('--demo', 'open the UI on the built-in lab serving the bundled demo snapshot (no AWS account needed)')
			.option('--snapshot <dir>', 'open the UI on saved evidence (a snapshot directory) instead of live AWS')
			.option('--late-window <duration>', 'live rejects: delivery allowance on top of the flow log\'s aggregation interval (default 15m)')
			.option('--no-probe', 'never dial a host to list its listeners (SGTUI_NO_PROBE=1 too); host panels say how to turn probing on')
			.option('-F, --ssh-config <file>', 'ssh config file for probes (default ~/.ssh/config); `sgtui lab` writes one that routes its hosts to 127.0.0.1')
			.option('--command-timeout <duration>', 'fail a probe whose command gives no result within this long (default 20s)')
			.option('--no-color', 'no colours (NO_COLOR is honoured too)'),
	).action(async (options: Record<string, unknown>) => {
		// The root takes no operand, so a word here is a mistyped subcommand (`sgtui chek i-1`),
		// and the options after it were meant for that command, not the root. Commander would say
		// "too many arguments" or "unknown option '--port'", hence the two settings below and the
		// reports made here. Its args are the operands, then what followed the first unknown flag.
		const [first, second] = program.args;
		const reports = program as unknown as ReportsUnknownWords;
		// `sgtui help [command]` is what people type from git and npm: show the help they meant.
		if (first === 'help') {
			const command = program.commands.find((each) => each.name() === second || each.aliases().includes(second ?? ''));
			(command ?? program).help();
		}
		if (first?.startsWith('-')) {
			program.allowUnknownOption(false);
			reports.unknownOption(first);
		}
		if (first !== undefined) reports.unknownCommand();
		return runCommand(() => import('../app/tui.js'), options);
	});
	// Set last: subcommands copy these settings from the root when they are created, and must
	// keep refusing extra operands and unknown options themselves.
	program.allowExcessArguments().allowUnknownOption();

	return program;
}

async function main(argv: string[]): Promise<void> {
	const program = buildProgram();
	try {
		await program.parseAsync(argv);
	} catch (error) {
		if (error instanceof CommanderError) {
			// Commander already printed help, version or the usage message.
			process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
			return;
		}
		if (error instanceof UsageError || error instanceof InputError || error instanceof EvidenceError) {
			process.stderr.write(`sgtui: ${errorLine(error)}\n`);
			process.exitCode = EXIT.usage;
			return;
		}
		process.stderr.write(`sgtui: ${errorLine(error)}\n`);
		process.exitCode = EXIT.failure;
	}
}

await main(process.argv);

#!/usr/bin/env node
// sgtui's entry point. Only commander loads eagerly: each subcommand imports its module on use, so
// the non-UI commands never load React, ink or the AWS SDK and start fast.
import {Command, CommanderError, Option} from 'commander';
import {EvidenceError} from '../core/evidence-error.js';
import {EXIT, InputError, UsageError} from './errors.js';

type Runner = (options: Record<string, unknown>, args: string[]) => Promise<number>;

async function runCommand(load: () => Promise<{run: Runner}>, options: Record<string, unknown>, args: string[] = []) {
	const module = await load();
	process.exitCode = await module.run(options, args);
}

function buildProgram(): Command {
	const program = new Command();
	program
		.name('sgtui')
		.description('Find out why a connection to an EC2 instance fails — without opening a security group to the world.')
		.version('0.1.0', '-V, --version')
		.showHelpAfterError('(run with --help for usage)')
		.exitOverride();

	program
		.command('ports')
		.description('Parse a listener listing (ss, netstat, Windows netstat -nao [+ tasklist]) and show what is reachable from outside')
		.requiredOption('-i, --input <file>', 'listing captured from the host ("-" for stdin)')
		.option('--tasklist <file>', 'Windows `tasklist /fo csv /nh` output, to name the processes')
		.option('--json', 'machine-readable output: {"listeners": [...]}')
		.action(async (options) => runCommand(() => import('./commands/ports.js'), options));

	program
		.command('flows')
		.description('Read VPC Flow Log records and summarize the REJECTs by (source, port, protocol)')
		.requiredOption('-i, --input <file>', 'flow log file, .gz allowed ("-" for stdin)')
		.option('--format <string>', 'the flow log\'s LogFormat (default: a header line if present, else the v2 default format)')
		.option('--all', 'include ACCEPT and NODATA/SKIPDATA records, not only REJECT')
		.option('--json', 'NDJSON: one record per line')
		.action(async (options) => runCommand(() => import('./commands/flows.js'), options));

	program
		.command('check')
		.description('Decide whether SOURCE can reach TARGET on a port, layer by layer, and print the narrowest fix')
		.argument('<target>', 'instance id (i-…) or network interface id (eni-…)')
		.requiredOption('-p, --port <n>', 'destination port (for ICMP: the ICMP type, 8 = echo request)')
		.addOption(new Option('--protocol <name>', 'protocol').choices(['tcp', 'udp', 'icmp']).default('tcp'))
		.option('--from <source>', 'client address, CIDR or security group id (default: any)')
		.addOption(new Option('--client-os <os>', 'client ephemeral port range for the NACL return path').choices(['linux', 'windows', 'nat']).default('linux'))
		.requiredOption('-s, --snapshot <dir>', 'snapshot directory (see README)')
		.option('--json', 'machine-readable output')
		.action(async (target: string, options) => runCommand(() => import('./commands/check.js'), options, [target]));

	program
		.command('audit')
		.description('List risky or useless rules: world-open admin ports, all-traffic rules, rules nothing listens on, unused groups')
		.requiredOption('-s, --snapshot <dir>', 'snapshot directory (see README)')
		.option('--json', 'machine-readable output')
		.action(async (options) => runCommand(() => import('./commands/audit.js'), options));

	return program;
}

function oneLine(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.split('\n')[0]!.trim();
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
			process.stderr.write(`sgtui: ${oneLine(error)}\n`);
			process.exitCode = EXIT.usage;
			return;
		}
		process.stderr.write(`sgtui: ${oneLine(error)}\n`);
		process.exitCode = EXIT.failure;
	}
}

await main(process.argv);

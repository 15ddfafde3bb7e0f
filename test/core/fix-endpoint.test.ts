// A fix printed while sgtui reads from a non-AWS endpoint carries that endpoint, quoted, on every
// `aws` line, so pasting it can never reach real AWS.
import {execFileSync} from 'node:child_process';
import {chmodSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {fixEndpointFromEnv, withEndpointUrl} from '../../source/core/fix-endpoint.js';

describe('withEndpointUrl', () => {
	const result = {
		verdict: 'x',
		problems: [
			{fix: {summary: 's', command: "aws ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 --ip-permissions 'IpProtocol=tcp'"}},
			{fix: {summary: 'two', command: 'aws ec2 create-network-acl-entry --rule-number 99\naws ec2 create-network-acl-entry --rule-number 98'}},
			{fix: {summary: 'none'}},
		],
		note: 'aws ec2 in prose is not a command',
	};

	it('adds the quoted endpoint to every aws line of every command field, nothing else', () => {
		const out = withEndpointUrl(result, 'http://127.0.0.1:4566');
		expect(out.problems[0]!.fix.command).toBe("aws --endpoint-url http://127.0.0.1:4566 ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 --ip-permissions 'IpProtocol=tcp'");
		expect(out.problems[1]!.fix.command!.split('\n').every((line) => line.startsWith("aws --endpoint-url http://127.0.0.1:4566 ec2 create-network-acl-entry"))).toBe(true);
		expect(out.problems[2]).toBe(result.problems[2]);
		expect(out.note).toBe(result.note);
		expect(withEndpointUrl(out, 'http://127.0.0.1:4566')).toEqual(out);
		expect(withEndpointUrl(result, null)).toBe(result);
	});

	it('a hostile endpoint stays one literal argument when the command is run (stub aws)', () => {
		const dir = mkdtempSync(join(tmpdir(), 'sgtui-endpoint-'));
		const aws = join(dir, 'aws');
		writeFileSync(aws, '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
		chmodSync(aws, 0o755);
		const url = "http://127.0.0.1:1/';touch pwned;'$(id)`id`";
		const command = withEndpointUrl({command: 'aws ec2 describe-vpcs'}, url).command;
		const argv = execFileSync('sh', ['-c', command], {cwd: dir, env: {PATH: `${dir}:/usr/bin:/bin`}, encoding: 'utf8'}).trimEnd().split('\n');
		expect(argv).toEqual(['--endpoint-url', url, 'ec2', 'describe-vpcs']);
	});

	it('an aws inside a command substitution gets the endpoint too: run, every aws call names it', () => {
		// The Elastic IP fix allocates the address inside $(…): without the flag that allocation
		// went to the real account the shell's credentials reach (billed) while sgtui read moto.
		const dir = mkdtempSync(join(tmpdir(), 'sgtui-endpoint-'));
		const aws = join(dir, 'aws');
		writeFileSync(aws, '#!/bin/sh\nprintf "%s " "$@" >> calls\necho >> calls\necho eipalloc-0123456789abcdef0\n');
		chmodSync(aws, 0o755);
		const command = withEndpointUrl({command: 'aws ec2 associate-address --network-interface-id eni-0123456789abcdef0 --allocation-id "$(aws ec2 allocate-address --domain vpc --query AllocationId --output text)"'}, 'http://127.0.0.1:4566').command;
		expect(withEndpointUrl({command}, 'http://127.0.0.1:4566').command).toBe(command);
		execFileSync('sh', ['-c', command], {cwd: dir, env: {PATH: `${dir}:/usr/bin:/bin`}});
		const calls = readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n').map((line) => line.trimEnd());
		expect(calls).toEqual([
			'--endpoint-url http://127.0.0.1:4566 ec2 allocate-address --domain vpc --query AllocationId --output text',
			'--endpoint-url http://127.0.0.1:4566 ec2 associate-address --network-interface-id eni-0123456789abcdef0 --allocation-id eipalloc-0123456789abcdef0',
		]);
	});

	it('the environment names the endpoint as the CLI would read it', () => {
		expect(fixEndpointFromEnv({})).toBeNull();
		expect(fixEndpointFromEnv({AWS_ENDPOINT_URL: 'http://a'})).toBe('http://a');
		expect(fixEndpointFromEnv({AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_EC2: 'http://b'})).toBe('http://b');
		expect(fixEndpointFromEnv({AWS_ENDPOINT_URL: 'http://a', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true'})).toBeNull();
	});
});

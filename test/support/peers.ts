// The independent programs some tests drive for real (OpenSSH, the Debian AWS CLI, boto3, moto,
// tmux, ss), detected one way for every test. A test that needs a missing peer is skipped with a
// message naming the package to install — unless the run is strict (CI=true or
// SGTUI_STRICT_PEERS=1, as .ci/run is): then the missing peer is a failing test, so CI can never
// go green by skipping. test/support/strict-skips-reporter.ts also fails a strict run on any skip.
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {describe, it} from 'vitest';

export type PeerName = 'sshd' | 'ssh' | 'awscli' | 'boto3' | 'botocore' | 'moto' | 'tmux' | 'ss';

/**
 * The Debian AWS CLI v2. Not `aws` from PATH: on these machines that is a pip-installed v1 with a
 * different parser, and a test must know which peer it ran against.
 */
export const AWS_CLI = '/usr/bin/aws';
export const SSHD = '/usr/sbin/sshd';
export const SSH = '/usr/bin/ssh';
export const SSH_KEYGEN = '/usr/bin/ssh-keygen';

function runs(command: string, args: string[]): {ok: boolean; output: string} {
	const result = spawnSync(command, args, {encoding: 'utf8', timeout: 30_000});
	return {ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`};
}

function python(imports: string): boolean {
	return runs('python3', ['-c', `import ${imports}`]).ok;
}

/** Why each peer is missing (with how to install it), or null when it is here. */
const DETECT: Record<PeerName, () => string | null> = {
	sshd: () => (!existsSync(SSHD) ? `${SSHD} is absent (apt-get install openssh-server)` : !existsSync(SSH_KEYGEN) ? `${SSH_KEYGEN} is absent (apt-get install openssh-client)` : null),
	ssh: () => (existsSync(SSH) ? null : `${SSH} is absent (apt-get install openssh-client)`),
	awscli: () => {
		if (!existsSync(AWS_CLI)) return `${AWS_CLI} is absent (apt-get install awscli)`;
		const version = runs(AWS_CLI, ['--version']);
		return version.ok && /^aws-cli\/2\./.test(version.output) ? null : `${AWS_CLI} is not AWS CLI v2: ${version.output.trim().split('\n')[0]}`;
	},
	boto3: () => (python('boto3') ? null : 'python3 cannot import boto3 (apt-get install python3-boto3)'),
	botocore: () => (python('botocore') ? null : 'python3 cannot import botocore (apt-get install python3-botocore)'),
	moto: () => (python('moto.server, flask') ? null : 'python3 cannot import moto.server (apt-get install python3-moto, or pip install "moto[server]")'),
	tmux: () => (runs('tmux', ['-V']).ok ? null : 'tmux is not installed (apt-get install tmux)'),
	ss: () => (runs('ss', ['-V']).ok ? null : 'ss is not installed (apt-get install iproute2)'),
};

const cache = new Map<PeerName, string | null>();

/** Why `name` is missing here, or null when it is available. Detected once per test file. */
export function peerMissing(name: PeerName): string | null {
	if (!cache.has(name)) cache.set(name, DETECT[name]());
	return cache.get(name) ?? null;
}

/** CI=true or SGTUI_STRICT_PEERS=1: a missing peer fails the run instead of skipping. */
export function strictPeers(env: NodeJS.ProcessEnv = process.env): boolean {
	return env.CI === 'true' || env.CI === '1' || env.SGTUI_STRICT_PEERS === '1';
}

/**
 * For `describe.skipIf(skipWithout('awscli'))(…)` / `it.skipIf(…)`: true when a peer is missing, so
 * the tests are skipped. It says so on stderr; in a strict run it also registers a failing test
 * naming what is missing, in the scope where it is called.
 */
export function skipWithout(...names: PeerName[]): boolean {
	const missing = names.map(peerMissing).filter((reason): reason is string => reason !== null);
	if (missing.length === 0) return false;
	const message = `peer missing: ${missing.join('; ')}`;
	if (strictPeers()) {
		describe('required peers (strict: CI=true or SGTUI_STRICT_PEERS=1)', () => {
			it(`has ${names.join(', ')}`, () => {
				throw new Error(`${message} — a strict run does not skip peer tests`);
			});
		});
	} else {
		console.warn(`SKIPPED (${names.join(', ')}): ${message}`);
	}
	return true;
}

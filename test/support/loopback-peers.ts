// The network guard covers Node; the peers tests start (OpenSSH's ssh, the AWS CLI, boto3) are
// other programs. Their helpers check the endpoint first: these assertions say so in one place.
import {execFileSync} from 'node:child_process';
import {assertLoopbackUrl, isLoopbackHost, NetworkGuardError} from './network-guard.mjs';

export {assertLoopbackUrl};

/**
 * Throws unless OpenSSH, given this config, would connect to `host` on loopback without a proxy
 * (`ssh -G` prints the configuration it would use, without connecting).
 */
export function assertSshToLoopback(configFile: string, host: string): void {
	const settings = execFileSync('ssh', ['-G', '-F', configFile, host], {encoding: 'utf8'});
	const value = (key: string) => new RegExp(`^${key} (.*)$`, 'm').exec(settings)?.[1]?.trim() ?? null;
	const hostname = value('hostname');
	const proxy = value('proxycommand') ?? value('proxyjump');
	if (!hostname || !isLoopbackHost(hostname) || (proxy && proxy !== 'none')) {
		throw new NetworkGuardError(`ssh to ${host} through`, `${hostname ?? '(no hostname)'}${proxy && proxy !== 'none' ? ` via ${proxy}` : ''}`);
	}
}

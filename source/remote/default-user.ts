// The login user AWS's own AMIs expect, guessed from what the inventory says about the instance.
// Used only when neither `--user`, `user@host`, nor the ssh config names one.
import type {Instance} from '../core/types.js';

const BY_NAME: Array<[RegExp, string]> = [
	[/ubuntu/i, 'ubuntu'],
	[/debian/i, 'admin'],
	[/centos/i, 'centos'],
	[/fedora/i, 'fedora'],
	[/bitnami/i, 'bitnami'],
	[/(amzn|amazon|al20|rhel|red ?hat|suse|sles)/i, 'ec2-user'],
];

/**
 * @param imageName the AMI's name or description when known (DescribeImages), e.g.
 *   "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-…" or "al2023-ami-…".
 */
export function guessDefaultUser(instance: Pick<Instance, 'platform' | 'name' | 'tags'>, imageName?: string | null): {user: string; reason: string} {
	if (instance.platform === 'windows') return {user: 'Administrator', reason: 'Windows platform'};
	const hints = [imageName ?? '', instance.tags['ami-name'] ?? '', instance.tags['os'] ?? '', instance.tags['OS'] ?? '', instance.name ?? ''];
	for (const hint of hints) {
		for (const [pattern, user] of BY_NAME) {
			if (hint && pattern.test(hint)) return {user, reason: `"${hint}" looks like ${user}'s distribution`};
		}
	}
	return {user: 'ec2-user', reason: 'Amazon Linux default (nothing names another distribution)'};
}

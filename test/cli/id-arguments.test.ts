import {describe, expect, test} from 'vitest';
import {requireInstanceIdOrAlias, shapedLikeInstanceId} from '../../source/cli/id-arguments.js';
import {UsageError} from '../../source/cli/errors.js';

describe('instance-id-shaped host names (sgtui ports TARGET)', () => {
	test('`i-` then only letters and digits is id-shaped; a name with a dot or another dash is a host name', () => {
		for (const word of ['i-web01', 'i-0abc', 'i-0ABCDEF0', 'i-0a1b2c3d4e5f60718']) expect(shapedLikeInstanceId(word)).toBe(true);
		for (const word of ['i-web01.example.com', 'i-love-dns', 'web-1', 'i-', 'ip-10-0-0-1', 'I-web01']) expect(shapedLikeInstanceId(word)).toBe(false);
	});

	test('a valid id or a configured alias passes; anything else is a usage error naming the target and the config', () => {
		expect(() => requireInstanceIdOrAlias('i-0a1b2c3d4e5f60718', 'i-0a1b2c3d4e5f60718', false, '~/.ssh/config')).not.toThrow();
		expect(() => requireInstanceIdOrAlias('i-web01', 'i-web01', true, '~/.ssh/config')).not.toThrow();
		expect(() => requireInstanceIdOrAlias('admin@i-web01', 'i-web01', false, '~/.ssh/config')).toThrow(new UsageError('TARGET "admin@i-web01" is not an instance id (i-…): the prefix, a dash, then 8 or 17 lowercase hex digits, nor an alias in ~/.ssh/config (no Host entry there gives it a HostName)'));
	});
});

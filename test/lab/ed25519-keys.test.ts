// The lab's keys must be ones OpenSSH accepts: ssh2's generator now and then drops a leading zero
// byte of the 32-byte public point (RFC 8709 §4), which ssh-keygen refuses.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {isWellFormedEd25519Public, newEd25519KeyPair} from '../../source/lab/ed25519-keys.js';
import {SSH_KEYGEN, skipWithout} from '../support/peers.js';

// A key ssh2's generateKeyPairSync wrote: its point is 31 bytes (length 0x1f), ssh-keygen refuses it.
const SHORT_POINT = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAH8e0aiim3At1rxns1QLP0wrM2O0Av4/aYUzwlr5o8EI=';

describe('ed25519 key pairs for the lab', () => {
	it('tells a 32-byte point from a short one, a wrong type and junk', () => {
		expect(isWellFormedEd25519Public(newEd25519KeyPair('c').public)).toBe(true);
		expect(isWellFormedEd25519Public(SHORT_POINT)).toBe(false);
		expect(isWellFormedEd25519Public(SHORT_POINT.replace('ssh-ed25519', 'ssh-rsa'))).toBe(false);
		expect(isWellFormedEd25519Public('ssh-ed25519')).toBe(false);
		expect(isWellFormedEd25519Public('ssh-ed25519 AAAA')).toBe(false);
	});

	it.skipIf(skipWithout('ssh'))('300 new pairs: ssh-keygen reads every public key (it skips lines it cannot read)', () => {
		const dir = mkdtempSync(join(tmpdir(), 'sgtui-keys-'));
		try {
			const file = join(dir, 'keys.pub');
			writeFileSync(file, Array.from({length: 300}, (_, index) => newEd25519KeyPair(`k${index}`).public).join('\n') + '\n');
			const listed = execFileSync(SSH_KEYGEN, ['-lf', file], {encoding: 'utf8'}).trim().split('\n');
			expect(listed).toHaveLength(300);
			expect(listed.every((line) => line.endsWith('(ED25519)'))).toBe(true);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	it.skipIf(skipWithout('ssh'))('ssh-keygen refuses the short point this guards against', () => {
		const dir = mkdtempSync(join(tmpdir(), 'sgtui-keys-'));
		try {
			const file = join(dir, 'short.pub');
			writeFileSync(file, `${SHORT_POINT} short\n`);
			expect(() => execFileSync(SSH_KEYGEN, ['-lf', file], {stdio: 'pipe'})).toThrow(/not a public key file/);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});

// The copy view's layout of a fix command, checked against bash itself: whatever the width, the
// lines bash reads are the same words as the one-line command.
import {spawnSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {shellLines, shellWords} from '../../source/ui/shell-lines.js';

const FIX = `aws ec2 authorize-security-group-ingress --group-id sg-0a11b22c33d44e501 --ip-permissions 'IpProtocol=tcp,FromPort=8443,ToPort=8443,IpRanges=[{CidrIp=198.51.100.23/32,Description="sgtui: tcp 8443 from 198.51.100.23 (web-1)"}]'`;

/** The argv bash builds from a script, one word per line. */
function bashWords(script: string): string[] {
	const result = spawnSync('bash', ['-c', `set -- ${script.replace(/^aws /, '')}\nprintf '%s\\n' "$@"`], {encoding: 'utf8'});
	expect(result.status, result.stderr).toBe(0);
	return ['aws', ...result.stdout.replace(/\n$/, '').split('\n')];
}

describe('fix commands laid out for copying', () => {
	it('breaks between words with continuations, and splits a long quoted word into adjacent quoted pieces', () => {
		const lines = shellLines(FIX, 50);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(50);
		expect(lines[0]).toBe('aws ec2 authorize-security-group-ingress \\');
		// No line breaks inside an address, id or port.
		expect(lines.join('\n')).toContain('198.51.100.23/32');
		expect(lines.join('\n')).toContain('sg-0a11b22c33d44e501');
		expect(bashWords(lines.join('\n'))).toEqual(bashWords(FIX));
	});

	it('keeps the words bash sees for any width', () => {
		fc.assert(fc.property(fc.integer({min: 20, max: 200}), (width) => {
			const lines = shellLines(FIX, width);
			expect(lines.join('\n').replace(/\\\n/g, '')).not.toContain('\n');
			expect(bashWords(lines.join('\n'))).toEqual(bashWords(FIX));
		}), {numRuns: 12});
	});

	it('keeps every line within the width when the pieces allow it (a wider line wraps on screen, and a mouse copy breaks the command)', () => {
		// The fix as the demo prints it: at 80 columns its first quoted piece, indented, was 81 wide.
		const demo = `aws --endpoint-url http://127.0.0.1:33431 ${FIX.slice('aws '.length)}`;
		for (const command of [FIX, demo]) {
			for (let width = 60; width <= 200; width++) {
				for (const line of shellLines(command, width)) expect(line.length, `${width}: ${line}`).toBeLessThanOrEqual(width);
			}
		}
	});

	it('splits words like the shell', () => {
		expect(shellWords(`a 'b c' d`)).toEqual(['a', `'b c'`, 'd']);
	});
});

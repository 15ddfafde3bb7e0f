import {describe, expect, test} from 'vitest';
import {compareOutput, normalize, parseReadmeExamples} from '../support/readme-examples.js';

const markdown = [
	'Intro',
	'',
	'```',
	'$ sgtui ports --input examples/x.txt   # a comment',
	'line one',
	'',
	'$ echo $?',
	'0',
	'```',
	'',
	'```sh',
	'npm install',
	'```',
	'',
	'<!-- doctest: skip: needs a real account -->',
	'```',
	'$ aws ec2 authorize-security-group-ingress --group-id sg-1 \\',
	'    --port 22',
	'```',
	'',
	'    $ indented synopsis is not an example',
].join('\n');

describe('README example parser', () => {
	test('finds prompt blocks with their outputs, continuations and annotations, and nothing else', () => {
		const blocks = parseReadmeExamples(markdown);
		expect(blocks).toEqual([
			{
				line: 3,
				mode: 'run',
				reason: null,
				commands: [
					{line: 4, command: 'sgtui ports --input examples/x.txt   # a comment', expected: ['line one']},
					{line: 7, command: 'echo $?', expected: ['0']},
				],
			},
			{
				line: 16,
				mode: 'skip',
				reason: 'needs a real account',
				commands: [{line: 17, command: 'aws ec2 authorize-security-group-ingress --group-id sg-1 \\\n    --port 22', expected: []}],
			},
		]);
	});

	test('`...` stands for any number of lines, everything else must match exactly', () => {
		expect(compareOutput(['a', '...', 'z'], ['a', 'z'])).toBeNull();
		expect(compareOutput(['a', '...', 'z'], ['a', 'b', 'c', 'z'])).toBeNull();
		expect(compareOutput(['a', '...'], ['a'])).toBeNull();
		expect(compareOutput(['a', 'z'], ['a', 'b', 'z'])).toContain('expected:');
		expect(compareOutput(['a'], ['a', 'extra'])).not.toBeNull();
		expect(compareOutput(['a', '...', 'z'], ['a', 'b'])).not.toBeNull();
	});

	test('normalises only ports, temp dirs, fingerprints, and (for live output) clock times', () => {
		expect(normalize('listening on http://127.0.0.1:4599 ', false)).toBe('listening on http://127.0.0.1:<port>');
		expect(normalize('-F /tmp/sgtui-lab-ssh-aqlr8i/ssh_config', false)).toBe('-F <tmp>/ssh_config');
		expect(normalize('2025-06-02T09:02:08Z 8443', false)).toBe('2025-06-02T09:02:08Z 8443');
		expect(normalize('03:49:01 eni-1 REJECT 192.0.2.95:57399 -> 10.20.1.5:23 tcp', true)).toBe('<time> eni-1 REJECT 192.0.2.95:<ephemeral> -> 10.20.1.5:23 tcp');
		expect(normalize('port 8443 from 10.0.0.1', true)).toBe('port 8443 from 10.0.0.1');
	});
});

// Process measurements: wall time of a command, and the peak RSS of its whole process tree
// (any child processes count too), sampled from /proc.
import {spawn} from 'node:child_process';
import {openSync, closeSync, readFileSync} from 'node:fs';

/** RSS in bytes of one process (0 when it is gone). */
export function rssOf(pid) {
	try {
		const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : 0;
	} catch {
		return 0;
	}
}

function treeOf(pid) {
	let children;
	try {
		children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
	} catch {
		return [];
	}
	return [pid, ...children.flatMap(treeOf)];
}

/** Sum of RSS over a process and its descendants. */
export function treeRss(pid) {
	return treeOf(pid).reduce((sum, one) => sum + rssOf(one), 0);
}

/**
 * Runs a command to completion: {seconds, code, peakRss, stdout?}. stdout goes to `stdoutFile`
 * (default /dev/null), or is captured when `capture`. `shell: true` runs argv[0] as a sh script.
 */
export function runTimed(argv, {capture = false, stdoutFile = '/dev/null', sampleRss = false, env, shell = false} = {}) {
	return new Promise((resolve, reject) => {
		const out = capture ? 'pipe' : openSync(stdoutFile, 'w');
		const began = performance.now();
		const child = shell ? spawn('sh', ['-c', argv[0]], {stdio: ['ignore', out, 'pipe'], env}) : spawn(argv[0], argv.slice(1), {stdio: ['ignore', out, 'pipe'], env});
		if (!capture) closeSync(out);
		let stdout = '';
		let stderr = '';
		if (capture) child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		let peakRss = 0;
		const sampler = sampleRss ? setInterval(() => (peakRss = Math.max(peakRss, treeRss(child.pid))), 10) : null;
		child.on('error', reject);
		child.on('close', (code) => {
			const seconds = (performance.now() - began) / 1000;
			if (sampler) clearInterval(sampler);
			if (code !== 0) reject(new Error(`${argv.join(' ').slice(0, 200)} exited ${code}: ${stderr.slice(0, 500)}`));
			else resolve({seconds, code, peakRss, stdout, stderr});
		});
	});
}

// moto's server as a second AWS for the peer tests: started on a free loopback port, with the
// project's own clients pointed at it. moto accepts any credentials; 'testing' is its convention.
import {type ChildProcess, spawn} from 'node:child_process';
import {createAwsClients, type AwsClients} from '../../source/aws/clients.js';
import {freePort} from './free-port.js';

export interface Moto {
	endpoint: string;
	/** sgtui's clients against this moto (us-east-1). */
	clients: AwsClients;
	stop(): void;
}

/** Polls `condition` every 50 ms until it holds; throws after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs: number, what = 'condition'): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`${what} not met in ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			await fetch(url);
			return;
		} catch {
			if (Date.now() > deadline) throw new Error(`moto did not start at ${url}`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}
}

export async function startMoto(options: {maxAttempts: number; startTimeoutMs?: number}): Promise<Moto> {
	const port = await freePort();
	const child: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {stdio: 'ignore'});
	const endpoint = `http://127.0.0.1:${port}`;
	try {
		await waitForHttp(`${endpoint}/moto-api/`, options.startTimeoutMs ?? 20_000);
	} catch (error) {
		child.kill();
		throw error;
	}
	const clients = createAwsClients({endpointUrl: endpoint, region: 'us-east-1', debugLogPath: null}, {credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}, maxAttempts: options.maxAttempts});
	return {
		endpoint,
		clients,
		stop() {
			clients.destroy();
			child.kill();
		},
	};
}

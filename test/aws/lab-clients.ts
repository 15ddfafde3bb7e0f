// Real SDK clients pointed at a lab started by the test (never a stubbed SDK).
import {createAwsClients, type AwsClients} from '../../source/aws/clients.js';
import {startLab, type Lab, type LabOptions} from '../../source/lab/lab.js';

export interface LabFixture {
	lab: Lab;
	clients: AwsClients;
	close(): Promise<void>;
}

export async function labWithClients(options: LabOptions = {}, maxAttempts = 6): Promise<LabFixture> {
	const lab = await startLab({simulate: false, ...options});
	const clients = createAwsClients({endpointUrl: lab.endpoint, region: lab.region, debugLogPath: null}, {credentials: lab.credentials, maxAttempts}, {});
	return {
		lab,
		clients,
		async close() {
			clients.destroy();
			await lab.close();
		},
	};
}

/** Polls `condition` until it holds (a condition, never a fixed sleep); the error says what was awaited. */
export async function waitUntil(condition: () => boolean, what: string | (() => string), timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

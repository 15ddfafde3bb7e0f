// The live-AWS set-up the TUI's probe tests share: the lab (no simulator) as the account, its ssh2
// hosts playing the demo snapshot's instances (`stalls`: ids that take the command and never
// answer), and LiveServices over the real SDK clients and real SSH, as `sgtui` without --demo
// builds them. Closing the services closes the SSH server, the lab and the temp ssh files.
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {LiveServices} from '../../source/app/live-services.js';
import {createAwsClients} from '../../source/aws/clients.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {loadLabSshHosts} from '../../source/lab/host-answers.js';
import {startLabSshServer, writeLabSshFiles, type LabSshServer} from '../../source/lab/ssh-hosts.js';
import type {SgtuiServices} from '../../source/ui/services.js';

export interface LabServices {
	lab: Lab;
	ssh: LabSshServer;
	services: SgtuiServices;
}

export async function startLabServices(options: {stalls?: readonly string[]; commandTimeoutMs?: number; log?: (line: string) => void; liveTailUpdateMs?: number; probeOff?: string} = {}): Promise<LabServices> {
	const lab = await startLab({simulate: false, ...(options.log ? {log: options.log} : {}), ...(options.liveTailUpdateMs ? {liveTailUpdateMs: options.liveTailUpdateMs} : {})});
	const {hosts} = await loadLabSshHosts(fileURLToPath(new URL('../../demo/snapshot', import.meta.url)));
	for (const id of options.stalls ?? []) hosts[id] = {...hosts[id]!, stalls: true};
	const ssh = await startLabSshServer({hosts});
	const dir = mkdtempSync(path.join(os.tmpdir(), 'sgtui-lab-services-'));
	const files = await writeLabSshFiles(ssh, Object.keys(hosts).sort(), dir);
	const clients = createAwsClients({endpointUrl: lab.endpoint, region: lab.region, debugLogPath: null}, {credentials: lab.credentials, maxAttempts: 1});
	const services = new LiveServices({
		clients,
		mode: {kind: 'aws', label: `aws ${lab.endpoint}`, ...(options.probeOff ? {probeOff: options.probeOff} : {})},
		sshConfigPath: files.configFile,
		agentSocket: null,
		via: 'ssh',
		...(options.commandTimeoutMs === undefined ? {} : {commandTimeoutMs: options.commandTimeoutMs}),
		onClose: async () => {
			await ssh.close();
			await lab.close();
			rmSync(dir, {recursive: true, force: true});
		},
	});
	return {lab, ssh, services};
}

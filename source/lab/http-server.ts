// The lab's one HTTP endpoint. CloudWatch Logs requests carry `X-Amz-Target: Logs_20140328.<Op>`
// and Systems Manager ones `X-Amz-Target: AmazonSSM.<Op>` (both JSON 1.1); everything else is EC2's Query protocol (`Action=` in a form body). Requests are not
// signature-checked: any credentials work, as the lab holds no secrets.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {randomUUID} from 'node:crypto';
import {decodeQuery} from './ec2-query.js';
import {EC2_HANDLERS, type Ec2Context} from './ec2-handlers.js';
import {ec2ErrorXml, ec2ResponseXml} from './ec2-xml.js';
import {deniedAction, faultCounter, quotaWindow, type FaultKnobs} from './faults.js';
import {LabError} from './lab-error.js';
import type {LiveTailContext} from './live-tail.js';
import {LOGS_HANDLERS, type LogsContext} from './logs-handlers.js';
import {SSM_HANDLERS, type SsmContext} from './ssm-handlers.js';

const LOGS_TARGET = 'Logs_20140328.';
const SSM_TARGET = 'AmazonSSM.';
const MAX_BODY = 10 * 1024 * 1024;

export interface ServerContext {
	ec2: Ec2Context;
	logs: LogsContext;
	ssm: SsmContext;
	liveTail: Omit<LiveTailContext, 'requestId'>;
	faults: FaultKnobs;
	/** One line per request (`sgtui lab` prints them). */
	log?: (line: string) => void;
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY) {
				reject(new LabError('RequestEntityTooLarge', 'Request body is too large', 413));
				req.destroy();
			} else chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

function sendEc2(res: ServerResponse, status: number, body: string, requestId: string): void {
	res.writeHead(status, {'Content-Type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId, 'Content-Length': Buffer.byteLength(body)});
	res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: object, requestId: string, errorType?: string): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/x-amz-json-1.1',
		'x-amzn-requestid': requestId,
		'Content-Length': Buffer.byteLength(text),
		...(errorType ? {'x-amzn-errortype': errorType} : {}),
	});
	res.end(text);
}

type Service = 'ec2' | 'logs' | 'ssm';

function injected(kind: 'throttle' | 'server-error', service: Service): LabError {
	if (kind === 'throttle') return service === 'ec2' ? new LabError('RequestLimitExceeded', 'Request limit exceeded.', 503) : new LabError('ThrottlingException', 'Rate exceeded', 400);
	if (service === 'ssm') return new LabError('InternalServerError', 'An error occurred on the server side (lab fault injection).', 500);
	return service === 'ec2'
		? new LabError('InternalError', 'An internal error has occurred (lab fault injection).', 500)
		: new LabError('ServiceUnavailableException', 'The service cannot complete the request (lab fault injection).', 500);
}

function denyIfAsked(faults: FaultKnobs, service: Service, operation: string, resource?: string): void {
	const denied = deniedAction(faults, service, operation, resource);
	if (denied) throw new LabError(denied.code, denied.message, denied.status);
}

function parseJsonBody(body: string): Record<string, unknown> {
	try {
		const parsed: unknown = body.trim() === '' ? {} : JSON.parse(body);
		if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
		return parsed as Record<string, unknown>;
	} catch {
		throw new LabError('SerializationException', 'Request body is not valid JSON');
	}
}

/** The resource an SSM authorization failure names, as AWS words it. */
function ssmResource(operation: string, input: Record<string, unknown>, context: ServerContext): string {
	const {region, accountId} = context.ssm;
	if (operation === 'SendCommand') {
		const ids = Array.isArray(input.InstanceIds) ? input.InstanceIds : [];
		return ids.length > 0 ? `arn:aws:ec2:${region}:${accountId}:instance/${String(ids[0])}` : `arn:aws:ssm:${region}::document/${String(input.DocumentName)}`;
	}
	return `arn:aws:ssm:${region}:${accountId}:*`;
}

export function createLabServer(context: ServerContext): Server {
	const nextFault = faultCounter(context.faults);
	const overFilterQuota = quotaWindow(() => context.faults.filterLogEventsPerSecond, () => context.logs.now());

	const handle = async (req: IncomingMessage, res: ServerResponse) => {
		const requestId = randomUUID();
		const target = String(req.headers['x-amz-target'] ?? '');
		const service: Service = target.startsWith(LOGS_TARGET) ? 'logs' : target.startsWith(SSM_TARGET) ? 'ssm' : 'ec2';
		let operation = service === 'logs' ? target.slice(LOGS_TARGET.length) : service === 'ssm' ? target.slice(SSM_TARGET.length) : '?';
		let status = 200;
		try {
			const body = await readBody(req);
			if (service === 'ssm') {
				const input = parseJsonBody(body);
				const handler = SSM_HANDLERS[operation];
				if (!handler) throw new LabError('UnknownOperationException', `The lab does not implement ${operation}`);
				denyIfAsked(context.faults, 'ssm', operation, ssmResource(operation, input, context));
				const fault = nextFault();
				if (fault) throw injected(fault, 'ssm');
				sendJson(res, 200, handler(input, context.ssm), requestId);
				return;
			}
			if (service === 'logs') {
				const input = parseJsonBody(body);
				denyIfAsked(context.faults, 'logs', operation);
				const fault = nextFault();
				if (fault) throw injected(fault, 'logs');
				if (operation === 'FilterLogEvents' && overFilterQuota()) throw new LabError('ThrottlingException', 'Rate exceeded', 400);
				if (operation === 'StartLiveTail') {
					// Loaded on the first session: its event-stream codec would otherwise load before
					// the lab serves anything (the demo's first screen waits for the lab).
					const {startLiveTail} = await import('./live-tail.js');
					startLiveTail(input, res, {...context.liveTail, requestId});
					return;
				}
				const handler = LOGS_HANDLERS[operation];
				if (!handler) throw new LabError('UnknownOperationException', `The lab does not implement ${operation}`);
				sendJson(res, 200, handler(input, context.logs), requestId);
				return;
			}
			const query = new URL(req.url ?? '/', 'http://lab').searchParams.toString();
			const params = decodeQuery(body || query);
			operation = typeof params.Action === 'string' ? params.Action : '?';
			const handler = EC2_HANDLERS[operation];
			if (!handler) throw new LabError('InvalidAction', `The action ${operation} is not valid for this web service.`);
			denyIfAsked(context.faults, 'ec2', operation);
			const fault = nextFault();
			if (fault) throw injected(fault, 'ec2');
			const result = handler(params, context.ec2);
			if (params.DryRun === 'true') throw new LabError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
			sendEc2(res, 200, ec2ResponseXml(operation, result, requestId), requestId);
		} catch (error) {
			const labError = error instanceof LabError ? error : new LabError(service === 'ec2' ? 'InternalError' : 'ServiceUnavailableException', (error as Error).message, 500);
			status = labError.status;
			if (res.headersSent) {
				res.destroy();
				return;
			}
			if (service === 'ec2') sendEc2(res, labError.status, ec2ErrorXml(labError.code, labError.message, requestId), requestId);
			else sendJson(res, labError.status, {__type: labError.code, message: labError.message}, requestId, labError.code);
			operation += ` -> ${labError.code}`;
		} finally {
			context.log?.(`${service === 'ec2' ? 'ec2 ' : service} ${operation} ${status}`);
		}
	};

	return createServer((req, res) => {
		// AWS's Date header is AWS's clock: the lab's (a test may run it apart from this machine's).
		res.setHeader('Date', new Date(context.logs.now()).toUTCString());
		void handle(req, res);
	});
}

import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {createDebugLogger, defaultDebugLogPath, guardConsole, MAX_DEBUG_LOG_BYTES} from '../../source/aws/sdk-logger.js';

describe('debug logger', () => {
	let dir: string;
	afterAll(async () => dir && rm(dir, {recursive: true, force: true}));

	it('appends to the file, creating its directory, and masks secrets', async () => {
		dir = await mkdtemp(join(tmpdir(), 'sgtui-log-'));
		const path = join(dir, 'nested', 'debug.log');
		const logger = createDebugLogger(path);
		logger.debug('request', {secretAccessKey: 'abc123', region: 'eu-west-1'});
		logger.warn('aws_session_token=TOKENVALUE more');
		const text = await readFile(path, 'utf8');
		expect(text).toMatch(/debug request/);
		expect(text).toContain("region: 'eu-west-1'");
		expect(text).not.toContain('abc123');
		expect(text).not.toContain('TOKENVALUE');
	});

	it('routes console.* into the log while guarded, and restores it after the last release', async () => {
		const path = join(dir, 'console.log');
		const logger = createDebugLogger(path);
		const original = console.log;
		const releaseA = guardConsole(logger);
		const releaseB = guardConsole(logger);
		expect(console.log).not.toBe(original);
		console.log('from the SDK');
		console.error('an SDK error');
		releaseA();
		expect(console.log).not.toBe(original);
		releaseB();
		releaseB();
		expect(console.log).toBe(original);
		const text = await readFile(path, 'utf8');
		expect(text).toContain('console.log: from the SDK');
		expect(text).toContain('console.error: an SDK error');
	});

	it('keeps one previous file when the log grows past its cap', async () => {
		const path = join(dir, 'big.log');
		const {writeFile, stat} = await import('node:fs/promises');
		await writeFile(path, 'x'.repeat(MAX_DEBUG_LOG_BYTES + 1));
		createDebugLogger(path).info('fresh');
		expect((await stat(`${path}.1`)).size).toBe(MAX_DEBUG_LOG_BYTES + 1);
		expect(await readFile(path, 'utf8')).toMatch(/info fresh\n$/);
	});

	it('defaults to $XDG_STATE_HOME/sgtui/debug.log', () => {
		expect(defaultDebugLogPath({XDG_STATE_HOME: '/state'})).toBe('/state/sgtui/debug.log');
		expect(defaultDebugLogPath({XDG_STATE_HOME: 'relative'})).toMatch(/\.local\/state\/sgtui\/debug\.log$/);
	});
});

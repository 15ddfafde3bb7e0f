// The AWS SDK's runtime values (clients, commands, paginators), loaded with require().
// The SDK packages are CommonJS bundles (client-ec2's index.js is 2 MB). Imported from ESM, Node 20
// first parses such a file to detect its module format, then lexes it for its named exports, and
// only then compiles it; require() just compiles it. For client-ec2 that is ~560 ms of CPU instead
// of ~990 ms (2-core machine under load), most of `sgtui --demo`'s start-up before the inventory
// (bench/startup.mjs). Types still come from `import type`; the objects are the same either way (one
// CommonJS module cache), so `instanceof` against an SDK class works across both.
import {defaultCodeCacheDir, requireWithCodeCache} from './code-cache.js';
import type * as Ec2 from '@aws-sdk/client-ec2';
import type * as Logs from '@aws-sdk/client-cloudwatch-logs';
import type * as Ssm from '@aws-sdk/client-ssm';

// Compiled with a V8 code cache (code-cache.ts): the bundles are most of the SDK's load time.
const load = (id: string): unknown => requireWithCodeCache(import.meta.url, id, defaultCodeCacheDir());

export const ec2Sdk = (): typeof Ec2 => load('@aws-sdk/client-ec2') as typeof Ec2;
export const logsSdk = (): typeof Logs => load('@aws-sdk/client-cloudwatch-logs') as typeof Logs;
export const ssmSdk = (): typeof Ssm => load('@aws-sdk/client-ssm') as typeof Ssm;

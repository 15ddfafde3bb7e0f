// Turns what the user typed into connection settings, before anything is dialled. An instance id
// is looked up in the ssh config first (a `Host i-*` entry wins, as it would for `ssh i-…`), then
// in the inventory: public IP, else private IP — which needs a bastion.
import type SSHConfig from 'ssh-config';
import {isInstanceId, parseSshTarget, resolveInstanceAddress} from '../core/ssh-target.js';
import type {Inventory} from '../core/types.js';
import {guessDefaultUser} from './default-user.js';
import type {PlannedTarget} from './probe-many.js';
import {defaultEnvironment, resolveSshSettings, type SettingsEnvironment} from './ssh-settings.js';
import {errorLine} from '../core/display-text.js';

export interface PlanOptions {
	user?: string | null;
	identityFile?: string | null;
	jump?: string | null;
	acceptNew?: boolean;
	/** AMI names by image id, when known, to guess the login user. */
	imageNames?: Record<string, string>;
}

export function planTargets(
	texts: string[],
	config: SSHConfig,
	inventory: Inventory | null,
	options: PlanOptions = {},
	env: SettingsEnvironment = defaultEnvironment(),
): PlannedTarget[] {
	return texts.map((text): PlannedTarget => {
		try {
			const target = parseSshTarget(text);
			const computed = config.compute(target.host, {ignoreCase: true, matchExec: false});
			const overrides = {user: options.user, identityFile: options.identityFile, jump: options.jump, acceptNew: options.acceptNew};
			if (!isInstanceId(target.host) || computed['hostname']) {
				return {target: text, settings: resolveSshSettings(config, target, overrides, env)};
			}
			const resolved = resolveInstanceAddress(target.host, inventory);
			if (!resolved.ok) return {target: text, error: resolved.reason};
			const hasJump = Boolean(options.jump && options.jump !== 'none') || Boolean(computed['proxyjump'] && computed['proxyjump'] !== 'none');
			if (resolved.via === 'private' && !hasJump) {
				return {target: text, error: `${target.host}: has no public IP, only ${resolved.address}; reach it through a bastion with --jump HOST (or ProxyJump in the ssh config)`};
			}
			const imageName = resolved.instance.imageId ? options.imageNames?.[resolved.instance.imageId] : null;
			return {
				target: text,
				settings: resolveSshSettings(config, target, {...overrides, fallbackHost: resolved.address, fallbackUser: guessDefaultUser(resolved.instance, imageName)}, env),
			};
		} catch (error) {
			return {target: text, error: errorLine(error)};
		}
	});
}

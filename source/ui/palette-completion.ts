// `tab` in the command palette: the command word first, then the argument from the inventory —
// ENI, instance and security-group ids and their names — with repeated tabs cycling through the
// matches (k9s style). A name typed or completed is resolved back to its id when the command runs.
import {PALETTE_COMMANDS} from './palette-commands.js';
import {nameOf} from './inventory-rows.js';
import type {Inventory} from '../core/types.js';

export type TargetKind = 'eni' | 'instance' | 'sg';

export interface PaletteTarget {
	/** What is typed: an id or a name. */
	value: string;
	kind: TargetKind;
	id: string;
	/** An interface's instance: its name and the instance's are one target for :wizard. */
	instanceId?: string | null;
}

/** The arguments each command takes, by kind. */
const ARGUMENT_KINDS: Record<string, readonly TargetKind[]> = {eni: ['eni'], instance: ['instance'], sg: ['sg'], wizard: ['instance', 'eni']};

/** Every id and (one-word) name in the inventory, ids first. */
export function paletteTargets(inventory: Inventory): PaletteTarget[] {
	const ids: PaletteTarget[] = [
		...inventory.networkInterfaces.map((eni) => ({value: eni.id, kind: 'eni' as const, id: eni.id})),
		...inventory.instances.map((instance) => ({value: instance.id, kind: 'instance' as const, id: instance.id})),
		...inventory.securityGroups.map((group) => ({value: group.id, kind: 'sg' as const, id: group.id})),
	];
	const names: PaletteTarget[] = [
		...inventory.networkInterfaces.map((eni) => ({value: nameOf(inventory, eni), kind: 'eni' as const, id: eni.id, instanceId: eni.instanceId})),
		...inventory.instances.flatMap((instance) => (instance.name ? [{value: instance.name, kind: 'instance' as const, id: instance.id}] : [])),
		...inventory.securityGroups.map((group) => ({value: group.name, kind: 'sg' as const, id: group.id})),
	];
	// A name with a space could not be typed as one argument; a name that is an id is already there.
	return [...ids, ...names.filter((target) => target.value && !/\s/.test(target.value) && target.value !== target.id)];
}

function commandSpec(word: string) {
	const lower = word.toLowerCase();
	return PALETTE_COMMANDS.find((spec) => spec.name === lower || spec.aliases.includes(lower));
}

export interface Completion {
	/** The text before the completed word ("eni "). */
	head: string;
	/** Replacements for the word being completed, in cycling order. */
	options: string[];
}

export function completionsFor(text: string, targets: readonly PaletteTarget[]): Completion {
	const trimmed = text.trimStart();
	const space = trimmed.search(/\s/);
	if (space < 0) {
		const word = trimmed.toLowerCase();
		const options = PALETTE_COMMANDS.filter((spec) => spec.name.startsWith(word)).map((spec) => `${spec.name}${spec.argument === 'none' ? '' : ' '}`);
		return {head: '', options};
	}
	const spec = commandSpec(trimmed.slice(0, space));
	const kinds = spec ? ARGUMENT_KINDS[spec.name] : undefined;
	const argument = trimmed.slice(space).trimStart();
	if (!kinds || /\s/.test(argument)) return {head: trimmed, options: []};
	const prefix = argument.toLowerCase();
	const options = [...new Set(targets.filter((target) => kinds.includes(target.kind) && target.value.toLowerCase().startsWith(prefix)).map((target) => target.value))];
	return {head: `${trimmed.slice(0, space)} `, options};
}

/** The id an argument names for a command: itself when it is an id, else the one target of that name. */
export function resolveArgument(word: string, kinds: readonly TargetKind[], targets: readonly PaletteTarget[]): {ok: true; id: string} | {ok: false; error: string} {
	const matching = targets.filter((target) => kinds.includes(target.kind) && target.value === word);
	const ids = [...new Set(matching.map((target) => target.id))];
	if (ids.length === 1) return {ok: true, id: ids[0]!};
	// An instance and interfaces attached to it (web-1 names both): the instance, which stands for them.
	const instances = matching.filter((target) => target.kind === 'instance');
	if (instances.length === 1 && matching.every((target) => target.kind === 'instance' || (target.kind === 'eni' && target.instanceId === instances[0]!.id))) return {ok: true, id: instances[0]!.id};
	if (ids.length > 1) return {ok: false, error: `"${word}" names ${ids.length} (${ids.join(', ')}): use an id`};
	return {ok: true, id: word};
}

export function argumentKinds(command: 'eni' | 'instance' | 'sg' | 'wizard'): readonly TargetKind[] {
	return ARGUMENT_KINDS[command] ?? [];
}

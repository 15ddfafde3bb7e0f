// The command palette's grammar (k9s style): ":eni eni-0abc", ":instance i-0abc", ":sg sg-0abc",
// ":wizard [target]", ":audit", ":help", ":quit", with short aliases.
import type {AwsIdKind} from '../core/aws-ids.js';

export type PaletteCommand =
	| {kind: 'eni'; id: string}
	| {kind: 'instance'; id: string}
	| {kind: 'sg'; id: string}
	| {kind: 'wizard'; target: string | null}
	| {kind: 'audit'}
	| {kind: 'inventory'}
	| {kind: 'help'}
	| {kind: 'quit'};

/** The ids each command's argument may be (after a name has been resolved to its id). */
export const PALETTE_ID_KINDS = {
	eni: ['networkInterface'],
	instance: ['instance'],
	sg: ['securityGroup'],
	wizard: ['instance', 'networkInterface'],
} as const satisfies Record<string, readonly AwsIdKind[]>;

export interface PaletteSpec {
	name: string;
	aliases: string[];
	argument: 'required' | 'optional' | 'none';
	usage: string;
	description: string;
}

export const PALETTE_COMMANDS: readonly PaletteSpec[] = [
	{name: 'eni', aliases: ['e'], argument: 'required', usage: 'eni <eni-id>', description: 'Open a network interface'},
	{name: 'instance', aliases: ['i', 'ec2'], argument: 'required', usage: 'instance <i-id>', description: 'Open an instance\'s primary interface'},
	{name: 'sg', aliases: ['group'], argument: 'required', usage: 'sg <sg-id>', description: 'Inventory filtered to the interfaces carrying a group'},
	{name: 'wizard', aliases: ['w', 'triage'], argument: 'optional', usage: 'wizard [i-id|eni-id]', description: 'Guided triage'},
	{name: 'audit', aliases: ['a'], argument: 'none', usage: 'audit', description: 'Risky and unused rules'},
	{name: 'inventory', aliases: ['inv', 'home'], argument: 'none', usage: 'inventory', description: 'Back to the inventory'},
	{name: 'help', aliases: ['h'], argument: 'none', usage: 'help', description: 'Key bindings'},
	{name: 'quit', aliases: ['q', 'exit'], argument: 'none', usage: 'quit', description: 'Leave sgtui'},
];

export type ParseResult = {ok: true; command: PaletteCommand} | {ok: false; error: string};

export function parsePalette(text: string): ParseResult {
	const words = text.trim().replace(/^:/, '').split(/\s+/).filter(Boolean);
	if (words.length === 0) return {ok: false, error: 'type a command, e.g. eni eni-0abc'};
	const [word, ...rest] = words;
	const spec = PALETTE_COMMANDS.find((candidate) => candidate.name === word!.toLowerCase() || candidate.aliases.includes(word!.toLowerCase()));
	if (!spec) return {ok: false, error: `unknown command "${word}" (try: ${PALETTE_COMMANDS.map((c) => c.name).join(', ')})`};
	if (rest.length > 1) return {ok: false, error: `too many arguments: ${spec.usage}`};
	const argument = rest[0] ?? null;
	if (spec.argument === 'required' && argument === null) return {ok: false, error: `missing argument: ${spec.usage}`};
	if (spec.argument === 'none' && argument !== null) return {ok: false, error: `${spec.name} takes no argument`};
	switch (spec.name) {
		case 'eni': return {ok: true, command: {kind: 'eni', id: argument!}};
		case 'instance': return {ok: true, command: {kind: 'instance', id: argument!}};
		case 'sg': return {ok: true, command: {kind: 'sg', id: argument!}};
		case 'wizard': return {ok: true, command: {kind: 'wizard', target: argument}};
		case 'audit': return {ok: true, command: {kind: 'audit'}};
		case 'inventory': return {ok: true, command: {kind: 'inventory'}};
		case 'help': return {ok: true, command: {kind: 'help'}};
		default: return {ok: true, command: {kind: 'quit'}};
	}
}

/** Specs whose name starts with what has been typed, for the palette's hint list. */
export function paletteSuggestions(text: string): PaletteSpec[] {
	const word = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
	return PALETTE_COMMANDS.filter((spec) => spec.name.startsWith(word) || spec.aliases.includes(word));
}

// The input cursor. An inverse space is invisible without colours (NO_COLOR / --no-color drop
// every style, inverse included), so then it is drawn as a visible block character.
import {Text} from 'ink';

/** False when the user asked for no colour (https://no-color.org, or --no-color, which sets FORCE_COLOR=0). */
export function coloursEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
	if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
	return env.FORCE_COLOR !== '0';
}

export function InputCursor() {
	return coloursEnabled() ? <Text inverse> </Text> : <Text>▏</Text>;
}

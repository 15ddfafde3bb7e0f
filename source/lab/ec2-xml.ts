// EC2 Query protocol responses: SDK-shaped data (the PascalCase documents `aws ec2 ... --output
// json` prints) back into the XML EC2 sends. Element names come from the EC2 model
// (ec2-shapes.generated.ts) because they are irregular (`Reservations` → `reservationSet`,
// `SecurityGroup.Description` → `groupDescription`, lists wrap `<item>`s).
import {OUTPUT_SHAPES, SHAPES, type ShapeRef} from './ec2-shapes.generated.js';

const XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export function escapeXml(text: string): string {
	return text.replace(/[<>&"']/g, (c) => ({'<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;'})[c]!);
}

function lowerCamel(name: string): string {
	return name.charAt(0).toLowerCase() + name.slice(1);
}

function scalar(value: unknown): string {
	if (value instanceof Date) return value.toISOString();
	return escapeXml(String(value));
}

function element(name: string, value: unknown, shape: ShapeRef | undefined, out: string[]): void {
	if (value === undefined || value === null) return;
	if (Array.isArray(value)) {
		// A list: an empty wrapper when empty, as EC2 does (the SDK maps it to []).
		const itemShape = Array.isArray(shape) ? shape[0] : null;
		if (value.length === 0) {
			out.push(`<${name}/>`);
			return;
		}
		out.push(`<${name}>`);
		for (const item of value) element('item', item, itemShape, out);
		out.push(`</${name}>`);
		return;
	}
	if (typeof value === 'object' && !(value instanceof Date)) {
		out.push(`<${name}>`);
		members(value as Record<string, unknown>, typeof shape === 'string' ? shape : null, out);
		out.push(`</${name}>`);
		return;
	}
	out.push(`<${name}>${scalar(value)}</${name}>`);
}

function members(value: Record<string, unknown>, shape: string | null, out: string[]): void {
	const spec = shape ? SHAPES[shape] ?? {} : {};
	for (const [key, child] of Object.entries(value)) {
		const [xmlName, childShape] = spec[key] ?? [lowerCamel(key), undefined];
		element(xmlName, child, childShape, out);
	}
}

/** `<{Action}Response>` with `requestId` first, then the result's members. */
export function ec2ResponseXml(action: string, result: Record<string, unknown>, requestId: string): string {
	const out: string[] = [`<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${XMLNS}">`, `<requestId>${requestId}</requestId>`];
	members(result, OUTPUT_SHAPES[action] ?? null, out);
	out.push(`</${action}Response>`);
	return out.join('');
}

export function ec2ErrorXml(code: string, message: string, requestId: string): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}

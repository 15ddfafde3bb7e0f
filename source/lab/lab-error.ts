// An AWS-shaped error the handlers throw; the HTTP layer renders it in the calling protocol's
// format (EC2 XML or CloudWatch Logs JSON). The SDKs raise errors whose `name` is `code`.
export class LabError extends Error {
	override name = 'LabError';
	constructor(
		readonly code: string,
		message: string,
		readonly status = 400,
	) {
		super(message);
	}
}

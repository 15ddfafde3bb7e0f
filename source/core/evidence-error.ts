// Raised when evidence handed to sgtui (a listing, a flow log, a snapshot file) cannot be used at
// all. The CLI reports it as one line and exits 2; partial damage is counted, not thrown.
export class EvidenceError extends Error {
	override name = 'EvidenceError';
}

export { ExpectationFailed } from './expectation-failed.ts';
export { downloadOf, type DownloadFilter } from './select-download.ts';
export { everyDropResent, noResendWithoutRequest, type ResentDrop } from './resend-assertions.ts';
export { nothingPastPauseBeforeProceed } from './pause-assertions.ts';
export { requestedExactly, resentExactly } from './exact-seqs.ts';
export { downloadCompleted, downloadStopped } from './outcome-assertions.ts';
export { sawOutage, type Outage } from './outage-assertions.ts';
export { lineSent, lineNotSent, type LineSpec } from './line-assertions.ts';
export { sha256Equal, type HashSource } from './sha256.ts';

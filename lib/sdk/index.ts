// Faultline's client SDK: report circuit-breaker transitions from any Node service.
export {
  BREAKER_STATES,
  BreakerReportError,
  createBreakerReporter,
  type BreakerAttachment,
  type BreakerReporter,
  type BreakerReporterOptions,
  type BreakerReporterStats,
  type BreakerReportErrorKind,
  type BreakerState,
  type BreakerTransition,
  type FetchLike,
} from './breaker-reporter';
export { attachCockatiel, type AttachCockatielOptions, type CockatielBreakerLike } from './cockatiel';
export { attachOpossum, type AttachOpossumOptions, type OpossumBreakerLike } from './opossum';

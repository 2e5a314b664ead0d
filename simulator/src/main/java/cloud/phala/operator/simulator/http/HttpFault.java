package cloud.phala.operator.simulator.http;

import java.time.Duration;

/** A fault to inject into one API request instead of (or before) its normal answer. */
public record HttpFault(Kind kind, int status, Duration delay) {
  /** What the fault does. */
  public enum Kind {
    /** Answer with {@code status} (a 5xx) and a plain error body. */
    ERROR,
    /** 429 with a {@code Retry-After} of {@code delay}. */
    RATE_LIMIT,
    /** 409 "another operation in progress", without an error code. */
    BUSY,
    /** Wait {@code delay}, then answer normally. */
    LATENCY,
    /** Close the connection without an answer. */
    DROP_CONNECTION,
    /** Carry the request out, then close the connection without an answer: the answer is lost. */
    LOSE_RESPONSE,
    /**
     * Carry the request out, then answer {@code status} (e.g. 502 or 504) instead of its answer: a
     * gateway that gave up on the upstream after the upstream acted.
     */
    ERROR_AFTER_APPLY
  }
}

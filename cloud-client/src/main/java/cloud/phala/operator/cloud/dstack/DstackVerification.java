package cloud.phala.operator.cloud.dstack;

import java.util.List;
import java.util.Optional;

/**
 * What a dstack verifier ({@code POST /verify}) answered: {@code is_valid}, the {@code details} the
 * operator uses, and {@code reason}. {@code tcbStatus} is Intel's word (e.g. UpToDate), absent when
 * the quote did not verify; {@code reason} is made one bounded line with long hex runs (quote or
 * event content a verifier may echo) replaced, so it can go into status and Events.
 */
public record DstackVerification(
    boolean valid,
    boolean quoteVerified,
    boolean eventLogVerified,
    boolean osImageHashVerified,
    Optional<String> tcbStatus,
    List<String> advisoryIds,
    Optional<String> reason) {
  public DstackVerification {
    advisoryIds = List.copyOf(advisoryIds);
  }
}

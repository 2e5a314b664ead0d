package cloud.phala.operator.app.owner;

import cloud.phala.operator.app.status.Reason;
import java.util.Optional;

/** Whether a PhalaApp owns a Phala app, decided by {@link Claims}. */
public sealed interface Claim {
  /**
   * It owns {@code appId} ({@code kmsId} null: not known yet). {@code record}: the record to write
   * first (new, or for a new uid); {@code grant}: an admin's grant used up by it.
   */
  record Owned(
      String appId, String kmsId, Optional<AppRecord> record, Optional<AdoptionGrant> grant)
      implements Claim {}

  /** It owns nothing yet: a first deploy. */
  record Unclaimed() implements Claim {}

  /** It may not act until an operator admin says which app it owns. */
  record Refused(Reason reason, String message) implements Claim {}
}

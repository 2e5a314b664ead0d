package cloud.phala.operator.app.journal;

import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;

/**
 * A pass's view of its intents: the PhalaApp's status with its journal entry over it. The entry is
 * newer than the status when a CVM the status lists shows nothing as new for the entry's intent (no
 * intent or an older one, and a revision given before the intent); an entry the status already
 * holds, as an intent or settled, changes nothing. A newer entry's checkpoint is the view, whole,
 * as the status path would have it in etcd; an entry with no checkpoint lends only its CVMs'
 * records and intents.
 */
public final class JournalOverlay {
  private JournalOverlay() {}

  /** {@code status} itself when the entry adds nothing, else a copy with the intents added. */
  public static PhalaAppStatus overlay(PhalaAppStatus status, JournalEntry entry) {
    if (status == null || status.cvms == null || entry == null || entry.intents().isEmpty()) {
      return status;
    }
    if (entry.checkpoint() != null) {
      return newer(status, entry) ? copy(entry.checkpoint()) : status;
    }
    PhalaAppStatus out = null;
    for (int i = 0; i < status.cvms.size(); i++) {
      PhalaAppStatus.CvmStatus cvm = status.cvms.get(i);
      JournalEntry.Intended intended = entry.intents().get(cvm.cvmId);
      if (intended == null || intended.since() == null || !newer(intended.since(), cvm)) {
        continue;
      }
      if (out == null) {
        out = copy(status);
      }
      PhalaAppStatus.Intent intent = new PhalaAppStatus.Intent();
      intent.envRevision = intended.envRevision();
      intent.composeRevision = intended.composeRevision();
      intent.since = intended.since();
      PhalaAppStatus.CvmStatus shown = out.cvms.get(i);
      shown.intent = intent;
      shown.envRevision = intended.givenEnvRevision();
      shown.composeRevision = intended.givenComposeRevision();
      shown.updatedAt = intended.givenAt();
    }
    return out == null ? status : out;
  }

  private static boolean newer(PhalaAppStatus status, JournalEntry entry) {
    for (PhalaAppStatus.CvmStatus cvm : status.cvms) {
      JournalEntry.Intended intended = entry.intents().get(cvm.cvmId);
      if (intended != null && intended.since() != null && newer(intended.since(), cvm)) {
        return true;
      }
    }
    return false;
  }

  private static PhalaAppStatus copy(PhalaAppStatus status) {
    return Serialization.jsonMapper().convertValue(status, PhalaAppStatus.class);
  }

  private static boolean newer(String since, PhalaAppStatus.CvmStatus cvm) {
    Instant at = Instant.parse(since);
    return after(at, cvm.updatedAt) && after(at, cvm.intent == null ? null : cvm.intent.since);
  }

  private static boolean after(Instant at, String other) {
    return other == null || at.isAfter(Instant.parse(other));
  }
}

package cloud.phala.operator.kubectl;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The day-two fields of a PhalaApp that the plugin writes and reads by name (the contract with the
 * operator): {@code spec.restartAt}, {@code spec.rollout.retryAt}, {@code
 * spec.rollout.pinnedRevision}, {@code status.revision}, {@code status.restartedAt}, {@code
 * status.history}. Read from the object as stored, so a cluster whose CRD lacks them reads null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
final class OpsFields {
  public Spec spec = new Spec();
  public Status status = new Status();

  @JsonIgnoreProperties(ignoreUnknown = true)
  static final class Spec {
    public String restartAt;
    public SpecRollout rollout = new SpecRollout();
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  static final class SpecRollout {
    public String retryAt;
    public Integer pinnedRevision;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  static final class Status {
    public Integer revision;
    public String restartedAt;
    public List<HistoryEntry> history = List.of();
    public StatusRollout rollout = new StatusRollout();
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  static final class StatusRollout {
    public String failedAt;
  }

  /** One revision of {@code status.history} (newest first). Key names only, never values. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  static final class HistoryEntry {
    public Integer revision;
    public String envRevision;
    public String phalaRevision;
    public String composeHash;
    public List<String> envKeys = List.of();
    public List<String> changedKeys = List.of();
    public String rolledOutAt;
  }
}

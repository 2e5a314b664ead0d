package cloud.phala.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** How a new revision (env, compose or pre-launch script) reaches the CVMs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!(has(self.maxUnavailable) && has(self.maxSurge)"
            + " && string(self.maxUnavailable) in ['0', '0%'] && string(self.maxSurge) in ['0', '0%'])",
    message = "maxUnavailable and maxSurge cannot both be 0: the rollout could never make progress")
public class Rollout {
  /** {@code 1h30m}, {@code 90s}: hours, minutes and seconds, each optional, in that order. */
  private static final String READY_TIMEOUT = "^([0-9]+h)?([0-9]+m)?([0-9]+s)?$";

  /**
   * At most 100 or 100% (leading zeros allowed, as Kubernetes reads percentages); a string that is
   * no percentage at all is left to the rule that says so.
   */
  private static final String AT_MOST_100 =
      "type(self) == int ? self <= 100"
          + " : !self.matches('^[0-9]+%$') || self.matches('^0*(100|[1-9]?[0-9])%$')";

  @Default("RollingUpdate")
  @JsonPropertyDescription(
      "RollingUpdate restarts a few CVMs at a time (each env update restarts a CVM); Recreate"
          + " updates all of them at once, with downtime.")
  public Strategy strategy;

  @Default("1")
  @ValidationRule(
      value = "type(self) == int ? self >= 0 : self.matches('^[0-9]+%$')",
      message = "maxUnavailable must be a non-negative integer or a percentage such as 25%")
  @ValidationRule(
      value = AT_MOST_100,
      message =
          "maxUnavailable must be at most 100 or 100%: a PhalaApp has at most 100 replicas, and"
              + " 100% already lets every replica be down at once")
  @JsonPropertyDescription(
      "How many replicas may be down for an update at once: a number or a percentage of replicas"
          + " (rounded down), at most 100 or 100%. Default 1.")
  public IntOrString maxUnavailable;

  @Default("0")
  @ValidationRule(
      value = "type(self) == int ? self >= 0 : self.matches('^[0-9]+%$')",
      message = "maxSurge must be a non-negative integer or a percentage such as 25%")
  @ValidationRule(
      value = AT_MOST_100,
      message =
          "maxSurge must be at most 100 or 100%: a PhalaApp has at most 100 replicas, and 100%"
              + " already starts a new CVM for every replica before an old one goes")
  @JsonPropertyDescription(
      "How many extra replicas may be started on the new revision before old ones are removed: a"
          + " number or a percentage (rounded up), at most 100 or 100%. Default 0.")
  public IntOrString maxSurge;

  @Default("10m")
  @Pattern(READY_TIMEOUT)
  // Both rules stay silent where the pattern already refuses. A number of 7 digits or more is at
  // least 1000000s (277h), over the limit in any unit: refused before duration() could overflow.
  @ValidationRule(
      value = "!self.matches('" + READY_TIMEOUT + "') || self.matches('[1-9]')",
      message =
          "readyTimeout must be longer than 0s, such as 10m, 90s or 1h30m: with 0s every replica"
              + " given a new revision would fail the rollout at once")
  @ValidationRule(
      value =
          "!self.matches('"
              + READY_TIMEOUT
              + "') || !self.matches('[1-9]')"
              + " || (!self.matches('[1-9][0-9]{6}') && duration(self) <= duration('168h'))",
      message =
          "readyTimeout must be at most 168h (7 days): CVMs boot in minutes, so a longer wait"
              + " only hides a rollout that will not finish")
  @JsonPropertyDescription(
      "How long a replica may take to run the new revision before the rollout is considered"
          + " failed, e.g. 10m, 90s, 1h30m: more than 0s, at most 168h. Default 10m.")
  public String readyTimeout;

  @Pattern(READY_TIMEOUT)
  // silent where the pattern already refuses; 7 digits or more is over an hour in any unit
  @ValidationRule(
      value =
          "!self.matches('"
              + READY_TIMEOUT
              + "') || (!self.matches('[1-9][0-9]{6}') && duration(self == '' ? '0s' : self)"
              + " <= duration('1h'))",
      message =
          "batchWindow must be at most 1h: it only gathers a burst of changes (several Secrets"
              + " refreshed together) into one rollout")
  @JsonPropertyDescription(
      "Waits until the app's inputs (spec, Secrets, ConfigMaps) have not changed for this long"
          + " before a running app starts rolling out a new revision, so a burst of changes makes"
          + " one rollout, e.g. 30s, 2m: at most 1h. Another change restarts the wait, for at most"
          + " 5 windows in all. A first deploy, scaling and a rollback never wait. Unset or 0s:"
          + " no wait.")
  public String batchWindow;

  @Default("Halt")
  @JsonPropertyDescription(
      "What a failed rollout does (a replica on the new revision failed to boot or was not running"
          + " within readyTimeout). Halt stops it: the replicas still on the old revision keep"
          + " serving, untouched. Rollback also puts the replicas given the failed revision back on"
          + " the last revision that was fully rolled out, by redeploying the Phala Cloud revision"
          + " it ran (Phala Cloud keeps its compose and sealed env). Either way a new change starts"
          + " a new rollout.")
  public OnFailure onFailure;

  @JsonPropertyDescription(
      "true stops every change to the CVMs (no updates, no scaling) until set back to false; the"
          + " status still shows how many replicas run the desired revision.")
  public Boolean paused;

  @ValidationRule(
      value = "self.matches('" + Names.RFC_3339 + "')",
      message = "retryAt must be an RFC 3339 time such as 2026-12-03T10:00:00Z")
  @JsonPropertyDescription(
      "A rollout that failed (status.rollout.failedRevision, Halted or RolledBack) at or before"
          + " this time (status.rollout.failedAt) is tried again from where it stopped: the"
          + " replicas that failed are given the revision again. RFC 3339; kubectl phala rollout"
          + " retry sets it to now.")
  public String retryAt;

  @Min(1)
  @JsonPropertyDescription(
      "Pins the app to the entry of status.history with this revision number: its Phala Cloud"
          + " revision (compose and sealed env as Phala Cloud keeps them) is redeployed through"
          + " the normal rollout. Removing the pin returns to the revision built from the current"
          + " Secrets and ConfigMaps. kubectl phala rollout undo sets it.")
  public Integer pinnedRevision;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription(
      "How many fully rolled out revisions status.history keeps (the ones a pin can name)."
          + " Default 10.")
  public Integer revisionHistoryLimit;

  /** What a failed rollout does. */
  public enum OnFailure {
    Halt,
    Rollback
  }

  /** Rollout strategies. */
  public enum Strategy {
    RollingUpdate,
    Recreate
  }
}

package cloud.phala.operator.cloud.attestation;

/** The outcome of one {@link Step}, with a short reason that never carries evidence content. */
public record Check(Step step, Outcome outcome, String reason) {
  public enum Outcome {
    PASSED,
    FAILED,
    NOT_CHECKED
  }

  static Check passed(Step step) {
    return new Check(step, Outcome.PASSED, "");
  }

  static Check failed(Step step, String reason) {
    return new Check(step, Outcome.FAILED, reason);
  }

  static Check notChecked(Step step, String reason) {
    return new Check(step, Outcome.NOT_CHECKED, reason);
  }

  static Check of(Step step, boolean holds, String reasonIfNot) {
    return holds ? passed(step) : failed(step, reasonIfNot);
  }
}

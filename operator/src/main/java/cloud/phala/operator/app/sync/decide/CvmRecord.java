package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Instant;
import java.util.Map;

/**
 * What the operator remembers of one CVM between passes (kept in status): the revision it gave the
 * CVM and when, and a step it recorded but has not yet seen accepted. A replica recorded {@link
 * Decider#COMPOSE_PENDING} also names the revision whose env it was given ({@code envOf}), so that
 * what it boots (that env on {@code composeRevision}'s compose) can be recognised later.
 */
public record CvmRecord(
    String revision, String composeRevision, Instant givenAt, Intent intent, String envOf) {

  /** A step written to status before it is sent. */
  public record Intent(String revision, String composeRevision, Instant since, String envOf) {
    public Intent(String revision, String composeRevision, Instant since) {
      this(revision, composeRevision, since, null);
    }

    /** The same intent, written down at {@code when}. */
    public Intent at(Instant when) {
      return new Intent(revision, composeRevision, when, envOf);
    }

    Intent renamed(Map<String, String> names) {
      return new Intent(
          rename(names, revision), rename(names, composeRevision), since, rename(names, envOf));
    }

    static Intent from(PhalaAppStatus.Intent status) {
      return new Intent(
          status.envRevision, status.composeRevision, instant(status.since), status.envOf);
    }

    PhalaAppStatus.Intent toStatus() {
      PhalaAppStatus.Intent out = new PhalaAppStatus.Intent();
      out.envRevision = revision;
      out.composeRevision = composeRevision;
      out.envOf = envOf;
      out.since = since == null ? null : since.toString();
      return out;
    }
  }

  public CvmRecord(String revision, String composeRevision, Instant givenAt, Intent intent) {
    this(revision, composeRevision, givenAt, intent, null);
  }

  /** The same record with revisions renamed (an earlier scheme's name to this scheme's). */
  CvmRecord renamed(Map<String, String> names) {
    return new CvmRecord(
        rename(names, revision),
        rename(names, composeRevision),
        givenAt,
        intent == null ? null : intent.renamed(names),
        rename(names, envOf));
  }

  static String rename(Map<String, String> names, String revision) {
    return revision == null ? null : names.getOrDefault(revision, revision);
  }

  CvmRecord(String revision, String composeRevision) {
    this(revision, composeRevision, null, null);
  }

  static CvmRecord given(Intent intent) {
    return new CvmRecord(
        intent.revision(), intent.composeRevision(), intent.since(), null, intent.envOf());
  }

  CvmRecord intending(Intent next) {
    return new CvmRecord(revision, composeRevision, givenAt, next, envOf);
  }

  CvmRecord withoutIntent() {
    return new CvmRecord(revision, composeRevision, givenAt, null, envOf);
  }

  static CvmRecord from(PhalaAppStatus.CvmStatus status) {
    return new CvmRecord(
        status.envRevision,
        status.composeRevision,
        instant(status.updatedAt),
        status.intent == null ? null : Intent.from(status.intent),
        status.envOf);
  }

  static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}

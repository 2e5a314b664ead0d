package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.Phase;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.AvailableNode;
import cloud.phala.operator.cloud.Cvm;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OS image as part of a revision's name: with {@code spec.osImage} set, the desired revision
 * and compose revision are the env/compose ones tagged {@code @<image>}, so an image change is a
 * new revision to the rollout (halted, rolled back, remembered as last good like any other). What
 * image a CVM runs is read from Phala Cloud, never from the record: the planner sees a CVM as its
 * recorded env/compose revision tagged with the image it reports.
 */
public final class OsImageTag {
  private static final char SEPARATOR = '@';

  private OsImageTag() {}

  /** {@code revision} tagged with {@code image}; untagged for no image. */
  public static String tag(String revision, String image) {
    return revision == null || image == null ? revision : revision + SEPARATOR + image;
  }

  /** The env/compose revision a name was built from. */
  public static String base(String revision) {
    if (revision == null) {
      return null;
    }
    int at = revision.indexOf(SEPARATOR);
    return at < 0 ? revision : revision.substring(0, at);
  }

  /** The image a name was tagged with; null for none. */
  public static String image(String revision) {
    if (revision == null) {
      return null;
    }
    int at = revision.indexOf(SEPARATOR);
    return at < 0 ? null : revision.substring(at + 1);
  }

  /**
   * A recorded revision as the planner sees it: its env/compose part, tagged with the image the CVM
   * reports when the target names one.
   */
  static String seen(String recorded, Cvm cvm, String targetImage) {
    return tag(base(recorded), targetImage == null ? null : reported(cvm));
  }

  /**
   * Makes each record name the image its CVM reports (and none when no image is asked for), so the
   * records and status say what runs, whatever the operator intended.
   */
  static void retag(Map<String, CvmRecord> records, List<Cvm> cvms, String image) {
    for (Cvm cvm : cvms) {
      CvmRecord record = records.get(cvm.vmUuid());
      if (record != null && record.revision() != null) {
        records.put(
            cvm.vmUuid(),
            new CvmRecord(
                seen(record.revision(), cvm, image),
                seen(record.composeRevision(), cvm, image),
                record.givenAt(),
                record.intent(),
                record.envOf()));
      }
    }
  }

  /** Whether the CVM reports {@code image}; any CVM does when no image is asked for. */
  static boolean runs(Cvm cvm, String image) {
    return image == null || image.equals(cvm.osImage());
  }

  /**
   * The decision when the image stops the pass: not listed for the CVMs (blocked, Progressing=False
   * {@code OsImageUnavailable}, a Warning) or the list could not be read (a Warning; tried again).
   */
  static Optional<Decision> stop(
      Desired desired,
      Observation.Cloud cloud,
      StatusDraft draft,
      Notes notes,
      Optional<Claim.Owned> owned) {
    Optional<String> refused = refusal(desired.osImage(), cloud.cvms(), cloud.osImages());
    if (refused.isPresent()) {
      Reason reason = Reason.OS_IMAGE_UNAVAILABLE;
      draft.conditions().set(ConditionType.PROGRESSING, false, reason, refused.get());
      notes.warnOnce(reason, refused.get());
      draft.phase(Phase.BLOCKED);
      return Optional.of(Decision.none(owned, draft, notes, false));
    }
    if (cloud.osImages().problem() != null) {
      notes.warning(Reason.CLOUD_ERROR, cloud.osImages().problem());
      return Optional.of(Decision.none(owned, draft, notes, true));
    }
    return Optional.empty();
  }

  /**
   * Why the target image cannot be rolled out, when a CVM must move to it: the images its CVM can
   * move to (read by observe) do not list it. A failed read refuses nothing (the pass waits).
   */
  static Optional<String> refusal(
      String image, List<Cvm> cvms, Observation.Lookup<List<String>> available) {
    if (image == null || cvms.stream().allMatch(c -> runs(c, image)) || !available.asked()) {
      return Optional.empty();
    }
    if (available.value().isEmpty()) {
      return Optional.empty();
    }
    List<String> names = available.value().get();
    return names.contains(image)
        ? Optional.empty()
        : Optional.of(
            "OS image "
                + image
                + " is not one the CVMs can move to ("
                + String.join(", ", names)
                + "); the CVMs keep the image they run");
  }

  /** Why a first deploy cannot boot {@code image}: no node Phala Cloud offers boots it. */
  static Optional<String> deployRefusal(
      String image, Observation.Lookup<List<AvailableNode>> nodes) {
    if (image == null || nodes.value().isEmpty()) {
      return Optional.empty();
    }
    Set<String> offered = new TreeSet<>();
    nodes.value().get().forEach(n -> offered.addAll(n.images()));
    return offered.isEmpty() || offered.contains(image)
        ? Optional.empty()
        : Optional.of(
            "OS image "
                + image
                + " is not one the nodes offer ("
                + String.join(", ", offered)
                + "); nothing is deployed");
  }

  private static String reported(Cvm cvm) {
    return Objects.requireNonNullElse(cvm.osImage(), "unknown");
  }
}

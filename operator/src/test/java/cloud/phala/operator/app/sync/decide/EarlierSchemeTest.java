package cloud.phala.operator.app.sync.decide;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An upgrade to revisions bound to the app restarts nothing: earlier names count as current. */
class EarlierSchemeTest {
  private static final Map<String, String> NAMES =
      Map.of("unbound-rev", "bound-rev", "unbound-compose", "bound-compose");

  private static PhalaAppStatus writtenBy(Integer scheme) {
    PhalaAppStatus status = new PhalaAppStatus();
    status.revisionScheme = scheme;
    PhalaAppStatus.CvmStatus cvm = new PhalaAppStatus.CvmStatus();
    cvm.cvmId = "cvm-1";
    cvm.envRevision = "unbound-rev";
    cvm.composeRevision = "unbound-compose";
    PhalaAppStatus.CvmStatus older = new PhalaAppStatus.CvmStatus();
    older.cvmId = "cvm-2";
    older.envRevision = "an-older-rev";
    status.cvms = List.of(cvm, older);
    status.rollout = new PhalaAppStatus.RolloutStatus();
    status.rollout.lastGoodRevision = "unbound-rev";
    return status;
  }

  @Test
  void aStatusOfTheEarlierScheme_hasTheSameInputsRevisionsRenamed_andNothingElse() {
    StatusDraft draft =
        StatusDraft.from(writtenBy(null), new PhalaAppSpec(), java.time.Instant.now());

    draft.earlierScheme(NAMES);

    assertThat(draft.records().get("cvm-1").revision()).isEqualTo("bound-rev");
    assertThat(draft.records().get("cvm-1").composeRevision()).isEqualTo("bound-compose");
    assertThat(draft.records().get("cvm-2").revision()).isEqualTo("an-older-rev");
    assertThat(draft.rollout().lastGoodRevision).isEqualTo("bound-rev");
  }

  @Test
  void aStatusOfThisScheme_isLeftAsItIs() {
    StatusDraft draft = StatusDraft.from(writtenBy(2), new PhalaAppSpec(), java.time.Instant.now());

    draft.earlierScheme(NAMES);

    assertThat(draft.records().get("cvm-1").revision()).isEqualTo("unbound-rev");
  }
}

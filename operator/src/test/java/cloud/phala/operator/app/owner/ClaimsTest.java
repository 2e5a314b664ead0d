package cloud.phala.operator.app.owner;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.status.Reason;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Which app a PhalaApp owns: only what tenants cannot write decides. */
class ClaimsTest {
  private static final String UID = "uid-now";
  private static final String APP = "a".repeat(40);
  private static final String OTHER = "b".repeat(40);
  private static final AppRecord RECORD = new AppRecord("team", "web", UID, APP, "kms-1");

  private static Claim decide(
      String statusAppId,
      Optional<AppRecord> record,
      Optional<AdoptionGrant> grant,
      Supplier<Optional<String>> byName) {
    return Claims.decide("team", "web", UID, statusAppId, record, grant, byName, "phala-system");
  }

  @Test
  void theRecordOfThisVeryPhalaApp_decides_whateverItsStatusSays() {
    AtomicBoolean asked = new AtomicBoolean();

    Claim claim =
        decide(
            OTHER,
            Optional.of(RECORD),
            Optional.empty(),
            () -> {
              asked.set(true);
              return Optional.empty();
            });

    assertThat(claim).isEqualTo(new Claim.Owned(APP, "kms-1", Optional.empty(), Optional.empty()));
    assertThat(asked).as("no Phala Cloud call when the record decides").isFalse();
  }

  @Test
  void aRecordOfAnEarlierPhalaAppOfTheSameName_isRefused_withTheGrantCommand() {
    Claim claim =
        decide(
            APP,
            Optional.of(RECORD.forUid("uid-before")),
            Optional.empty(),
            () -> Optional.of(APP));

    assertThat(claim).isInstanceOf(Claim.Refused.class);
    Claim.Refused refused = (Claim.Refused) claim;
    assertThat(refused.reason()).isEqualTo(Reason.ADOPTION_REQUIRED);
    assertThat(refused.message())
        .contains(APP, "uid-before", UID, "kubectl -n phala-system create configmap")
        .contains("--from-literal=appId=" + APP, AdoptionGrants.LABEL + "=grant");
  }

  @Test
  void anAdminsGrant_decides_andIsRecordedForThisUid() {
    AdoptionGrant grant = new AdoptionGrant("adopt-web", "team", "web", OTHER);

    Claim claim =
        decide(null, Optional.of(RECORD.forUid("uid-before")), Optional.of(grant), Optional::empty);

    assertThat(claim).isInstanceOf(Claim.Owned.class);
    Claim.Owned owned = (Claim.Owned) claim;
    assertThat(owned.appId()).isEqualTo(OTHER);
    assertThat(owned.record())
        .get()
        .extracting(AppRecord::uid, AppRecord::appId)
        .containsExactly(UID, OTHER);
    assertThat(owned.grant()).contains(grant);
  }

  @Test
  void noRecord_theFirstCvmUnderThisInstallationsName_isAdopted_andRecorded() {
    Claim claim = decide(OTHER, Optional.empty(), Optional.empty(), () -> Optional.of(APP));

    assertThat(claim).isInstanceOf(Claim.Owned.class);
    assertThat(((Claim.Owned) claim).appId()).as("the name wins over the status").isEqualTo(APP);
    assertThat(((Claim.Owned) claim).record()).get().extracting(AppRecord::uid).isEqualTo(UID);
  }

  @Test
  void noRecordAndNoCvmUnderItsName_aStatusAppIdIsNotTrusted() {
    Claim claim = decide(OTHER, Optional.empty(), Optional.empty(), Optional::empty);

    assertThat(claim).isInstanceOf(Claim.Refused.class);
    assertThat(((Claim.Refused) claim).message()).contains(OTHER);
  }

  @Test
  void nothingAtAll_isAFirstDeploy() {
    assertThat(decide(null, Optional.empty(), Optional.empty(), Optional::empty))
        .isEqualTo(new Claim.Unclaimed());
  }
}

package cloud.phala.operator.app.sync.decide;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.cloud.AppRevision;
import cloud.phala.operator.cloud.ComposeSpec;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus.RollbackRecord;
import cloud.phala.operator.crypto.EnvPrivateKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.SealedEnv;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RollbackRecordsTest {
  private static final String APP_ID = "ab".repeat(20);
  private static final String HASH_A = "a1".repeat(32);
  private static final String HASH_B = "b2".repeat(32);
  private static final String VM_1 = "11111111-1111-4111-8111-111111111111";
  private static final String VM_2 = "22222222-2222-4222-8222-222222222222";

  private final RollbackRecords records = new RollbackRecords(new Revision(key(7)));
  private final PhalaApp app = app("uid-1");

  @Test
  void aRecord_verifiesForTheSamePhalaAppAppAndLastGoodRevision() {
    RollbackRecord record = records.record(app, APP_ID, "rev-good", "crev", summary("r1", VM_1));

    assertThat(records.verifies(app, APP_ID, "rev-good", record)).isTrue();
    assertThat(records.verifies(app, "0x" + APP_ID.toUpperCase(), "rev-good", record))
        .as("the app id in any hex spelling")
        .isTrue();
    assertThat(record.phalaRevision).isEqualTo("r1");
    assertThat(record.composeHash).isEqualTo(HASH_A);
    assertThat(record.composeRevision).isEqualTo("crev");
    assertThat(record.tag).matches("[0-9a-f]{32}");
  }

  @Test
  void anEditOfAnyField_orTheRecordOfAnotherAppOrRevision_doesNotVerify() {
    RollbackRecord record = records.record(app, APP_ID, "rev-good", "crev", summary("r1", VM_1));

    List<Consumer<RollbackRecord>> edits =
        List.of(
            r -> r.phalaRevision = "r0",
            r -> r.composeHash = HASH_B,
            r -> r.composeRevision = "other",
            r -> r.tag = "0".repeat(32),
            r -> r.tag = null,
            r -> r.phalaRevision = null);
    for (Consumer<RollbackRecord> edit : edits) {
      RollbackRecord edited = copy(record);
      edit.accept(edited);
      assertThat(records.verifies(app, APP_ID, "rev-good", edited)).isFalse();
    }
    assertThat(records.verifies(app, APP_ID, "rev-other", record)).isFalse();
    assertThat(records.verifies(app, "cd".repeat(20), "rev-good", record)).isFalse();
    assertThat(records.verifies(app("uid-2"), APP_ID, "rev-good", record))
        .as("a PhalaApp of the same name, recreated")
        .isFalse();
    assertThat(records.verifies(app, APP_ID, null, record)).isFalse();
    assertThat(records.verifies(app, APP_ID, "rev-good", null)).isFalse();
    assertThat(new RollbackRecords(new Revision(key(8))).verifies(app, APP_ID, "rev-good", record))
        .as("made with another operator's key")
        .isFalse();
  }

  @Test
  void whatTheCvmsRun_isTheNewestRevisionOfAnyOfThem_ifItHasTheComposeTheyReport() {
    List<AppRevision> history =
        List.of(
            summary("r4", "33333333-3333-4333-8333-333333333333"),
            summary("r3", VM_2.replace("-", "").toUpperCase()),
            summary("r2", VM_1),
            summary("r1", VM_2));

    assertThat(RollbackRecords.running(history, List.of(cvm(VM_1, HASH_A), cvm(VM_2, HASH_A))))
        .map(AppRevision::revisionId)
        .contains("r3");
    assertThat(RollbackRecords.running(history, List.of(cvm(VM_1, HASH_A))))
        .map(AppRevision::revisionId)
        .contains("r2");
    assertThat(RollbackRecords.running(history, List.of(cvm(VM_2, HASH_B))))
        .as("the CVM's newest revision is not the compose it runs: something else changed it")
        .isEmpty();
    assertThat(
            RollbackRecords.running(
                history, List.of(cvm("44444444-4444-4444-8444-444444444444", HASH_A))))
        .isEmpty();
    assertThat(RollbackRecords.mentionsAny(history.subList(0, 1), List.of(cvm(VM_1, HASH_A))))
        .isFalse();
    assertThat(RollbackRecords.mentionsAny(history, List.of(cvm(VM_1, HASH_A)))).isTrue();
  }

  @Test
  void phalaCloudsCopy_isRedeployedOnlyIfItIsThisAppsWithTheRecordedComposeAndASealedEnv() {
    RollbackRecord record = records.record(app, APP_ID, "rev-good", "crev", summary("r1", VM_1));
    SealedEnv env =
        EnvSealer.seal(
            EnvPrivateKey.generate(new SecureRandom()).publicKey(),
            EnvSet.builder().put("A", "1").build());

    assertThat(RollbackRecords.mismatch(detail(APP_ID, HASH_A, env), APP_ID, record)).isEmpty();
    assertThat(RollbackRecords.mismatch(detail("cd".repeat(20), HASH_A, env), APP_ID, record))
        .hasValueSatisfying(why -> assertThat(why).contains("belongs to another app"));
    assertThat(RollbackRecords.mismatch(detail(APP_ID, HASH_B, env), APP_ID, record))
        .hasValueSatisfying(
            why -> assertThat(why).contains("compose hash " + HASH_B + ", not the recorded"));
    assertThat(RollbackRecords.mismatch(detail(APP_ID, HASH_A, null), APP_ID, record))
        .hasValueSatisfying(why -> assertThat(why).contains("keeps no sealed env"));
  }

  private static AppRevision summary(String id, String vmUuid) {
    return new AppRevision(
        id, APP_ID, vmUuid, HASH_A, "update", Optional.empty(), Optional.empty());
  }

  private static AppRevision detail(String appId, String hash, SealedEnv env) {
    return new AppRevision(
        "r1",
        appId,
        VM_1,
        hash,
        "update",
        Optional.of(new ComposeSpec("services: {}\n", null, List.of("A"))),
        Optional.ofNullable(env));
  }

  private static Cvm cvm(String vmUuid, String composeHash) {
    return new Cvm(
        vmUuid,
        "cvm_x",
        "name",
        APP_ID,
        "running",
        false,
        composeHash,
        null,
        Optional.empty(),
        Optional.empty());
  }

  private static PhalaApp app(String uid) {
    PhalaApp app = new PhalaApp();
    app.getMetadata().setNamespace("team-a");
    app.getMetadata().setName("payments");
    app.getMetadata().setUid(uid);
    return app;
  }

  private static RollbackRecord copy(RollbackRecord from) {
    RollbackRecord out = new RollbackRecord();
    out.phalaRevision = from.phalaRevision;
    out.composeHash = from.composeHash;
    out.composeRevision = from.composeRevision;
    out.tag = from.tag;
    return out;
  }

  private static byte[] key(int fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) fill);
    return key;
  }
}

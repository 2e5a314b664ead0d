package cloud.phala.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/**
 * A PhalaApp written by an earlier version: its status may keep fields this model no longer has
 * until the CRD is upgraded (Helm never upgrades CRDs), and the operator must still read it.
 */
class EarlierStatusTest {
  @Test
  void aStatusWithTheRollbackSecretOfEarlierVersions_isRead_ignoringThatField() {
    PhalaApp app =
        Serialization.unmarshal(
            """
            {"apiVersion": "phala.cloud/v1alpha1", "kind": "PhalaApp",
             "metadata": {"name": "payments-api", "namespace": "team-a"},
             "status": {"rollout": {"lastGoodRevision": "9f2c0a1b2c3d4e5f",
                                    "rollbackSecret": "payments-api-phala-rollback"}}}
            """,
            PhalaApp.class);

    assertThat(app.getStatus().rollout.lastGoodRevision).isEqualTo("9f2c0a1b2c3d4e5f");
    assertThat(app.getStatus().rollout.rollbackRecord).isNull();
  }
}

package cloud.phala.operator.app.sync.decide;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.Rollout;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The defaults a pass applies are the CRD's, which the API server applies on write. */
class EffectiveSpecTest {
  private static String crdDefault(String field) throws NoSuchFieldException {
    return PhalaAppSpec.class.getField(field).getAnnotation(Default.class).value();
  }

  @Test
  void theDefaultsOfAnUndefaultedSpec_areTheCrdsDefaults() throws Exception {
    EffectiveSpec spec = EffectiveSpec.of(new PhalaAppSpec());

    assertThat(String.valueOf(spec.replicas())).isEqualTo(crdDefault("replicas"));
    assertThat(spec.instanceType()).isEqualTo(crdDefault("instanceType"));
    assertThat(String.valueOf(spec.diskSizeGb())).isEqualTo(crdDefault("diskSizeGb"));
    assertThat(spec.verifyPublicKey()).isTrue();
    assertThat(spec.paused()).isFalse();
    assertThat(String.valueOf(spec.minReady().toSeconds()))
        .isEqualTo(crdDefault("minReadySeconds"));
    assertThat(Rollout.class.getField("batchWindow").getAnnotation(Default.class)).isNull();
    assertThat(spec.batchWindow()).isZero();
    assertThat(spec.osImage()).isNull();
    assertThat(PhalaAppSpec.class.getField("osImage").getAnnotation(Default.class)).isNull();
    assertThat(spec.spread()).isFalse();
    assertThat(spec.nodeIds()).isNull();
    assertThat(PhalaAppSpec.class.getField("placement").getAnnotation(Default.class)).isNull();
  }

  @Test
  void limitsAnOlderObjectMayExceed_areReadAsTheCrdsLimits() throws Exception {
    PhalaAppSpec spec = new PhalaAppSpec();
    spec.minReadySeconds = 1_000_000;
    spec.rollout = new Rollout();
    spec.rollout.batchWindow = "30h";

    EffectiveSpec effective = EffectiveSpec.of(spec);

    assertThat(effective.minReady().toSeconds())
        .isEqualTo(
            (long) PhalaAppSpec.class.getField("minReadySeconds").getAnnotation(Max.class).value());
    assertThat(effective.batchWindow()).isEqualTo(Duration.ofHours(1));
    spec.rollout.batchWindow = "2m";
    assertThat(EffectiveSpec.of(spec).batchWindow()).isEqualTo(Duration.ofMinutes(2));
  }
}

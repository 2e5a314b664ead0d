package cloud.phala.operator.app.sync.decide;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaAppSpec;
import io.fabric8.generator.annotation.Default;
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
    assertThat(spec.osImage()).isNull();
    assertThat(PhalaAppSpec.class.getField("osImage").getAnnotation(Default.class)).isNull();
    assertThat(spec.spread()).isFalse();
    assertThat(spec.nodeIds()).isNull();
    assertThat(PhalaAppSpec.class.getField("placement").getAnnotation(Default.class)).isNull();
  }
}

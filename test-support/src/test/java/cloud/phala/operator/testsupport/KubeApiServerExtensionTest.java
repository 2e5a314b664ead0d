package cloud.phala.operator.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KubeApiServerExtensionTest {
  static class AVeryLongTestClassNameThatGoesOnAndOnWellPastWhatANamespaceMayHoldIT {}

  @Test
  void namespaceNames_areValidDnsLabelsDerivedFromTheClassName() {
    String name =
        KubeApiServerExtension.namespaceFor(
            AVeryLongTestClassNameThatGoesOnAndOnWellPastWhatANamespaceMayHoldIT.class);

    assertThat(name).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63);
    assertThat(name).startsWith("a-very-long-test-class-name");
  }

  @Test
  void namespaceNames_differBetweenCalls() {
    assertThat(KubeApiServerExtension.namespaceFor(getClass()))
        .isNotEqualTo(KubeApiServerExtension.namespaceFor(getClass()));
  }

  @Test
  void generatedCrds_areFoundOnTheClassPath() {
    assertThat(CrdInstaller.generatedCrdResources())
        .contains("META-INF/fabric8/gadgets.proof.phala.cloud-v1.yml");
  }
}

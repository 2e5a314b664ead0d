package cloud.phala.operator.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserAgentTest {
  @Test
  void namesTheOperatorsVersionAndItsShard() {
    assertThat(UserAgent.of("1.2.3", new Shard(1, 3)))
        .isEqualTo("phala-operator/1.2.3 (shard 1/3)");
    assertThat(UserAgent.of("1.2.3", Shard.ALL)).isEqualTo("phala-operator/1.2.3 (shard 0/1)");
  }

  @Test
  void theVersion_isTheBuiltOne() {
    assertThat(UserAgent.of(new Shard(0, 2)))
        .matches("phala-operator/\\d+\\.\\d+\\.\\d+\\S* \\(shard 0/2\\)");
  }
}

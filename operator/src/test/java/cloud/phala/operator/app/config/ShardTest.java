package cloud.phala.operator.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardTest {
  private static final Random RANDOM = new Random(18);

  @Test
  void everyApp_fallsInExactlyOneShard_forEveryShardCount() {
    for (int trial = 0; trial < 2000; trial++) {
      String namespace = randomName();
      String name = randomName();
      int count = 1 + RANDOM.nextInt(12);
      long owners =
          IntStream.range(0, count).filter(i -> new Shard(i, count).owns(namespace, name)).count();
      assertThat(owners).as("%s/%s over %d shards", namespace, name, count).isEqualTo(1);
    }
  }

  @Test
  void theHash_dependsOnlyOnNamespaceAndName_andIsPinned() {
    // a changed hash moves every app to another shard on an upgrade: keep it FNV-1a forever
    assertThat(Shard.of("team-a", "web", 2)).isEqualTo(1);
    assertThat(Shard.of("default", "app-1", 3)).isEqualTo(2);
    assertThat(Shard.of("ns", "x", 5)).isEqualTo(2);
    assertThat(Shard.of("a", "b/c", 7)).as("the separator is part of the key").isNotNegative();
  }

  @Test
  void appsSpreadEvenly_overTheShards() {
    int count = 3;
    int[] perShard = new int[count];
    for (int i = 0; i < 30_000; i++) {
      perShard[Shard.of("team-" + (i % 40), "app-" + i, count)]++;
    }
    for (int n : perShard) {
      assertThat(n).isBetween(9_000, 11_000);
    }
  }

  @Test
  void theShard_comesFromSHARD_orFromThePodOrdinal_asArgoCdDerivesIt() {
    assertThat(Shard.of(null, null, "anything")).isEqualTo(Shard.ALL);
    assertThat(Shard.of("1", null, "phala-operator-7")).isEqualTo(Shard.ALL);
    assertThat(Shard.of("3", null, "phala-operator-2")).isEqualTo(new Shard(2, 3));
    assertThat(Shard.of("3", "1", "phala-operator-2")).isEqualTo(new Shard(1, 3));
    assertThatThrownBy(() -> Shard.of("3", null, "phala-operator-abc"))
        .hasMessageContaining("POD_NAME");
    assertThatThrownBy(() -> Shard.of("3", null, "phala-operator-3"))
        .hasMessageContaining("SHARD must be between 0 and SHARD_COUNT - 1");
  }

  @Test
  void eachShard_leadsWithItsOwnLease_andUnshardedKeepsTheOldOne() {
    assertThat(Shard.ALL.leaseName()).isEqualTo("phala-operator");
    assertThat(new Shard(0, 2).leaseName()).isEqualTo("phala-operator-shard-0");
    assertThat(new Shard(1, 2).leaseName()).isEqualTo("phala-operator-shard-1");
    assertThat(Shard.ALL.owns("any", "app")).isTrue();
  }

  @Test
  void theSettings_carryTheShard() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            java.util.Map.of("SHARD_COUNT", "2", "POD_NAME", "phala-operator-1"));
    assertThat(config.shard()).isEqualTo(new Shard(1, 2));
    assertThat(OperatorConfig.fromEnvironment(java.util.Map.of()).shard()).isEqualTo(Shard.ALL);
  }

  private static String randomName() {
    StringBuilder name = new StringBuilder();
    int length = 1 + RANDOM.nextInt(20);
    for (int i = 0; i < length; i++) {
      name.append("abcdefghijklmnopqrstuvwxyz0123456789-".charAt(RANDOM.nextInt(37)));
    }
    return name.toString();
  }
}

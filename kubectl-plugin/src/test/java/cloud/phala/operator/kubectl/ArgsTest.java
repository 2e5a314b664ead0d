package cloud.phala.operator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsTest {
  @Test
  void flagsMayComeAnywhere_inEveryFormKubectlAccepts() {
    Args args =
        Args.parse("-n", "team-a", "rollout", "--context=prod", "status", "app", "--timeout", "5m");
    assertThat(args.words()).containsExactly("rollout", "status", "app");
    assertThat(args.flag("namespace")).isEqualTo("team-a");
    assertThat(args.flag("context")).isEqualTo("prod");
    assertThat(args.timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(Args.parse("-nteam-b").flag("namespace")).isEqualTo("team-b");
    assertThat(Args.parse("-n=team-c").flag("namespace")).isEqualTo("team-c");
    assertThat(Args.parse("--namespace=team-d").flag("namespace")).isEqualTo("team-d");
  }

  @Test
  void timeout_readsGoDurations_andZeroWaitsForever() {
    assertThat(Args.parse("--timeout=1h30m").timeout()).isEqualTo(Duration.ofMinutes(90));
    assertThat(Args.parse("--timeout=90s").timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(Args.parse("--timeout=500ms").timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(Args.parse("--timeout=0").timeout()).isNull();
    assertThat(Args.parse("--timeout=0s").timeout()).isNull();
    assertThat(Args.parse().timeout()).isNull();
    for (String bad : List.of("5", "m", "5x", "1h-2m", "")) {
      assertThatThrownBy(() -> Args.parse("--timeout=" + bad).timeout())
          .isInstanceOf(UserError.class)
          .hasMessageContaining("--timeout");
    }
  }

  @Test
  void unknownFlagsAndMissingValues_areUserErrors() {
    assertThatThrownBy(() -> Args.parse("--watch")).hasMessage("unknown flag: --watch");
    assertThatThrownBy(() -> Args.parse("-w")).hasMessageContaining("unknown shorthand flag");
    assertThatThrownBy(() -> Args.parse("get", "-n"))
        .hasMessage("flag needs an argument: --namespace");
    assertThatThrownBy(() -> Args.parse("--to-revision=two").intFlag("to-revision"))
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> Args.parse("--revision=2").allowOnly("rollout undo", "to-revision"))
        .hasMessage("unknown flag: --revision for rollout undo");
  }
}

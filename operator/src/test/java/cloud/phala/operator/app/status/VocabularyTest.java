package cloud.phala.operator.app.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operator's vocabulary: condition types, reasons and phases are enums, so the code cannot
 * write any other; each is written on the wire as one unique CamelCase word, spelled like its
 * constant.
 */
class VocabularyTest {
  private static final Pattern CAMEL_CASE = Pattern.compile("[A-Z][a-z]+(?:[A-Z][a-z]*)*");

  @Test
  void everyWireString_isOneCamelCaseWord_spelledLikeItsConstant_andUnique() {
    check(ConditionType.values(), ConditionType::wire);
    check(Reason.values(), Reason::wire);
    check(Phase.values(), Phase::wire);
  }

  private static <E extends Enum<E>> void check(E[] values, Function<E, String> wire) {
    List<String> wires = Arrays.stream(values).map(wire).toList();
    assertThat(wires).doesNotHaveDuplicates().allMatch(w -> CAMEL_CASE.matcher(w).matches());
    for (E value : values) {
      assertThat(wire.apply(value).replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase())
          .isEqualTo(value.name());
    }
  }

  @Test
  void aReasonIsOnConditions_exactlyWhenItNamesTheirTypes_andOnConditionsOrEvents() {
    for (Reason reason : Reason.values()) {
      assertThat(reason.onConditions())
          .as("%s", reason)
          .isEqualTo(!reason.conditionTypes().isEmpty());
      assertThat(reason.onConditions() || reason.onEvents()).as("%s", reason).isTrue();
    }
    assertThat(Reason.BOOT_FAILED.onEvents()).isTrue();
    assertThat(Reason.CREATED.onConditions()).isFalse();
    assertThat(Reason.CONVERGED.onEvents()).isFalse();
  }

  @Test
  void everyConditionType_hasAReason() {
    for (ConditionType type : ConditionType.values()) {
      assertThat(Arrays.stream(Reason.values()).filter(r -> r.conditionTypes().contains(type)))
          .as("reasons of %s", type)
          .isNotEmpty();
    }
  }

  @Test
  void conditions_areWrittenAsWireStrings_inTheEnumsOrder() {
    ConditionSet set = new ConditionSet();
    set.set(ConditionType.COMPOSE_VALID, true, Reason.NO_WARNINGS, "ok");
    set.set(ConditionType.PROGRESSING, false, Reason.CONVERGED, "done");
    set.set(ConditionType.READY, true, Reason.ALL_REPLICAS_READY, "3/3");

    List<Condition> merged = set.merge(List.of(), 1, Instant.now());

    assertThat(merged)
        .extracting(Condition::getType)
        .containsExactly("Ready", "Progressing", "ComposeValid");
    assertThat(merged)
        .extracting(Condition::getReason)
        .containsExactly("AllReplicasReady", "Converged", "NoWarnings");
    assertThat(merged).extracting(Condition::getStatus).containsExactly("True", "False", "True");
  }

  @Test
  void aReasonOfAnotherConditionType_isABug() {
    assertThatThrownBy(
            () ->
                new ConditionSet()
                    .set(ConditionType.PROGRESSING, true, Reason.ALL_REPLICAS_READY, "m"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ALL_REPLICAS_READY");
  }
}

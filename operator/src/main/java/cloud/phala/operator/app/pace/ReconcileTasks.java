package cloud.phala.operator.app.pace;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.reflect.Field;
import java.util.Optional;

/**
 * The resource a JOSDK 5.2.3 reconcile task carries ({@code
 * EventProcessor.ReconcilerExecutor.executionScope.resource}, the cached app when it was queued).
 * JOSDK offers no public way to tell tasks apart; should its internals change, every task reads as
 * {@link PassKind#UNKNOWN} and runs in arrival order, as with JOSDK's own executor, and {@code
 * phala_passes_queued_total{kind="unknown"}} shows it.
 */
final class ReconcileTasks {
  private static final Optional<Field[]> FIELDS = fields();

  private ReconcileTasks() {}

  static Optional<HasMetadata> resourceOf(Runnable task) {
    if (FIELDS.isEmpty() || !FIELDS.get()[0].getDeclaringClass().isInstance(task)) {
      return Optional.empty();
    }
    try {
      Object scope = FIELDS.get()[0].get(task);
      return scope == null
          ? Optional.empty()
          : Optional.ofNullable((HasMetadata) FIELDS.get()[1].get(scope));
    } catch (IllegalAccessException | ClassCastException e) {
      return Optional.empty();
    }
  }

  private static Optional<Field[]> fields() {
    try {
      Class<?> task =
          Class.forName(
              "io.javaoperatorsdk.operator.processing.event.EventProcessor$ReconcilerExecutor");
      Class<?> scope = Class.forName("io.javaoperatorsdk.operator.processing.event.ExecutionScope");
      Field executionScope = task.getDeclaredField("executionScope");
      Field resource = scope.getDeclaredField("resource");
      executionScope.setAccessible(true);
      resource.setAccessible(true);
      return Optional.of(new Field[] {executionScope, resource});
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Optional.empty();
    }
  }
}

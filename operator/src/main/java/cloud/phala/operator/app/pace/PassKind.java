package cloud.phala.operator.app.pace;

import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.crd.PhalaApp;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Optional;

/** What a queued pass is, judged by the app as the informer cached it when the pass was queued. */
public enum PassKind {
  /** A pass of an app whose rollout is running ({@code Progressing=True}). */
  FOLLOW_UP,
  /** Any other pass: a change reaching an app at rest, a steady poll, a new app. */
  FIRST,
  /** A task whose app could not be told (it runs as a first pass). */
  UNKNOWN;

  static PassKind of(Optional<HasMetadata> resource) {
    if (resource.isEmpty() || !(resource.get() instanceof PhalaApp app)) {
      return UNKNOWN;
    }
    return app.getStatus() != null
            && app.getStatus().conditions != null
            && app.getStatus().conditions.stream()
                .anyMatch(
                    c ->
                        ConditionType.PROGRESSING.wire().equals(c.getType())
                            && "True".equals(c.getStatus()))
        ? FOLLOW_UP
        : FIRST;
  }
}

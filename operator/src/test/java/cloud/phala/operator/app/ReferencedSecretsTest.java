package cloud.phala.operator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReferencedSecretsTest {
  @Test
  void theInformerKeepsNoValue_notEvenInTheLastAppliedAnnotation_onlyWhatNoticesAChange() {
    Secret full =
        new SecretBuilder()
            .withNewMetadata()
            .withName("db")
            .withNamespace("team-a")
            .withUid("u-1")
            .withResourceVersion("42")
            .addToAnnotations(
                "kubectl.kubernetes.io/last-applied-configuration",
                "{\"stringData\":{\"url\":\"canary-9d1e-informer\"}}")
            .addToLabels("team", "a")
            .addNewManagedField()
            .withManager("kubectl")
            .endManagedField()
            .endMetadata()
            .withType("Opaque")
            .withData(Map.of("url", "Y2FuYXJ5LTlkMWUtaW5mb3JtZXI="))
            .withStringData(Map.of("url", "canary-9d1e-informer"))
            .build();

    Secret kept = ReferencedSecrets.metadataOnly(full);

    assertThat(kept.getData()).isNullOrEmpty();
    assertThat(kept.getStringData()).isNullOrEmpty();
    assertThat(Serialization.asJson(kept))
        .doesNotContain("canary-9d1e")
        .doesNotContain("Y2FuYXJ5")
        .doesNotContain("kubectl");
    assertThat(kept.getMetadata().getName()).isEqualTo("db");
    assertThat(kept.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(kept.getType()).isEqualTo("Opaque");
  }

  private static Secret secret(String name, String resourceVersion) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("team-a")
        .withUid("uid-" + name)
        .withResourceVersion(resourceVersion)
        .endMetadata()
        .withType("Opaque")
        .withData(Map.of("url", "Y2FuYXJ5LXJlZmVyZW5jZWQ="))
        .build();
  }

  @Test
  void aSecretsDataIsRead_oncePerResourceVersion() {
    List<String> reads = new ArrayList<>();
    ReferencedSecrets secrets =
        new ReferencedSecrets(
            meta -> {
              reads.add(meta.getMetadata().getName());
              return secret(meta.getMetadata().getName(), meta.getMetadata().getResourceVersion());
            });

    secrets.withData(Optional.of(ReferencedSecrets.metadataOnly(secret("db", "1"))));
    secrets.withData(Optional.of(ReferencedSecrets.metadataOnly(secret("db", "1"))));
    secrets.withData(Optional.of(ReferencedSecrets.metadataOnly(secret("db", "2"))));

    assertThat(reads).containsExactly("db", "db");
  }

  @Test
  void theDataOfASecretNoAppReferencesAnyMore_isNotKept() {
    List<String> reads = new ArrayList<>();
    ReferencedSecrets secrets =
        new ReferencedSecrets(
            meta -> {
              reads.add(meta.getMetadata().getName());
              return secret(meta.getMetadata().getName(), meta.getMetadata().getResourceVersion());
            });
    Secret db = ReferencedSecrets.metadataOnly(secret("db", "1"));
    Secret api = ReferencedSecrets.metadataOnly(secret("api", "1"));
    secrets.withData(Optional.of(db));
    secrets.withData(Optional.of(api));

    secrets.retainReferenced(id -> id.getName().equals("api"));

    assertThat(secrets.kept()).containsExactly(new ResourceID("api", "team-a"));
    secrets.withData(Optional.of(db));
    assertThat(reads)
        .as("db is read again: its data was let go")
        .containsExactly("db", "api", "db");
  }

  @Test
  void manyAppsLoadingAChangedSharedSecretAtOnce_makeOneGet_andItsValueReachesNoLog()
      throws Exception {
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
        new ch.qos.logback.core.read.ListAppender<>();
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    AtomicInteger gets = new AtomicInteger();
    CountDownLatch getStarted = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    ReferencedSecrets secrets =
        new ReferencedSecrets(
            meta -> {
              gets.incrementAndGet();
              getStarted.countDown();
              try {
                answer.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return canary(meta.getMetadata().getResourceVersion());
            });
    Secret changed = ReferencedSecrets.metadataOnly(canary("7"));
    List<Thread> apps = new ArrayList<>();
    List<Optional<Secret>> loaded = new CopyOnWriteArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        Thread app = new Thread(() -> loaded.add(secrets.withData(Optional.of(changed))));
        apps.add(app);
        app.start();
      }
      assertThat(getStarted.await(10, TimeUnit.SECONDS)).isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> apps.stream().filter(t -> t.getState() == Thread.State.BLOCKED).count() == 49);
      answer.countDown();
      for (Thread app : apps) {
        app.join(10_000);
      }

      assertThat(gets).as("one GET for 50 apps").hasValue(1);
      assertThat(loaded)
          .hasSize(50)
          .allSatisfy(
              s -> assertThat(s.orElseThrow().getData()).containsEntry("url", CANARY_BASE64));
      StringBuilder logged = new StringBuilder();
      for (var event : logs.list) {
        logged.append(event.getFormattedMessage()).append('\n');
        for (var t = event.getThrowableProxy(); t != null; t = t.getCause()) {
          logged.append(t.getMessage()).append('\n');
        }
      }
      assertThat(logged.toString() + secrets.kept())
          .doesNotContain("canary-5be1")
          .doesNotContain(CANARY_BASE64);
    } finally {
      answer.countDown();
      root.detachAppender(logs);
    }
  }

  private static final String CANARY_BASE64 =
      java.util.Base64.getEncoder()
          .encodeToString("canary-5be1-shared".getBytes(java.nio.charset.StandardCharsets.UTF_8));

  private static Secret canary(String resourceVersion) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("shared")
        .withNamespace("team-a")
        .withUid("uid-shared")
        .withResourceVersion(resourceVersion)
        .endMetadata()
        .withType("Opaque")
        .withData(Map.of("url", CANARY_BASE64))
        .build();
  }
}

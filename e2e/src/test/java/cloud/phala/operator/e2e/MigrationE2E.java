package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.OperatorRuntime;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs docs/migrating.md as a user would: its shell commands with kubectl, its PhalaApp YAML. */
@KubeApiTest
class MigrationE2E {

  @Test
  void theMigrationGuide_movesADotEnvIntoASecret_deploysIt_andRotatesIt(
      KubernetesClient admin, KubeApiServerHandle server, TestNamespace ns) throws Exception {
    String guide = Files.readString(Path.of("..", "docs", "migrating.md"));
    List<String> commands = DocBlocks.shellLines(guide);
    List<String> manifests = DocBlocks.of(guide, "yaml");
    String manifest = manifests.get(manifests.size() - 1);
    Path dir = Files.createTempDirectory("phala-migration-");
    Files.writeString(dir.resolve("payments.yaml"), manifest);
    Files.writeString(
        dir.resolve(".env"),
        "DATABASE_URL=postgres://db-1\nAPI_TOKEN=token-1\nGREETING=\"hello world\"\n");
    UserShell user = UserShell.in(dir, server, ns.name());

    try (PhalaSimulator simulator = Fixtures.fastSimulator();
        OperatorRuntime operator =
            OperatorRuntime.start(Fixtures.operatorConfig(ns, simulator), admin)) {
      Fixtures.secret(admin, ns.name(), "phala-api", Map.of("apiKey", simulator.apiKey()));
      String revision = null;
      for (String command : commands) {
        if (command.contains("--watch")) {
          revision =
              Fixtures.awaitReady(admin, ns.name(), "payments", 2, null).getStatus().envRevision;
          continue;
        }
        if (command.contains("--dry-run=client")) {
          Files.writeString(
              dir.resolve(".env"),
              "DATABASE_URL=postgres://db-1\nAPI_TOKEN=token-2\nGREETING=\"hello world\"\n");
        }
        user.run(command);
      }
      PhalaApp rotated = Fixtures.awaitReady(admin, ns.name(), "payments", 2, revision);

      assertThat(rotated.getStatus().cvms).hasSize(2);
      for (var cvm : rotated.getStatus().cvms) {
        Map<String, String> booted = Fixtures.booted(simulator, cvm.cvmId);
        assertThat(booted)
            .containsEntry("DATABASE_URL", "postgres://db-1")
            .containsEntry("API_TOKEN", "token-2")
            .as("kubectl keeps the quotes, as the guide says")
            .containsEntry("GREETING", "\"hello world\"");
      }
    }
  }
}

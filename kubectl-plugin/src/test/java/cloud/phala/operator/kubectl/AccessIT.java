package cloud.phala.operator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.testsupport.Command;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.ServiceAccountClients;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every command works with exactly the access docs/kubectl-plugin.md lists, as a user's own
 * kubeconfig (here a ServiceAccount token) and no Phala Cloud credentials; without get on Secrets,
 * rollout status says what it needs.
 */
@KubeApiTest
class AccessIT {
  private static String ns;

  @BeforeAll
  static void setUp(KubernetesClient admin, TestNamespace namespace) throws Exception {
    ContractCrd.install(admin);
    ns = namespace.name();
    TestApps.awaitContractSchema(admin, ns);
  }

  @Test
  void theDocumentedAccess_isEnoughForEveryCommand(
      KubernetesClient admin, KubeApiServerHandle server) throws Exception {
    String rv = secret(admin, "access-keys");
    long generation = TestApps.create(admin, ns, "access").getMetadata().getGeneration();
    Map<String, Object> status =
        Fixtures.rolloutStatus(generation, Map.of("access-keys", rv), 3, false);
    status.put("rollout", Map.of("failedRevision", "r9", "action", "Halted"));
    TestApps.writeStatus(admin, ns, "access", status);
    PluginShell user = shellAs(admin, server, "plugin-user", documentedRules(true));

    for (String command :
        List.of(
            "rollout status access --timeout=30s",
            "rollout history access",
            "get access",
            "rollout pause access",
            "rollout resume access",
            "rollout restart access",
            "rollout retry access",
            "rollout undo access",
            "rollout unpin access")) {
      Command.Result result = user.run("kubectl phala " + command);
      assertThat(result.exitCode()).as("%s: %s", command, result.output()).isZero();
    }
  }

  @Test
  void withoutGetOnSecrets_rolloutStatusSaysWhatItNeeds(
      KubernetesClient admin, KubeApiServerHandle server) throws Exception {
    String rv = secret(admin, "blind-keys");
    long generation = TestApps.create(admin, ns, "blind").getMetadata().getGeneration();
    TestApps.writeStatus(
        admin, ns, "blind", Fixtures.rolloutStatus(generation, Map.of("blind-keys", rv), 3, false));
    PluginShell user = shellAs(admin, server, "blind-user", documentedRules(false));

    Command.Result result = user.run("kubectl phala rollout status blind");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output())
        .isEqualTo(
            "error: cannot read the metadata of secrets \"blind-keys\" (HTTP 403): rollout status"
                + " needs get on the Secrets and ConfigMaps the app reads\n");
  }

  /** docs/kubectl-plugin.md's "Access it needs"; without {@code secrets}, no get on Secrets. */
  private static List<PolicyRule> documentedRules(boolean secrets) {
    List<PolicyRule> rules = new ArrayList<>();
    rules.add(rule("phala.cloud", "phalaapps", "get", "watch", "patch"));
    rules.add(rule("", secrets ? "secrets" : "configmaps", "get"));
    rules.add(rule("", "configmaps", "get"));
    rules.add(rule("", "events", "list"));
    return rules;
  }

  private static PolicyRule rule(String group, String resource, String... verbs) {
    return new PolicyRuleBuilder()
        .withApiGroups(group)
        .withResources(resource)
        .withVerbs(verbs)
        .build();
  }

  private static PluginShell shellAs(
      KubernetesClient admin, KubeApiServerHandle server, String account, List<PolicyRule> rules)
      throws Exception {
    admin
        .serviceAccounts()
        .inNamespace(ns)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName(account).endMetadata().build())
        .create();
    ServiceAccountClients accounts = new ServiceAccountClients(server, admin);
    accounts.grantInNamespace(ns, account, account, rules);
    PluginShell shell = PluginShell.in(server, null);
    Files.writeString(shell.kubeconfig(), accounts.kubeConfigFor(ns, account));
    return shell;
  }

  private static String secret(KubernetesClient admin, String name) {
    return admin
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withStringData(Map.of("TOKEN", "access-canary"))
                .build())
        .create()
        .getMetadata()
        .getResourceVersion();
  }
}

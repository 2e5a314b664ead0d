package cloud.phala.operator.testsupport;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;

/**
 * Clients that act as a ServiceAccount with exactly the rules a test grants, authenticated by a
 * token from the TokenRequest API, as a pod's projected token would be. Used to prove that a set of
 * RBAC rules is enough, and that removing one is not.
 */
public final class ServiceAccountClients {
  private final KubeApiServerHandle server;
  private final KubernetesClient admin;

  public ServiceAccountClients(KubeApiServerHandle server, KubernetesClient admin) {
    this.server = server;
    this.admin = admin;
  }

  /** Creates the ServiceAccount (if missing) and returns a client authenticated as it. */
  public KubernetesClient clientFor(String namespace, String serviceAccount) {
    admin
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(serviceAccount)
                .withNamespace(namespace)
                .endMetadata()
                .build())
        .createOr(existing -> existing.update());
    Config adminConfig = server.adminConfig();
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(adminConfig.getMasterUrl())
            .withCaCertData(adminConfig.getCaCertData())
            .withCaCertFile(adminConfig.getCaCertFile())
            .withOauthToken(token(namespace, serviceAccount))
            .withNamespace(namespace)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * A kubeconfig that authenticates as an existing ServiceAccount (one a Helm chart made, left as
   * it is) with a new TokenRequest token, for a process of its own, e.g. an operator run with
   * {@code java} as the chart's pod would run it.
   */
  public String kubeConfigFor(String namespace, String serviceAccount) {
    Config adminConfig = server.adminConfig();
    String authority;
    if (adminConfig.getCaCertData() != null) {
      authority = "    certificate-authority-data: " + adminConfig.getCaCertData() + "\n";
    } else if (adminConfig.getCaCertFile() != null) {
      authority = "    certificate-authority: " + adminConfig.getCaCertFile() + "\n";
    } else {
      authority = "";
    }
    return "apiVersion: v1\n"
        + "kind: Config\n"
        + "clusters:\n"
        + "- name: test\n"
        + "  cluster:\n"
        + "    server: "
        + adminConfig.getMasterUrl()
        + "\n"
        + authority
        + "users:\n"
        + "- name: "
        + serviceAccount
        + "\n"
        + "  user:\n"
        + "    token: "
        + token(namespace, serviceAccount)
        + "\n"
        + "contexts:\n"
        + "- name: "
        + serviceAccount
        + "\n"
        + "  context:\n"
        + "    cluster: test\n"
        + "    user: "
        + serviceAccount
        + "\n"
        + "    namespace: "
        + namespace
        + "\n"
        + "current-context: "
        + serviceAccount
        + "\n";
  }

  /** A TokenRequest token of the ServiceAccount, valid for an hour, as a pod's projected one. */
  private String token(String namespace, String serviceAccount) {
    TokenRequest token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build());
    return token.getStatus().getToken();
  }

  /** Grants {@code rules} in {@code namespace} to the ServiceAccount through a Role. */
  public void grantInNamespace(
      String namespace, String serviceAccount, String roleName, List<PolicyRule> rules) {
    admin
        .rbac()
        .roles()
        .inNamespace(namespace)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName(roleName)
                .withNamespace(namespace)
                .endMetadata()
                .withRules(rules)
                .build())
        .serverSideApply();
    admin
        .rbac()
        .roleBindings()
        .inNamespace(namespace)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(roleName)
                .withNamespace(namespace)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", roleName)
                .withSubjects(subject(namespace, serviceAccount))
                .build())
        .serverSideApply();
  }

  /** Grants {@code rules} cluster-wide to the ServiceAccount through a ClusterRole. */
  public void grantClusterWide(
      String namespace, String serviceAccount, String clusterRoleName, List<PolicyRule> rules) {
    admin
        .rbac()
        .clusterRoles()
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(clusterRoleName)
                .endMetadata()
                .withRules(rules)
                .build())
        .serverSideApply();
    admin
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(clusterRoleName)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRoleName)
                .withSubjects(subject(namespace, serviceAccount))
                .build())
        .serverSideApply();
  }

  private static Subject subject(String namespace, String serviceAccount) {
    return new SubjectBuilder()
        .withKind("ServiceAccount")
        .withName(serviceAccount)
        .withNamespace(namespace)
        .build();
  }
}

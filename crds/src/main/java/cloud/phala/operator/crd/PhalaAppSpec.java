package cloud.phala.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;

/** What the app should be: its compose, its env sources, its size and how it rolls out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(oldSelf.region) || (has(self.region) && self.region == oldSelf.region)",
    message = "region cannot be changed once set: Phala Cloud cannot move a CVM")
public class PhalaAppSpec {
  @SpecReplicas
  @Default("1")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("How many CVMs (replicas) run the app. Default 1.")
  public Integer replicas;

  @Default("tdx.small")
  @io.fabric8.generator.annotation.Pattern("^[a-z0-9]+\\.[a-z0-9]+$")
  @ValidationRule(
      value = "self == oldSelf",
      message = "instanceType cannot be changed: delete and recreate the PhalaApp to resize")
  @JsonPropertyDescription(
      "Phala Cloud instance type of each CVM, e.g. tdx.small (2 vCPU, 4 GB), tdx.medium, tdx.large."
          + " Immutable.")
  public String instanceType;

  @JsonPropertyDescription(
      "Region to place the CVMs in, e.g. us-west; any region when unset. Immutable once set.")
  public String region;

  @io.fabric8.generator.annotation.Pattern("^[a-z0-9][a-z0-9._-]*$")
  @io.fabric8.generator.annotation.Size(max = 100)
  @JsonPropertyDescription(
      "dstack OS image every CVM runs, by name as phala os-images lists it, e.g. dstack-0.5.5."
          + " A change moves the CVMs to it through the rollout (spec.rollout), once Phala Cloud"
          + " lists it among the images they can move to. Unset: whatever image Phala Cloud"
          + " deploys, never changed.")
  public String osImage;

  @JsonPropertyDescription(
      "Spread the CVMs over Phala Cloud nodes: each new CVM (the first, a replica, a surge CVM)"
          + " goes to the allowed node with the fewest of this app's CVMs that has capacity."
          + " Unset: Phala Cloud places them.")
  public Placement placement;

  @Default("40")
  @Min(10)
  @Max(2048)
  @JsonPropertyDescription("Disk size of each CVM in GB. Default 40.")
  public Integer diskSizeGb;

  @Required
  @JsonPropertyDescription("The docker-compose file the CVMs run: inline or from a ConfigMap.")
  public ContentSource compose;

  @JsonPropertyDescription(
      "A pre-launch script that replaces Phala Cloud's built-in one. Without the built-in script the"
          + " DSTACK_* helper variables (registry login, SSH keys, root password) do nothing.")
  public ContentSource preLaunchScript;

  @JsonPropertyDescription(
      "Env vars, each a literal value or a key of a Secret or ConfigMap in this namespace. Later"
          + " entries win over earlier ones and over envFrom.")
  public List<EnvVarSource> env;

  @JsonPropertyDescription(
      "Whole Secrets or ConfigMaps whose every key becomes an env var, optionally prefixed.")
  public List<EnvFromSource> envFrom;

  @JsonPropertyDescription(
      "A kubernetes.io/dockerconfigjson Secret for a private registry; sets DSTACK_DOCKER_USERNAME,"
          + " DSTACK_DOCKER_PASSWORD and DSTACK_DOCKER_REGISTRY for the built-in pre-launch script.")
  public RegistryAuth registryAuth;

  @JsonPropertyDescription(
      "SSH authorized_keys for the CVMs (DSTACK_AUTHORIZED_KEYS), from a Secret key.")
  public SshAuthorizedKeys sshAuthorizedKeys;

  @JsonPropertyDescription(
      "AWS ECR login for the built-in pre-launch script (DSTACK_AWS_*), credentials from a Secret.")
  public AwsEcr awsEcr;

  @JsonPropertyDescription("A Secret key holding the CVMs' root password (DSTACK_ROOT_PASSWORD).")
  public SecretKeySelector rootPasswordSecretRef;

  @JsonPropertyDescription(
      "How a change of env, compose or pre-launch script rolls through the CVMs.")
  public Rollout rollout;

  @ValidationRule(
      value = "self.matches('" + Names.RFC_3339 + "')",
      message = "restartAt must be an RFC 3339 time such as 2026-12-03T10:00:00Z")
  @JsonPropertyDescription(
      "Restarts every CVM last given its revision or restarted before this time (once it has"
          + " come), a few at a time under the rollout's availability rules, env unchanged;"
          + " status.restartedAt says when all were. RFC 3339; kubectl phala rollout restart sets"
          + " it to now.")
  public String restartAt;

  @Default("0")
  @Min(0)
  @Max(3600)
  @JsonPropertyDescription(
      "How long a CVM given a new revision (or restarted) must have been running before it counts"
          + " as available, as a Deployment's minReadySeconds: the rollout takes no other replica"
          + " down until enough have run that long. 0 to 3600 seconds. Default 0.")
  public Integer minReadySeconds;

  @JsonPropertyDescription("How the app's env encryption public key is checked.")
  public KmsPolicy kms;

  @JsonPropertyDescription(
      "Whether the CVMs' attestations are read and checked, and whether the rollout waits on"
          + " them (docs/attestation.md).")
  public AttestationPolicy attestation;

  @JsonPropertyDescription(
      "A Secret key holding the Phala Cloud API key. When unset, the operator's default credentials"
          + " are used, if the operator allows them for this namespace.")
  public SecretKeySelector credentialsSecretRef;

  @Default("Delete")
  @JsonPropertyDescription(
      "What deleting the PhalaApp does to its CVMs: Delete removes them, Retain leaves them running.")
  public DeletionPolicy deletionPolicy;

  /** What deleting the PhalaApp does to its CVMs. */
  public enum DeletionPolicy {
    Delete,
    Retain
  }
}

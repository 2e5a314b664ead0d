package cloud.phala.operator.simulator.cloud;

import java.time.Clock;
import java.util.List;

/**
 * A deploy's two phases: provision (placed, hashed, kept) and commit (the app's first CVM, which
 * boots). Guarded by the world's lock.
 */
final class Deploys {
  private final Provisioner provisioner;
  private final CvmDirectory cvms;
  private final Apps apps;
  private final KmsAuthority kms;
  private final CvmFactory cvmFactory;
  private final RevisionHistory revisions;
  private final Nodes nodes;
  private final Clock clock;
  private final OnChainContracts chain;

  Deploys(
      Provisioner provisioner,
      CvmDirectory cvms,
      Apps apps,
      KmsAuthority kms,
      CvmFactory cvmFactory,
      RevisionHistory revisions,
      Nodes nodes,
      Clock clock,
      OnChainContracts chain) {
    this.chain = chain;
    this.provisioner = provisioner;
    this.cvms = cvms;
    this.apps = apps;
    this.kms = kms;
    this.cvmFactory = cvmFactory;
    this.revisions = revisions;
    this.nodes = nodes;
    this.clock = clock;
  }

  ProvisionResult provision(ProvisionRequest request) {
    if (request.name() != null && cvms.nameTaken(request.name())) {
      throw CloudError.nameTaken(request.name());
    }
    Provision provision = provisioner.provision(request);
    boolean onChain = !"phala".equals(provision.kmsType());
    return new ProvisionResult(
        provision.compose().hash(),
        onChain ? null : provision.appId(),
        onChain ? null : kms.envKey(provision.appId()).publicKey().toHex(),
        provision.placement().instanceType(),
        provision.placement().node().id(),
        onChain);
  }

  Cvm commit(String appId, String composeHash, String encryptedEnv, List<String> envKeys) {
    EncryptedEnvInput.requireHex(encryptedEnv);
    String normalized = CvmDirectory.normalizeAppId(appId);
    if (!cvms.ofApp(normalized).isEmpty()) {
      throw CloudError.appHasCvms(normalized);
    }
    Provision provision = provisioner.take(normalized, composeHash);
    if (cvms.nameTaken(provision.name())) {
      throw CloudError.nameTaken(provision.name());
    }
    AppCompose compose =
        envKeys == null || envKeys.isEmpty()
            ? provision.compose()
            : provision.compose().withAllowedEnvs(envKeys);
    nodes.pick(provision.placement().node().id(), null);
    App app = apps.appFor(normalized, provision.kmsType());
    Cvm cvm =
        cvmFactory.create(
            app,
            provision.name(),
            provision.placement(),
            provision.osImage(),
            compose,
            EncryptedEnvInput.orNull(encryptedEnv));
    if (app.onChainKms()) {
      chain.deployed(app, compose.hash(), provision.placement().node().id());
    }
    revisions.record(cvm, RevisionHistory.DEPLOY, clock.instant());
    return cvm;
  }
}

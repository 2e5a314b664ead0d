package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.cloud.EnvKeyTrust;
import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.app.owner.Ownerships;
import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.EventRecorder;
import cloud.phala.operator.app.status.Phase;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.ProvisionRequest;
import cloud.phala.operator.cloud.Provisioned;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import java.util.List;
import java.util.Optional;

/**
 * Deploys an app's first CVM: provision, verify the env key, seal, record the app id in the
 * operator's own record and, with the CVM about to be created, in status, commit. A commit whose
 * outcome is unknown (a crash, a lost answer, a 502 or 504) is settled by the next pass: the record
 * names this app, so its CVMs are found instead of a second app created, and {@link IntentCheck}
 * gives the committed CVM the revision it was created with, so it is not restarted to get it again.
 */
final class AppCreator {
  private final PhalaCloudClient client;
  private final EnvKeyTrust keyTrust;
  private final OperatorConfig config;
  private final EventRecorder events;
  private final Ownerships owners;
  private final Optional<String> ownApiKey;

  AppCreator(
      PhalaCloudClient client,
      EnvKeyTrust keyTrust,
      OperatorConfig config,
      EventRecorder events,
      Ownerships owners,
      Optional<String> ownApiKey) {
    this.client = client;
    this.keyTrust = keyTrust;
    this.config = config;
    this.events = events;
    this.owners = owners;
    this.ownApiKey = ownApiKey;
  }

  /** Returns whether a CVM was created (false: the env key was refused, nothing committed). */
  boolean create(
      PhalaApp app, StatusDraft draft, Desired desired, String name, StatusCheckpoint checkpoint) {
    PhalaAppSpec spec = app.getSpec();
    Provisioned provisioned =
        client.provision(
            new ProvisionRequest(
                name,
                desired.compose(),
                desired.preLaunchScript(),
                desired.env().keys(),
                spec.instanceType == null ? "tdx.small" : spec.instanceType,
                spec.diskSizeGb == null ? 40 : spec.diskSizeGb,
                spec.region));
    String kmsId = provisioned.kmsId() != null ? provisioned.kmsId() : config.kmsId().orElse(null);
    draft.created(provisioned.appId(), kmsId);
    boolean verify = spec.kms == null || !Boolean.FALSE.equals(spec.kms.verifyPublicKey);
    EnvKeyTrust.Outcome key =
        keyTrust.resolve(client, kmsId, provisioned.appId(), verify, provisioned.envPublicKey());
    draft
        .conditions()
        .set(ConditionType.PUBLIC_KEY_VERIFIED, key.verified(), key.reason(), key.message());
    if (key.rootKey() != null) {
      draft.kmsRootKey(key.rootKey());
    }
    if (key.key().isEmpty()) {
      events.warning(app, key.reason(), key.message());
      draft.forgetApp();
      draft.phase(Phase.BLOCKED);
      return false;
    }
    CvmRecord.Intent intent =
        new CvmRecord.Intent(desired.revision(), desired.composeRevision(), draft.now());
    draft.pendingReplicas().add(intent);
    owners.deployed(app, provisioned.appId(), kmsId, ownApiKey);
    checkpoint.write(draft.toStatus(app));
    Cvm cvm =
        client.commit(
            provisioned.appId(),
            provisioned.composeHash(),
            desired.env().sealedTo(key.key().get()),
            desired.env().keys());
    draft.pendingReplicas().remove(intent);
    draft.records().put(cvm.vmUuid(), CvmRecord.given(intent));
    draft.observed(List.of(cvm));
    draft
        .conditions()
        .set(
            ConditionType.PROGRESSING,
            true,
            Reason.CREATING,
            "first CVM " + cvm.name() + " is booting");
    draft.conditions().set(ConditionType.READY, false, Reason.CREATING, "no CVM runs yet");
    events.normal(
        app, Reason.CREATED, "created app " + provisioned.appId() + " with CVM " + cvm.name());
    return true;
  }
}

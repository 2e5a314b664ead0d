package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.plan.Action;
import cloud.phala.operator.app.status.EventRecorder;
import cloud.phala.operator.cloud.ComposeSpec;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.SealedEnv;
import java.util.Map;

/**
 * Carries out planned actions on Phala Cloud: each seals the full desired env afresh and sends only
 * ciphertext. Records which revision each CVM was given.
 */
final class CvmActions {
  private final PhalaCloudClient client;
  private final EnvPublicKey key;
  private final Desired desired;
  private final Map<String, CvmRecord> records;
  private final PhalaApp app;
  private final EventRecorder events;

  CvmActions(
      PhalaCloudClient client,
      EnvPublicKey key,
      Desired desired,
      Map<String, CvmRecord> records,
      PhalaApp app,
      EventRecorder events) {
    this.client = client;
    this.key = key;
    this.desired = desired;
    this.records = records;
    this.app = app;
    this.events = events;
  }

  void run(Action action, String anyCvm) {
    if (action instanceof Action.AddReplica) {
      Cvm replica = client.replicate(anyCvm, sealed());
      // A replica boots with its source's compose: on the desired revision only if that matches.
      CvmRecord source = records.get(anyCvm);
      boolean sameCompose =
          source != null && desired.composeRevision().equals(source.composeRevision());
      records.put(
          replica.vmUuid(),
          sameCompose
              ? new CvmRecord(desired.revision(), desired.composeRevision())
              : new CvmRecord("compose-pending", source == null ? null : source.composeRevision()));
      events.normal(
          app,
          "ReplicaAdded",
          "added CVM " + replica.name() + " on revision " + desired.revision());
    } else if (action instanceof Action.Update update) {
      update(update.vmUuid());
    } else if (action instanceof Action.Remove remove) {
      try {
        client.delete(remove.vmUuid());
      } catch (PhalaApiException e) {
        if (!e.isNotFound()) {
          throw e;
        }
      }
      records.remove(remove.vmUuid());
      events.normal(app, "ReplicaRemoved", "removed CVM " + remove.vmUuid());
    }
  }

  private void update(String vmUuid) {
    CvmRecord before = records.get(vmUuid);
    boolean composeChanged =
        before == null || !desired.composeRevision().equals(before.composeRevision());
    if (composeChanged) {
      String hash =
          client.provisionComposeUpdate(
              vmUuid,
              new ComposeSpec(desired.compose(), desired.preLaunchScript(), desired.env().keys()));
      client.commitComposeUpdate(vmUuid, hash, sealed(), desired.env().keys());
    } else {
      client.updateEnvs(vmUuid, sealed(), desired.env().keys());
    }
    records.put(vmUuid, new CvmRecord(desired.revision(), desired.composeRevision()));
    events.normal(
        app,
        composeChanged ? "ComposeUpdated" : "EnvUpdated",
        "CVM " + vmUuid + " restarting on revision " + desired.revision());
  }

  SealedEnv sealed() {
    return EnvSealer.seal(key, desired.env());
  }
}

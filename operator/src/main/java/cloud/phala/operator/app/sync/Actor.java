package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.sync.decide.CvmRecord;
import cloud.phala.operator.app.sync.decide.Decision;
import cloud.phala.operator.app.sync.decide.Step;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.Provisioned;
import cloud.phala.operator.crypto.SealedEnv;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Act: carries out a decision's steps in order, each sending only ciphertext, writing each intent
 * first through the {@link IntentLog}. It decides nothing and reads nothing.
 */
final class Actor {
  private final PassHook hook;

  Actor(PassHook hook) {
    this.hook = hook;
  }

  void act(Decision decision, PhalaCloudClient client, IntentLog log) {
    List<Step.Update> updates =
        decision.steps().stream()
            .filter(Step.Update.class::isInstance)
            .map(Step.Update.class::cast)
            .toList();
    Map<Step, CvmRecord.Intent> intended = new IdentityHashMap<>();
    for (Step step : decision.steps()) {
      String revision = decision.target().revision();
      hook.at(PassHook.Point.STEP_PLANNED, step.action(), revision);
      if (step instanceof Step.Provision provision) {
        log.provisioned(provision, client.provision(provision.request()));
        continue;
      }
      if (step instanceof Step.Update && intended.isEmpty()) {
        // one write for every CVM this pass restarts, all on disk before the first is sent
        intended.putAll(log.beforeAll(updates));
      }
      CvmRecord.Intent intent = intended.containsKey(step) ? intended.get(step) : log.before(step);
      if (intent != null) {
        hook.at(PassHook.Point.INTENT_WRITTEN, step.action(), revision);
      }
      Cvm created = send(step, decision, client, log);
      hook.at(PassHook.Point.STEP_ACCEPTED, step.action(), revision);
      log.accepted(step, intent, created);
    }
  }

  /** Sends one step; the CVM it created, if it creates one. */
  private static Cvm send(Step step, Decision decision, PhalaCloudClient client, IntentLog log) {
    if (step instanceof Step.Commit commit) {
      return commit(commit, decision, client, log);
    }
    if (step instanceof Step.AddReplica add) {
      return client.replicate(add.source(), sealed(decision), add.composeHash(), add.nodeId());
    }
    if (step instanceof Step.Update update) {
      update(update, decision, client);
    } else if (step instanceof Step.Remove remove) {
      deleteIgnoringMissing(client, remove.vmUuid());
    }
    return null;
  }

  private static Cvm commit(
      Step.Commit commit, Decision decision, PhalaCloudClient client, IntentLog log) {
    Provisioned provisioned = commit.provisioned();
    try {
      return client.commit(
          provisioned.appId(), provisioned.composeHash(), sealed(decision), keys(decision));
    } catch (PhalaApiException e) {
      if (e.status() / 100 == 4 && !e.isRetryable()) {
        log.commitRefused(commit);
      }
      throw e;
    }
  }

  private static void update(Step.Update update, Decision decision, PhalaCloudClient client) {
    String vmUuid = update.vmUuid();
    if (update.change() instanceof Step.Change.Restart) {
      client.restart(vmUuid);
    } else if (update.change() instanceof Step.Change.Redeploy redeploy) {
      client.redeployRevision(vmUuid, redeploy.phalaRevision());
    } else if (update.change() instanceof Step.Change.OsImage image) {
      client.updateOsImage(vmUuid, image.image());
    } else if (update.change() instanceof Step.Change.Compose compose) {
      PreparedChange.updateCompose(
          client, vmUuid, compose.compose(), sealed(decision), keys(decision));
    } else {
      PreparedChange.updateEnvs(client, vmUuid, sealed(decision), keys(decision));
    }
  }

  private static void deleteIgnoringMissing(PhalaCloudClient client, String vmUuid) {
    try {
      client.delete(vmUuid);
    } catch (PhalaApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  private static SealedEnv sealed(Decision decision) {
    return decision.target().env().sealedTo(decision.key());
  }

  private static List<String> keys(Decision decision) {
    return decision.target().env().keys();
  }
}

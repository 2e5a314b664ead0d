package cloud.phala.operator.app.owner;

import cloud.phala.operator.app.cloud.CvmNames;
import cloud.phala.operator.crd.PhalaApp;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Ownership as a pass uses it: the name this installation gives an app's first CVM, the claim of a
 * PhalaApp on a Phala app, and the records written when that changes.
 */
public final class Ownerships {
  private final AppRecordStore records;
  private final ApiKeyStore apiKeys;
  private final AdoptionGrantStore grants;
  private final String identity;
  private final String operatorNamespace;

  public Ownerships(
      AppRecordStore records,
      ApiKeyStore apiKeys,
      AdoptionGrantStore grants,
      String identity,
      String operatorNamespace) {
    this.records = records;
    this.apiKeys = apiKeys;
    this.grants = grants;
    this.identity = identity;
    this.operatorNamespace = operatorNamespace;
  }

  /** The deterministic name of the app's first CVM: this installation's, no other's. */
  public String cvmName(PhalaApp app) {
    return CvmNames.of(identity, app.getMetadata().getNamespace(), app.getMetadata().getName());
  }

  public Claim claim(PhalaApp app, Supplier<Optional<String>> appByName) {
    String namespace = app.getMetadata().getNamespace();
    String name = app.getMetadata().getName();
    return Claims.decide(
        namespace,
        name,
        app.getMetadata().getUid(),
        app.getStatus() == null ? null : app.getStatus().appId,
        records.of(namespace, name),
        grants.of(namespace, name),
        appByName,
        operatorNamespace);
  }

  /** Writes what an owned claim needs written, then uses up its grant. */
  public void settle(Claim.Owned owned, String kmsId) {
    owned
        .record()
        .ifPresent(
            r -> records.put(new AppRecord(r.namespace(), r.name(), r.uid(), r.appId(), kmsId)));
    owned.grant().ifPresent(grants::consume);
  }

  /**
   * A first deploy provisioned {@code appId}: recorded before anything runs, only over the record
   * the pass saw ({@code claimedAppId}, empty: none), so two processes deploying the same PhalaApp
   * at once never leave the record naming the app that lost.
   */
  public void deployed(
      PhalaApp app,
      String appId,
      String kmsId,
      Optional<String> ownApiKey,
      Optional<String> claimedAppId) {
    records.replace(
        new AppRecord(
            app.getMetadata().getNamespace(),
            app.getMetadata().getName(),
            app.getMetadata().getUid(),
            appId,
            kmsId),
        claimedAppId);
    apiKeyInUse(app, ownApiKey);
  }

  /**
   * Keeps a copy of the app's own API key (none with the operator's default), so cleanup can use it
   * whatever the namespace deletes first.
   */
  public void apiKeyInUse(PhalaApp app, Optional<String> ownApiKey) {
    apiKeys.put(recordName(app), ownApiKey);
  }

  /** The copy of the API key the app was last deployed with, if it had its own. */
  public Optional<String> apiKeyCopy(AppRecord record) {
    return apiKeys.of(AppRecords.recordName(record.namespace(), record.name()));
  }

  /** The record of the Phala app this very PhalaApp (same uid) owns. */
  public Optional<AppRecord> owned(PhalaApp app) {
    return records
        .of(app.getMetadata().getNamespace(), app.getMetadata().getName())
        .filter(r -> r.uid().equals(app.getMetadata().getUid()));
  }

  public void released(AppRecord record) {
    apiKeys.put(AppRecords.recordName(record.namespace(), record.name()), Optional.empty());
    records.remove(record);
  }

  private static String recordName(PhalaApp app) {
    return AppRecords.recordName(app.getMetadata().getNamespace(), app.getMetadata().getName());
  }
}

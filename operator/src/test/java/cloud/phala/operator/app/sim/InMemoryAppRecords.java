package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.owner.AppRecord;
import cloud.phala.operator.app.owner.AppRecordStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** App records in memory; they outlive operator instances, as the ConfigMaps they stand for do. */
final class InMemoryAppRecords implements AppRecordStore {
  private final Map<String, AppRecord> records = new HashMap<>();
  private int writes;

  /** How many times a record was written or removed. */
  int writes() {
    return writes;
  }

  @Override
  public Optional<AppRecord> of(String appNamespace, String appName) {
    return Optional.ofNullable(records.get(appNamespace + "/" + appName));
  }

  @Override
  public void put(AppRecord record) {
    writes++;
    records.put(record.namespace() + "/" + record.name(), record);
  }

  @Override
  public void replace(AppRecord record, Optional<String> expectedAppId) {
    if (!of(record.namespace(), record.name()).map(AppRecord::appId).equals(expectedAppId)) {
      throw new java.util.ConcurrentModificationException("the app record changed");
    }
    put(record);
  }

  @Override
  public void remove(AppRecord record) {
    writes++;
    records.remove(record.namespace() + "/" + record.name());
  }
}

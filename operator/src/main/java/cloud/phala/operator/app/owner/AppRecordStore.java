package cloud.phala.operator.app.owner;

import java.util.Optional;

/**
 * Where the {@link AppRecord}s live: {@link AppRecords} (ConfigMaps in the operator's namespace) in
 * production, memory in the simulation.
 */
public interface AppRecordStore {
  Optional<AppRecord> of(String appNamespace, String appName);

  /** Creates or replaces the record; it is read back at once. */
  void put(AppRecord record);

  void remove(AppRecord record);
}

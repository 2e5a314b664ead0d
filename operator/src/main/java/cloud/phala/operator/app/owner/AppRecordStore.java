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

  /**
   * Writes the record only if the stored one still names {@code expectedAppId} (empty: none is
   * stored), so a process that saw an older record never overwrites what another wrote since.
   *
   * @throws java.util.ConcurrentModificationException if the stored record changed
   */
  void replace(AppRecord record, Optional<String> expectedAppId);

  void remove(AppRecord record);
}

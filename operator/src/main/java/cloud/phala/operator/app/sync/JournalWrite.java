package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.sync.decide.CvmRecord;
import java.util.Map;

/** Writes the intents of a pass's updates, by CVM id, durably somewhere other than status. */
@FunctionalInterface
public interface JournalWrite {
  /** Returns once they are durable: true; false when there was no room (nothing written). */
  boolean write(Map<String, CvmRecord.Intent> intents);
}

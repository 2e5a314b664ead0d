package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.sync.decide.CvmRecord;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.Map;

/**
 * Writes the intents of a pass's updates durably somewhere other than status: by CVM id, each CVM's
 * record as a status checkpoint would show it (the revision it was given, as this pass settled it,
 * and the intent), and that whole checkpoint.
 */
@FunctionalInterface
public interface JournalWrite {
  /** Returns once they are durable: true; false when there was no room (nothing written). */
  boolean write(Map<String, CvmRecord> records, PhalaAppStatus checkpoint);
}

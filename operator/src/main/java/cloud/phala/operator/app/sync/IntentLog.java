package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.sync.decide.CvmRecord;
import cloud.phala.operator.app.sync.decide.Step;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.Provisioned;
import java.util.List;
import java.util.Map;

/**
 * Where act writes down each step: its intent before it is sent (durably, so an operator that dies
 * before it learns the answer can tell on restart whether the step happened), and its outcome once
 * Phala Cloud accepted it.
 */
interface IntentLog {
  /** Writes the step's intent, stamped now; returns it (null: the step needs none). */
  CvmRecord.Intent before(Step step);

  /**
   * Writes the intents of {@code updates} in one write, each stamped now; returns each step's
   * intent.
   */
  Map<Step, CvmRecord.Intent> beforeAll(List<Step.Update> updates);

  /** {@code created}: the CVM the step created (a commit or a replica), else null. */
  void accepted(Step step, CvmRecord.Intent intent, Cvm created);

  /** A provision was made; its commit waits for the next pass. */
  void provisioned(Step.Provision step, Provisioned provisioned);

  /** A commit Phala Cloud refused outright (an expired or unknown provision). */
  void commitRefused(Step.Commit step);
}

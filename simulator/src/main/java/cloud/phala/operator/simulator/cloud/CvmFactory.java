package cloud.phala.operator.simulator.cloud;

import java.time.Clock;

/**
 * Makes new CVMs: numbers them in creation order (from 1 again after a reset), derives their ids
 * from that number, lists them in the directory and boots them. Guarded by the world's lock.
 */
final class CvmFactory {
  private final Ids ids;
  private final Clock clock;
  private final CvmDirectory cvms;
  private final PowerCycle power;
  private int nextId = 1;

  CvmFactory(Ids ids, Clock clock, CvmDirectory cvms, PowerCycle power) {
    this.ids = ids;
    this.clock = clock;
    this.cvms = cvms;
    this.power = power;
  }

  /** The number the next CVM gets. */
  int nextId() {
    return nextId;
  }

  Cvm create(
      App app, String name, Placement placement, OsImage image, AppCompose compose, String env) {
    int id = nextId++;
    Cvm cvm =
        new Cvm(
            id,
            ids.hashedCvmId(id),
            ids.vmUuid(id),
            ids.instanceId(id),
            name,
            app,
            placement,
            image,
            clock.instant(),
            compose,
            env);
    cvms.add(cvm);
    power.powerOn(cvm);
    return cvm;
  }

  void reset() {
    nextId = 1;
  }
}

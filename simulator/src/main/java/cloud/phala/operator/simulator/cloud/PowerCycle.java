package cloud.phala.operator.simulator.cloud;

import cloud.phala.operator.simulator.SimulatorConfig;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The power operations of CVMs: boot, restart and stop. Each begins a new operation (its own
 * correlation id, progress target and start time) and runs the CVM through its statuses on the
 * lifecycle's timers; a boot consults the fault plan in force when it ends, not when it began.
 * Guarded by the world's lock.
 */
final class PowerCycle {
  private final SimulatorConfig config;
  private final Ids ids;
  private final Clock clock;
  private final Lifecycle lifecycle;
  private final Supplier<DomainFaults> faults;
  private long operations;

  PowerCycle(
      SimulatorConfig config,
      Ids ids,
      Clock clock,
      Lifecycle lifecycle,
      Supplier<DomainFaults> faults) {
    this.config = config;
    this.ids = ids;
    this.clock = clock;
    this.lifecycle = lifecycle;
    this.faults = faults;
  }

  /** Boots {@code cvm}: {@code starting} for the boot time, then the guest's boot. */
  void powerOn(Cvm cvm) {
    beginOperation(cvm, CvmStatus.RUNNING);
    lifecycle.run(
        cvm, List.of(new Lifecycle.Step(CvmStatus.STARTING, config.bootTime())), this::boot);
  }

  /** {@code firstStatus} for the shutdown time, then a boot as {@link #powerOn}. */
  void restart(Cvm cvm, String firstStatus) {
    beginOperation(cvm, CvmStatus.RUNNING);
    lifecycle.run(
        cvm,
        List.of(
            new Lifecycle.Step(firstStatus, config.shutdownTime()),
            new Lifecycle.Step(CvmStatus.STARTING, config.bootTime())),
        this::boot);
  }

  /** {@code force}: stop ({@code stopping}); otherwise a graceful shutdown. */
  void powerOff(Cvm cvm, boolean force) {
    beginOperation(cvm, CvmStatus.STOPPED);
    String status = force ? CvmStatus.STOPPING : CvmStatus.SHUTTING_DOWN;
    lifecycle.run(cvm, List.of(new Lifecycle.Step(status, config.shutdownTime())), Cvm::halted);
  }

  private void beginOperation(Cvm cvm, String target) {
    cvm.operation++;
    cvm.inProgress = true;
    cvm.progressTarget = target;
    cvm.progressStartedAt = clock.instant();
    cvm.correlationId = ids.correlationId(++operations);
    cvm.bootError = null;
  }

  private void boot(Cvm cvm) {
    DomainFaults.BootFault fault = faults.get().nextBoot(cvm.snapshot());
    if (fault == DomainFaults.BootFault.HANG) {
      return;
    }
    cvm.booted(
        fault == DomainFaults.BootFault.FAIL
            ? BootOutcome.failed("Boot failed (injected fault)")
            : Guest.boot(cvm.app.envKey, cvm.encryptedEnv, Set.copyOf(cvm.compose.allowedEnvs())),
        clock.instant());
  }
}

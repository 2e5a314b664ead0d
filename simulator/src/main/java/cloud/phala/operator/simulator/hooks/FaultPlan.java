package cloud.phala.operator.simulator.hooks;

import cloud.phala.operator.simulator.attest.AttestationFault;
import cloud.phala.operator.simulator.attest.AttestationFaults;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.DomainFaults;
import cloud.phala.operator.simulator.cloud.World;
import cloud.phala.operator.simulator.http.HttpFault;
import cloud.phala.operator.simulator.http.HttpFaults;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;

/** The faults in force, consulted by the HTTP layer per request and by the guest per boot. */
public final class FaultPlan implements HttpFaults, DomainFaults, AttestationFaults {
  private final World world;
  private final Random random;
  private final List<FaultRule> rules = new ArrayList<>();
  private int nextId = 1;

  public FaultPlan(World world, long seed) {
    this.world = world;
    this.random = new Random(seed);
  }

  public synchronized FaultRule add(FaultRule rule) {
    FaultRule withId =
        new FaultRule(
            "fault-" + nextId++,
            rule.kind(),
            rule.method(),
            rule.path(),
            rule.cvmNumber(),
            rule.rate(),
            rule.count(),
            rule.status(),
            rule.delay(),
            rule.osImage());
    rules.add(withId);
    return withId;
  }

  public synchronized List<FaultRule> rules() {
    return List.copyOf(rules);
  }

  public synchronized boolean remove(String id) {
    return rules.removeIf(r -> r.id().equals(id));
  }

  public synchronized void clear() {
    rules.clear();
  }

  @Override
  public Optional<HttpFault> next(String method, String path, String cvmId) {
    Integer target = cvmId == null ? null : cvmNumber(cvmId);
    return take(r ->
            !r.kind().atBoot()
                && r.kind() != FaultRule.Kind.BAD_KMS_SIGNATURE
                && !r.kind().atAttestation()
                && !r.kind().atTcb()
                && (r.method() == null || r.method().equalsIgnoreCase(method))
                && (r.path() == null || r.path().matcher(path).matches())
                && (r.cvmNumber() == null || r.cvmNumber().equals(target)))
        .map(r -> new HttpFault(HttpFault.Kind.valueOf(r.kind().name()), r.status(), r.delay()));
  }

  @Override
  public BootFault nextBoot(CvmSnapshot cvm) {
    return take(r ->
            r.kind().atBoot()
                && (r.cvmNumber() == null || r.cvmNumber() == cvm.id())
                && (r.osImage() == null || cvm.osImage().answersTo(r.osImage())))
        .map(r -> r.kind() == FaultRule.Kind.BOOT_HANG ? BootFault.HANG : BootFault.FAIL)
        .orElse(BootFault.NONE);
  }

  @Override
  public boolean corruptKmsSignature(String appId) {
    return take(r -> r.kind() == FaultRule.Kind.BAD_KMS_SIGNATURE).isPresent();
  }

  @Override
  public AttestationFault next(CvmSnapshot cvm) {
    return take(r ->
            r.kind().atAttestation() && (r.cvmNumber() == null || r.cvmNumber() == cvm.id()))
        .map(r -> AttestationFault.valueOf(r.kind().name().substring("ATTESTATION_".length())))
        .orElse(AttestationFault.NONE);
  }

  @Override
  public String tcbStatus(CvmSnapshot cvm) {
    return take(r -> r.kind().atTcb() && (r.cvmNumber() == null || r.cvmNumber() == cvm.id()))
        .map(r -> r.kind().tcbStatus())
        .orElse("UpToDate");
  }

  /** The first applicable rule that fires (by its rate), counting it down. */
  private synchronized Optional<FaultRule> take(Predicate<FaultRule> applies) {
    for (int i = 0; i < rules.size(); i++) {
      FaultRule rule = rules.get(i);
      if (!applies.test(rule) || random.nextDouble() >= rule.rate()) {
        continue;
      }
      if (rule.count() != null) {
        if (rule.count() <= 1) {
          rules.remove(i);
        } else {
          rules.set(i, rule.withCount(rule.count() - 1));
        }
      }
      return Optional.of(rule);
    }
    return Optional.empty();
  }

  /**
   * Resolves any identifier form to the CVM's number; unknown CVMs match nothing. Called without
   * this plan's lock held: the world calls into the plan while holding its own lock.
   */
  private Integer cvmNumber(String identifier) {
    try {
      return world.get(identifier).id();
    } catch (RuntimeException notFound) {
      return null;
    }
  }
}

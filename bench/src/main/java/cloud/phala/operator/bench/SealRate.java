package cloud.phala.operator.bench;

import cloud.phala.operator.crypto.EnvPrivateKey;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.function.Function;

/**
 * Seals per second of wall time and per second of this process's CPU time, one seal at a time, for
 * the sealer now and {@link BaselineSealer}, interleaved round by round in one JVM. The machine is
 * shared, so the CPU-time rate is the one to compare with {@code openssl speed} (which divides by
 * CPU time too) and with the Node SDK (bench/node/seal-bench.mjs reports the same two rates).
 *
 * <p>Usage: {@code SealRate [warmupSeconds=20] [seconds=10] [rounds=3]}
 */
public final class SealRate {
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private SealRate() {}

  public static void main(String[] args) {
    double warmup = args.length > 0 ? Double.parseDouble(args[0]) : 20;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    EnvPublicKey recipient = EnvPrivateKey.generate(new SecureRandom()).publicKey();
    Case[] cases = {
      new Case("seal20Vars2KiB", SealEnvs.typical(), env -> EnvSealer.seal(recipient, env).toHex()),
      new Case("seal1MiB", SealEnvs.maximal(), env -> EnvSealer.seal(recipient, env).toHex()),
      new Case(
          "baselineSeal20Vars2KiB",
          SealEnvs.typical(),
          env -> BaselineSealer.sealToHex(recipient, env)),
      new Case(
          "baselineSeal1MiB", SealEnvs.maximal(), env -> BaselineSealer.sealToHex(recipient, env))
    };
    for (Case c : cases) {
      c.run(warmup / cases.length);
    }
    for (int round = 1; round <= rounds; round++) {
      for (Case c : cases) {
        Rate rate = c.run(seconds);
        System.out.printf(
            Locale.ROOT,
            "java %s round %d %s %.1f seals/s wall, %.1f seals/s per CPU-second (%d seals)%n",
            Runtime.version(),
            round,
            c.name,
            rate.perWallSecond(),
            rate.perCpuSecond(),
            rate.seals());
      }
    }
  }

  private record Rate(long seals, long wallNanos, long cpuNanos) {
    double perWallSecond() {
      return seals * 1e9 / wallNanos;
    }

    double perCpuSecond() {
      return seals * 1e9 / cpuNanos;
    }
  }

  private record Case(String name, EnvSet env, Function<EnvSet, String> seal) {
    Rate run(double seconds) {
      long sink = 0;
      long seals = 0;
      long cpuStart = OS.getProcessCpuTime();
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      long now = start;
      while (now < end) {
        sink += seal.apply(env).length();
        seals++;
        now = System.nanoTime();
      }
      long cpu = OS.getProcessCpuTime() - cpuStart;
      if (sink == 0) {
        throw new IllegalStateException("nothing sealed");
      }
      return new Rate(seals, now - start, cpu);
    }
  }
}

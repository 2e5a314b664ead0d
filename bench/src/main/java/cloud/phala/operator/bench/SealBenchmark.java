package cloud.phala.operator.bench;

import cloud.phala.operator.crypto.EnvPrivateKey;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.SealedEnv;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sealing cost: a typical app env (20 vars, about 2 KiB) and the largest set the guest accepts (1
 * MiB). The hex encoding of the blob is included, since the operator always sends hex.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SealBenchmark {
  private EnvPublicKey recipient;
  private EnvSet typical;
  private EnvSet maximal;

  @Setup
  public void setUp() {
    recipient = EnvPrivateKey.generate(new SecureRandom()).publicKey();
    EnvSet.Builder small = EnvSet.builder();
    for (int i = 0; i < 20; i++) {
      small.put("APP_SECRET_" + i, "v".repeat(90));
    }
    typical = small.build();
    EnvSet.Builder big = EnvSet.builder();
    for (int i = 0; i < 8; i++) {
      String key = "BIG_" + i;
      big.put(key, "x".repeat(128 * 1024 - key.length()));
    }
    maximal = big.build();
  }

  @Benchmark
  public String seal20Vars2KiB() {
    return EnvSealer.seal(recipient, typical).toHex();
  }

  @Benchmark
  public String seal1MiB() {
    return EnvSealer.seal(recipient, maximal).toHex();
  }

  /** Without hex encoding, to show how much of the cost is the wire format. */
  @Benchmark
  public SealedEnv seal20Vars2KiBBinary() {
    return EnvSealer.seal(recipient, typical);
  }
}

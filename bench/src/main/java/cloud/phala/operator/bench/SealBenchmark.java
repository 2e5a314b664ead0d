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
 * MiB). The hex encoding of the blob is included, since the operator always sends hex. The
 * baseline* methods run the sealer as it was before issue 18 ({@link BaselineSealer}). The warm-up
 * is long because C2 needs about 10 s on a busy 2-core machine to reach the AES-GCM intrinsics.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 4)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SealBenchmark {
  private EnvPublicKey recipient;
  private EnvSet typical;
  private EnvSet maximal;

  @Setup
  public void setUp() {
    recipient = EnvPrivateKey.generate(new SecureRandom()).publicKey();
    typical = SealEnvs.typical();
    maximal = SealEnvs.maximal();
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

  /** The sealer before issue 18, in the same JVM, for the before/after ratio. */
  @Benchmark
  public String baselineSeal20Vars2KiB() {
    return BaselineSealer.sealToHex(recipient, typical);
  }

  @Benchmark
  public String baselineSeal1MiB() {
    return BaselineSealer.sealToHex(recipient, maximal);
  }
}

package cloud.phala.operator.bench;

import cloud.phala.operator.crypto.AppId;
import cloud.phala.operator.crypto.EnvPrivateKey;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.KmsPublicKeyVerifier;
import cloud.phala.operator.crypto.KmsSigner;
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

/** Cost of checking an env public key's KMS signature (secp256k1 recovery + Keccak-256). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KmsVerifyBenchmark {
  private KmsPublicKeyVerifier verifier;
  private AppId appId;
  private String publicKey;
  private String legacySignature;
  private String timestampedSignature;
  private long timestamp;

  @Setup
  public void setUp() {
    SecureRandom random = new SecureRandom();
    KmsSigner signer = KmsSigner.generate(random);
    verifier = new KmsPublicKeyVerifier(signer.rootKey());
    appId = AppId.fromHex("ab".repeat(20));
    EnvPublicKey key = EnvPrivateKey.generate(random).publicKey();
    publicKey = key.toHex();
    timestamp = System.currentTimeMillis() / 1000;
    legacySignature = signer.signLegacy(appId, key);
    timestampedSignature = signer.signTimestamped(appId, key, timestamp);
  }

  @Benchmark
  public EnvPublicKey verifyLegacy() {
    return verifier.verifyLegacy(appId, publicKey, legacySignature);
  }

  @Benchmark
  public EnvPublicKey verifyTimestamped() {
    return verifier.verifyTimestamped(appId, publicKey, timestamp, timestampedSignature);
  }
}

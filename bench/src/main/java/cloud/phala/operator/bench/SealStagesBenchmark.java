package cloud.phala.operator.bench;

import cloud.phala.operator.crypto.EnvPrivateKey;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.SealedEnv;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.math.ec.rfc7748.X25519;
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
 * Where one seal's time goes, stage by stage, and the X25519 implementations side by side: BC's
 * (what EnvSealer uses) and the JDK's XDH provider. Run it on each JDK to compare their XDH.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 4)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SealStagesBenchmark {
  private static final byte[] DIGIT_PAIRS = new byte[512];

  static {
    byte[] digits = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    for (int b = 0; b < 256; b++) {
      DIGIT_PAIRS[2 * b] = digits[b >> 4];
      DIGIT_PAIRS[2 * b + 1] = digits[b & 0xf];
    }
  }

  private final byte[] scalar = new byte[32];
  private byte[] recipient;
  private EnvSet typical;
  private EnvSet maximal;
  private byte[] typicalJson;
  private byte[] maximalJson;
  private byte[] typicalBlob;
  private byte[] maximalBlob;
  private SealedEnv typicalSealed;
  private SealedEnv maximalSealed;
  private Cipher cachedCipher;
  private final byte[] key = new byte[32];
  private final byte[] iv = new byte[12];
  private KeyFactory xdh;
  private PublicKey jdkRecipient;
  private PublicKey jdkBasePoint;

  @Setup
  public void setUp() throws GeneralSecurityException {
    SecureRandom random = new SecureRandom();
    random.nextBytes(scalar);
    random.nextBytes(key);
    random.nextBytes(iv);
    recipient = HexFormat.of().parseHex(EnvPrivateKey.generate(random).publicKey().toHex());
    typical = SealEnvs.typical();
    maximal = SealEnvs.maximal();
    typicalJson = BaselineSealer.encode(typical);
    maximalJson = BaselineSealer.encode(maximal);
    typicalBlob = BaselineSealer.seal(recipient, typical);
    maximalBlob = BaselineSealer.seal(recipient, maximal);
    typicalSealed = SealedEnv.fromHex(BaselineSealer.hex(typicalBlob));
    maximalSealed = SealedEnv.fromHex(BaselineSealer.hex(maximalBlob));
    cachedCipher = Cipher.getInstance("AES/GCM/NoPadding");
    xdh = KeyFactory.getInstance("XDH");
    jdkRecipient =
        xdh.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u(recipient)));
    jdkBasePoint =
        xdh.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BigInteger.valueOf(9)));
  }

  @Benchmark
  public byte[] x25519BaseMultBc() {
    byte[] out = new byte[32];
    X25519.scalarMultBase(scalar, 0, out, 0);
    return out;
  }

  @Benchmark
  public byte[] x25519AgreementBc() {
    byte[] out = new byte[32];
    X25519.calculateAgreement(scalar, 0, recipient, 0, out, 0);
    return out;
  }

  /** The JDK has no fixed-base multiplication: the public key is an agreement with u = 9. */
  @Benchmark
  public byte[] x25519BaseMultJdk() throws GeneralSecurityException {
    return jdkAgreement(jdkBasePoint);
  }

  @Benchmark
  public byte[] x25519AgreementJdk() throws GeneralSecurityException {
    return jdkAgreement(jdkRecipient);
  }

  @Benchmark
  public byte[] jsonStringBuilder20Vars() {
    return BaselineSealer.encode(typical);
  }

  @Benchmark
  public byte[] jsonStringBuilder1MiB() {
    return BaselineSealer.encode(maximal);
  }

  @Benchmark
  public byte[] aesGcmGetInstance20Vars() throws GeneralSecurityException {
    return aesGcm(typicalJson);
  }

  @Benchmark
  public byte[] aesGcmGetInstance1MiB() throws GeneralSecurityException {
    return aesGcm(maximalJson);
  }

  /** What AesGcm does now: one Cipher per thread, re-initialised, encrypting in place. */
  @Benchmark
  public byte[] aesGcmCachedInPlace20Vars() throws GeneralSecurityException {
    return aesGcmInPlace(typicalJson);
  }

  @Benchmark
  public byte[] aesGcmCachedInPlace1MiB() throws GeneralSecurityException {
    return aesGcmInPlace(maximalJson);
  }

  /** The same with the 1 MiB input fed in 16 KiB pieces, as AesGcm does. */
  @Benchmark
  public byte[] aesGcmCachedInPlaceChunked1MiB() throws GeneralSecurityException {
    byte[] buffer = new byte[maximalJson.length + 16];
    System.arraycopy(maximalJson, 0, buffer, 0, maximalJson.length);
    cachedCipher.init(
        Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nextIv()));
    int in = 0;
    int out = 0;
    while (maximalJson.length - in > 16 * 1024) {
      out += cachedCipher.update(buffer, in, 16 * 1024, buffer, out);
      in += 16 * 1024;
    }
    cachedCipher.doFinal(buffer, in, maximalJson.length - in, buffer, out);
    return buffer;
  }

  /** What SealedEnv.toHex does now. */
  @Benchmark
  public String hexSealedEnv20Vars() {
    return typicalSealed.toHex();
  }

  @Benchmark
  public String hexSealedEnv1MiB() {
    return maximalSealed.toHex();
  }

  @Benchmark
  public String hexDigitTable1MiB() {
    byte[] out = new byte[2 * maximalBlob.length];
    for (int i = 0; i < maximalBlob.length; i++) {
      int pair = 2 * (maximalBlob[i] & 0xff);
      out[2 * i] = DIGIT_PAIRS[pair];
      out[2 * i + 1] = DIGIT_PAIRS[pair + 1];
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  @Benchmark
  public String hexCharArray20Vars() {
    return BaselineSealer.hex(typicalBlob);
  }

  @Benchmark
  public String hexCharArray1MiB() {
    return BaselineSealer.hex(maximalBlob);
  }

  @Benchmark
  public String hexJdkHexFormat1MiB() {
    return HexFormat.of().formatHex(maximalBlob);
  }

  private byte[] jdkAgreement(PublicKey peer) throws GeneralSecurityException {
    PrivateKey own = xdh.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
    KeyAgreement agreement = KeyAgreement.getInstance("X25519");
    agreement.init(own);
    agreement.doPhase(peer, true);
    return agreement.generateSecret();
  }

  /** A cached Cipher refuses the key and IV it was last initialised with, as it should. */
  private byte[] nextIv() {
    for (int i = 0; i < iv.length && ++iv[i] == 0; i++) {}
    return iv;
  }

  private byte[] aesGcmInPlace(byte[] plaintext) throws GeneralSecurityException {
    byte[] buffer = new byte[plaintext.length + 16];
    System.arraycopy(plaintext, 0, buffer, 0, plaintext.length);
    cachedCipher.init(
        Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nextIv()));
    cachedCipher.doFinal(buffer, 0, plaintext.length, buffer, 0);
    return buffer;
  }

  private byte[] aesGcm(byte[] plaintext) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
    byte[] out = new byte[plaintext.length + 16];
    cipher.doFinal(plaintext, 0, plaintext.length, out, 0);
    return out;
  }

  /** RFC 7748 u-coordinates are little-endian; XECPublicKeySpec wants the number. */
  private static BigInteger u(byte[] littleEndian) {
    byte[] bigEndian = new byte[littleEndian.length];
    for (int i = 0; i < littleEndian.length; i++) {
      bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
    }
    bigEndian[0] &= 0x7f;
    return new BigInteger(1, bigEndian);
  }
}

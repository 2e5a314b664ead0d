package cloud.phala.operator.app.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.ApiCallObserver;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaCloudConfig;
import cloud.phala.operator.crypto.AppId;
import cloud.phala.operator.crypto.EnvPrivateKey;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.KmsSigner;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which env key the operator may seal to when the KMS answers something wrong: a stub Phala Cloud
 * serves the KMS descriptor ({@code k256_pubkey}) and the app's signed env key. Every refusal is an
 * outcome with no key, a reason for the PublicKeyVerified condition and a message saying why.
 */
class EnvKeyTrustTest {
  private static final String KMS = "kms-1";
  private static final String APP_ID = "ab".repeat(20);
  private static final KmsSigner KMS_SIGNER = KmsSigner.generate(new SecureRandom());
  private static final EnvPublicKey APP_KEY =
      EnvPrivateKey.generate(new SecureRandom()).publicKey();
  private static HttpServer server;
  private static PhalaCloudClient client;
  private static volatile String kmsAnswer;
  private static volatile String pubkeyAnswer;

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/v1/kms/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          byte[] body =
              (path.contains("/pubkey/") ? pubkeyAnswer : kmsAnswer)
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    client =
        new PhalaCloudClient(
            PhalaCloudConfig.of(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1", "phak_test"),
            ApiCallObserver.NONE);
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @BeforeEach
  void honestKms() {
    publishRootKey(KMS_SIGNER.rootKey().toHex());
    serveEnvKey(APP_KEY.toHex(), KMS_SIGNER.signLegacy(AppId.fromHex(APP_ID), APP_KEY));
  }

  private static void publishRootKey(String k256) {
    kmsAnswer =
        "{\"id\":\"" + KMS + "\"" + (k256 == null ? "" : ",\"k256_pubkey\":\"" + k256 + "\"") + "}";
  }

  private static void serveEnvKey(String publicKey, String signature) {
    pubkeyAnswer = "{\"public_key\":\"" + publicKey + "\",\"signature\":\"" + signature + "\"}";
  }

  private final MemoryKmsRoots roots = new MemoryKmsRoots();

  private EnvKeyTrust.Outcome firstUse() {
    return new EnvKeyTrust(List.of(), roots, false).resolve(client, KMS, APP_ID, true, null);
  }

  @Test
  void anHonestKms_isTrustedOnFirstUse_andItsRootKeyRecordedForTheInstallation() {
    EnvKeyTrust.Outcome outcome = firstUse();

    assertThat(outcome.key()).contains(APP_KEY);
    assertThat(outcome.reason()).isEqualTo(Reason.SIGNATURE_VERIFIED);
    assertThat(outcome.rootKey()).isEqualTo(KMS_SIGNER.rootKey().toHex());
    assertThat(roots.recorded(KMS)).contains(KMS_SIGNER.rootKey().toHex());
  }

  @Test
  void aRootKeyRecordedForOneApp_bindsEveryOtherApp_ofTheInstallation() {
    firstUse();
    KmsSigner rotated = KmsSigner.generate(new SecureRandom());
    publishRootKey(rotated.rootKey().toHex());
    String otherApp = "cd".repeat(20);
    serveEnvKey(APP_KEY.toHex(), rotated.signLegacy(AppId.fromHex(otherApp), APP_KEY));

    EnvKeyTrust.Outcome outcome =
        new EnvKeyTrust(List.of(), roots, false).resolve(client, KMS, otherApp, true, null);

    assertThat(outcome.key()).isEmpty();
    assertThat(outcome.reason()).isEqualTo(Reason.ROOT_KEY_CHANGED);
  }

  @Test
  void aTenantTurningVerificationOff_isRefused_unlessTheOperatorAllowsIt() {
    EnvKeyTrust.Outcome refused =
        new EnvKeyTrust(List.of(), roots, false)
            .resolve(client, KMS, APP_ID, false, APP_KEY.toHex());
    EnvKeyTrust.Outcome allowed =
        new EnvKeyTrust(List.of(), roots, true)
            .resolve(client, KMS, APP_ID, false, APP_KEY.toHex());

    assertThat(refused.key()).isEmpty();
    assertThat(refused.reason()).isEqualTo(Reason.VERIFICATION_REQUIRED);
    assertThat(allowed.key()).contains(APP_KEY);
    assertThat(allowed.reason()).isEqualTo(Reason.VERIFICATION_DISABLED);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "too short | abcd | env encryption public key",
        "not hex | zz00000000000000000000000000000000000000000000000000000000000000"
            + " | env encryption public key",
        "low-order point | 0000000000000000000000000000000000000000000000000000000000000000"
            + " | low-order"
      })
  void aMalformedEnvKey_isRefusedAsSignatureInvalid_sayingWhatIsWrong(
      String label, String publicKey, String expected) {
    serveEnvKey(publicKey, KMS_SIGNER.signLegacy(AppId.fromHex(APP_ID), APP_KEY));

    EnvKeyTrust.Outcome outcome = firstUse();

    assertThat(outcome.key()).isEmpty();
    assertThat(outcome.reason()).isEqualTo(Reason.SIGNATURE_INVALID);
    assertThat(outcome.message())
        .startsWith("the app's env key is not signed by a trusted KMS root key")
        .contains(expected);
  }

  @Test
  void anEnvKeySignedByAnotherKey_isRefusedAsSignatureInvalid_namingBothKeys() {
    KmsSigner attacker = KmsSigner.generate(new SecureRandom());
    serveEnvKey(APP_KEY.toHex(), attacker.signLegacy(AppId.fromHex(APP_ID), APP_KEY));

    EnvKeyTrust.Outcome outcome = firstUse();

    assertThat(outcome.key()).isEmpty();
    assertThat(outcome.reason()).isEqualTo(Reason.SIGNATURE_INVALID);
    assertThat(outcome.message())
        .contains("signed by " + attacker.rootKey().toHex())
        .contains("not by the trusted KMS root key " + KMS_SIGNER.rootKey().toHex());
  }

  @Test
  void aKmsRootKeyThatChangedSinceFirstUse_isRefusedAsRootKeyChanged() {
    String recorded = KMS_SIGNER.rootKey().toHex();
    KmsSigner rotated = KmsSigner.generate(new SecureRandom());
    publishRootKey(rotated.rootKey().toHex());
    serveEnvKey(APP_KEY.toHex(), rotated.signLegacy(AppId.fromHex(APP_ID), APP_KEY));

    roots.recordFirst(KMS, recorded);

    EnvKeyTrust.Outcome outcome =
        new EnvKeyTrust(List.of(), roots, false).resolve(client, KMS, APP_ID, true, null);

    assertThat(outcome.key()).isEmpty();
    assertThat(outcome.reason()).isEqualTo(Reason.ROOT_KEY_CHANGED);
    assertThat(outcome.message())
        .contains("changed from the one this installation recorded on first use (" + recorded + ")")
        .contains("to " + rotated.rootKey().toHex())
        .contains("ConfigMap phala-operator-installation");
  }

  @ParameterizedTest(name = "k256_pubkey {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "missing | | publishes no k256_pubkey",
        "not hex | zz | k256_pubkey",
        "not a curve point | 02ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
            + " | k256_pubkey"
      })
  void aKmsPublishingNoUsableRootKey_isKmsUnavailable(
      String label, String published, String expected) {
    publishRootKey(published);

    EnvKeyTrust.Outcome outcome = firstUse();

    assertThat(outcome.key()).isEmpty();
    assertThat(outcome.reason()).isEqualTo(Reason.KMS_UNAVAILABLE);
    assertThat(outcome.message()).startsWith("could not read the KMS root key").contains(expected);
  }

  @Test
  void withVerificationDisabled_aMalformedReportedKey_isRefused_notThrown() {
    EnvKeyTrust.Outcome outcome =
        new EnvKeyTrust(List.of(), roots, true).resolve(client, KMS, APP_ID, false, "abcd");

    assertThat(outcome.key()).isEmpty();
    assertThat(outcome.reason()).isEqualTo(Reason.VERIFICATION_DISABLED);
    assertThat(outcome.message()).contains("env encryption public key");
  }

  /** The installation's record, in memory. */
  private static final class MemoryKmsRoots implements KmsRoots {
    private final java.util.Map<String, String> recorded = new java.util.HashMap<>();

    @Override
    public Optional<String> recorded(String kmsId) {
      return Optional.ofNullable(recorded.get(kmsId));
    }

    @Override
    public String recordFirst(String kmsId, String rootHex) {
      return recorded.computeIfAbsent(kmsId, k -> rootHex);
    }
  }
}

package cloud.phala.operator.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloud.phala.operator.crypto.KmsSignatureException.Reason;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KmsPublicKeyVerifierTest {
  private static final JsonNode KAT3 = Vectors.named("kms_pubkey_signatures", "KAT-3");
  private static final JsonNode KAT4_V1 = Vectors.named("kms_pubkey_signatures", "KAT-4 v1");
  private static final JsonNode KAT4_LEGACY =
      Vectors.named("kms_pubkey_signatures", "KAT-4 legacy");
  private static final long KAT4_TIME = 1_700_000_000L;

  @Test
  void verifyLegacy_acceptsKat3FromTheDstackSdkTests() {
    EnvPublicKey key =
        verifierFor(KAT3, KAT4_TIME)
            .verifyLegacy(appId(KAT3), text(KAT3, "public_key_hex"), text(KAT3, "signature_hex"));

    assertThat(key.toHex()).isEqualTo(text(KAT3, "public_key_hex"));
  }

  @Test
  void verifyLegacy_acceptsAnAppIdWithPrefix() {
    EnvPublicKey key =
        verifierFor(KAT3, KAT4_TIME)
            .verifyLegacy(
                AppId.fromHex("0x" + text(KAT3, "app_id_hex")),
                text(KAT3, "public_key_hex"),
                text(KAT3, "signature_hex"));

    assertThat(key.toHex()).isEqualTo(text(KAT3, "public_key_hex"));
  }

  @Test
  void verifyLegacy_acceptsKat4() {
    assertThat(
            verifierFor(KAT4_LEGACY, KAT4_TIME)
                .verifyLegacy(
                    appId(KAT4_LEGACY),
                    text(KAT4_LEGACY, "public_key_hex"),
                    text(KAT4_LEGACY, "signature_hex")))
        .isEqualTo(EnvPublicKey.fromHex(text(KAT4_LEGACY, "public_key_hex")));
  }

  @Test
  void verifyLegacy_acceptsEthereumStyleRecoveryId27() {
    String signature = text(KAT3, "signature_hex");
    String v27 = signature.substring(0, 128) + "1b";

    assertThat(
            verifierFor(KAT3, KAT4_TIME)
                .verifyLegacy(appId(KAT3), text(KAT3, "public_key_hex"), v27))
        .isNotNull();
  }

  @Test
  void verifyTimestamped_acceptsKat4InsideTheWindow() {
    EnvPublicKey key =
        verifierFor(KAT4_V1, KAT4_TIME + 299)
            .verifyTimestamped(
                appId(KAT4_V1),
                text(KAT4_V1, "public_key_hex"),
                KAT4_TIME,
                text(KAT4_V1, "signature_hex"));

    assertThat(key.toHex()).isEqualTo(text(KAT4_V1, "public_key_hex"));
  }

  @Test
  void verifyTimestamped_refusesASignatureOlderThanTheWindow() {
    assertThatThrownBy(
            () ->
                verifierFor(KAT4_V1, KAT4_TIME + 301)
                    .verifyTimestamped(
                        appId(KAT4_V1),
                        text(KAT4_V1, "public_key_hex"),
                        KAT4_TIME,
                        text(KAT4_V1, "signature_hex")))
        .isInstanceOfSatisfying(
            KmsSignatureException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_OLD))
        .hasMessage("KMS signature is 301 s old, older than the allowed 300 s");
  }

  @Test
  void verifyTimestamped_refusesASignatureTooFarInTheFuture() {
    assertThatThrownBy(
            () ->
                verifierFor(KAT4_V1, KAT4_TIME - 61)
                    .verifyTimestamped(
                        appId(KAT4_V1),
                        text(KAT4_V1, "public_key_hex"),
                        KAT4_TIME,
                        text(KAT4_V1, "signature_hex")))
        .isInstanceOfSatisfying(
            KmsSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.FROM_THE_FUTURE))
        .hasMessage("KMS signature is dated 61 s in the future, more than the allowed 60 s");
    assertThat(
            verifierFor(KAT4_V1, KAT4_TIME - 60)
                .verifyTimestamped(
                    appId(KAT4_V1),
                    text(KAT4_V1, "public_key_hex"),
                    KAT4_TIME,
                    text(KAT4_V1, "signature_hex")))
        .isNotNull();
  }

  @Test
  void verifyTimestamped_refusesTheSignatureWhenTheTimestampWasChanged() {
    assertThatThrownBy(
            () ->
                verifierFor(KAT4_V1, KAT4_TIME)
                    .verifyTimestamped(
                        appId(KAT4_V1),
                        text(KAT4_V1, "public_key_hex"),
                        KAT4_TIME + 1,
                        text(KAT4_V1, "signature_hex")))
        .isInstanceOfSatisfying(
            KmsSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.SIGNER_MISMATCH));
  }

  @Test
  void verifyLegacy_refusesAKeySubstitutedByAnAttacker() {
    EnvPublicKey attackerKey = EnvPrivateKey.generate(new java.security.SecureRandom()).publicKey();

    assertThatThrownBy(
            () ->
                verifierFor(KAT3, KAT4_TIME)
                    .verifyLegacy(appId(KAT3), attackerKey.toHex(), text(KAT3, "signature_hex")))
        .isInstanceOfSatisfying(
            KmsSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.SIGNER_MISMATCH))
        .hasMessageContaining("not by the trusted KMS root key");
  }

  @Test
  void verifyLegacy_refusesAValidSignatureFromAnotherKms() {
    KmsPublicKeyVerifier trustsKat4Signer = verifierFor(KAT4_LEGACY, KAT4_TIME);

    assertThatThrownBy(
            () ->
                trustsKat4Signer.verifyLegacy(
                    appId(KAT3), text(KAT3, "public_key_hex"), text(KAT3, "signature_hex")))
        .isInstanceOfSatisfying(
            KmsSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.SIGNER_MISMATCH));
  }

  @Test
  void verifyLegacy_refusesTheSignatureForAnotherAppId() {
    assertThatThrownBy(
            () ->
                verifierFor(KAT3, KAT4_TIME)
                    .verifyLegacy(
                        AppId.fromHex("01".repeat(20)),
                        text(KAT3, "public_key_hex"),
                        text(KAT3, "signature_hex")))
        .isInstanceOf(KmsSignatureException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "00", "zz", "04", "1d", "ff"})
  void verifyLegacy_refusesMalformedSignatures(String suffixOrWhole) {
    String signature =
        suffixOrWhole.length() == 2 && !suffixOrWhole.equals("00") && !suffixOrWhole.equals("zz")
            ? text(KAT3, "signature_hex").substring(0, 128) + suffixOrWhole
            : suffixOrWhole;

    assertThatThrownBy(
            () ->
                verifierFor(KAT3, KAT4_TIME)
                    .verifyLegacy(appId(KAT3), text(KAT3, "public_key_hex"), signature))
        .isInstanceOfSatisfying(
            KmsSignatureException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
  }

  @Test
  void verifyLegacy_saysWhatIsMalformed_byShapeAndRecoveryId() {
    String valid = text(KAT3, "signature_hex");

    assertThatThrownBy(
            () ->
                verifierFor(KAT3, KAT4_TIME)
                    .verifyLegacy(appId(KAT3), text(KAT3, "public_key_hex"), "00"))
        .hasMessage("KMS signature must be 65 bytes (130 hex characters), got 1 bytes");
    assertThatThrownBy(
            () ->
                verifierFor(KAT3, KAT4_TIME)
                    .verifyLegacy(
                        appId(KAT3), text(KAT3, "public_key_hex"), valid.substring(0, 128) + "04"))
        .hasMessage("KMS signature recovery id must be 0-3 or 27/28, got 4");
  }

  @Test
  void verifyLegacy_refusesSignatureScalarsOutOfRange() {
    String zeroR = "00".repeat(32) + text(KAT3, "signature_hex").substring(64);

    assertThatThrownBy(
            () ->
                verifierFor(KAT3, KAT4_TIME)
                    .verifyLegacy(appId(KAT3), text(KAT3, "public_key_hex"), zeroR))
        .isInstanceOfSatisfying(
            KmsSignatureException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessage("KMS signature recovers no key");
  }

  @Test
  void verifyLegacy_refusesAMalformedPublicKeyAsMalformed() {
    assertThatThrownBy(
            () ->
                verifierFor(KAT3, KAT4_TIME)
                    .verifyLegacy(appId(KAT3), "abcd", text(KAT3, "signature_hex")))
        .isInstanceOfSatisfying(
            KmsSignatureException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
  }

  @Test
  void kmsRootKey_parsesCompressedAndUncompressedFormsToTheSameKey() {
    KmsSigner signer = KmsSigner.fromHex("01".repeat(32));
    String compressed = signer.rootKey().toHex();

    assertThat(KmsRootKey.fromHex("0x" + compressed)).isEqualTo(signer.rootKey());
    assertThat(compressed).isEqualTo(text(KAT4_V1, "expected_signer_compressed_hex"));
    assertThatThrownBy(() -> KmsRootKey.fromHex("02" + "ff".repeat(32)))
        .hasMessageContaining("not a point");
    assertThatThrownBy(() -> KmsRootKey.fromHex("02abcd")).hasMessageContaining("33-byte");
  }

  private static KmsPublicKeyVerifier verifierFor(JsonNode vector, long nowSeconds) {
    return new KmsPublicKeyVerifier(
        KmsRootKey.fromHex(text(vector, "expected_signer_compressed_hex")),
        Clock.fixed(Instant.ofEpochSecond(nowSeconds), ZoneOffset.UTC),
        Duration.ofSeconds(300),
        Duration.ofSeconds(60));
  }

  private static AppId appId(JsonNode vector) {
    return AppId.fromHex(text(vector, "app_id_hex"));
  }

  private static String text(JsonNode vector, String field) {
    return vector.get(field).asText();
  }
}

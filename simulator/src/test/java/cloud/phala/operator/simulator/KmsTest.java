package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloud.phala.operator.crypto.AppId;
import cloud.phala.operator.crypto.KmsPublicKeyVerifier;
import cloud.phala.operator.crypto.KmsRootKey;
import cloud.phala.operator.crypto.KmsSignatureException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KmsTest {
  @RegisterExtension static final SimulatorExtension SIM = SimulatorExtension.instant();

  private KmsPublicKeyVerifier verifierTrustingThePublishedRootKey() {
    JsonNode kms = SIM.client().get("/api/v1/kms").json().get("items").get(0);
    return new KmsPublicKeyVerifier(KmsRootKey.fromHex(kms.get("k256_pubkey").asText()));
  }

  @Test
  void theEnvPubkey_isSignedByTheRootKeyTheApiPublishes_andMatchesProvision() {
    JsonNode provisioned = new Deployments(SIM.client()).provision("kms-app", List.of("API_KEY"));
    String appId = provisioned.get("app_id").asText();

    JsonNode signed =
        SIM.client()
            .get("/api/v1/kms/" + provisioned.get("kms_id").asText() + "/pubkey/0x" + appId)
            .json();

    assertThat(signed.size()).as("exactly public_key and signature").isEqualTo(2);
    assertThat(signed.get("public_key").asText())
        .isEqualTo(provisioned.get("app_env_encrypt_pubkey").asText());
    assertThat(
            verifierTrustingThePublishedRootKey()
                .verifyLegacy(
                    AppId.fromHex(appId),
                    signed.get("public_key").asText(),
                    signed.get("signature").asText())
                .toHex())
        .isEqualTo(signed.get("public_key").asText());
  }

  @Test
  void theSlugWorksAsKmsId_andNewerClientsAlsoGetATimestampedSignature() {
    String appId = "ab".repeat(20);

    JsonNode signed =
        SIM.client().withVersion("2026-06-23").get("/api/v1/kms/kms-sim-1/pubkey/" + appId).json();

    assertThat(
            verifierTrustingThePublishedRootKey()
                .verifyTimestamped(
                    AppId.fromHex(appId),
                    signed.get("public_key").asText(),
                    signed.get("timestamp").asLong(),
                    signed.get("signature_v1").asText()))
        .isNotNull();
  }

  @Test
  void anInjectedBadSignature_failsVerification() {
    SIM.client().post("/_sim/faults", Map.of("kind", "bad_kms_signature", "count", 1));
    String appId = "cd".repeat(20);

    JsonNode signed = SIM.client().get("/api/v1/kms/kms-sim-1/pubkey/" + appId).json();

    assertThatThrownBy(
            () ->
                verifierTrustingThePublishedRootKey()
                    .verifyLegacy(
                        AppId.fromHex(appId),
                        signed.get("public_key").asText(),
                        signed.get("signature").asText()))
        .isInstanceOf(KmsSignatureException.class);
  }

  @Test
  void anUnknownKmsOrAMalformedAppId_isRefused() {
    assertThat(SIM.client().get("/api/v1/kms/kms-nope/pubkey/" + "ab".repeat(20)).status())
        .isEqualTo(404);
    assertThat(SIM.client().get("/api/v1/kms/kms-sim-1/pubkey/xyz").status()).isEqualTo(400);
  }

  @Test
  void nextAppIds_predictTheIdsProvisionHandsOut() {
    JsonNode predicted =
        SIM.client().get("/api/v1/kms/phala/next_app_id?counts=2").json().get("app_ids");

    JsonNode first = new Deployments(SIM.client()).provision("predicted-1", List.of());
    JsonNode second = new Deployments(SIM.client()).provision("predicted-2", List.of());

    assertThat(first.get("app_id").asText()).isEqualTo(predicted.get(0).get("app_id").asText());
    assertThat(second.get("app_id").asText()).isEqualTo(predicted.get(1).get("app_id").asText());
    assertThat(predicted.get(1).get("nonce").asLong())
        .isEqualTo(predicted.get(0).get("nonce").asLong() + 1);
  }
}

package cloud.phala.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Which KMS governs the app, and how the env encryption public key of the app is checked before
 * anything is sealed to it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.chain) || self.type == 'OnChain'",
    message = "kms.chain names the chain of an OnChain KMS; type must be OnChain")
@ValidationRule(
    value = "self.type != 'OnChain' || has(self.chain)",
    message = "an OnChain KMS needs kms.chain (ethereum or base)")
public class KmsPolicy {
  @Default("true")
  @JsonPropertyDescription(
      "Verify the KMS signature over the app's env public key before sealing to it. Default true.")
  public Boolean verifyPublicKey;

  @Default("Phala")
  @JsonPropertyDescription(
      "Phala (Phala Cloud's KMS; the operator deploys the app) or OnChain (a KMS governed by an"
          + " app contract on Ethereum or Base: the operator only adopts an existing app by app"
          + " id, through an adoption grant, and never deploys a contract or holds a wallet key)."
          + " Default Phala.")
  public Type type;

  @io.fabric8.generator.annotation.Pattern("^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
  @JsonPropertyDescription(
      "The KMS id or slug to ask for the app's env key (e.g. kms-base-prod2). Default: the KMS"
          + " of the app's kind and chain from GET /kms.")
  public String id;

  @JsonPropertyDescription("With type OnChain: the chain of the app contract, ethereum or base.")
  public Chain chain;

  /** Who governs the app's keys. */
  public enum Type {
    Phala,
    OnChain
  }

  /** The chains an on-chain KMS runs on, as {@code GET /kms} gives their chain ids. */
  public enum Chain {
    ethereum(1),
    base(8453);

    private final long chainId;

    Chain(long chainId) {
      this.chainId = chainId;
    }

    public long chainId() {
      return chainId;
    }
  }
}

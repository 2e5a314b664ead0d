package cloud.phala.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A change of an on-chain KMS app that waits for its owner to register it on the app contract
 * (Phala Cloud answered HTTP 465). The CVMs keep serving the revision they run meanwhile.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OnChainApproval {
  @JsonPropertyDescription("The revision whose rollout waits for the approval.")
  public String revision;

  @JsonPropertyDescription("The compose hash to register (addComposeHash on the app contract).")
  public String composeHash;

  @JsonPropertyDescription("The app id, which is the app contract's address.")
  public String appId;

  @JsonPropertyDescription("The chain id of the app contract (1 Ethereum, 8453 Base).")
  public String chainId;

  @JsonPropertyDescription("The device the refused request named.")
  public String deviceId;

  @JsonPropertyDescription("The official CLI command the owner runs, with a wallet, to approve it.")
  public String command;

  @JsonPropertyDescription(
      "The CVM whose env change Phala Cloud prepared (PATCH /cvms/{id}, X-Prepare-Only) for a"
          + " commit token.")
  public String commitCvmId;

  @JsonPropertyDescription(
      "The commit token of that prepared change: a bearer capability (POST"
          + " /cvms/{id}/commit-update needs no API key) that applies it once the owner's"
          + " transaction registered its hash; kept out of conditions, Events and logs.")
  public String commitToken;

  @JsonPropertyDescription("Phala Cloud's page that commits it; it holds the token too.")
  public String commitUrl;

  @JsonPropertyDescription(
      "The official CLI command that commits the prepared change after the owner's transaction;"
          + " <commitToken> and <transactionHash> stand for the token and the transaction's hash.")
  public String commitCommand;

  @JsonPropertyDescription("When the operator first got the 465 for this revision.")
  public String since;

  @JsonPropertyDescription("When the operator last asked Phala Cloud whether it is allowed now.")
  public String checkedAt;
}

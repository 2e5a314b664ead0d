package cloud.phala.operator.simulator.cloud;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Makes replicas: new CVMs of a live CVM's app, with what they boot, where and under what name.
 * Guarded by the world's lock.
 */
final class Replicas {
  private final CvmDirectory cvms;
  private final CvmFactory factory;
  private final RevisionHistory revisions;
  private final Clock clock;
  private final Nodes nodes;
  private final OnChainContracts chain;

  Replicas(
      CvmDirectory cvms,
      CvmFactory factory,
      RevisionHistory revisions,
      Clock clock,
      Nodes nodes,
      OnChainContracts chain) {
    this.cvms = cvms;
    this.chain = chain;
    this.nodes = nodes;
    this.factory = factory;
    this.revisions = revisions;
    this.clock = clock;
  }

  /**
   * A replica of {@code source}, named after it and the number it gets, on the source's OS image
   * and node unless {@code nodeId} names another (which must have a free slot), with the source's
   * sealed env unless {@code encryptedEnv} replaces it. An on-chain KMS app's contract must allow
   * the node's device (465 otherwise).
   */
  Cvm replicate(Cvm source, String encryptedEnv, Integer nodeId, String composeHash) {
    AppCompose compose = compose(source, composeHash);
    Placement placement = placement(source.placement, nodeId);
    if (source.app.onChainKms()) {
      chain.requireDevice(source, compose.hash(), chain.deviceOf(placement.node().id()));
    }
    String env =
        encryptedEnv == null ? source.encryptedEnv : EncryptedEnvInput.orNull(encryptedEnv);
    String name = source.name + "-r" + factory.nextId();
    Cvm replica = factory.create(source.app, name, placement, source.osImage, compose, env);
    revisions.record(replica, RevisionHistory.DEPLOY, clock.instant());
    return replica;
  }

  /**
   * The app compose named by {@code composeHash}, which must be one of the app's live composes, or
   * with none named the app's only live compose (an app that runs several must name one: {@code
   * ERR-03-009}).
   */
  private AppCompose compose(Cvm source, String composeHash) {
    Map<String, AppCompose> live = new LinkedHashMap<>();
    cvms.ofApp(source.app.appId).forEach(c -> live.putIfAbsent(c.compose.hash(), c.compose));
    if (composeHash != null) {
      AppCompose named = live.get(composeHash.toLowerCase(Locale.ROOT).replaceFirst("^0x", ""));
      if (named == null) {
        throw CloudError.plain(
            400, "Compose hash " + composeHash + " is not a live compose of this app");
      }
      return named;
    }
    if (live.size() > 1) {
      throw new CloudError(
          400,
          "ERR-03-009",
          "App "
              + source.app.appId
              + " runs "
              + live.size()
              + " compose hashes; name the one to replicate with compose_hash",
          List.of(Map.of("field", "compose_hash", "value", List.copyOf(live.keySet()))));
    }
    return source.compose;
  }

  /** The source's size, on node {@code nodeId} or the source's (400 if unknown or full). */
  private Placement placement(Placement source, Integer nodeId) {
    Placement.Node node = nodes.pick(nodeId != null ? nodeId : source.node().id(), null);
    return new Placement(
        source.instanceType(), source.vcpu(), source.memoryMb(), source.diskGb(), node);
  }
}

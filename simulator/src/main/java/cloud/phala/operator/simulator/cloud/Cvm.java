package cloud.phala.operator.simulator.cloud;

import cloud.phala.operator.crypto.EnvVar;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One CVM's mutable state. Only {@link World} and its collaborators touch it, under its lock. */
final class Cvm {
  final int id;
  final String hashedId;
  final UUID vmUuid;
  final String instanceId;
  final String name;
  final App app;
  final Instant createdAt;

  Placement placement;
  OsImage osImage;
  AppCompose compose;
  String encryptedEnv;
  String status = CvmStatus.STARTING;
  boolean inProgress = true;
  String progressTarget;
  Instant progressStartedAt;
  String correlationId;
  long operation;
  Instant runningSince;
  String bootError;
  List<EnvVar> bootedEnv = List.of();
  String bootedComposeHash;
  String bootedEncryptedEnv;
  int boots;
  boolean deleted;

  Cvm(
      int id,
      String hashedId,
      UUID vmUuid,
      String instanceId,
      String name,
      App app,
      Placement placement,
      OsImage osImage,
      Instant createdAt,
      AppCompose compose,
      String encryptedEnv) {
    this.id = id;
    this.hashedId = hashedId;
    this.vmUuid = vmUuid;
    this.instanceId = instanceId;
    this.name = name;
    this.app = app;
    this.placement = placement;
    this.osImage = osImage;
    this.createdAt = createdAt;
    this.compose = compose;
    this.encryptedEnv = encryptedEnv;
  }

  /** The end of a boot: running with the env the guest accepted, or failed with its error. */
  void booted(BootOutcome outcome, Instant now) {
    inProgress = false;
    progressTarget = null;
    boots++;
    if (outcome.succeeded()) {
      status = CvmStatus.RUNNING;
      runningSince = now;
      bootedEnv = outcome.env();
      bootedComposeHash = compose.hash();
      bootedEncryptedEnv = encryptedEnv;
    } else {
      status = CvmStatus.ERROR;
      bootError = outcome.error().orElseThrow();
      runningSince = null;
      bootedEnv = List.of();
    }
  }

  /** The end of a stop or shutdown. */
  void halted() {
    status = CvmStatus.STOPPED;
    inProgress = false;
    progressTarget = null;
    runningSince = null;
  }

  /** Refuses (409) while another operation runs on this CVM. */
  void requireIdle() {
    if (inProgress) {
      throw CloudError.busy();
    }
  }

  boolean serving() {
    return CvmStatus.RUNNING.equals(status) && !inProgress;
  }

  CvmSnapshot snapshot() {
    return new CvmSnapshot(
        id,
        hashedId,
        vmUuid,
        instanceId,
        name,
        app.appId,
        app.envKey.publicKey().toHex(),
        app.kmsType,
        placement,
        osImage,
        createdAt,
        compose,
        status,
        inProgress,
        progressTarget,
        progressStartedAt,
        correlationId,
        runningSince,
        bootError,
        bootedEnv,
        bootedComposeHash,
        bootedEncryptedEnv,
        boots);
  }
}

package cloud.phala.operator.simulator.cloud;

import java.util.List;

/**
 * Day-two changes to one CVM: its OS image, its size and its visibility. Each restarts the CVM onto
 * the change (a change to nothing does nothing); the CVM must be idle. Guarded by the world's lock.
 */
final class Maintenance {
  private final PowerCycle power;
  private final Reconfiguration reconfiguration;

  Maintenance(PowerCycle power, Reconfiguration reconfiguration) {
    this.power = power;
    this.reconfiguration = reconfiguration;
  }

  /**
   * Moves {@code cvm} to the image named (by name or slug), which must be one {@link
   * OsImages#availableFrom} its current one lists (400 otherwise). Returns the correlation id.
   */
  String upgrade(Cvm cvm, String imageName) {
    cvm.requireIdle();
    List<OsImage> available = OsImages.availableFrom(cvm.osImage);
    OsImage image =
        available.stream()
            .filter(i -> i.answersTo(imageName))
            .findFirst()
            .orElseThrow(
                () ->
                    CloudError.plain(
                        400, "OS image " + imageName + " is not available for this CVM"));
    if (!image.equals(cvm.osImage)) {
      cvm.osImage = image;
      power.restart(cvm, CvmStatus.SHUTTING_DOWN);
    }
    return cvm.correlationId;
  }

  Cvm resize(Cvm cvm, Resize resize) {
    cvm.requireIdle();
    Placement resized = resize.applyTo(cvm.placement);
    if (resized.equals(cvm.placement)) {
      return cvm;
    }
    boolean running = !CvmStatus.STOPPED.equals(cvm.status);
    if (running && !resize.allowRestart()) {
      throw CloudError.invalidField(
          "allow_restart", "Resizing restarts the running CVM: set allow_restart to true");
    }
    cvm.placement = resized;
    if (running) {
      power.restart(cvm, CvmStatus.SHUTTING_DOWN);
    }
    return cvm;
  }

  /**
   * The flags live in the app compose, so a change is a compose update (and its revision). {@code
   * tcbinfo} null keeps the current flag.
   */
  Cvm visibility(Cvm cvm, boolean logs, boolean sysinfo, Boolean tcbinfo) {
    cvm.requireIdle();
    AppCompose changed = cvm.compose.withVisibility(logs, sysinfo, tcbinfo);
    if (!changed.hash().equals(cvm.compose.hash())) {
      reconfiguration.change(
          cvm, new ConfigChange(null, null, null, null, changed), OnChainProof.NONE);
    }
    return cvm;
  }
}

package cloud.phala.operator.simulator.api;

import cloud.phala.operator.simulator.attest.Attestations;
import cloud.phala.operator.simulator.cloud.World;
import cloud.phala.operator.simulator.http.Router;

/** The Phala Cloud REST API under {@code /api/v1}, over one simulated world. */
public final class CloudApi {
  private CloudApi() {}

  public static void register(Router router, World world, Attestations attestations) {
    CvmJson json = new CvmJson(world);
    // Literal paths before templated ones: /cvms/paginated must not read as /cvms/{cvm_id}.
    new DeployRoutes(world, json).register(router);
    new AccountRoutes(world, json).register(router);
    new DayTwoRoutes(world, json).register(router);
    new ReadRoutes(world, json, attestations).register(router);
    new GuestRoutes(world, json).register(router);
    new ChangeRoutes(world, json).register(router);
    new RevisionRoutes(world).register(router);
    new OnChainRoutes(world.onChain()).register(router);
    new AttestationRoutes(attestations, world).register(router);
  }
}

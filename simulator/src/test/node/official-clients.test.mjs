// The official Phala Cloud clients, unchanged, against the simulator: the SDK (@phala/cloud) and
// the CLI (phala). Run by OfficialClientsIT, or by hand against a running simulator:
//   PHALA_CLOUD_API_PREFIX=http://127.0.0.1:8080/api/v1 PHALA_CLOUD_API_KEY=... node --test
// Every env value below is synthetic, so printing one in a failure message leaks nothing.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
// createClient() binds most actions as methods; watchCvmState, replicateCvm and getCvmUserConfig
// are standalone.
import {
  createClient,
  encryptEnvVars,
  getAppRevisionDetail,
  getAppRevisions,
  getCvmUserConfig,
  replicateCvm,
  watchCvmState,
} from "@phala/cloud";
import { encryptEnvVars as encryptEnvVarsSdk058 } from "@phala/dstack-sdk/encrypt-env-vars";

const apiPrefix = required("PHALA_CLOUD_API_PREFIX");
const apiKey = required("PHALA_CLOUD_API_KEY");
const origin = new URL(apiPrefix).origin;
const cli = fileURLToPath(new URL("node_modules/.bin/phala", import.meta.url));

const sdk = createClient({ baseURL: apiPrefix, apiKey });
const sdkV20251028 = createClient({ baseURL: apiPrefix, apiKey, version: "2025-10-28" });

const COMPOSE = `services:
  app:
    image: nginx:1.27
    environment:
      - DB_PASSWORD=\${DB_PASSWORD}
      - API_TOKEN=\${API_TOKEN}
`;

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} must be set (the simulator's API prefix and key)`);
  }
  return value;
}

/** What the guest booted with ({boots, env}): the simulator's test hook, behind the same key. */
async function guest(vmUuid) {
  const response = await fetch(`${origin}/_sim/cvms/${vmUuid}/env`, {
    headers: { "X-API-Key": apiKey },
  });
  assert.equal(response.status, 200, `GET /_sim/cvms/${vmUuid}/env`);
  return response.json();
}

/** Every key we seal is allowed, so the guest keeps them all, sorted by key, values untouched. */
async function assertGuestBootedWith(vmUuid, sealed) {
  const expected = [...sealed].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  assert.deepEqual((await guest(vmUuid)).env, expected);
}

async function waitUntilRunning(client, id) {
  const state = await watchCvmState(client, { id, target: "running", timeout: 30, maxRetries: 1 });
  assert.equal(state?.status, "running");
  return state;
}

describe("@phala/cloud SDK", () => {
  const firstEnv = [
    { key: "DB_PASSWORD", value: "sim-db-password-1" },
    { key: "API_TOKEN", value: 'tok "quoted" $HOME `tick` \\ back\nnew line ü€' },
  ];
  const secondEnv = [
    { key: "API_TOKEN", value: "sim-api-token-2" },
    { key: "DB_PASSWORD", value: "sim-db-password-2" },
    { key: "EXTRA_FLAG", value: "on" },
  ];
  let cvm;
  let replica;

  it("provisions and commits a CVM whose env is sealed with encryptEnvVars", async () => {
    const provision = await sdk.provisionCvm({
      name: "sdk-official-app",
      compose_file: {
        docker_compose_file: COMPOSE,
        allowed_envs: firstEnv.map((e) => e.key),
      },
    });
    assert.match(provision.compose_hash, /^[0-9a-f]{64}$/);
    assert.match(provision.app_id, /^[0-9a-f]{40}$/);
    assert.match(provision.app_env_encrypt_pubkey, /^[0-9a-f]{64}$/);
    assert.equal(typeof provision.node_id, "number");

    const sealed = await encryptEnvVars(firstEnv, provision.app_env_encrypt_pubkey);
    cvm = await sdk.commitCvmProvision({
      app_id: provision.app_id,
      compose_hash: provision.compose_hash,
      encrypted_env: sealed,
      env_keys: firstEnv.map((e) => e.key),
    });
    assert.equal(cvm.name, "sdk-official-app");
    assert.equal(cvm.app_id, provision.app_id);
    assert.equal(cvm.encrypted_env_pubkey, provision.app_env_encrypt_pubkey);

    await waitUntilRunning(sdk, cvm.vm_uuid);
    await assertGuestBootedWith(cvm.vm_uuid, firstEnv);
  });

  it("gets the CVM in API version 2026-01-21 (the default)", async () => {
    const info = await sdk.getCvmInfo({ uuid: cvm.vm_uuid });
    assert.equal(info.name, cvm.name);
    assert.equal(info.app_id, cvm.app_id);
    assert.equal(info.vm_uuid, cvm.vm_uuid);
    assert.equal(info.status, "running");
    assert.equal(info.kms_info.chain_id, null);
    assert.equal(info.kms_info.encrypted_env_pubkey, cvm.encrypted_env_pubkey);
    assert.deepEqual(info.compose_file.allowed_envs, firstEnv.map((e) => e.key));
  });

  it("gets the CVM in API version 2025-10-28", async () => {
    const info = await sdkV20251028.getCvmInfo({ app_id: cvm.app_id });
    assert.equal(info.id, cvm.id);
    assert.equal(info.name, cvm.name);
    assert.equal(info.vm_uuid, cvm.vm_uuid);
    assert.equal(info.encrypted_env_pubkey, cvm.encrypted_env_pubkey);
  });

  it("lists CVMs in both API versions", async () => {
    const page = await sdk.getCvmList({ page: 1, page_size: 10 });
    assert.ok(page.items.some((item) => item.vm_uuid === cvm.vm_uuid));
    const legacy = await sdkV20251028.getCvmList();
    assert.ok(legacy.items.some((item) => item.hosted?.app_id === cvm.app_id));
  });

  it("reads the CVM state", async () => {
    const state = await sdk.getCvmState({ name: cvm.name });
    assert.equal(state.name, cvm.name);
    assert.equal(state.status, "running");
  });

  it("updates the env (encrypted_env + env_keys) and the guest reboots with it", async () => {
    const info = await sdk.getCvmInfo({ id: cvm.vm_uuid });
    // Sealed with dstack-sdk 0.5.8 this time: both SDK versions seal the same way.
    const sealed = await encryptEnvVarsSdk058(secondEnv, info.kms_info.encrypted_env_pubkey);
    const result = await sdk.updateCvmEnvs({
      id: info.id,
      encrypted_env: sealed,
      env_keys: secondEnv.map((e) => e.key),
    });
    assert.equal(result.status, "in_progress");
    assert.equal(result.allowed_envs_changed, true);
    assert.ok(result.correlation_id);

    await waitUntilRunning(sdk, info.id);
    await assertGuestBootedWith(cvm.vm_uuid, secondEnv);
  });

  it("restarts the CVM; it boots again with the same env", async () => {
    const { boots } = await guest(cvm.vm_uuid);
    const vm = await sdk.restartCvm({ uuid: cvm.vm_uuid });
    assert.equal(vm.vm_uuid, cvm.vm_uuid);
    await waitUntilRunning(sdk, cvm.vm_uuid);
    assert.equal((await guest(cvm.vm_uuid)).boots, boots + 1);
    await assertGuestBootedWith(cvm.vm_uuid, secondEnv);
  });

  it("replicates the CVM; the replica inherits the sealed env", async () => {
    replica = await replicateCvm(sdk, { uuid: cvm.vm_uuid });
    assert.equal(replica.app_id, cvm.app_id);
    assert.notEqual(replica.vm_uuid, cvm.vm_uuid);
    await waitUntilRunning(sdk, replica.vm_uuid);
    await assertGuestBootedWith(replica.vm_uuid, secondEnv);
  });

  it("lists the app's revisions newest first and reads one (getAppRevisions, getAppRevisionDetail)", async () => {
    const all = await getAppRevisions(sdk, { appId: cvm.app_id });
    assert.deepEqual(
      all.revisions.map((r) => `${r.operation_type} ${r.vm_uuid}`),
      [
        `deploy ${replica.vm_uuid}`,
        `restart ${cvm.vm_uuid}`,
        `update ${cvm.vm_uuid}`,
        `deploy ${cvm.vm_uuid}`,
      ],
    );
    const paged = await getAppRevisions(sdk, { appId: cvm.app_id, page: 2, page_size: 3 });
    assert.equal(paged.total, 4);
    assert.equal(paged.total_pages, 2);
    assert.equal(paged.revisions.length, 1);

    const update = all.revisions[2];
    const detail = await getAppRevisionDetail(sdk, {
      appId: cvm.app_id,
      revisionId: update.revision_id,
    });
    assert.equal(detail.compose_hash, update.compose_hash);
    assert.deepEqual(detail.compose_file.allowed_envs, secondEnv.map((e) => e.key));
    assert.match(detail.encrypted_env, /^[0-9a-f]+$/);
    const raw = await getAppRevisionDetail(sdk, {
      appId: cvm.app_id,
      revisionId: update.revision_id,
      rawComposeFile: true,
    });
    assert.equal(typeof raw.compose_file, "string");
  });

  it("reports the containers its compose started (getCvmContainersStats, getCvmDockerCompose)", async () => {
    const composition = await sdk.getCvmContainersStats({ uuid: cvm.vm_uuid });
    assert.equal(composition.is_online, true);
    assert.equal(composition.docker_compose_file, COMPOSE);
    assert.deepEqual(
      composition.containers.map((c) => [c.names, c.image, c.state]),
      [[["/app-app-1"], "nginx:1.27", "running"]],
    );
    assert.equal(await sdk.getCvmDockerCompose({ uuid: cvm.vm_uuid }), COMPOSE);
  });

  it("reads the user config (getCvmUserConfig)", async () => {
    const config = await getCvmUserConfig(sdk, { uuid: cvm.vm_uuid });
    assert.equal(config.hostname, cvm.name);
    assert.deepEqual(config.ssh_authorized_keys, []);
    assert.ok(config.default_gateway_domain);
  });

  it("turns logs and sysinfo private (updateCvmVisibility); the CVM restarts onto it", async () => {
    const { boots } = await guest(cvm.vm_uuid);
    const updated = await sdk.updateCvmVisibility({
      uuid: cvm.vm_uuid,
      public_logs: false,
      public_sysinfo: false,
    });
    assert.equal(updated.public_logs, false);
    assert.equal(updated.public_sysinfo, false);
    await waitUntilRunning(sdk, cvm.vm_uuid);
    const info = await sdk.getCvmInfo({ uuid: cvm.vm_uuid });
    assert.equal(info.public_logs, false);
    assert.equal(info.compose_file.public_sysinfo, false);
    assert.equal((await sdk.getCvmStats({ uuid: cvm.vm_uuid })).is_public, false);
    assert.equal((await guest(cvm.vm_uuid)).boots, boots + 1);
  });

  it("resizes the CVM (updateCvmResources); it restarts with the new size", async () => {
    const { boots } = await guest(cvm.vm_uuid);
    await sdk.updateCvmResources({
      uuid: cvm.vm_uuid,
      vcpu: 4,
      memory: 8192,
      disk_size: 60,
      allow_restart: true,
    });
    await waitUntilRunning(sdk, cvm.vm_uuid);
    const info = await sdk.getCvmInfo({ uuid: cvm.vm_uuid });
    assert.deepEqual(
      [info.resource.vcpu, info.resource.memory_in_gb, info.resource.disk_in_gb],
      [4, 8, 60],
    );
    const stats = await sdk.getCvmStats({ uuid: cvm.vm_uuid });
    assert.equal(stats.sysinfo.num_cpus, 4);
    assert.equal((await guest(cvm.vm_uuid)).boots, boots + 1);
    await assert.rejects(
      sdk.updateCvmResources({ uuid: cvm.vm_uuid, disk_size: 20, allow_restart: true }),
      (error) => error.status === 422,
    );
  });

  it("lists OS images (getOsImages) and upgrades the CVM to one (getAvailableOsImages, updateOsImage)", async () => {
    const catalogue = await sdk.getOsImages({ is_dev: false });
    assert.ok(catalogue.items.length > 1);
    assert.ok(catalogue.items.every((image) => image.is_dev === false));

    const available = await sdk.getAvailableOsImages({ uuid: cvm.vm_uuid });
    const current = available.find((v) => v.prod?.is_current);
    const target = available.find((v) => v.prod && !v.prod.is_current).prod;
    const before = await sdk.getCvmInfo({ uuid: cvm.vm_uuid });
    assert.equal(before.os.name, current.prod.name);
    assert.ok(catalogue.items.some((image) => image.name === target.name));

    const { boots } = await guest(cvm.vm_uuid);
    await sdk.updateOsImage({ uuid: cvm.vm_uuid, os_image_name: target.name });
    await waitUntilRunning(sdk, cvm.vm_uuid);
    const after = await sdk.getCvmInfo({ uuid: cvm.vm_uuid });
    assert.equal(after.os.name, target.name);
    assert.equal(after.os.os_image_hash, target.os_image_hash);
    assert.equal((await guest(cvm.vm_uuid)).boots, boots + 1);
    const again = await sdk.getAvailableOsImages({ uuid: cvm.vm_uuid });
    assert.equal(again.find((v) => v.prod?.is_current).prod.name, target.name);

    await assert.rejects(
      sdk.updateOsImage({ uuid: cvm.vm_uuid, os_image_name: "dstack-9.9.9" }),
      (error) => error.status === 400,
    );
  });

  it("deletes the replica and the CVM", async () => {
    await sdk.deleteCvm({ uuid: replica.vm_uuid });
    await sdk.deleteCvm({ uuid: cvm.vm_uuid });
    await assert.rejects(sdk.getCvmInfo({ uuid: cvm.vm_uuid }), (error) => error.status === 404);
  });
});

describe("@phala/cloud SDK on an on-chain KMS app", () => {
  const env = [{ key: "API_TOKEN", value: "sim-chain-token-1" }];
  const appId = "ab".repeat(20);

  it("gets precondition_required (465) for a key-set change until the hash is registered", async () => {
    const provision = await sdk.provisionCvm({
      name: "sdk-chain-app",
      kms: "BASE",
      compose_file: { docker_compose_file: COMPOSE, allowed_envs: env.map((e) => e.key) },
    });
    assert.equal(provision.app_id ?? null, null);
    const cvm = await sdk.commitCvmProvision({ app_id: appId, compose_hash: provision.compose_hash });
    await waitUntilRunning(sdk, cvm.vm_uuid);
    const info = await sdk.getCvmInfo({ id: cvm.vm_uuid });
    assert.equal(info.kms_info.chain_id, 8453);
    const more = [...env, { key: "DB_PASSWORD", value: "sim-chain-db-1" }];
    const sealed = await encryptEnvVars(more, info.kms_info.encrypted_env_pubkey);

    const refused = await sdk.updateCvmEnvs({
      id: info.id,
      encrypted_env: sealed,
      env_keys: more.map((e) => e.key),
    });

    assert.equal(refused.status, "precondition_required");
    assert.match(refused.compose_hash, /^[0-9a-f]{64}$/);
    const approved = await fetch(`${origin}/_sim/apps/${appId}/chain/compose-hashes`, {
      method: "POST",
      headers: { "X-API-Key": apiKey, "Content-Type": "application/json" },
      body: JSON.stringify({ compose_hash: refused.compose_hash }),
    });
    assert.equal(approved.status, 200);
    const { transaction_hash } = await approved.json();
    const accepted = await sdk.updateCvmEnvs({
      id: info.id,
      encrypted_env: sealed,
      env_keys: more.map((e) => e.key),
      compose_hash: refused.compose_hash,
      transaction_hash,
    });
    assert.equal(accepted.status, "in_progress");
    await waitUntilRunning(sdk, info.id);
    await assertGuestBootedWith(cvm.vm_uuid, more);
  });
});

describe("phala CLI", () => {
  let home;
  let deployed;

  /** Runs the CLI in a fresh HOME (no ~/.ssh key to add, no stored credentials); returns stdout. */
  async function phala(...args) {
    try {
      const { stdout } = await promisify(execFile)(cli, args, {
        cwd: home,
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          HOME: home,
          PHALA_CLOUD_DIR: join(home, ".phala-cloud"),
          PHALA_CLOUD_API_PREFIX: apiPrefix,
          PHALA_CLOUD_API_KEY: apiKey,
          PHALA_DISABLE_UPDATE_CHECK: "1",
          CI: "1",
        },
      });
      return stdout;
    } catch (error) {
      const output = `${error.stdout}\n${error.stderr}`;
      assert.fail(`phala ${args.join(" ")} exited with ${error.code}:\n${output}`);
    }
  }

  /** With --json the CLI still prints progress lines first; the JSON starts at a line's start. */
  function jsonOutput(stdout) {
    return JSON.parse(stdout.slice(stdout.search(/^\{/m)));
  }

  before(async () => {
    home = await mkdtemp(join(tmpdir(), "phala-cli-"));
    await writeFile(join(home, "docker-compose.yml"), COMPOSE);
  });

  after(() => rm(home, { recursive: true, force: true }));

  it("deploy -e KEY=VALUE; the guest boots with exactly that env", async () => {
    deployed = jsonOutput(
      await phala(
        "deploy",
        "--name",
        "cli-official-app",
        "-c",
        join(home, "docker-compose.yml"),
        "-e",
        "CLI_SECRET=sim-cli-secret-0",
        "--json",
      ),
    );
    assert.equal(deployed.success, true);
    await waitUntilRunning(sdk, deployed.vm_uuid);
    await assertGuestBootedWith(deployed.vm_uuid, [
      { key: "CLI_SECRET", value: "sim-cli-secret-0" },
    ]);
  });

  it("cvms list", async () => {
    const listed = jsonOutput(await phala("cvms", "list", "--json"));
    const item = listed.items.find((i) => i.appId === deployed.app_id);
    assert.equal(item?.status, "running", JSON.stringify(listed));
  });

  it("cvms get <id>", async () => {
    const got = jsonOutput(await phala("cvms", "get", deployed.vm_uuid, "--json"));
    assert.equal(got.app_id, deployed.app_id);
    assert.equal(got.name, "cli-official-app");
    assert.match(got.kms_info.encrypted_env_pubkey, /^[0-9a-f]{64}$/);
  });

  it("envs update <id> -e KEY=VALUE; the guest reboots with exactly those", async () => {
    await phala(
      "envs",
      "update",
      `app_${deployed.app_id}`,
      "-e",
      "CLI_SECRET=sim-cli-secret-1",
      "-e",
      "CLI_OTHER=sim-cli-other-1",
    );
    await waitUntilRunning(sdk, deployed.vm_uuid);
    await assertGuestBootedWith(deployed.vm_uuid, [
      { key: "CLI_SECRET", value: "sim-cli-secret-1" },
      { key: "CLI_OTHER", value: "sim-cli-other-1" },
    ]);
  });

  it("os-images lists the catalogue", async () => {
    const listed = jsonOutput(await phala("os-images", "--prod", "--json"));
    assert.ok(listed.items.length > 0);
    assert.ok(listed.items.every((image) => image.is_dev === false && image.name && image.version));
    assert.match(await phala("os-images"), /dstack-0\.5\.\d/);
  });

  it("ps <id> lists the containers of the compose", async () => {
    const listed = jsonOutput(await phala("ps", deployed.vm_uuid, "--json"));
    assert.deepEqual(
      listed.containers.map((c) => [c.names[0], c.image, c.state]),
      [["/app-app-1", "nginx:1.27", "running"]],
    );
    assert.match(await phala("ps", deployed.vm_uuid), /app-app-1\s+nginx:1\.27/);
  });

  it("cvms replicate <id> --node-id <a node from nodes list>; the replica runs there", async () => {
    const nodes = jsonOutput(await phala("nodes", "list", "--json"));
    assert.ok(nodes.items.length > 1);
    const source = await sdk.getCvmInfo({ uuid: deployed.vm_uuid });
    const target = nodes.items.find((n) => n.id !== source.node_info.id);
    assert.match(await phala("nodes", "list"), new RegExp(`${target.name}\\s+${target.region}`));

    const replica = jsonOutput(
      await phala("cvms", "replicate", deployed.vm_uuid, "--node-id", String(target.id), "--json"),
    );
    assert.equal(replica.app_id, deployed.app_id);
    assert.equal(replica.teepod_id, target.id);
    await waitUntilRunning(sdk, replica.vm_uuid);
    const info = await sdk.getCvmInfo({ uuid: replica.vm_uuid });
    assert.equal(info.node_info.id, target.id);
    assert.equal(info.node_info.region, target.region);
    await sdk.deleteCvm({ uuid: replica.vm_uuid });
  });

  it("cvms delete <id> --force", async () => {
    await phala("cvms", "delete", "cli-official-app", "--force");
    await assert.rejects(
      sdk.getCvmInfo({ uuid: deployed.vm_uuid }),
      (error) => error.status === 404,
    );
  });
});

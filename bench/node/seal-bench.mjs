// Seals the envs of SealBenchmark (bench/.../SealEnvs.java) with the official SDK's
// encryptEnvVars, one seal at a time like the JMH benchmark, and prints seals/s per case.
// Reports seals per second of wall time and per second of this process's CPU time (user +
// system), as SealRate does for Java: the machine is shared, so compare the CPU-time rates.
// Usage: node seal-bench.mjs [warmupSeconds=6] [measureSeconds=10]
import { encryptEnvVars } from "@phala/cloud";
import { generateKeyPairSync } from "node:crypto";

const [warmup = 6, measure = 10] = process.argv.slice(2).map(Number);
const spki = generateKeyPairSync("x25519").publicKey.export({ format: "der", type: "spki" });
const recipient = spki.subarray(spki.length - 32).toString("hex");

const typical = Array.from({ length: 20 }, (_, i) => ({ key: `APP_SECRET_${i}`, value: "v".repeat(90) }));
const maximal = Array.from({ length: 8 }, (_, i) => {
  const key = `BIG_${i}`;
  return { key, value: "x".repeat(128 * 1024 - key.length) };
});

async function rate(envs, seconds) {
  let n = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  const cpuStart = process.cpuUsage();
  let now = start;
  while (now < end) {
    sink += (await encryptEnvVars(envs, recipient)).length;
    n++;
    now = process.hrtime.bigint();
  }
  const cpu = process.cpuUsage(cpuStart);
  if (sink === 0) throw new Error("nothing sealed");
  return { n, wall: (n * 1e9) / Number(now - start), cpu: (n * 1e6) / (cpu.user + cpu.system) };
}

for (const [name, envs] of [["seal20Vars2KiB", typical], ["seal1MiB", maximal]]) {
  await rate(envs, warmup);
  const r = await rate(envs, measure);
  console.log(
    `node ${process.version} @phala/cloud encryptEnvVars ${name} ${r.wall.toFixed(1)} seals/s wall, ` +
      `${r.cpu.toFixed(1)} seals/s per CPU-second (${r.n} seals)`,
  );
}

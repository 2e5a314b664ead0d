// Regenerates crypto/src/test/resources/js-json-stringify-vectors.json: what the official JS SDK's
// JSON.stringify({ env }) produces for tricky values, as UTF-8 hex. Run: node tools/vectors/js-json-stringify.mjs
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const controls = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join("");
const values = [
  "",
  "plain",
  'quote " and backslash \\ and slash /',
  "newline\nreturn\rtab\tbackspace\bformfeed\f",
  controls,
  "del \u007f and c1 \u0085 \u009f",
  "line sep \u2028 para sep \u2029",
  "ünïcødé ✓ 中文 日本語",
  "emoji 😀 🔐 astral 𝄞",
  "html <script>&amp;</script> '",
  "${VAR} $(cmd) `tick` = == ;",
  "bom \ufeff nbsp \u00a0 zwj \u200d",
];
const vectors = values.map((value, i) => ({
  key: `K${i}`,
  value,
  json_utf8_hex: Buffer.from(JSON.stringify({ env: [{ key: `K${i}`, value }] }), "utf8").toString("hex"),
}));
const out = fileURLToPath(new URL("../../crypto/src/test/resources/js-json-stringify-vectors.json", import.meta.url));
writeFileSync(out, JSON.stringify({ generator: `node ${process.version} JSON.stringify`, vectors }, null, 2) + "\n");
console.log(`wrote ${vectors.length} vectors to ${out}`);

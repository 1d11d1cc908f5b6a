// Replicates an LDES with the reference client (npm ldes-client), materialising versions
// into the resources they are versions of, in timestamp order. Prints one JSON line per
// member: {"id": resource IRI, "timestamp": ISO time, "quads": N-Triples}.
// Usage: node ldes_replicate.mjs URL   (run from the folder holding node_modules/)
import { replicateLDES } from "ldes-client";
import { Writer } from "n3";

const url = process.argv[2];
const client = replicateLDES({ url, materialize: true, polling: false }, "ascending");
const reader = client.stream({ highWaterMark: 64 }).getReader();
const writer = new Writer({ format: "N-Triples" });
for (;;) {
  const { value, done } = await reader.read();
  if (done) break;
  const line = {
    id: value.id.value,
    timestamp: value.timestamp instanceof Date ? value.timestamp.toISOString() : String(value.timestamp ?? ""),
    quads: writer.quadsToString(value.quads),
  };
  process.stdout.write(JSON.stringify(line) + "\n");
}

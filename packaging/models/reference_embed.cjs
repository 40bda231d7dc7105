#!/usr/bin/env node
'use strict';
// Usage: node reference_embed.cjs MANIFEST.json [--batch N] [--mobilenet-dir DIR]
//
// Batch reference embeddings (TF.js, pure-JS 'cpu' backend) for benchmarks.
// MANIFEST.json:
//   { "model": "mobilenet_v2" | "mobilenet_v3_centernet",
//     "width": W, "height": H, "count": N,
//     "inputs": "<file of N*H*W*3 raw uint8 RGB, row-major, no header>",
//     "outputs": [ { "node": "<layer / graph node name>", "file": "<out.f32>" }, ... ] }
// Relative paths are resolved against the manifest's directory.
// For each output writes N x C little-endian float32: the node's output averaged
// over H and W (rank-2 outputs such as mobilenet_v2 'flatten_1' are written as
// they are). Not L2-normalised. Preprocessing is the model's own (see lib.cjs):
// mobilenet_v2 gets rgb / 255 and must be 224x224; centernet gets rgb 0..255 at
// any size. Progress goes to stderr; one JSON summary line goes to stdout.

const fs = require('fs');
const path = require('path');
const L = require('./lib.cjs');

function usage() {
  process.stderr.write('usage: node reference_embed.cjs MANIFEST.json [--batch N] [--mobilenet-dir DIR]\n');
  process.exit(2);
}

async function main() {
  const argv = process.argv.slice(2);
  let manifestPath = null;
  let batch = 16;
  let mnv2Dir = L.DEFAULT_MOBILENET_DIR;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--batch') batch = Number(argv[++i]);
    else if (argv[i] === '--mobilenet-dir') mnv2Dir = path.resolve(argv[++i] || usage());
    else if (argv[i].startsWith('-') || manifestPath) usage();
    else manifestPath = path.resolve(argv[i]);
  }
  if (!manifestPath || !(batch >= 1)) usage();
  if (!fs.existsSync(manifestPath)) L.die(`no such manifest: ${manifestPath}`);

  let m;
  try { m = JSON.parse(fs.readFileSync(manifestPath, 'utf8')); } catch (e) { L.die(`${manifestPath}: ${e.message}`); }
  const base = path.dirname(manifestPath);
  const spec = L.getModel(m.model);
  const W = m.width, H = m.height, N = m.count;
  for (const [k, v] of [['width', W], ['height', H], ['count', N]]) {
    if (!Number.isInteger(v) || v < 1) L.die(`manifest: '${k}' must be a positive integer`);
  }
  if (spec.fixedSize && (W !== spec.fixedSize[0] || H !== spec.fixedSize[1])) {
    L.die(`${m.model} takes ${spec.fixedSize[0]}x${spec.fixedSize[1]} inputs, the manifest says ${W}x${H}`);
  }
  if (!Array.isArray(m.outputs) || m.outputs.length === 0) L.die('manifest: outputs must be a non-empty list');
  const outputs = m.outputs.map((o) => {
    if (!o || typeof o.node !== 'string' || typeof o.file !== 'string') L.die('manifest: each output needs node and file');
    return { node: o.node, file: path.resolve(base, o.file) };
  });
  if (typeof m.inputs !== 'string') L.die('manifest: inputs must be a file name');
  const inPath = path.resolve(base, m.inputs);
  if (!fs.existsSync(inPath)) L.die(`inputs file missing: ${inPath}`);
  const per = H * W * 3;
  const size = fs.statSync(inPath).size;
  if (size !== N * per) L.die(`${inPath} is ${size} bytes, expected count*H*W*3 = ${N * per}`);

  const tf = await L.loadTf();
  const tl = Date.now();
  const net = await spec.load(tf, { dir: mnv2Dir });
  const loadMs = Date.now() - tl;
  const nodes = [...new Set(outputs.map((o) => o.node))];

  const fd = fs.openSync(inPath, 'r');
  const outFds = outputs.map((o) => {
    fs.mkdirSync(path.dirname(o.file), { recursive: true });
    const tmp = `${o.file}.tmp-${process.pid}`;
    return { ...o, tmp, fd: fs.openSync(tmp, 'w'), channels: null };
  });
  process.on('exit', () => {
    for (const o of outFds) { try { fs.unlinkSync(o.tmp); } catch (e) { /* renamed or gone */ } }
  });
  const buf = Buffer.alloc(Math.min(batch, N) * per);
  const t0 = Date.now();
  let firstBatchMs = null;
  try {
    for (let s = 0; s < N; s += batch) {
      const n = Math.min(batch, N - s);
      const got = fs.readSync(fd, buf, 0, n * per, s * per);
      if (got !== n * per) L.die(`short read from ${inPath} at image ${s}`);
      const tb = Date.now();
      const vals = tf.tidy(() => {
        const x = L.inputTensor(tf, buf.subarray(0, n * per), n, H, W, spec.divisor);
        const res = net.run(x, nodes);
        return res.map((t) => L.globalAvg(tf, t));
      });
      for (const o of outFds) {
        const v = vals[nodes.indexOf(o.node)];
        const c = v.shape[1];
        if (o.channels === null) o.channels = c;
        const data = v.dataSync(); // float32, [n, C] row-major
        const le = Buffer.alloc(data.length * 4);
        for (let k = 0; k < data.length; k++) le.writeFloatLE(data[k], k * 4);
        fs.writeSync(o.fd, le);
      }
      tf.dispose(vals);
      if (firstBatchMs === null) firstBatchMs = Date.now() - tb;
      const done = s + n;
      const el = Date.now() - t0;
      process.stderr.write(`[${m.model}] ${done}/${N} images, ${(el / done).toFixed(1)} ms/image\n`);
    }
  } finally {
    fs.closeSync(fd);
    for (const o of outFds) fs.closeSync(o.fd);
  }
  for (const o of outFds) fs.renameSync(o.tmp, o.file);
  const ms = Date.now() - t0;
  const summary = {
    model: m.model, width: W, height: H, count: N, batch, backend: tf.getBackend(), tfjs: tf.version.tfjs,
    load_ms: loadMs, total_ms: ms, ms_per_image: +(ms / N).toFixed(2), first_batch_ms: firstBatchMs,
    outputs: outFds.map((o) => ({ node: o.node, file: o.file, shape: [N, o.channels] })),
  };
  process.stdout.write(JSON.stringify(summary) + '\n');
}

main().catch((e) => L.die(e && e.stack ? e.stack : String(e)));

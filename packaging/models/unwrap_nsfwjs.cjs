#!/usr/bin/env node
'use strict';
// Usage: node unwrap_nsfwjs.cjs OUTDIR
//
// nsfwjs@4.4.0 ships its Keras MobileNetV2 as two JS modules:
//   dist/models/mobilenet_v2/model.min.js          -> {modelTopology, weightsManifest}
//   dist/models/mobilenet_v2/group1-shard1of1.min.js -> base64 string of the weight bytes
// This writes them as a standard TF.js layers model:
//   OUTDIR/model.json            (format "layers-model", paths ["group1-shard1of1.bin"])
//   OUTDIR/group1-shard1of1.bin  (the decoded bytes, uint8-quantised per the manifest)
// Idempotent: files are rewritten only when their content would change, and the
// output is byte-identical run to run. Prints the sha256 of both files.

const fs = require('fs');
const path = require('path');
const { NM, die, pkgVersion, writeIfChanged } = require('./lib.cjs');

const EXPECTED_VERSION = '4.4.0';
const SHARD = 'group1-shard1of1';
const DTYPE_BYTES = { uint8: 1, uint16: 2, float16: 2 };

function expect(cond, msg) {
  if (!cond) die(`nsfwjs package layout is not as expected: ${msg}`);
}

function bytesOf(w) {
  const n = w.shape.reduce((a, b) => a * b, 1);
  if (w.quantization) {
    const b = DTYPE_BYTES[w.quantization.dtype];
    expect(b, `weight ${w.name}: unknown quantization dtype ${w.quantization.dtype}`);
    return n * b;
  }
  expect(w.dtype === 'float32' || w.dtype === 'int32', `weight ${w.name}: dtype ${w.dtype}`);
  return n * 4;
}

function unwrap(outDir, { quiet = false } = {}) {
  const ver = pkgVersion('nsfwjs');
  expect(ver === EXPECTED_VERSION, `nsfwjs version is ${ver}, this script was written for ${EXPECTED_VERSION}`);
  const src = path.join(NM, 'nsfwjs', 'dist', 'models', 'mobilenet_v2');
  const modelJs = path.join(src, 'model.min.js');
  const shardJs = path.join(src, `${SHARD}.min.js`);
  expect(fs.existsSync(modelJs), `missing ${modelJs}`);
  expect(fs.existsSync(shardJs), `missing ${shardJs}`);

  // The .min.js files are UMD bundles; under CommonJS they export the value.
  const m = require(modelJs);
  expect(m && typeof m === 'object', 'model.min.js did not export an object');
  const topo = m.modelTopology;
  expect(topo && topo.model_config && topo.model_config.class_name === 'Model',
    'model.min.js: modelTopology.model_config.class_name is not "Model"');
  const layers = topo.model_config.config.layers;
  const names = new Set(layers.map((l) => l.name));
  for (const n of ['input_1', 'out_relu', 'average_pooling2d_1', 'flatten_1']) {
    expect(names.has(n), `model has no layer '${n}'`);
  }
  const inp = layers.find((l) => l.name === 'input_1');
  expect(JSON.stringify(inp.config.batch_input_shape) === '[null,224,224,3]',
    `input_1 batch_input_shape is ${JSON.stringify(inp.config.batch_input_shape)}`);
  const wm = m.weightsManifest;
  expect(Array.isArray(wm) && wm.length === 1, 'weightsManifest is not a single group');
  expect(JSON.stringify(wm[0].paths) === JSON.stringify([SHARD]),
    `weightsManifest paths are ${JSON.stringify(wm[0].paths)}, expected ["${SHARD}"]`);
  const expectedBytes = wm[0].weights.reduce((a, w) => a + bytesOf(w), 0);

  const b64 = require(shardJs);
  expect(typeof b64 === 'string', `${SHARD}.min.js did not export a string`);
  expect(/^[A-Za-z0-9+/]*={0,2}$/.test(b64), `${SHARD}.min.js is not plain base64`);
  const bin = Buffer.from(b64, 'base64');
  expect(bin.toString('base64') === b64, 'base64 does not round-trip');
  expect(bin.length === expectedBytes,
    `weight data is ${bin.length} bytes, the manifest describes ${expectedBytes}`);

  const modelJson = {
    format: 'layers-model',
    generatedBy: `keras v${topo.keras_version || '?'}`,
    convertedBy: `RuVision packaging/models/unwrap_nsfwjs.cjs from nsfwjs@${ver} dist/models/mobilenet_v2`,
    modelTopology: topo,
    weightsManifest: [{ paths: [`${SHARD}.bin`], weights: wm[0].weights }],
  };
  const jsonBuf = Buffer.from(JSON.stringify(modelJson) + '\n', 'utf8');
  const out = {
    'model.json': writeIfChanged(path.join(outDir, 'model.json'), jsonBuf),
    [`${SHARD}.bin`]: writeIfChanged(path.join(outDir, `${SHARD}.bin`), bin),
  };
  if (!quiet) {
    for (const [f, h] of Object.entries(out)) {
      const size = fs.statSync(path.join(outDir, f)).size;
      process.stdout.write(`${h}  ${path.join(outDir, f)}  (${size} bytes)\n`);
    }
  }
  return out;
}

module.exports = { unwrap };

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0].startsWith('-')) {
    process.stderr.write('usage: node unwrap_nsfwjs.cjs OUTDIR\n');
    process.exit(2);
  }
  unwrap(path.resolve(args[0]));
}

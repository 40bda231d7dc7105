'use strict';
// Runs an ONNX model with ONNX Runtime (onnxruntime-node 1.30.0 from node_modules, CPU, offline) on
// one raw float32 input and writes each requested output as raw little-endian float32.
//   node ort_outputs.cjs MODEL.onnx INPUT.f32 N,C,H,W OUT_PREFIX [OUTPUT_NAME...]
// INPUT.f32: NCHW float32, as many values as the dims say. Writes OUT_PREFIX.<k>.f32 per output
// (all the model's outputs if none are named, in the model's order) and prints one line per
// output: "<name> <dims joined by ,> <file>". Used by tests/test_onnx_import.cpp.
const fs = require('fs');
const path = require('path');

function die(msg) {
  process.stderr.write(`error: ${msg}\n`);
  process.exit(1);
}

async function main() {
  const [model, input, dimsArg, prefix, ...wanted] = process.argv.slice(2);
  if (!prefix) die('usage: node ort_outputs.cjs MODEL.onnx INPUT.f32 N,C,H,W OUT_PREFIX [OUTPUT_NAME...]');
  const ort = require(path.join(__dirname, 'node_modules', 'onnxruntime-node'));
  const dims = dimsArg.split(',').map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const buf = fs.readFileSync(input);
  if (buf.length !== count * 4) die(`${input}: ${buf.length} bytes, expected ${count * 4} for dims ${dimsArg}`);
  const data = new Float32Array(count);
  for (let i = 0; i < count; ++i) data[i] = buf.readFloatLE(i * 4);
  const session = await ort.InferenceSession.create(model, {executionProviders: ['cpu'], graphOptimizationLevel: 'disabled'});
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', data, dims)};
  const names = wanted.length ? wanted : session.outputNames;
  const out = await session.run(feeds, names);
  names.forEach((name, k) => {
    const t = out[name];
    const file = `${prefix}.${k}.f32`;
    fs.writeFileSync(file, Buffer.from(Float32Array.from(t.data).buffer));
    process.stdout.write(`${name} ${t.dims.join(',')} ${file}\n`);
  });
}

main().catch((e) => die(e.message || String(e)));

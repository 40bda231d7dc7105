#!/usr/bin/env node
// Runs an ONNX model in ONNX Runtime (npm onnxruntime-node, pinned in package-lock.json; its
// linux-x64 libonnxruntime.so.1 ships in the package, nothing is downloaded) on one input:
// the correctness reference and the speed peer of tests/test_onnx_export.cpp and bench_forward.
//
// usage: node ort_run.cjs MODEL.onnx INPUT.f32 N,C,H,W [--repeats N] [--warmup N] [--out DIR] [--serve]
//   INPUT.f32  raw float32 little-endian, N*C*H*W values, fed to the model's first input
//   --repeats  timed runs (default 10); --warmup untimed runs before them (default 2)
//   --out DIR  writes each output as DIR/<i>.f32 (raw float32, the output's own layout)
// One thread (intra and inter op 1, sequential execution), all graph optimisations. Prints one
// JSON line: {onnxruntime, input, input_shape, session_ms, warmup, runs, median_ms, min_ms,
// times_ms, outputs: [{name, dims, file}]}. Session creation and warm-up are not in the times.
//
// --serve: after the session and warm-up, prints {"ready": true, ...} and then reads lines on
// stdin: a number N runs N timed runs and prints {"times_ms": [...]}; "quit" or end of input
// exits. Lets a benchmark interleave ONNX Runtime's runs with its own in one run of the machine.
// Errors: one line {"error": "..."} on stdout and exit status 1.
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');

function fail(message) {
  process.stdout.write(JSON.stringify({ error: message }) + '\n');
  process.exit(1);
}

function parseArgs(argv) {
  const a = { repeats: 10, warmup: 2, out: '', serve: false, positional: [] };
  for (let i = 0; i < argv.length; ++i) {
    const v = argv[i];
    if (v === '--repeats') a.repeats = Number(argv[++i]);
    else if (v === '--warmup') a.warmup = Number(argv[++i]);
    else if (v === '--out') a.out = argv[++i];
    else if (v === '--serve') a.serve = true;
    else a.positional.push(v);
  }
  if (a.positional.length !== 3) fail('usage: ort_run.cjs MODEL.onnx INPUT.f32 N,C,H,W [--repeats N] [--warmup N] [--out DIR] [--serve]');
  if (!Number.isInteger(a.repeats) || a.repeats < 1) fail('--repeats wants a whole number >= 1');
  if (!Number.isInteger(a.warmup) || a.warmup < 0) fail('--warmup wants a whole number >= 0');
  return a;
}

function median(v) {
  const s = [...v].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const [modelPath, inputPath, shapeText] = args.positional;
  let ort;
  try {
    ort = require('onnxruntime-node');
  } catch (e) {
    fail('onnxruntime-node is not installed in ' + path.join(__dirname, 'node_modules') +
         ' (packaging/quickstart.sh installs it): ' + e.message);
  }
  const dims = shapeText.split(',').map(Number);
  if (dims.length === 0 || dims.some((d) => !Number.isInteger(d) || d < 1)) fail('bad shape ' + shapeText + ' (want e.g. 1,3,224,224)');
  const count = dims.reduce((x, y) => x * y, 1);
  let bytes;
  try {
    bytes = fs.readFileSync(inputPath);
  } catch (e) {
    fail('input ' + inputPath + ': ' + e.message);
  }
  if (bytes.length !== count * 4) fail('input ' + inputPath + ' holds ' + bytes.length + ' bytes, shape ' + shapeText + ' needs ' + count * 4);
  const data = new Float32Array(count);
  Buffer.from(data.buffer).set(bytes);

  const t0 = process.hrtime.bigint();
  let session;
  try {
    session = await ort.InferenceSession.create(modelPath, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (e) {
    fail('ONNX Runtime cannot load ' + modelPath + ': ' + e.message);
  }
  const sessionMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', data, dims) };

  async function timed(n) {
    const times = [];
    let result;
    for (let r = 0; r < n; ++r) {
      const s = process.hrtime.bigint();
      result = await session.run(feeds);
      times.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    return { times, result };
  }

  let last;
  try {
    if (args.warmup > 0) last = (await timed(args.warmup)).result;
  } catch (e) {
    fail('ONNX Runtime cannot run ' + modelPath + ': ' + e.message);
  }
  const version = ort.env.versions.common;

  if (args.serve) {
    process.stdout.write(JSON.stringify({ ready: true, onnxruntime: version, session_ms: sessionMs }) + '\n');
    const rl = readline.createInterface({ input: process.stdin });
    for await (const line of rl) {
      const text = line.trim();
      if (text === 'quit') break;
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1) {
        process.stdout.write(JSON.stringify({ error: 'want a number of runs, got ' + JSON.stringify(text) }) + '\n');
        continue;
      }
      const { times } = await timed(n);
      process.stdout.write(JSON.stringify({ times_ms: times }) + '\n');
    }
    return;
  }

  let run;
  try {
    run = await timed(args.repeats);
  } catch (e) {
    fail('ONNX Runtime cannot run ' + modelPath + ': ' + e.message);
  }
  last = run.result;
  const outputs = [];
  session.outputNames.forEach((name, i) => {
    const t = last[name];
    const entry = { name, dims: t.dims };
    if (args.out) {
      const file = path.join(args.out, i + '.f32');
      fs.writeFileSync(file, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      entry.file = file;
    }
    outputs.push(entry);
  });
  process.stdout.write(JSON.stringify({
    onnxruntime: version, input: session.inputNames[0], input_shape: dims, session_ms: sessionMs,
    warmup: args.warmup, runs: run.times.length, median_ms: median(run.times), min_ms: Math.min(...run.times),
    times_ms: run.times, outputs,
  }) + '\n');
}

main().catch((e) => fail(String(e && e.stack ? e.stack : e)));

#!/usr/bin/env node
'use strict';
// Usage: node make_goldens.cjs [--out DIR] [--mobilenet-dir DIR] [--wait SECONDS]
//
// Writes the parity goldens for RuVision's C++ engine to tests/data/golden/:
//   <image-id>_<W>x<H>.rgb   raw RGB8 input (H*W*3 bytes, row-major, no header)
//   <case>.<node>.<kind>.f32 raw little-endian float32 reference outputs
//   golden.json              manifest (see packaging/models/README.md)
// The reference is @tensorflow/tfjs on its pure-JS 'cpu' backend:
//   mobilenet_v2           nsfwjs@4.4.0 MobileNetV2 as a layers model (unwrapped
//                          by unwrap_nsfwjs.cjs), input = rgb / 255
//   mobilenet_v3_centernet @vladmandic/human models/centernet.json graph model,
//                          input = rgb as float 0..255
// The C++ test feeds the very same .rgb bytes to our engine and compares.
// Deterministic: re-running on the same machine rewrites nothing.

const fs = require('fs');
const path = require('path');
const L = require('./lib.cjs');

const argv = process.argv.slice(2);
function opt(name, def) {
  const i = argv.indexOf(name);
  if (i < 0) return def;
  if (i + 1 >= argv.length) L.die(`${name} needs a value`);
  return argv[i + 1];
}
for (const a of argv) {
  if (a.startsWith('--') && !['--out', '--mobilenet-dir', '--wait'].includes(a)) {
    process.stderr.write('usage: node make_goldens.cjs [--out DIR] [--mobilenet-dir DIR] [--wait SECONDS]\n');
    process.exit(2);
  }
}
const OUT = path.resolve(opt('--out', path.join(L.REPO, 'tests', 'data', 'golden')));
const MNV2_DIR = path.resolve(opt('--mobilenet-dir', L.DEFAULT_MOBILENET_DIR));
const WAIT_S = Number(opt('--wait', '900'));

// ---- source photos ------------------------------------------------------------
// Debian packages: mate-backgrounds (/usr/share/backgrounds/mate/nature/*.jpg)
// and plasma-workspace-wallpapers (/usr/share/wallpapers/*/contents/images/*.jpg).
// Rule: the first two mate photos by sorted path, and the first plasma photo by
// sorted path (symlinks resolved).
const MATE_DIR = '/usr/share/backgrounds/mate/nature';
const PLASMA_DIR = '/usr/share/wallpapers';

function listMate() {
  if (!fs.existsSync(MATE_DIR)) return [];
  return fs.readdirSync(MATE_DIR).filter((f) => /\.jpe?g$/i.test(f)).sort()
    .map((f) => path.join(MATE_DIR, f));
}
function listPlasma() {
  if (!fs.existsSync(PLASMA_DIR)) return [];
  const out = [];
  for (const d of fs.readdirSync(PLASMA_DIR)) {
    const img = path.join(PLASMA_DIR, d, 'contents', 'images');
    if (!fs.existsSync(img)) continue;
    for (const f of fs.readdirSync(img)) if (/\.jpe?g$/i.test(f)) out.push(path.join(img, f));
  }
  return out.sort();
}

async function pickPhotos() {
  const deadline = Date.now() + WAIT_S * 1000;
  for (;;) {
    const mate = listMate();
    const plasma = listPlasma();
    if (mate.length >= 2 && plasma.length >= 1) {
      return [
        { id: `mate_${path.basename(mate[0]).replace(/\.[^.]*$/, '').toLowerCase()}`, path: mate[0], pkg: 'mate-backgrounds' },
        { id: `mate_${path.basename(mate[1]).replace(/\.[^.]*$/, '').toLowerCase()}`, path: mate[1], pkg: 'mate-backgrounds' },
        { id: `plasma_${plasma[0].split('/')[4].toLowerCase()}`, path: plasma[0], pkg: 'plasma-workspace-wallpapers' },
      ];
    }
    if (Date.now() > deadline) {
      L.die(`source photos not found (need >=2 in ${MATE_DIR}/*.jpg and >=1 in ${PLASMA_DIR}/*/contents/images/*.jpg); ` +
        'install them: apt-get install -y mate-backgrounds plasma-workspace-wallpapers');
    }
    process.stderr.write('waiting for mate-backgrounds / plasma-workspace-wallpapers to be installed...\n');
    await new Promise((r) => setTimeout(r, 10000));
  }
}

function debVersion(pkg) {
  try {
    return require('child_process').execFileSync('dpkg-query', ['-W', '-f=${Version}', pkg], { encoding: 'utf8' });
  } catch (e) { return null; }
}

// ---- what to compute ------------------------------------------------------------

const CN = 'tower_0/MobilenetV3';
// [node, kind]; 'avg' = mean over H,W of the NHWC output -> [C];
// 'map' = the node's whole output without the batch dim ([H,W,C] or [C]).
const MNV2_OUTPUTS = [
  ['Conv1_relu', 'avg'],
  ['block_3_project_BN', 'avg'],
  ['block_6_expand_relu', 'avg'],
  ['block_12_add', 'avg'],
  ['block_13_expand_relu', 'avg'],
  ['block_16_project_BN', 'avg'],
  ['block_16_project_BN', 'map'],
  ['out_relu', 'avg'],
  ['flatten_1', 'map'], // = average_pooling2d_1(out_relu, 7x7) flattened: the 1280-d nsfwjs feature
];
const CN_OUTPUTS = [
  [`${CN}/Conv/hard_swish/mul_1`, 'avg'],
  [`${CN}/expanded_conv_5/add`, 'avg'],
  [`${CN}/expanded_conv_11/add`, 'avg'],
  [`${CN}/expanded_conv_12/expand/hard_swish/mul_1`, 'avg'],
  [`${CN}/expanded_conv_14/add`, 'avg'], // 120 ch, stride 32
  [`${CN}/expanded_conv_14/add`, 'map'],
  ['tower_0/extern1/hard_swish/mul_1', 'avg'], // 480 ch, stride 32
];
// [model, width, height, which photos]
const PLAN = [
  ['mobilenet_v2', 224, 224, [0, 1, 2]],
  ['mobilenet_v3_centernet', 224, 224, [0, 1, 2]],
  ['mobilenet_v3_centernet', 256, 192, [0, 1, 2]], // non-square
  ['mobilenet_v3_centernet', 249, 189, [0]], // odd sizes: SAME padding 1/1 at stride 2
];

// Nodes named in packaging/models/<model>.recipe.json (what the engine imports
// as outputs); other nodes are extra checkpoints for localising a mismatch.
function recipeOutputs(model) {
  const f = path.join(L.HERE, `${model}.recipe.json`);
  if (!fs.existsSync(f)) return null;
  try { return new Set(JSON.parse(fs.readFileSync(f, 'utf8')).outputs || []); } catch (e) { return null; }
}

function shortNode(node) {
  return node.replace(/^tower_0\/(MobilenetV3\/)?/, '').replace(/[^A-Za-z0-9]+/g, '_');
}

// ---- main ------------------------------------------------------------------------

async function main() {
  const t0 = Date.now();
  const tf = await L.loadTf();
  const jpeg = require(path.join(L.NM, 'jpeg-js'));
  const photos = await pickPhotos();

  // Decode once; keep as int32 tensors [H,W,3].
  for (const p of photos) {
    const buf = fs.readFileSync(p.path);
    p.realpath = fs.realpathSync(p.path);
    p.sha256 = L.sha256(buf);
    const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: 200, maxMemoryUsageInMB: 2048 });
    if (img.data.length !== img.width * img.height * 3) L.die(`${p.path}: decoder returned ${img.data.length} bytes for ${img.width}x${img.height}`);
    p.width = img.width;
    p.height = img.height;
    p.tensor = tf.tensor3d(new Int32Array(img.data), [img.height, img.width, 3], 'int32');
  }

  // Inputs: resizeBilinear to WxH, round, clamp, uint8. 224x224 uses
  // alignCorners=true like nsfwjs; other sizes alignCorners=false like human.
  // The 224x224 file is shared by both models.
  const inputs = new Map(); // file -> Buffer
  function makeInput(p, w, h) {
    const file = `${p.id}_${w}x${h}.rgb`;
    if (!inputs.has(file)) {
      const alignCorners = w === 224 && h === 224;
      const data = tf.tidy(() => {
        const r = tf.image.resizeBilinear(tf.cast(p.tensor, 'float32'), [h, w], alignCorners);
        return tf.clipByValue(tf.round(r), 0, 255).dataSync();
      });
      inputs.set(file, { buf: Buffer.from(Uint8Array.from(data)), alignCorners });
    }
    return file;
  }

  const written = new Map(); // file -> Buffer
  const cases = [];
  const models = {};
  for (const [model, w, h, which] of PLAN) {
    const spec = L.getModel(model);
    if (!models[model]) {
      models[model] = await spec.load(tf, model === 'mobilenet_v2' ? { dir: MNV2_DIR } : {});
    }
    const net = models[model];
    const wanted = model === 'mobilenet_v2' ? MNV2_OUTPUTS : CN_OUTPUTS;
    const nodes = [...new Set(wanted.map(([n]) => n))];
    const recipe = recipeOutputs(model);
    for (const i of which) {
      const p = photos[i];
      const file = makeInput(p, w, h);
      const x = L.inputTensor(tf, inputs.get(file).buf, 1, h, w, spec.divisor);
      const tc = Date.now();
      const res = net.run(x, nodes);
      const byNode = new Map(nodes.map((n, k) => [n, res[k]]));
      const outs = [];
      const caseId = `${p.id}_${w}x${h}.${model}`;
      for (const [node, kind] of wanted) {
        const t = byNode.get(node);
        const v = tf.tidy(() => (kind === 'avg' ? L.globalAvg(tf, t) : t.clone()));
        const shape = v.shape.slice(1);
        const vals = v.dataSync();
        v.dispose();
        const f32 = Buffer.alloc(vals.length * 4);
        for (let k = 0; k < vals.length; k++) f32.writeFloatLE(vals[k], k * 4);
        const name = `${caseId}.${shortNode(node)}.${kind}.f32`;
        written.set(name, f32);
        let mn = Infinity, mx = -Infinity, s = 0;
        for (const a of vals) { mn = Math.min(mn, a); mx = Math.max(mx, a); s += a; }
        outs.push({
          node, kind, shape, file: name,
          ...(recipe ? { recipe_output: recipe.has(node) } : {}),
          stats: { min: mn, max: mx, mean: s / vals.length, first: Array.from(vals.slice(0, 3)) },
        });
      }
      tf.dispose([x, ...res]);
      cases.push({
        model, input: file, image: p.id, width: w, height: h,
        scale: 1 / spec.divisor, divide_by: spec.divisor,
        outputs: outs,
        _ms: Date.now() - tc,
      });
    }
  }
  for (const [f, { buf }] of inputs) written.set(f, buf);

  // Write (only what changed) and drop stale golden files.
  fs.mkdirSync(OUT, { recursive: true });
  const sums = {};
  for (const [f, buf] of written) sums[f] = L.writeIfChanged(path.join(OUT, f), buf);
  for (const f of fs.readdirSync(OUT)) {
    if (/\.(rgb|f32)$/.test(f) && !written.has(f)) fs.unlinkSync(path.join(OUT, f));
  }

  const manifest = {
    generator: {
      script: 'packaging/models/make_goldens.cjs',
      tfjs: tf.version.tfjs,
      backend: tf.getBackend(),
      node: process.version,
      packages: {
        '@tensorflow/tfjs': L.pkgVersion('@tensorflow/tfjs'),
        nsfwjs: L.pkgVersion('nsfwjs'),
        '@vladmandic/human': L.pkgVersion('@vladmandic/human'),
        'jpeg-js': L.pkgVersion('jpeg-js'),
      },
      models: {
        mobilenet_v2: 'nsfwjs dist/models/mobilenet_v2 (Keras MobileNetV2, uint8-quantised weights) via unwrap_nsfwjs.cjs; ' +
          'tf.loadLayersModel; input = rgb / 255 (nsfwjs core.js: toFloat().div(255))',
        mobilenet_v3_centernet: '@vladmandic/human models/centernet.json (+ .bin, float16 weights); tf.loadGraphModel with the ' +
          'tower_0/images Placeholder shape relaxed to [-1,-1,-1,3]; input = rgb as float 0..255 (as human feeds it)',
      },
      conventions: {
        rgb: 'raw RGB8, H*W*3 bytes, row-major (y, x, channel), no header',
        f32: 'raw little-endian float32, row-major in the listed shape',
        avg: 'mean over H and W of the node output (NHWC, batch 1) -> [C]',
        map: 'the node output itself without the batch dim ([H,W,C] NHWC, or [C] for rank-2 outputs)',
        network_input: 'float32(rgb) / divide_by, NHWC, batch 1 (scale = 1 / divide_by)',
      },
    },
    sources: photos.map((p) => ({
      id: p.id, path: p.path, realpath: p.realpath, debian_package: p.pkg,
      debian_version: debVersion(p.pkg), sha256: p.sha256, width: p.width, height: p.height,
    })),
    inputs: [...inputs].map(([f, { buf, alignCorners }]) => {
      const m = /_(\d+)x(\d+)\.rgb$/.exec(f);
      return {
        file: f, width: Number(m[1]), height: Number(m[2]), bytes: buf.length, sha256: sums[f],
        made_by: `tf.image.resizeBilinear(decoded, [h, w], alignCorners=${alignCorners}) -> round -> clamp 0..255`,
      };
    }),
    cases: cases.map(({ _ms, ...c }) => ({ ...c, outputs: c.outputs.map((o) => ({ ...o, sha256: sums[o.file] })) })),
  };
  L.writeIfChanged(path.join(OUT, 'golden.json'), Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));

  // Summary.
  let total = 0;
  for (const f of fs.readdirSync(OUT)) total += fs.statSync(path.join(OUT, f)).size;
  const log = (s) => process.stdout.write(s + '\n');
  log(`goldens in ${OUT}  (tfjs ${tf.version.tfjs}, backend ${tf.getBackend()})`);
  for (const p of photos) log(`  photo ${p.id}: ${p.path} (${p.width}x${p.height}, ${p.pkg})`);
  for (const c of cases) {
    log(`  ${c.model} ${c.input} ${c.width}x${c.height} scale=${c.divide_by === 1 ? '1' : '1/' + c.divide_by} (${c._ms} ms)`);
    for (const o of c.outputs) {
      const s = o.stats;
      log(`    ${o.kind.padEnd(3)} ${o.node} [${o.shape}] min=${s.min.toPrecision(5)} max=${s.max.toPrecision(5)} ` +
        `mean=${s.mean.toPrecision(5)} first=${s.first.map((v) => v.toPrecision(5)).join(',')}`);
    }
  }
  log(`  ${fs.readdirSync(OUT).length} files, ${total} bytes total; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (total >= 2 * 1024 * 1024) L.die(`goldens are ${total} bytes, over the 2 MiB budget`);
}

main().catch((e) => L.die(e && e.stack ? e.stack : String(e)));

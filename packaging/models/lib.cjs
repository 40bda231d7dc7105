'use strict';
// Shared helpers for RuVision's TF.js reference scripts (unwrap_nsfwjs.cjs,
// make_goldens.cjs, reference_embed.cjs). Pure JS only: @tensorflow/tfjs on
// its 'cpu' backend, never tfjs-node.

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const HERE = __dirname;
const REPO = path.resolve(HERE, '..', '..');
const NM = path.join(HERE, 'node_modules');

function die(msg) {
  process.stderr.write(`error: ${msg}\n`);
  process.exit(1);
}

function pkgVersion(name) {
  const p = path.join(NM, name, 'package.json');
  if (!fs.existsSync(p)) die(`${name} is not installed under ${NM}; run: cd ${HERE} && npm ci --ignore-scripts`);
  return JSON.parse(fs.readFileSync(p, 'utf8')).version;
}

function sha256(buf) {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

// Write only if the content differs; atomic via rename. Returns sha256.
function writeIfChanged(file, buf) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (fs.existsSync(file)) {
    const old = fs.readFileSync(file);
    if (old.equals(buf)) return sha256(buf);
  }
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, buf);
  fs.renameSync(tmp, file);
  return sha256(buf);
}

function toArrayBuffer(buf) {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
}

let tfCache = null;
// Load @tensorflow/tfjs and force the pure-JS CPU backend.
async function loadTf() {
  if (tfCache) return tfCache;
  const tf = require(path.join(NM, '@tensorflow', 'tfjs'));
  const ok = await tf.setBackend('cpu');
  await tf.ready();
  if (!ok || tf.getBackend() !== 'cpu') die(`could not select the tfjs 'cpu' backend (got ${tf.getBackend()})`);
  tfCache = tf;
  return tf;
}

// ---- model locations --------------------------------------------------------

// Same place packaging/CMakeLists.txt unwraps to for a build dir named 'build'
// (unwrap is idempotent, so sharing it is safe).
const DEFAULT_MOBILENET_DIR = path.join(REPO, 'build', 'model-sources', 'nsfwjs-mobilenet_v2');
const CENTERNET_JSON = path.join(NM, '@vladmandic', 'human', 'models', 'centernet.json');

// Weight bytes named by a weightsManifest, read from files next to model.json.
function readWeights(dir, manifest) {
  const specs = [];
  const parts = [];
  for (const group of manifest) {
    for (const p of group.paths) {
      const f = path.join(dir, p);
      if (!fs.existsSync(f)) die(`weight file missing: ${f}`);
      parts.push(fs.readFileSync(f));
    }
    specs.push(...group.weights);
  }
  return { specs, data: toArrayBuffer(Buffer.concat(parts)) };
}

// A tf.io.IOHandler that loads model.json + shards from the local disk.
function fileHandler(modelJsonPath, patch) {
  return {
    load: async () => {
      if (!fs.existsSync(modelJsonPath)) die(`model file missing: ${modelJsonPath}`);
      const j = JSON.parse(fs.readFileSync(modelJsonPath, 'utf8'));
      if (patch) patch(j);
      const { specs, data } = readWeights(path.dirname(modelJsonPath), j.weightsManifest);
      const art = {
        modelTopology: j.modelTopology,
        format: j.format,
        generatedBy: j.generatedBy,
        convertedBy: j.convertedBy,
        weightSpecs: specs,
        weightData: data,
      };
      if (j.signature) art.signature = j.signature;
      if (j.userDefinedMetadata) art.userDefinedMetadata = j.userDefinedMetadata;
      if (j.modelInitializer) art.modelInitializer = j.modelInitializer;
      return art;
    },
  };
}

// ---- the two reference models -----------------------------------------------
//
// Each entry: divisor applied to the uint8 RGB input before the network, and
// load(tf) -> run(batchFloat4D, nodeNames) -> tensors (one per node name, NHWC
// or [N, C]).

const MODELS = {
  // nsfwjs@4.4.0 MobileNetV2 (Keras, TF.js layers model). nsfwjs core.js:
  // img.toFloat().div(255), resizeBilinear(alignCorners=true) to 224x224 when
  // the size differs, RGB order (tf.browser.fromPixels).
  mobilenet_v2: {
    divisor: 255, // network input = rgb / 255
    fixedSize: [224, 224], // [width, height]: Keras InputLayer is [null,224,224,3]
    async load(tf, opts = {}) {
      const dir = opts.dir || DEFAULT_MOBILENET_DIR;
      const mj = path.join(dir, 'model.json');
      if (!fs.existsSync(mj)) {
        require('./unwrap_nsfwjs.cjs').unwrap(dir, { quiet: true });
      }
      const model = await tf.loadLayersModel(fileHandler(mj));
      const cache = new Map();
      return {
        model,
        run(x, nodes) {
          const key = nodes.join('\n');
          let sub = cache.get(key);
          if (!sub) {
            const outs = nodes.map((n) => {
              let layer;
              try { layer = model.getLayer(n); } catch (e) { die(`mobilenet_v2 has no layer '${n}'`); }
              return layer.output;
            });
            sub = tf.model({ inputs: model.inputs, outputs: outs });
            cache.set(key, sub);
          }
          const r = sub.predict(x);
          return Array.isArray(r) ? r : [r];
        },
      };
    },
  },

  // @vladmandic/human@3.3.6 models/centernet.json: MobileNetV3-Large backbone +
  // CenterNet head (TF graph model). Human feeds it the input image tensor as
  // float32 0..255 RGB (tf.cast of the pixels, no normalisation), resized with
  // tf.image.resizeBilinear(input, [512, 512]) (alignCorners=false) without
  // keeping the aspect ratio. The graph has no normalisation op: tower_0/images
  // feeds the first _FusedConv2D directly.
  mobilenet_v3_centernet: {
    divisor: 1, // network input = rgb as float 0..255
    fixedSize: null, // fully convolutional backbone, any HxW
    async load(tf, opts = {}) {
      const jsonPath = opts.json || CENTERNET_JSON;
      // The Placeholder declares shape [1,512,512,3]; the tfjs graph executor
      // asserts inputs against it. Relax it to [-1,-1,-1,3] (only the static
      // check changes; the backbone has no shape-dependent op: SE blocks use
      // Mean over H,W, convs are SAME).
      const patch = (j) => {
        const ph = j.modelTopology.node.find((n) => n.name === 'tower_0/images');
        if (!ph || ph.op !== 'Placeholder') die(`${jsonPath}: no Placeholder 'tower_0/images'`);
        ph.attr.shape.shape.dim = [{ size: '-1' }, { size: '-1' }, { size: '-1' }, { size: '3' }];
      };
      const model = await tf.loadGraphModel(fileHandler(jsonPath, patch));
      return {
        model,
        run(x, nodes) {
          const r = model.execute({ 'tower_0/images': x }, nodes);
          return Array.isArray(r) ? r : [r];
        },
      };
    },
  },
};

function getModel(name) {
  const m = MODELS[name];
  if (!m) die(`unknown model '${name}' (known: ${Object.keys(MODELS).join(', ')})`);
  return m;
}

// uint8 RGB bytes (N*H*W*3) -> float32 tensor [N,H,W,3] / divisor.
// (nsfwjs divides by 255, it does not multiply by 1/255; same here.)
function inputTensor(tf, bytes, n, h, w, divisor) {
  return tf.tidy(() => {
    const t = tf.tensor4d(new Float32Array(bytes), [n, h, w, 3], 'float32');
    return divisor === 1 ? t : tf.div(t, tf.scalar(divisor));
  });
}

// Global average over H,W of an NHWC tensor; rank-2 [N,C] passes through.
function globalAvg(tf, t) {
  if (t.rank === 4) return tf.mean(t, [1, 2]);
  if (t.rank === 2) return t.clone();
  die(`cannot global-average a tensor of shape [${t.shape}]`);
}

module.exports = {
  HERE, REPO, NM, die, pkgVersion, sha256, writeIfChanged, toArrayBuffer,
  loadTf, MODELS, getModel, inputTensor, globalAvg, fileHandler,
  DEFAULT_MOBILENET_DIR, CENTERNET_JSON,
};

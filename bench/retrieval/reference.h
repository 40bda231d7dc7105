// The TF.js reference floor: dumps the evaluation images exactly as each reference pipeline
// feeds its model (for packaging/models/reference_embed.cjs), and reads the pooled outputs back.
//
// Directory layout, per model: DIR/<model>/manifest.json (the reference_embed.cjs manifest),
// inputs.u8 (count x H x W x 3 uint8 RGB), items.tsv (which image each row is), and, once the
// script has run, <alias>.f32 (count x C float32, global-average pooled, not normalised).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "retrieval/dataset.h"
#include "retrieval/honest_set.h"
#include "retrieval/metrics.h"

namespace rvbench {

// How a reference implementation prepares its input.
struct RefModel {
    std::string name;  // model name, also the .rvm file stem
    int width = 0, height = 0;
    // true: TF resizeBilinear(alignCorners=true) (nsfwjs); false: TF's legacy default
    // (alignCorners=false, halfPixelCenters=false: src = dst * in / out) (human).
    bool align_corners = true;
    std::vector<std::pair<std::string, std::string>> nodes;  // alias -> reference node name
};

// mobilenet_v2: nsfwjs, 224 x 224 align-corners stretch. mobilenet_v3_centernet: human's
// stretch without keeping the aspect ratio, but at 320 x 320 instead of human's 512 x 512 (the
// pure-JS reference needs ~3.3 s per 512 image; 320 is the model's native size in RuVision).
const std::vector<RefModel>& reference_models();

// The images scored for the reference rows: Fashion rows (indices into FashionSet, sorted)
// followed by every honest original and the chosen honest queries (indices into
// HonestSet::queries, in order).
struct RefItems {
    std::vector<int> fashion_rows;
    int originals = 0;
    std::vector<int> queries;
    int count() const { return static_cast<int>(fashion_rows.size() + queries.size()) + originals; }
    std::string tsv;  // one line per item; must match between --dump-reference and --reference
};

// fashion_per_class <= 0 or >= the loaded count: all Fashion images; otherwise a seeded subset
// of that many per class (std::mt19937(seed) shuffle of each class's rows, first n kept, sorted).
// Honest queries: the combined queries of the REPORT originals (the pure-JS reference is slow).
RefItems reference_items(const FashionSet* fashion, const HonestSet* honest, int fashion_per_class,
                         std::uint32_t seed);

// The images of `items` in order, at the size the evaluation feeds them in (no resizing).
std::vector<rv::RgbImage> item_images(const RefItems& items, const FashionSet* fashion, const HonestSet* honest);

// `set` with only the queries `items` scores (for scoring the reference rows).
HonestSet item_set(const RefItems& items, const HonestSet& set);

// The reference input of one image: resized to model.width x model.height as the reference
// pipeline does it (float arithmetic), rounded to uint8.
rv::RgbImage reference_input(const RefModel& model, const rv::RgbImage& image);

// Writes DIR/<model>/{manifest.json, inputs.u8, items.tsv} for every reference model.
rv::Status dump_reference(const std::filesystem::path& dir, const RefItems& items, const FashionSet* fashion,
                          const HonestSet* honest);

// Reads a dumped model directory back: checks items.tsv against `items`, returns the inputs.
rv::Result<std::vector<rv::RgbImage>> load_reference_inputs(const std::filesystem::path& dir, const RefModel& model,
                                                            const RefItems& items);
// One reference output (<alias>.f32): count x C, rows L2-normalised.
rv::Result<Matrix> load_reference_output(const std::filesystem::path& dir, const RefModel& model,
                                         const std::string& alias, int count);

}  // namespace rvbench

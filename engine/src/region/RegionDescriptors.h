// Regional descriptors: vectors of parts of an image, in the space of the image's own descriptor,
// so that a crop of a picture (embedded whole, as any query) finds the picture it was cut from.
//
// How: the network runs once on the image at a larger input (RegionParams::side, stretched or
// shorter side as the model preprocesses), and the descriptor's node map is pooled (the part's own
// pooling, GeM p = 3 for the default gem3:expand13) over windows of a fixed grid of boxes at a
// few scales, each part L2-normalised, concatenated, L2-normalised (as Embedder::embed does for
// the whole map). A window of the larger map covers about as many pixels as the query crop does
// at the native input, so the crop and the window are seen at a similar scale.
//
// Boxes are fractions of the image as decoded (EXIF orientation applied): 0 <= x, x + w <= 1,
// the same for y, h (the regions table's contract, CatalogSchema.cpp).
// Thread-safety: pure functions of their arguments; the Embedder passed is used (scratch
// buffers), so one per thread, as always.
#pragma once

#include <string>
#include <vector>

#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/Image.h"
#include "ruvision/engine/Result.h"

namespace rv {

struct RegionBox {
    float x = 0, y = 0, w = 1, h = 1;  // fractions of the image
};

// One scale of the grid: square boxes (in fractions) of side `size`, `steps` x `steps` of them,
// evenly spread from one edge to the other (steps 1: centred).
struct RegionScale {
    float size = 0.5f;
    int steps = 3;
};

// The library's default (default_region_params()) was chosen with bench/bench_region on the
// CHOOSE half (README "Search by region"): 4 tiles of 60 % side, each embedded on its own as a
// query is (4 more forward passes per image, 9 KB); pooling windows of one larger map cost one
// pass but found far fewer crops (R@1 0.80 against 0.95 for crops of 10-30 %).
struct RegionParams {
    // Input side of the forward pass the regions are pooled from when not `tiles` (pixels; the
    // native side is 224 for both models).
    int side = 448;
    std::vector<RegionScale> scales = {{0.6f, 2}};
    // true: each box's pixels embedded on their own (one forward pass per box, `side` unused)
    // instead of pooled from one larger map.
    bool tiles = true;
    // With tiles: the input side each tile is embedded at (0: the embedder's own, as a query).
    int tile_side = 0;
};

// The parameters the library indexes with (the bench's choice).
const RegionParams& default_region_params();

// The boxes of a grid, scale by scale, row-major within a scale.
std::vector<RegionBox> region_boxes(const RegionParams& params);

struct RegionVectors {
    std::vector<RegionBox> boxes;
    int dim = 0;               // = embedder.dim()
    std::vector<float> data;   // boxes.size() x dim, row-major, each row L2-normalised
};

// The regional descriptors of `image` (non-empty) with the embedder's descriptor. An Error says
// why (the network cannot run on it, a region gives a non-finite or all-zero vector).
[[nodiscard]] Result<RegionVectors> embed_regions(Embedder& embedder, const RgbImage& image,
                                                  const RegionParams& params = default_region_params());

// The shorter side a decoder must keep so that the smallest box of the default grid still has the
// embedder's input side (the decoder may reduce JPEGs by DCT scaling down to it).
int region_min_decode_side(const Embedder& embedder, const RegionParams& params = default_region_params());

// The pixels of `box` (fractions) of `image`, at least 1 x 1 pixel.
RgbImage crop_image(const RgbImage& image, const RegionBox& box);

// Why `box` is not a usable region of an image (NaN, outside [0, 1], empty); "" when it is.
std::string region_box_problem(const RegionBox& box);

}  // namespace rv

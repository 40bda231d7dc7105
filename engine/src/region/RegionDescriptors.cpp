#include "region/RegionDescriptors.h"

#include <algorithm>
#include <cmath>

#include "image/Preprocess.h"
#include "ruvision/engine/ImageEdits.h"

namespace rv {

const RegionParams& default_region_params() {
    static const RegionParams p;
    return p;
}

std::vector<RegionBox> region_boxes(const RegionParams& params) {
    std::vector<RegionBox> out;
    for (const RegionScale& s : params.scales) {
        const float size = std::clamp(s.size, 0.01f, 1.0f);
        const int steps = std::max(1, s.steps);
        for (int j = 0; j < steps; ++j)
            for (int i = 0; i < steps; ++i) {
                const float room = 1.0f - size;
                const float x = steps == 1 ? room / 2 : room * static_cast<float>(i) / static_cast<float>(steps - 1);
                const float y = steps == 1 ? room / 2 : room * static_cast<float>(j) / static_cast<float>(steps - 1);
                out.push_back({x, y, size, size});
            }
    }
    return out;
}

int region_min_decode_side(const Embedder& embedder, const RegionParams& params) {
    float smallest = 1;
    for (const RegionScale& s : params.scales) smallest = std::min(smallest, std::clamp(s.size, 0.01f, 1.0f));
    const int side = params.tiles ? (params.tile_side > 0 ? params.tile_side : embedder.min_decode_side())
                                  : std::max(params.side, embedder.min_decode_side());
    return params.tiles ? static_cast<int>(std::ceil(static_cast<float>(side) / smallest)) : side;
}

std::string region_box_problem(const RegionBox& b) {
    for (float v : {b.x, b.y, b.w, b.h})
        if (!std::isfinite(v)) return "a value is not a number";
    if (b.w <= 0 || b.h <= 0) return "the width and height must be above 0";
    if (b.x < 0 || b.y < 0) return "it starts outside the image (x and y must be at least 0)";
    if (b.x + b.w > 1.000001f || b.y + b.h > 1.000001f) return "it reaches outside the image";
    return {};
}

RgbImage crop_image(const RgbImage& image, const RegionBox& b) {
    const int x0 = std::clamp(static_cast<int>(std::floor(b.x * static_cast<float>(image.width))), 0, image.width - 1);
    const int y0 = std::clamp(static_cast<int>(std::floor(b.y * static_cast<float>(image.height))), 0, image.height - 1);
    const int x1 = std::clamp(static_cast<int>(std::ceil((b.x + b.w) * static_cast<float>(image.width))), x0 + 1, image.width);
    const int y1 = std::clamp(static_cast<int>(std::ceil((b.y + b.h) * static_cast<float>(image.height))), y0 + 1, image.height);
    RgbImage out;
    out.width = x1 - x0;
    out.height = y1 - y0;
    out.data.resize(static_cast<std::size_t>(out.width) * out.height * 3);
    for (int y = 0; y < out.height; ++y)
        std::copy_n(&image.data[(static_cast<std::size_t>(y0 + y) * image.width + x0) * 3],
                    static_cast<std::size_t>(out.width) * 3, &out.data[static_cast<std::size_t>(y) * out.width * 3]);
    return out;
}

namespace {

// The input tensor at `side`: the embedder's own preprocessing when the model runs at any size;
// otherwise (a fixed-size model, whose convolutions still run at any size) the image stretched to
// side x side and mapped to values by the model's affine pixel map, read back from the embedder
// (a one-pixel image preprocesses to a constant tensor: pixel * scale + offset).
std::vector<float> input_tensor(const Embedder& e, const RgbImage& image, int side, int* h, int* w) {
    std::vector<float> t = e.preprocess(image, side, h, w);
    if (std::max(*h, *w) == side) return t;
    RgbImage px{1, 1, {0, 0, 0}};
    int ph = 0, pw = 0;
    const float offset = e.preprocess(px, 0, &ph, &pw)[0];
    px.data = {255, 255, 255};
    const float scale = (e.preprocess(px, 0, &ph, &pw)[0] - offset) / 255.0f;
    Preprocess pre;
    pre.any_size = true;
    pre.resize = "stretch";
    pre.width = pre.height = side;
    pre.scale = scale;
    pre.offset = offset;
    *h = *w = side;
    preprocess_image(image, pre, side, side, false, t);
    return t;
}

// Window [x0, x1) x [y0, y1) of map cells for a box (at least one cell).
struct Window {
    int x0, y0, x1, y1;
};

Window window_of(const RegionBox& b, int mh, int mw) {
    Window win;
    win.x0 = std::clamp(static_cast<int>(std::lround(b.x * static_cast<float>(mw))), 0, mw - 1);
    win.y0 = std::clamp(static_cast<int>(std::lround(b.y * static_cast<float>(mh))), 0, mh - 1);
    win.x1 = std::clamp(static_cast<int>(std::lround((b.x + b.w) * static_cast<float>(mw))), win.x0 + 1, mw);
    win.y1 = std::clamp(static_cast<int>(std::lround((b.y + b.h) * static_cast<float>(mh))), win.y0 + 1, mh);
    return win;
}

// Pools one part's map over every window into out (boxes x part_dim at stride `stride`, from
// column `col`), each row L2-normalised.
void pool_windows(const std::vector<float>& map, int mh, int mw, int c, const DescriptorSpec::Part& part,
                  const std::vector<RegionBox>& boxes, float* out, int stride, int col) {
    using Pool = DescriptorSpec::Part::Pool;
    // Summed-area table of f(x) per channel ((mh+1) x (mw+1) x c, doubles): f = x^p (GeM, with
    // the kernels' floor of 1e-6) or x (average). Max pools directly.
    std::vector<double> sat;
    const bool cube = part.p == 3.0f;
    if (part.pool != Pool::Max) {
        sat.assign(static_cast<std::size_t>(mh + 1) * (mw + 1) * c, 0.0);
        auto at = [&](int y, int x) { return &sat[(static_cast<std::size_t>(y) * (mw + 1) + x) * c]; };
        for (int y = 0; y < mh; ++y)
            for (int x = 0; x < mw; ++x) {
                const float* v = &map[(static_cast<std::size_t>(y) * mw + x) * c];
                double* d = at(y + 1, x + 1);
                const double* up = at(y, x + 1);
                const double* left = at(y + 1, x);
                const double* diag = at(y, x);
                for (int k = 0; k < c; ++k) {
                    const double x = part.pool == Pool::Gem ? static_cast<double>(std::max(v[k], 1e-6f)) : v[k];
                    const double f = part.pool != Pool::Gem ? x : cube ? x * x * x : std::pow(x, static_cast<double>(part.p));
                    d[k] = f + up[k] + left[k] - diag[k];
                }
            }
    }
    for (std::size_t r = 0; r < boxes.size(); ++r) {
        const Window win = window_of(boxes[r], mh, mw);
        float* o = out + r * static_cast<std::size_t>(stride) + col;
        const double n = static_cast<double>(win.x1 - win.x0) * (win.y1 - win.y0);
        if (part.pool == Pool::Max) {
            std::fill(o, o + c, -INFINITY);
            for (int y = win.y0; y < win.y1; ++y)
                for (int x = win.x0; x < win.x1; ++x) {
                    const float* v = &map[(static_cast<std::size_t>(y) * mw + x) * c];
                    for (int k = 0; k < c; ++k) o[k] = std::max(o[k], v[k]);
                }
        } else {
            auto at = [&](int y, int x) { return &sat[(static_cast<std::size_t>(y) * (mw + 1) + x) * c]; };
            const double *a = at(win.y1, win.x1), *b = at(win.y0, win.x1), *l = at(win.y1, win.x0), *d = at(win.y0, win.x0);
            for (int k = 0; k < c; ++k) {
                const double mean = std::max(0.0, (a[k] - b[k] - l[k] + d[k]) / n);
                o[k] = static_cast<float>(part.pool == Pool::Gem ? std::pow(mean, 1.0 / static_cast<double>(part.p)) : mean);
            }
        }
        double s = 0;
        for (int k = 0; k < c; ++k) s += static_cast<double>(o[k]) * o[k];
        const float inv = s > 0 && std::isfinite(s) ? static_cast<float>(1.0 / std::sqrt(s)) : 0.0f;
        for (int k = 0; k < c; ++k) o[k] *= inv;
    }
}

}  // namespace

Result<RegionVectors> embed_regions(Embedder& embedder, const RgbImage& image, const RegionParams& params) {
    if (image.width <= 0 || image.height <= 0) return Error{"the image is empty"};
    RegionVectors out;
    out.boxes = region_boxes(params);
    out.dim = embedder.dim();
    out.data.assign(out.boxes.size() * static_cast<std::size_t>(out.dim), 0.0f);
    if (params.tiles) {
        // A picture far larger than its tiles need is first brought down to their side.
        const auto reduced = shrink_if_far_larger(image, region_min_decode_side(embedder, params));
        const RgbImage* src = reduced ? &*reduced : &image;
        for (std::size_t r = 0; r < out.boxes.size(); ++r) {
            const RgbImage tile = crop_image(*src, out.boxes[r]);
            if (params.tile_side > 0) {
                RegionParams whole;
                whole.side = params.tile_side;
                whole.scales = {{1.0f, 1}};
                whole.tiles = false;
                auto v = embed_regions(embedder, tile, whole);
                if (!v) return Error{"regions: region " + std::to_string(r) + ": " + v.error().message};
                std::copy(v->data.begin(), v->data.end(), out.data.begin() + static_cast<std::ptrdiff_t>(r * out.dim));
                continue;
            }
            auto v = embedder.embed(tile);
            if (!v) return Error{"regions: region " + std::to_string(r) + ": " + v.error().message};
            std::copy(v->begin(), v->end(), out.data.begin() + static_cast<std::ptrdiff_t>(r * out.dim));
        }
        return out;
    }
    int h = 0, w = 0;
    const std::vector<float> input = input_tensor(embedder, image, params.side, &h, &w);
    int col = 0;
    for (const auto& part : embedder.descriptor().parts) {
        int mh = 0, mw = 0, c = 0;
        auto map = embedder.node_map(input.data(), h, w, part.node, &mh, &mw, &c);
        if (!map) return Error{"regions: model " + embedder.model_name() + " cannot run at " + std::to_string(w) + "x" +
                               std::to_string(h) + ": " + map.error().message};
        if (col + c > out.dim) return Error{"regions: the descriptor's parts do not add up to its dimension"};
        pool_windows(*map, mh, mw, c, part, out.boxes, out.data.data(), out.dim, col);
        col += c;
    }
    if (col != out.dim) return Error{"regions: the descriptor's parts do not add up to its dimension"};
    for (std::size_t r = 0; r < out.boxes.size(); ++r) {
        float* v = &out.data[r * static_cast<std::size_t>(out.dim)];
        double s = 0;
        for (int k = 0; k < out.dim; ++k) s += static_cast<double>(v[k]) * v[k];
        if (!std::isfinite(s) || s == 0) return Error{"regions: region " + std::to_string(r) + " gave no usable vector"};
        const float inv = static_cast<float>(1.0 / std::sqrt(s));
        for (int k = 0; k < out.dim; ++k) v[k] *= inv;
    }
    return out;
}

}  // namespace rv

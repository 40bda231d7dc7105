// rv::verify_same_picture and its parts (PixelVerify.h): signatures on small grids, compared under
// the 8 orientations of the square and one-cell shifts.
#include "ruvision/engine/PixelVerify.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace rv {

namespace {

constexpr int S = kSigSide;
constexpr int C = kColourSide;
// Width of the Gaussian taken off the grey grid to leave its fine structure, in cells.
constexpr double kDetailSigma = 1.5;

float stddev(const std::vector<float>& v) {
    double s = 0, s2 = 0;
    for (float x : v) s += x, s2 += double(x) * x;
    const double n = double(v.size()), m = s / n;
    return static_cast<float>(std::sqrt(std::max(0.0, s2 / n - m * m)));
}

// Cell (x, y) of a side x side grid seen in orientation o: turned o & 3 times by 90 degrees
// clockwise, after mirroring left-right when o & 4. Returns the source cell's index.
int source_cell(int x, int y, int side, int o) {
    // Undo the turn: a clockwise turn maps source (sx, sy) to (side-1-sy, sx).
    for (int t = 0; t < (o & 3); ++t) {
        const int sx = y, sy = side - 1 - x;
        x = sx, y = sy;
    }
    if (o & 4) x = side - 1 - x;
    return y * side + x;
}

// The grid (channels values per cell) in orientation o.
std::vector<float> oriented(const std::vector<float>& g, int side, int channels, int o) {
    if (o == 0) return g;
    std::vector<float> out(g.size());
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) {
            const int s = source_cell(x, y, side, o);
            for (int c = 0; c < channels; ++c) out[(y * side + x) * channels + c] = g[s * channels + c];
        }
    return out;
}

// Pearson correlation of a and b shifted by (dx, dy) cells (b's cell (x - dx, y - dy) against a's
// (x, y)), over the cells both cover.
float correlation(const std::vector<float>& a, const std::vector<float>& b, int dx, int dy) {
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    int n = 0;
    for (int y = std::max(0, dy); y < S + std::min(0, dy); ++y) {
        const float* ra = &a[y * S];
        const float* rb = &b[(y - dy) * S];
        for (int x = std::max(0, dx); x < S + std::min(0, dx); ++x) {
            const double u = ra[x], v = rb[x - dx];
            sa += u, sb += v, saa += u * u, sbb += v * v, sab += u * v;
            ++n;
        }
    }
    const double va = saa - sa * sa / n, vb = sbb - sb * sb / n;
    if (va <= 0 || vb <= 0) return 0;
    return static_cast<float>((sab - sa * sb / n) / std::sqrt(va * vb));
}

std::string fixed(double v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

}  // namespace

PixelSignature pixel_signature(const RgbImage& image, int stored_min_side) {
    PixelSignature s;
    s.stored_min_side = stored_min_side;
    s.width = image.width;
    s.height = image.height;
    if (image.width <= 0 || image.height <= 0 ||
        image.data.size() < static_cast<std::size_t>(image.width) * image.height * 3) {
        s.width = s.height = s.stored_min_side = 0;
        return s;
    }
    cv::Mat rgb(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.data.data()));
    // A large picture (a PNG decodes whole: a 100-megapixel one is 1.2 GB as floats) is first
    // averaged down in 8 bits to a shorter side of kPreSide; the grids below average it further,
    // so the rounding to 8 bits there changes a cell by far less than one grey level.
    constexpr int kPreSide = 8 * S;
    if (const int shorter = std::min(image.width, image.height); shorter > kPreSide) {
        const double f = static_cast<double>(kPreSide) / shorter;
        cv::Mat pre;
        cv::resize(rgb, pre,
                   cv::Size(std::max(1, static_cast<int>(std::lround(image.width * f))),
                            std::max(1, static_cast<int>(std::lround(image.height * f)))),
                   0, 0, cv::INTER_AREA);
        rgb = pre;
    }
    // Upscaling (images smaller than the grid) interpolates; downscaling averages areas.
    const int interp = std::min(image.width, image.height) >= S ? cv::INTER_AREA : cv::INTER_LINEAR;
    cv::Mat rgbf, small, grey, blurred, colour;
    rgb.convertTo(rgbf, CV_32FC3);
    cv::resize(rgbf, small, cv::Size(S, S), 0, 0, interp);
    cv::cvtColor(small, grey, cv::COLOR_RGB2GRAY);
    cv::GaussianBlur(grey, blurred, cv::Size(0, 0), kDetailSigma, kDetailSigma, cv::BORDER_REFLECT);
    const cv::Mat detail = grey - blurred;
    cv::resize(rgbf, colour, cv::Size(C, C), 0, 0, std::min(image.width, image.height) >= C ? cv::INTER_AREA : cv::INTER_LINEAR);

    std::vector<float> g(grey.begin<float>(), grey.end<float>());
    s.grey_std = stddev(g);
    s.detail.assign(detail.begin<float>(), detail.end<float>());
    double mean = 0;
    for (float v : s.detail) mean += v;
    mean /= s.detail.size();
    for (float& v : s.detail) v = static_cast<float>(v - mean);
    s.detail_std = stddev(s.detail);
    const float* c = colour.ptr<float>();
    s.colour.assign(c, c + C * C * 3);
    return s;
}

Result<PixelSignature> pixel_signature(const std::filesystem::path& file) {
    DecodeOptions options;
    options.min_side = 2 * S;
    auto decoded = decode_image(file, options);
    if (!decoded) return decoded.error();
    return pixel_signature(decoded->image, std::min(decoded->original_width, decoded->original_height));
}

std::string pixel_weakness(const PixelSignature& s, const PixelVerifyParams& p) {
    if (s.detail.empty() || s.stored_min_side < p.min_side)
        return "tiny image (" + std::to_string(s.width) + "x" + std::to_string(s.height) + ", shorter side below " +
               std::to_string(p.min_side) + " pixels)";
    if (s.grey_std < p.flat_grey_std) return "flat image (grey deviation " + fixed(s.grey_std, 1) + ")";
    if (s.detail_std < p.flat_detail_std) return "flat image (no fine structure: " + fixed(s.detail_std, 2) + ")";
    return {};
}

PixelVerdict compare_pixels(const PixelSignature& a, const PixelSignature& b, const PixelVerifyParams& p) {
    PixelVerdict v;
    for (const PixelSignature* s : {&a, &b})
        if (auto why = pixel_weakness(*s, p); !why.empty()) {
            v.reason = "cannot tell by pixels: " + why;
            return v;
        }
    const double aspect_a = std::log(double(a.width) / a.height), aspect_b = std::log(double(b.width) / b.height);
    float best = -2;
    for (int o = 0; o < 8; ++o) {
        // A turn by 90 or 270 degrees swaps b's sides.
        const double ab = (o & 1) ? -aspect_b : aspect_b;
        if (std::abs(aspect_a - ab) > p.max_aspect_diff) continue;
        const std::vector<float> bo = oriented(b.detail, S, 1, o);
        const int reach = p.allow_shift ? 1 : 0;
        for (int dy = -reach; dy <= reach; ++dy)
            for (int dx = -reach; dx <= reach; ++dx) {
                const float r = correlation(a.detail, bo, dx, dy);
                if (r > best) best = r, v.orientation = o;
            }
    }
    v.match = PixelMatch::different;
    if (best < -1) {
        v.reason = "different shapes (" + std::to_string(a.width) + "x" + std::to_string(a.height) + " and " +
                   std::to_string(b.width) + "x" + std::to_string(b.height) + ")";
        return v;
    }
    v.structure = best;
    const std::vector<float> bc = oriented(b.colour, C, 3, v.orientation);
    double diff = 0;
    for (std::size_t i = 0; i < bc.size(); ++i) diff += std::abs(double(a.colour[i]) - bc[i]);
    v.colour_diff = static_cast<float>(diff / bc.size());
    if (v.structure < p.min_structure) {
        v.reason = "different structure (correlation " + fixed(v.structure, 3) + ")";
    } else if (v.colour_diff > p.max_colour_diff) {
        v.reason = "different colours (mean difference " + fixed(v.colour_diff, 1) + ")";
    } else {
        v.match = PixelMatch::same;
        static const char* const kTurn[] = {"", ", turned 90°", ", turned 180°", ", turned 270°"};
        v.reason = "same picture (correlation " + fixed(v.structure, 3) + kTurn[v.orientation & 3] +
                   ((v.orientation & 4) ? ", mirrored" : "") + ")";
    }
    return v;
}

PixelVerdict verify_same_picture(const std::filesystem::path& a, const std::filesystem::path& b,
                                 const PixelVerifyParams& params) {
    auto sa = pixel_signature(a);
    auto sb = sa ? pixel_signature(b) : Result<PixelSignature>(PixelSignature{});
    for (const auto* s : {&sa, &sb})
        if (!*s) {
            PixelVerdict v;
            v.reason = "cannot tell by pixels: " + s->error().message;
            return v;
        }
    return compare_pixels(*sa, *sb, params);
}

}  // namespace rv

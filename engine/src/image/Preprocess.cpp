#include "image/Preprocess.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace rv {

void input_size(const Preprocess& p, int side, int image_w, int image_h, int* out_w, int* out_h) {
    if (!p.any_size) {
        *out_w = p.width;
        *out_h = p.height;
        return;
    }
    if (side <= 0) side = std::min(p.width, p.height);
    if (p.resize == "stretch") {
        *out_w = *out_h = side;
        return;
    }
    const double s = static_cast<double>(side) / std::max(1, std::min(image_w, image_h));
    *out_w = std::clamp(static_cast<int>(std::lround(image_w * s)), 1, 2 * side);
    *out_h = std::clamp(static_cast<int>(std::lround(image_h * s)), 1, 2 * side);
}

void resize_bilinear_align_corners(const RgbImage& img, int out_w, int out_h, float scale, float offset, float* out) {
    const float ys = out_h > 1 ? static_cast<float>(img.height - 1) / static_cast<float>(out_h - 1) : 0.0f;
    const float xs = out_w > 1 ? static_cast<float>(img.width - 1) / static_cast<float>(out_w - 1) : 0.0f;
    const std::uint8_t* px = img.data.data();
    for (int y = 0; y < out_h; ++y) {
        const float sy = ys * static_cast<float>(y);
        const int y0 = static_cast<int>(std::floor(sy));
        const int y1 = std::min(y0 + 1, img.height - 1);
        const float dy = sy - static_cast<float>(y0);
        for (int x = 0; x < out_w; ++x) {
            const float sx = xs * static_cast<float>(x);
            const int x0 = static_cast<int>(std::floor(sx));
            const int x1 = std::min(x0 + 1, img.width - 1);
            const float dx = sx - static_cast<float>(x0);
            for (int c = 0; c < 3; ++c) {
                auto at = [&](int yy, int xx) { return static_cast<float>(px[(yy * img.width + xx) * 3 + c]); };
                const float top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * dx;
                const float bottom = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * dx;
                out[(y * out_w + x) * 3 + c] = (top + (bottom - top) * dy) * scale + offset;
            }
        }
    }
}

void scale_to_float(const RgbImage& image, float scale, float offset, float* out) {
    const std::uint8_t* px = image.data.data();
    const std::size_t n = static_cast<std::size_t>(image.width) * image.height * 3;
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(px[i]) * scale + offset;
}

void preprocess_image(const RgbImage& image, const Preprocess& p, int out_w, int out_h, bool mirror,
                      std::vector<float>& out) {
    out.resize(static_cast<std::size_t>(out_w) * out_h * 3);
    RgbImage src_copy;
    const RgbImage* src = &image;
    cv::Mat in(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.data.data()));
    if (image.width > out_w && image.height > out_h) {
        src_copy.width = out_w;
        src_copy.height = out_h;
        src_copy.data.resize(out.size());
        cv::Mat dst(out_h, out_w, CV_8UC3, src_copy.data.data());
        cv::resize(in, dst, dst.size(), 0, 0, cv::INTER_AREA);
        src = &src_copy;
    }
    if (mirror) {
        if (src != &src_copy) src_copy = image;
        cv::Mat m(src_copy.height, src_copy.width, CV_8UC3, src_copy.data.data());
        cv::flip(m, m, 1);
        src = &src_copy;
    }
    // Downscaled images arrive here at the output size; the bilinear resize is then the identity.
    if (src->width == out_w && src->height == out_h)
        scale_to_float(*src, p.scale, p.offset, out.data());
    else
        resize_bilinear_align_corners(*src, out_w, out_h, p.scale, p.offset, out.data());
}

}  // namespace rv

// The seeded photo edits of ImageEdits.h, with OpenCV. Every random value comes from
// EditRandom's raw mt19937 draws, in a fixed order per edit, so the same seed gives the same
// parameters everywhere.
#include "ruvision/engine/ImageEdits.h"

#include "augment/EditTwins.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace rv {

namespace {

// A read-only view of `img` as a cv::Mat (no copy; the caller never writes through it).
cv::Mat as_mat(const RgbImage& img) {
    return cv::Mat(img.height, img.width, CV_8UC3, const_cast<std::uint8_t*>(img.data.data()));
}

RgbImage to_rgb(const cv::Mat& m) {
    const cv::Mat c = m.isContinuous() ? m : m.clone();
    RgbImage out;
    out.width = c.cols;
    out.height = c.rows;
    out.data.assign(c.data, c.data + static_cast<std::size_t>(c.cols) * c.rows * 3);
    return out;
}

// A rectangle holding uniform(crop_area) of the pixels, aspect ratio jittered by up to 1.25x
// either way, at a random place. An image too small to lose pixels is returned whole.
cv::Mat crop(const cv::Mat& m, EditRandom& r, const EditRanges& g) {
    const double area = r.uniform(g.crop_area_min, g.crop_area_max);
    const double aspect = std::exp(r.uniform(std::log(0.8), std::log(1.25)));
    const int cw = std::clamp(static_cast<int>(std::lround(m.cols * std::sqrt(area * aspect))), 1, m.cols);
    const int ch = std::clamp(static_cast<int>(std::lround(m.rows * std::sqrt(area / aspect))), 1, m.rows);
    const int x = r.below(m.cols - cw + 1);
    const int y = r.below(m.rows - ch + 1);
    return m(cv::Rect(x, y, cw, ch)).clone();
}

// Rotation about the centre by rotate_min..rotate_max degrees either way (turned_by: same size,
// the corners that leave the picture black).
double rotate_degrees(EditRandom& r, const EditRanges& g) {
    return r.uniform(g.rotate_min, g.rotate_max) * (r.coin() ? 1.0 : -1.0);
}

// Brightness, contrast, saturation (factors) and hue (fraction of the circle), in that order.
cv::Mat jitter(const cv::Mat& m, EditRandom& r) {
    const double b = r.uniform(0.6, 1.4), ct = r.uniform(0.6, 1.4), sat = r.uniform(0.5, 1.5);
    const double hue = r.uniform(-0.08, 0.08);
    cv::Mat f;
    m.convertTo(f, CV_32FC3, b);
    const cv::Matx13f luma(0.299f, 0.587f, 0.114f);  // RGB order
    cv::Mat lum;
    cv::transform(f, lum, luma);
    const float mean = static_cast<float>(cv::mean(lum)[0]);
    f = (f - cv::Scalar::all(mean)) * ct + cv::Scalar::all(mean);
    cv::transform(f, lum, luma);
    cv::Mat lum3;
    cv::merge(std::vector<cv::Mat>{lum, lum, lum}, lum3);
    f = lum3 + (f - lum3) * sat;
    cv::Mat u8;
    f.convertTo(u8, CV_8UC3);  // saturates to 0..255
    cv::Mat hsv;
    cv::cvtColor(u8, hsv, cv::COLOR_RGB2HSV_FULL);  // H in 0..255 for the full circle
    const int shift = static_cast<int>(std::lround(hue * 256.0));
    for (int y = 0; y < hsv.rows; ++y) {
        auto* p = hsv.ptr<cv::Vec3b>(y);
        for (int x = 0; x < hsv.cols; ++x) p[x][0] = static_cast<std::uint8_t>((p[x][0] + shift + 256) & 255);
    }
    cv::cvtColor(hsv, u8, cv::COLOR_HSV2RGB_FULL);
    return u8;
}

cv::Mat grey(const cv::Mat& m) {
    cv::Mat g, out;
    cv::cvtColor(m, g, cv::COLOR_RGB2GRAY);
    cv::cvtColor(g, out, cv::COLOR_GRAY2RGB);
    return out;
}

// Gaussian blur; the sigma range is in pixels of a 640 px shorter side.
cv::Mat blur(const cv::Mat& m, EditRandom& r, const EditRanges& g) {
    const double sigma = r.uniform(g.blur_sigma_min, g.blur_sigma_max) * std::min(m.cols, m.rows) / 640.0;
    cv::Mat out;
    cv::GaussianBlur(m, out, cv::Size(0, 0), std::max(0.1, sigma));
    return out;
}

// The largest font scale at which `text` is at most `h` pixels high and `w` pixels wide.
double fit_text(const std::string& text, int font, int thickness, double h, double w) {
    int base = 0;
    const cv::Size unit = cv::getTextSize(text, font, 1.0, thickness, &base);
    const double s = std::min(h / std::max(1, unit.height + base), w / std::max(1, unit.width));
    return std::max(0.05, s);
}

// A banner across the top or bottom (8-14 % of the height, a random plain colour) with a
// caption in a contrasting colour, then a watermark word blended in at 25-50 % opacity.
cv::Mat caption(const cv::Mat& m, EditRandom& r) {
    static const std::array<const char*, 5> captions = {"Summer holiday 2024", "(c) Photo Studio Berg",
                                                        "Best day ever!", "Greetings from the coast",
                                                        "Family trip - day 3"};
    static const std::array<const char*, 4> marks = {"SAMPLE", "PREVIEW", "(c) STOCK", "DRAFT"};
    const int font = cv::FONT_HERSHEY_DUPLEX;
    cv::Mat out = m.clone();

    const bool top = r.coin();
    const int bh = std::clamp(static_cast<int>(std::lround(m.rows * r.uniform(0.08, 0.14))), 1, m.rows);
    const int by = top ? 0 : m.rows - bh;
    const bool dark = r.coin();
    const int shade = dark ? r.below(60) : 195 + r.below(61);
    const cv::Scalar banner(shade, shade * (0.8 + 0.2 * r.unit()), shade * (0.8 + 0.2 * r.unit()));
    cv::rectangle(out, cv::Rect(0, by, m.cols, bh), banner, cv::FILLED);
    const std::string text = captions[static_cast<std::size_t>(r.below(static_cast<int>(captions.size())))];
    const int thick = std::max(1, bh / 20);
    const double scale = fit_text(text, font, thick, 0.7 * bh, 0.9 * m.cols);
    int base = 0;
    const cv::Size ts = cv::getTextSize(text, font, scale, thick, &base);
    const int tx = std::max(0, static_cast<int>((m.cols - ts.width) * r.uniform(0.05, 0.95)));
    const int ty = by + (bh + ts.height - base) / 2;  // the text box, descenders included, centred
    const cv::Scalar ink = dark ? cv::Scalar::all(240) : cv::Scalar::all(20);
    cv::putText(out, text, cv::Point(tx, ty), font, scale, ink, thick, cv::LINE_AA);

    const std::string word = marks[static_cast<std::size_t>(r.below(static_cast<int>(marks.size())))];
    const int wthick = std::max(1, m.rows / 100);
    const double wscale = fit_text(word, font, wthick, 0.25 * m.rows, r.uniform(0.3, 0.6) * m.cols);
    const cv::Size ws = cv::getTextSize(word, font, wscale, wthick, &base);
    const int wx = r.below(std::max(1, m.cols - ws.width));
    const int free_top = top ? bh : 0, free_rows = std::max(1, m.rows - bh - ws.height - base);
    const int wy = free_top + ws.height + r.below(free_rows);
    cv::Mat layer = out.clone();
    cv::putText(layer, word, cv::Point(wx, wy), font, wscale, cv::Scalar::all(r.coin() ? 255 : 0), wthick,
                cv::LINE_AA);
    const double alpha = r.uniform(0.25, 0.5);
    cv::addWeighted(layer, alpha, out, 1.0 - alpha, 0.0, out);
    return out;
}

// A JPEG round trip at jpeg_quality_min..max (OpenCV's codec wants BGR). A failed encode
// leaves the image as it was.
cv::Mat jpeg(const cv::Mat& m, EditRandom& r, const EditRanges& g) {
    const int lo = std::min(g.jpeg_quality_min, g.jpeg_quality_max), hi = std::max(g.jpeg_quality_min, g.jpeg_quality_max);
    const int quality = std::clamp(lo + r.below(hi - lo + 1), 1, 100);
    cv::Mat bgr;
    cv::cvtColor(m, bgr, cv::COLOR_RGB2BGR);
    std::vector<std::uint8_t> buf;
    if (!cv::imencode(".jpg", bgr, buf, {cv::IMWRITE_JPEG_QUALITY, quality})) return m.clone();
    const cv::Mat dec = cv::imdecode(buf, cv::IMREAD_COLOR);
    if (dec.empty() || dec.size() != m.size()) return m.clone();
    cv::Mat out;
    cv::cvtColor(dec, out, cv::COLOR_BGR2RGB);
    return out;
}

}  // namespace

const char* image_edit_name(ImageEdit e) {
    static const std::array<const char*, kImageEditCount> names = {"crop",   "rotate", "rot90", "mirror", "jitter",
                                                                   "grey",   "blur",   "caption", "jpeg"};
    const int i = static_cast<int>(e);
    return i >= 0 && i < kImageEditCount ? names[static_cast<std::size_t>(i)] : "?";
}

EditRandom::EditRandom(std::uint64_t seed) {
    std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)};
    g_.seed(seq);
}

EditRandom::EditRandom(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
    std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                      static_cast<std::uint32_t>(a),    static_cast<std::uint32_t>(a >> 32),
                      static_cast<std::uint32_t>(b),    static_cast<std::uint32_t>(b >> 32)};
    g_.seed(seq);
}

std::uint32_t EditRandom::raw() { return static_cast<std::uint32_t>(g_()); }
double EditRandom::unit() { return static_cast<double>(raw() >> 8) * (1.0 / 16777216.0); }
double EditRandom::uniform(double a, double b) { return a + (b - a) * unit(); }
int EditRandom::below(int n) {  // one draw whatever n is, so later values do not depend on it
    const double u = unit();
    return n <= 1 ? 0 : std::min(n - 1, static_cast<int>(u * n));
}
bool EditRandom::coin() { return (raw() >> 31) != 0; }

RgbImage apply_edit(const RgbImage& src, ImageEdit edit, EditRandom& r, const EditRanges& ranges) {
    if (src.width <= 0 || src.height <= 0 ||
        src.data.size() != static_cast<std::size_t>(src.width) * src.height * 3)
        return src;
    const cv::Mat m = as_mat(src);
    cv::Mat out;
    switch (edit) {
        case ImageEdit::Crop: out = crop(m, r, ranges); break;
        case ImageEdit::Rotate: return turned_by(src, rotate_degrees(r, ranges));
        case ImageEdit::Rot90:
            cv::rotate(m, out, r.coin() ? cv::ROTATE_90_CLOCKWISE : cv::ROTATE_90_COUNTERCLOCKWISE);
            break;
        case ImageEdit::Mirror: cv::flip(m, out, 1); break;
        case ImageEdit::Jitter: out = jitter(m, r); break;
        case ImageEdit::Grey: out = grey(m); break;
        case ImageEdit::Blur: out = blur(m, r, ranges); break;
        case ImageEdit::Caption: out = caption(m, r); break;
        case ImageEdit::Jpeg: out = jpeg(m, r, ranges); break;
    }
    return out.empty() ? src : to_rgb(out);
}

RgbImage apply_edits(const RgbImage& src, const std::vector<ImageEdit>& edits, EditRandom& r,
                     const EditRanges& ranges) {
    std::vector<ImageEdit> order = edits;
    std::stable_sort(order.begin(), order.end());  // the enum is declared in the fixed order
    RgbImage out = src;
    for (const ImageEdit e : order) out = apply_edit(out, e, r, ranges);
    return out;
}

std::vector<ImageEdit> draw_edits(EditRandom& r, int count, const std::vector<ImageEdit>& from) {
    std::vector<ImageEdit> pool = from;
    if (pool.empty())
        for (int i = 0; i < kImageEditCount; ++i) pool.push_back(static_cast<ImageEdit>(i));
    std::sort(pool.begin(), pool.end());
    pool.erase(std::unique(pool.begin(), pool.end()), pool.end());
    const int n = std::clamp(count, 0, static_cast<int>(pool.size()));
    for (int i = 0; i < n; ++i)  // a partial Fisher-Yates shuffle
        std::swap(pool[static_cast<std::size_t>(i)],
                  pool[static_cast<std::size_t>(i + r.below(static_cast<int>(pool.size()) - i))]);
    pool.resize(static_cast<std::size_t>(n));
    std::sort(pool.begin(), pool.end());
    return pool;
}

RgbImage shrink_to_side(const RgbImage& src, int side) {
    const int shorter = std::min(src.width, src.height);
    if (side < 1 || shorter <= side || src.data.empty()) return src;
    const double f = static_cast<double>(side) / shorter;
    const int w = std::max(1, static_cast<int>(std::lround(src.width * f)));
    const int h = std::max(1, static_cast<int>(std::lround(src.height * f)));
    cv::Mat out;
    cv::resize(as_mat(src), out, cv::Size(w, h), 0, 0, cv::INTER_AREA);
    return to_rgb(out);
}

std::optional<RgbImage> shrink_if_far_larger(const RgbImage& src, int side) {
    if (side < 1 || std::min(src.width, src.height) <= 2 * side) return std::nullopt;
    return shrink_to_side(src, side);
}

std::string edits_label(const std::vector<ImageEdit>& edits) {
    std::string out;
    for (const ImageEdit e : edits) {
        if (!out.empty()) out += '+';
        out += image_edit_name(e);
    }
    return out;
}

}  // namespace rv

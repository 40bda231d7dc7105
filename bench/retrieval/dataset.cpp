#include "retrieval/dataset.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <random>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace rvbench {

namespace fs = std::filesystem;

namespace {

// ---- Fashion-MNIST (IDX files, gzip) ----

rv::Result<std::vector<std::uint8_t>> read_gz(const fs::path& path) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) return rv::Error{path.string() + ": cannot open (install the Debian package dataset-fashion-mnist)"};
    std::vector<std::uint8_t> out;
    std::vector<std::uint8_t> chunk(1 << 20);
    for (;;) {
        const int got = gzread(f, chunk.data(), static_cast<unsigned>(chunk.size()));
        if (got < 0) {
            int err = 0;
            std::string msg = gzerror(f, &err);
            gzclose(f);
            return rv::Error{path.string() + ": " + msg};
        }
        if (got == 0) break;
        out.insert(out.end(), chunk.begin(), chunk.begin() + got);
    }
    gzclose(f);
    return out;
}

std::uint32_t be32(const std::vector<std::uint8_t>& b, std::size_t at) {
    return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) |
           std::uint32_t{b[at + 3]};
}

// ---- random numbers, identical on every standard library ----
// std::uniform_*_distribution is implementation-defined; the raw mt19937 sequence is not. So
// values are derived from raw draws here.
class Rand {
public:
    Rand(std::uint32_t seed, int original, int aug) {
        std::seed_seq seq{seed, static_cast<std::uint32_t>(original), static_cast<std::uint32_t>(aug)};
        g_.seed(seq);
    }
    double unit() { return static_cast<double>(g_() >> 8) * (1.0 / 16777216.0); }  // [0, 1)
    double uniform(double a, double b) { return a + (b - a) * unit(); }
    int below(int n) { return std::min(n - 1, static_cast<int>(unit() * n)); }  // [0, n)
    bool coin() { return (g_() >> 31) != 0; }

private:
    std::mt19937 g_;
};

cv::Mat as_mat(const rv::RgbImage& img) {
    return cv::Mat(img.height, img.width, CV_8UC3, const_cast<std::uint8_t*>(img.data.data()));
}

rv::RgbImage to_rgb(const cv::Mat& m) {
    cv::Mat c = m.isContinuous() ? m : m.clone();
    rv::RgbImage out;
    out.width = c.cols;
    out.height = c.rows;
    out.data.assign(c.data, c.data + static_cast<std::size_t>(c.cols) * c.rows * 3);
    return out;
}

// Random crop keeping `area` of the pixels (aspect ratio jittered by up to 1.25x).
cv::Mat random_crop(const cv::Mat& m, Rand& r, double min_area, double max_area) {
    const double area = r.uniform(min_area, max_area);
    const double aspect = std::exp(r.uniform(std::log(0.8), std::log(1.25)));
    const int cw = std::clamp(static_cast<int>(std::lround(m.cols * std::sqrt(area * aspect))), 1, m.cols);
    const int ch = std::clamp(static_cast<int>(std::lround(m.rows * std::sqrt(area / aspect))), 1, m.rows);
    const int x = r.below(m.cols - cw + 1);
    const int y = r.below(m.rows - ch + 1);
    return m(cv::Rect(x, y, cw, ch)).clone();
}

// Rotation by `deg` about the centre, then the largest centred crop with the image's aspect
// ratio that contains no border pixels.
cv::Mat rotate_crop(const cv::Mat& m, double deg) {
    const double t = std::abs(deg) * CV_PI / 180.0, c = std::cos(t), s = std::sin(t);
    const double W = m.cols, H = m.rows;
    // A centred sW x sH rectangle lies inside the rotated W x H one iff its corners, rotated
    // back, lie inside W x H: s(W cos + H sin) <= W and s(W sin + H cos) <= H.
    const double k = std::min(W / (W * c + H * s), H / (W * s + H * c));
    cv::Mat rot;
    const cv::Mat a = cv::getRotationMatrix2D(cv::Point2f(static_cast<float>(W / 2), static_cast<float>(H / 2)), deg, 1.0);
    cv::warpAffine(m, rot, a, m.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT_101);
    const int cw = std::max(1, static_cast<int>(std::floor(W * k)) - 2);
    const int ch = std::max(1, static_cast<int>(std::floor(H * k)) - 2);
    return rot(cv::Rect((m.cols - cw) / 2, (m.rows - ch) / 2, cw, ch)).clone();
}

// Brightness, contrast, saturation (factors) and hue (fraction of the circle), in that order.
cv::Mat jitter(const cv::Mat& m, Rand& r) {
    const double b = r.uniform(0.6, 1.4), ct = r.uniform(0.6, 1.4), sat = r.uniform(0.5, 1.5);
    const double hue = r.uniform(-0.08, 0.08);
    cv::Mat f;
    m.convertTo(f, CV_32FC3, b);
    cv::Mat lum;
    cv::transform(f, lum, cv::Matx13f(0.299f, 0.587f, 0.114f));  // RGB order
    const float mean = static_cast<float>(cv::mean(lum)[0]);
    f = (f - cv::Scalar::all(mean)) * ct + cv::Scalar::all(mean);
    cv::transform(f, lum, cv::Matx13f(0.299f, 0.587f, 0.114f));
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

// JPEG round trip at `quality` (OpenCV's codec wants BGR).
cv::Mat jpeg(const cv::Mat& m, int quality) {
    cv::Mat bgr;
    cv::cvtColor(m, bgr, cv::COLOR_RGB2BGR);
    std::vector<std::uint8_t> buf;
    cv::imencode(".jpg", bgr, buf, {cv::IMWRITE_JPEG_QUALITY, quality});
    cv::Mat dec = cv::imdecode(buf, cv::IMREAD_COLOR);
    cv::cvtColor(dec, bgr, cv::COLOR_BGR2RGB);
    return bgr;
}

// A filled rectangle of random colour covering 8-12 % of the image, then a caption whose text
// box covers roughly another 3-6 %.
cv::Mat overlay(const cv::Mat& m, Rand& r) {
    cv::Mat out = m.clone();
    const double area = r.uniform(0.08, 0.12) * m.cols * m.rows;
    const double aspect = r.uniform(0.5, 2.0);
    const int rw = std::min(m.cols, static_cast<int>(std::lround(std::sqrt(area * aspect))));
    const int rh = std::min(m.rows, static_cast<int>(std::lround(std::sqrt(area / aspect))));
    const int rx = r.below(m.cols - rw + 1), ry = r.below(m.rows - rh + 1);
    const cv::Scalar colour(r.below(256), r.below(256), r.below(256));
    cv::rectangle(out, cv::Rect(rx, ry, rw, rh), colour, cv::FILLED);

    static const std::array<const char*, 4> captions = {"SAMPLE PHOTO", "(c) 2024 Holiday", "RuVision test",
                                                        "best summer ever"};
    const std::string text = captions[r.below(static_cast<int>(captions.size()))];
    const int font = cv::FONT_HERSHEY_DUPLEX;
    const double want_h = 0.08 * m.rows;
    int base = 0;
    double scale = want_h / cv::getTextSize(text, font, 1.0, 1, &base).height;
    cv::Size ts = cv::getTextSize(text, font, scale, 1, &base);
    if (ts.width > 0.9 * m.cols) {
        scale *= 0.9 * m.cols / ts.width;
        ts = cv::getTextSize(text, font, scale, 1, &base);
    }
    const int thick = std::max(1, static_cast<int>(std::lround(scale * 1.5)));
    ts = cv::getTextSize(text, font, scale, thick, &base);
    const int tx = r.below(std::max(1, m.cols - ts.width));
    const int ty = ts.height + r.below(std::max(1, m.rows - ts.height - base));
    const cv::Scalar tcolour(r.below(256), r.below(256), r.below(256));
    cv::putText(out, text, cv::Point(tx, ty), font, scale, tcolour, thick, cv::LINE_AA);
    return out;
}

bool is_photo(const fs::path& p) {
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e == ".jpg" || e == ".jpeg" || e == ".png";
}

}  // namespace

rv::Result<FashionSet> load_fashion(const fs::path& dir, int per_class) {
    const auto images_path = dir / "t10k-images-idx3-ubyte.gz";
    const auto labels_path = dir / "t10k-labels-idx1-ubyte.gz";
    auto img = read_gz(images_path);
    if (!img) return img.error();
    auto lab = read_gz(labels_path);
    if (!lab) return lab.error();
    if (img->size() < 16 || be32(*img, 0) != 0x803) return rv::Error{images_path.string() + ": not an IDX3 ubyte file"};
    if (lab->size() < 8 || be32(*lab, 0) != 0x801) return rv::Error{labels_path.string() + ": not an IDX1 ubyte file"};
    const std::uint32_t n = be32(*img, 4), rows = be32(*img, 8), cols = be32(*img, 12);
    if (be32(*lab, 4) != n || img->size() != 16 + std::size_t{n} * rows * cols || lab->size() != 8 + std::size_t{n})
        return rv::Error{dir.string() + ": image and label files disagree or are truncated"};

    FashionSet set;
    for (int cls = 0; cls < 10; ++cls) {
        int taken = 0;
        for (std::uint32_t i = 0; i < n && taken < per_class; ++i) {
            if ((*lab)[8 + i] != cls) continue;
            rv::RgbImage im;
            im.width = static_cast<int>(cols);
            im.height = static_cast<int>(rows);
            im.data.resize(std::size_t{rows} * cols * 3);
            const std::uint8_t* src = img->data() + 16 + std::size_t{i} * rows * cols;
            for (std::size_t p = 0; p < std::size_t{rows} * cols; ++p)
                im.data[3 * p] = im.data[3 * p + 1] = im.data[3 * p + 2] = src[p];
            set.images.push_back(std::move(im));
            set.labels.push_back(cls);
            set.test_index.push_back(static_cast<int>(i));
            ++taken;
        }
        if (taken < per_class) return rv::Error{"Fashion-MNIST: class " + std::to_string(cls) + " has too few images"};
    }
    return set;
}

const char* aug_name(Aug a) {
    static const std::array<const char*, kAugCount> names = {"crop", "rot90", "rotate", "hflip",   "jitter",
                                                             "grey", "blur",  "overlay", "jpeg10", "combined"};
    return names[static_cast<int>(a)];
}

std::vector<fs::path> neardup_sources(const fs::path& mate_dir, const fs::path& wallpaper_dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    if (fs::is_directory(mate_dir, ec))
        for (const auto& e : fs::directory_iterator(mate_dir, ec))
            if (e.is_regular_file() && is_photo(e.path())) out.push_back(e.path());
    if (fs::is_directory(wallpaper_dir, ec))
        for (const auto& folder : fs::directory_iterator(wallpaper_dir, ec)) {
            const fs::path images = folder.path() / "contents" / "images";
            if (!fs::is_directory(images, ec)) continue;
            fs::path best;
            std::uintmax_t best_size = 0;
            std::vector<fs::path> files;
            for (const auto& e : fs::directory_iterator(images, ec))  // sizes are often symlinks to one file
                if (e.is_regular_file() && !e.is_symlink() && is_photo(e.path())) files.push_back(e.path());
            std::sort(files.begin(), files.end());  // ties go to the first name
            for (const auto& f : files)
                if (const auto sz = fs::file_size(f, ec); !ec && (best.empty() || sz > best_size)) {
                    best = f;
                    best_size = sz;
                }
            if (!best.empty()) out.push_back(best);
        }
    std::sort(out.begin(), out.end());
    // The same file reached twice (symlinks) is one original.
    std::vector<fs::path> unique, seen;
    for (const auto& p : out) {
        const fs::path c = fs::weakly_canonical(p, ec);
        if (std::find(seen.begin(), seen.end(), c) != seen.end()) continue;
        seen.push_back(c);
        unique.push_back(p);
    }
    return unique;
}

rv::RgbImage augment(const rv::RgbImage& src, Aug aug, std::uint32_t seed, int original_index) {
    Rand r(seed, original_index, static_cast<int>(aug));
    const cv::Mat m = as_mat(src);
    cv::Mat out;
    switch (aug) {
        case Aug::Crop:
            out = random_crop(m, r, 0.5, 0.8);
            break;
        case Aug::Rot90:
            cv::rotate(m, out, r.coin() ? cv::ROTATE_90_CLOCKWISE : cv::ROTATE_90_COUNTERCLOCKWISE);
            break;
        case Aug::Rotate: {
            const double deg = r.uniform(10.0, 15.0);
            out = rotate_crop(m, r.coin() ? deg : -deg);
            break;
        }
        case Aug::HFlip:
            cv::flip(m, out, 1);
            break;
        case Aug::Jitter:
            out = jitter(m, r);
            break;
        case Aug::Grey: {
            cv::Mat g;
            cv::cvtColor(m, g, cv::COLOR_RGB2GRAY);
            cv::cvtColor(g, out, cv::COLOR_GRAY2RGB);
            break;
        }
        case Aug::Blur:
            cv::GaussianBlur(m, out, cv::Size(0, 0), r.uniform(2.0, 3.0));
            break;
        case Aug::Overlay:
            out = overlay(m, r);
            break;
        case Aug::Jpeg10:
            out = jpeg(m, 10);
            break;
        case Aug::Combined: {
            cv::Mat c = jpeg(jitter(random_crop(m, r, 0.5, 0.8), r), 30);
            cv::flip(c, out, 1);
            break;
        }
    }
    return to_rgb(out);
}

NearDupSet build_neardup(const std::vector<fs::path>& sources, int working_side, std::uint32_t seed) {
    NearDupSet set;
    set.working_side = working_side;
    for (const auto& path : sources) {
        rv::DecodeOptions opt;
        opt.min_side = working_side;
        auto dec = rv::decode_image(path, opt);
        if (!dec) {
            std::fprintf(stderr, "near-dup: skipping %s\n", dec.error().message.c_str());
            continue;
        }
        rv::RgbImage img = std::move(dec->image);
        const int shorter = std::min(img.width, img.height);
        if (shorter > working_side) {
            const double s = static_cast<double>(working_side) / shorter;
            const int w = img.width == shorter ? working_side : static_cast<int>(std::lround(img.width * s));
            const int h = img.height == shorter ? working_side : static_cast<int>(std::lround(img.height * s));
            cv::Mat small;
            cv::resize(as_mat(img), small, cv::Size(w, h), 0, 0, cv::INTER_AREA);
            img = to_rgb(small);
        }
        set.names.push_back(path.string());
        set.originals.push_back(std::move(img));
    }
    for (int o = 0; o < static_cast<int>(set.originals.size()); ++o)
        for (int a = 0; a < kAugCount; ++a) set.queries.push_back(augment(set.originals[o], static_cast<Aug>(a), seed, o));
    return set;
}

}  // namespace rvbench

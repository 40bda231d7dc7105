#include "retrieval/dataset.h"
#include "retrieval/distinct_files.h"

#include <utility>

#include "ruvision/engine/ImageEdits.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include <opencv2/imgproc.hpp>

namespace rvbench {

namespace fs = std::filesystem;

namespace {

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

bool is_photo(const fs::path& p) {
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e == ".jpg" || e == ".jpeg" || e == ".png";
}

}  // namespace

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
    return sorted_distinct_files(std::move(out));  // the same file reached twice is one original
}

rv::RgbImage augment(const rv::RgbImage& src, Aug aug, std::uint32_t seed, int original_index) {
    using E = rv::ImageEdit;
    rv::EditRandom r(seed, static_cast<std::uint64_t>(original_index), static_cast<std::uint64_t>(aug));
    rv::EditRanges g;
    g.crop_area_min = 0.5;
    g.rotate_min = 10.0;
    // Blur sigma 2-3 pixels at whatever size (EditRanges counts it on a 640 px shorter side).
    const double per_640 = 640.0 / std::max(1, std::min(src.width, src.height));
    g.blur_sigma_min = 2.0 * per_640;
    g.blur_sigma_max = 3.0 * per_640;
    switch (aug) {
        case Aug::Crop: return rv::apply_edit(src, E::Crop, r, g);
        case Aug::Rot90: return rv::apply_edit(src, E::Rot90, r, g);
        case Aug::Rotate: return rv::apply_edit(src, E::Rotate, r, g);
        case Aug::HFlip: return rv::apply_edit(src, E::Mirror, r, g);
        case Aug::Jitter: return rv::apply_edit(src, E::Jitter, r, g);
        case Aug::Grey: return rv::apply_edit(src, E::Grey, r, g);
        case Aug::Blur: return rv::apply_edit(src, E::Blur, r, g);
        case Aug::Overlay: return rv::apply_edit(src, E::Caption, r, g);
        case Aug::Jpeg10:
            g.jpeg_quality_min = g.jpeg_quality_max = 10;
            return rv::apply_edit(src, E::Jpeg, r, g);
        case Aug::Combined:
            g.jpeg_quality_min = g.jpeg_quality_max = 30;
            return rv::apply_edits(src, {E::Crop, E::Mirror, E::Jitter, E::Jpeg}, r, g);
    }
    return src;
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

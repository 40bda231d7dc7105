// create_library, write_synthetic_files, ClusteredVectors, build_linked_library (synthetic_library.h).
#include "synthetic_library.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <system_error>
#include <vector>

#include "ruvision/engine/Hierarchy.h"
#include "ruvision/engine/Library.h"
#include "ruvision/kernels/kernels.h"

namespace benchlib {

namespace fs = std::filesystem;

rv::Result<SyntheticLibrary> create_library(const fs::path& dir, const fs::path& root) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (ec) return rv::Error{dir.string() + ": cannot remove the old library: " + ec.message()};
    fs::create_directories(root, ec);
    if (ec) return rv::Error{root.string() + ": cannot create the root: " + ec.message()};
    auto lib = rv::Library::open(dir, rv::LibraryAccess::Create);
    if (!lib) return lib.error();
    SyntheticLibrary out;
    out.model_id = (*lib)->model_id();
    out.dim = (*lib)->embedder().dim();
    if (auto r = (*lib)->add_root(root); !r) return r.error();
    return out;
}

rv::Status write_synthetic_files(const fs::path& dir, const SyntheticLibrary& lib, std::size_t n, int width,
                                 int height, const MakeFile& make) {
    auto db = rv::CatalogDb::open(dir / "catalog.sqlite", rv::CatalogDb::OpenMode::MustExist);
    if (!db) return db.error();
    auto roots = db->roots();
    if (!roots) return roots.error();
    if (roots->empty()) return rv::Error{dir.string() + ": the library has no root"};
    const auto& root = (*roots)[0];
    std::vector<float> v(static_cast<std::size_t>(lib.dim));
    for (std::size_t start = 0; start < n; start += 4096) {
        auto tx = db->begin();
        if (!tx) return tx.error();
        for (std::size_t i = start; i < std::min(n, start + 4096); ++i) {
            auto file = make(i, root.path, v.data());
            if (!file) return file.error();
            auto seen = db->upsert_file_seen(root.id, file->path, file->size, file->mtime_ns);
            if (!seen) return seen.error();
            if (auto st = db->mark_indexed(seen->file_id, width, height, lib.model_id, v.data(), lib.dim,
                                           file->rotated.empty() ? nullptr : file->rotated.data());
                !st)
                return st;
            if (!file->twins.empty()) {
                const int count = static_cast<int>(file->twins.size() / static_cast<std::size_t>(lib.dim));
                if (auto st = db->put_twins(seen->file_id, lib.model_id, file->twins.data(), count, lib.dim); !st)
                    return st;
            }
            if (!file->regions.empty())
                if (auto st = db->put_regions(seen->file_id, lib.model_id, file->regions); !st) return st;
        }
        if (auto st = tx->commit(); !st) return st;
    }
    return rv::Status::success();
}

namespace {

void normalise(float* v, int dim) { rv::kernels::kernels().l2_normalize(v, static_cast<std::size_t>(dim)); }

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// 24 wallpapers of /usr/share/backgrounds scaled to `side` px on the longer side, written into
// `dir` as JPEG; their paths.
rv::Result<std::vector<fs::path>> write_sources(const fs::path& dir, int side) {
    std::vector<fs::path> all;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator("/usr/share/backgrounds", ec); !ec && it != fs::end(it);
         it.increment(ec)) {
        const auto ext = it->path().extension();
        if (it->is_regular_file() && (ext == ".jpg" || ext == ".png")) all.push_back(it->path());
    }
    std::sort(all.begin(), all.end());
    fs::create_directories(dir, ec);
    std::vector<fs::path> out;
    for (const auto& source : all) {
        if (out.size() == 24) break;
        cv::Mat image = cv::imread(source.string(), cv::IMREAD_COLOR);
        if (image.empty()) continue;
        const double f = static_cast<double>(side) / std::max(image.cols, image.rows);
        cv::resize(image, image, cv::Size(), f, f, cv::INTER_AREA);
        const fs::path to = dir / ("source" + std::to_string(out.size()) + ".jpg");
        if (!cv::imwrite(to.string(), image, {cv::IMWRITE_JPEG_QUALITY, 85})) return rv::Error{"cannot write " + to.string()};
        out.push_back(to);
    }
    if (out.empty()) return rv::Error{"no wallpapers under /usr/share/backgrounds"};
    return out;
}

std::vector<char> read_all(const fs::path& p) {
    std::vector<char> bytes;
    if (std::FILE* f = std::fopen(p.c_str(), "rb")) {
        char buf[65536];
        for (std::size_t got; (got = std::fread(buf, 1, sizeof buf, f)) > 0;) bytes.insert(bytes.end(), buf, buf + got);
        std::fclose(f);
    }
    return bytes;
}

// `jpeg` with a comment segment (COM) naming `tag` after its start marker: other bytes, the same
// pixels.
std::vector<char> with_comment(const std::vector<char>& jpeg, const std::string& tag) {
    std::vector<char> out(jpeg.begin(), jpeg.begin() + 2);
    const std::size_t len = tag.size() + 2;
    out.insert(out.end(), {'\xFF', '\xFE', static_cast<char>(len >> 8), static_cast<char>(len & 0xFF)});
    out.insert(out.end(), tag.begin(), tag.end());
    out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
    return out;
}

bool write_file(const fs::path& p, const std::vector<char>& bytes) {
    std::FILE* f = std::fopen(p.c_str(), "wb");
    if (!f) return false;
    const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    return std::fclose(f) == 0 && ok;
}

}  // namespace

ClusteredVectors::ClusteredVectors(int dim, int clusters, std::uint64_t seed, float spread)
    : dim_(dim), spread_(spread), centres_(static_cast<std::size_t>(dim) * clusters) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> g(0.f, 1.f);
    for (int c = 0; c < clusters; ++c) {
        float* v = &centres_[static_cast<std::size_t>(c) * dim];
        for (int d = 0; d < dim; ++d) v[d] = g(rng);
        normalise(v, dim);
    }
}

void ClusteredVectors::vector(std::size_t i, float* out) const {
    const std::size_t clusters = centres_.size() / static_cast<std::size_t>(dim_);
    std::copy_n(&centres_[(i % clusters) * static_cast<std::size_t>(dim_)], dim_, out);
    perturb(out, spread_, i * 7919 + 17);
}

void ClusteredVectors::perturb(float* v, float scale, std::uint64_t seed) const {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> g(0.f, scale / std::sqrt(static_cast<float>(dim_)));
    for (int d = 0; d < dim_; ++d) v[d] += g(rng);
    normalise(v, dim_);
}

rv::Result<LinkedLibraryTimes> build_linked_library(const fs::path& dir, const LinkedLibraryParams& p) {
    LinkedLibraryTimes times;
    const fs::path root = dir / "photos";
    auto made = create_library(dir, root);
    if (!made) return made.error();
    auto sources = write_sources(dir / "sources", p.side);
    if (!sources) return sources.error();
    std::vector<std::vector<char>> source_bytes;
    for (const auto& s : *sources) source_bytes.push_back(read_all(s));
    const ClusteredVectors gen(made->dim, 1000, 1, p.spread);
    const std::size_t dim = static_cast<std::size_t>(made->dim);
    auto t0 = std::chrono::steady_clock::now();
    auto written = write_synthetic_files(
        dir, *made, p.files, 800, 533,
        [&](std::size_t i, const std::string& rootPath, float* feature) -> rv::Result<SyntheticFile> {
            const bool copy = p.copy_every > 0 && i > 0 && i % p.copy_every == 0;
            const std::size_t picture = copy ? i - 1 : i;
            char name[32];
            std::snprintf(name, sizeof name, "/p%06zu.jpg", i);
            SyntheticFile f;
            f.path = rootPath + name;
            const std::size_t source = picture % sources->size();
            if (p.distinct) {
                if (!write_file(f.path, with_comment(source_bytes[source], "ruvision bench file " + std::to_string(picture))))
                    return rv::Error{"cannot write " + f.path};
            } else if (::link((*sources)[source].c_str(), f.path.c_str()) != 0) {
                return rv::Error{"cannot link " + f.path};
            }
            struct stat st {};
            if (::stat(f.path.c_str(), &st) != 0) return rv::Error{"cannot stat " + f.path};
            f.size = st.st_size;
            f.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
            gen.vector(picture, feature);
            if (copy) gen.perturb(feature, 0.02f, i);
            if (p.extras) {
                f.rotated.resize(dim);
                gen.vector(picture + 1'000'003, f.rotated.data());
                f.twins.resize(3 * dim);
                for (std::size_t t = 0; t < 3; ++t) {
                    std::copy_n(feature, dim, &f.twins[t * dim]);
                    gen.perturb(&f.twins[t * dim], 0.3f, i * 8 + t);
                }
                for (int r = 0; r < 4; ++r) {
                    rv::CatalogRegion region;
                    region.idx = r;
                    region.x = 0.5f * static_cast<float>(r % 2);
                    region.y = 0.5f * static_cast<float>(r / 2);
                    region.w = region.h = 0.5f;
                    region.vector.assign(feature, feature + dim);
                    gen.perturb(region.vector.data(), 0.9f, i * 8 + 4 + static_cast<std::size_t>(r));
                    f.regions.push_back(std::move(region));
                }
            }
            return f;
        });
    if (!written) return written.error();
    times.write_s = seconds_since(t0);

    t0 = std::chrono::steady_clock::now();
    auto lib = rv::Library::open(dir, rv::LibraryAccess::Update);  // builds the indexes from the catalog
    if (!lib) return lib.error();
    times.open_s = seconds_since(t0);
    const std::atomic<bool> never{false};
    {
        // An indexing run with the folder away (its root offline: nothing changes) saves the
        // indexes, so that every later open loads them instead of building them again.
        t0 = std::chrono::steady_clock::now();
        fs::rename(root, dir / "photos.away");
        auto run = (*lib)->index(rv::IndexJobParams{}, never);
        fs::rename(dir / "photos.away", root);
        if (!run) return run.error();
        times.save_s = seconds_since(t0);
    }
    {
        // What `ruvision-cli index` stores after indexing: the search calibration, learned on
        // edited views of sampled library files (real pixels, the folder back in place).
        t0 = std::chrono::steady_clock::now();
        if (auto st = (*lib)->update_search_calibration(never); !st) return st.error();
        times.calibration_s = seconds_since(t0);
    }
    t0 = std::chrono::steady_clock::now();
    auto up = rv::update_hierarchy(**lib, rv::HierarchyParams{}, never);
    if (!up) return up.error();
    times.hierarchy_s = seconds_since(t0);
    times.hierarchy_nodes = up->nodes;
    return times;
}

}  // namespace benchlib

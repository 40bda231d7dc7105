#include "learning/features.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>

#include "retrieval/dataset.h"
#include "retrieval/evaluate.h"
#include "ruvision/engine/Embedder.h"

namespace rvlearn {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'R', 'V', 'L', 'F', 'E', 'A', 'T', '1'};

struct Fnv {
    std::uint64_t h = 1469598103934665603ull;
    void add(const void* data, std::size_t n) {
        const auto* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
    }
};

rv::Result<std::uint64_t> hash_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return rv::Error{path.string() + ": cannot read the model file"};
    Fnv f;
    std::vector<char> buf(1 << 20);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        f.add(buf.data(), static_cast<std::size_t>(in.gcount()));
    }
    return f.h;
}

std::string hex(std::uint64_t v) {
    char s[17];
    std::snprintf(s, sizeof s, "%016llx", static_cast<unsigned long long>(v));
    return s;
}

fs::path default_cache() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    const fs::path base = ec ? fs::current_path() : exe.parent_path().parent_path();
    return base / "bench-cache" / "learning-features.bin";
}

// Reads the cache if it exists and its key is `key`; otherwise an empty optional (and why, on stderr).
std::optional<Pool> read_cache(const fs::path& path, const std::string& key) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    char magic[8];
    std::uint32_t key_len = 0, n = 0, dim = 0;
    if (!in.read(magic, 8) || std::memcmp(magic, kMagic, 8) != 0 || !in.read(reinterpret_cast<char*>(&key_len), 4) ||
        key_len > 4096) {
        std::fprintf(stderr, "bench_learning: %s is not a feature cache; embedding again\n", path.c_str());
        return std::nullopt;
    }
    std::string stored(key_len, '\0');
    in.read(stored.data(), key_len);
    if (!in || stored != key) {
        std::fprintf(stderr, "bench_learning: %s holds other features (%s); embedding again\n", path.c_str(),
                     stored.c_str());
        return std::nullopt;
    }
    in.read(reinterpret_cast<char*>(&n), 4);
    in.read(reinterpret_cast<char*>(&dim), 4);
    if (!in || n == 0 || n > 1000000 || dim == 0 || dim > 65536) {
        std::fprintf(stderr, "bench_learning: %s: bad sizes; embedding again\n", path.c_str());
        return std::nullopt;
    }
    Pool p;
    p.features.dim = static_cast<int>(dim);
    p.features.rows.resize(std::size_t{n} * dim);
    std::vector<std::uint8_t> labels(n);
    in.read(reinterpret_cast<char*>(labels.data()), n);
    in.read(reinterpret_cast<char*>(p.features.rows.data()),
            static_cast<std::streamsize>(p.features.rows.size() * sizeof(float)));
    if (!in || in.peek() != std::char_traits<char>::eof()) {
        std::fprintf(stderr, "bench_learning: %s is truncated or too long; embedding again\n", path.c_str());
        return std::nullopt;
    }
    p.labels.assign(labels.begin(), labels.end());
    return p;
}

rv::Status write_cache(const fs::path& path, const std::string& key, const Pool& p) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    const fs::path tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        const auto key_len = static_cast<std::uint32_t>(key.size());
        const auto n = static_cast<std::uint32_t>(p.labels.size());
        const auto dim = static_cast<std::uint32_t>(p.features.dim);
        std::vector<std::uint8_t> labels(p.labels.begin(), p.labels.end());
        out.write(kMagic, 8);
        out.write(reinterpret_cast<const char*>(&key_len), 4);
        out.write(key.data(), key_len);
        out.write(reinterpret_cast<const char*>(&n), 4);
        out.write(reinterpret_cast<const char*>(&dim), 4);
        out.write(reinterpret_cast<const char*>(labels.data()), n);
        out.write(reinterpret_cast<const char*>(p.features.rows.data()),
                  static_cast<std::streamsize>(p.features.rows.size() * sizeof(float)));
        if (!out.flush()) return rv::Error{tmp.string() + ": cannot write the feature cache"};
    }
    fs::rename(tmp, path, ec);
    if (ec) return rv::Error{path.string() + ": " + ec.message()};
    return {};
}

}  // namespace

rv::Result<Pool> load_pool(const fs::path& fashion_dir, fs::path cache, int threads) {
    // 1000 per class is the whole t10k split.
    auto set = rvbench::load_fashion(fashion_dir, 1000);
    if (!set) return set.error();
    const std::size_t n = set->images.size();
    if (n < 4000) return rv::Error{fashion_dir.string() + ": only " + std::to_string(n) + " test images"};
    // Back to test-set order.
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[static_cast<std::size_t>(set->test_index[i])] = i;

    auto model = rv::find_model();
    if (!model) return model.error();
    if (!model->problem.empty()) return rv::Error{model->problem};
    auto embedder = rv::Embedder::open(*model);
    if (!embedder) return embedder.error();
    auto model_hash = hash_file(model->path);
    if (!model_hash) return model_hash.error();

    Fnv images;
    for (std::size_t i : order) {
        images.add(&set->labels[i], sizeof(int));
        images.add(set->images[i].data.data(), set->images[i].data.size());
    }
    const std::string name = (*embedder)->model_name() + " " + (*embedder)->descriptor().str();
    const std::string key = name + " model:" + hex(*model_hash) + " images:" + std::to_string(n) + ":" + hex(images.h);
    if (cache.empty()) cache = default_cache();

    if (auto cached = read_cache(cache, key)) {
        cached->model = name;
        cached->from_cache = true;
        return std::move(*cached);
    }
    std::fprintf(stderr, "bench_learning: embedding %zu Fashion-MNIST images with %s on %d threads...\n", n,
                 name.c_str(), threads);
    std::vector<const rv::RgbImage*> imgs;
    for (std::size_t i : order) imgs.push_back(&set->images[i]);
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<double> ms;
    const rvbench::Matrix m = rvbench::embed_all(**embedder, imgs, threads, ms);
    Pool p;
    p.embed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    p.model = name;
    p.features.dim = m.cols;
    p.features.rows = m.v;
    for (std::size_t i : order) p.labels.push_back(set->labels[i]);
    // embed_all leaves a failed image's row at zero (and says which): not usable as features.
    for (std::size_t i = 0; i < n; ++i) {
        double s = 0;
        for (int j = 0; j < m.cols; ++j) s += double(p.features.row(i)[j]) * p.features.row(i)[j];
        if (s < 0.5) return rv::Error{"Fashion-MNIST test image " + std::to_string(i) + " could not be embedded"};
    }
    if (auto st = write_cache(cache, key, p); !st) std::fprintf(stderr, "bench_learning: %s\n", st.error().message.c_str());
    else std::fprintf(stderr, "bench_learning: features cached in %s\n", cache.c_str());
    return p;
}

}  // namespace rvlearn

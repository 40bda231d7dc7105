// Vector index benchmark: for each library size, an f32 HnswIndex (hnswlib, M=16,
// ef_construction=200 unless --ef-construction) against the exact BruteForceIndex scan measured in
// the same run: build time, memory per vector (file payload bytes / n, and resident-memory growth
// / n), save and load time, median and p99 search latency for k=10 (one query at a time, one
// thread), recall@10 of HNSW against the exact answer, and the latency ratio. Then recall and
// latency at several ef_search values. Then, for each vector storage (f32, f16, i8; issue 14): the
// f32 graph converted to it (or, --native, built with it), saved, opened three times in a fresh
// process each (after dropping the page cache when this process may: root), with the open's median
// time, peak RSS and RSS growth per vector, bytes per vector in the file, recall@10 against the
// exact scan and the median query time at ef_search 64 and 128 (ratio to f32's in the same run).
// --compact: 30 % of the f16 index removed, then one compaction timed. --keep: the saved files
// stay in --dir (named by storage), to profile their open. Prints Markdown tables;
// never passes or fails.
//
// usage: bench_index [--sizes 10000,100000 | --vectors 1000000] [--dim 576] [--queries 1000]
//                    [--threads 2] [--ef 32,64,128,256] [--seed 1] [--vectors FILE]
//                    [--storages f32,f16,i8] [--native] [--compact] [--warm] [--keep] [--dir DIR]
//                    [--ef-construction 200]
// The default is small (10k and 100k); 1M x 576-d needs ~9 GB of memory and ~4 GB of disk.
//
// Vectors. Without --vectors, a synthetic set shaped like CNN image embeddings, seeded and
// identical whatever the thread count or chunking (vector i is a function of seed and i only):
//  - all vectors share a mean direction (post-ReLU features are non-negative, so real embeddings
//    sit in a cone: unrelated images still have cosine ~0.2-0.4);
//  - 1000 clusters ("events", "subjects"), picked with a skewed frequency (weight 1/(rank+10));
//    a centre is normalize(0.6 * mean + random unit vector);
//  - a vector is its centre + a spread along 8 directions of its cluster (Gaussian weights, 0.35)
//    + isotropic noise (0.25), normalised;
//  - one vector in five is a near-duplicate (burst shot, edit, resize) of an earlier vector:
//    that vector + isotropic noise 0.15, normalised.
// Queries come from the same process with another seed (so none is in the index; near-duplicate
// queries point at indexed vectors). --vectors FILE reads raw float32 rows of --dim floats
// (e.g. real embeddings dumped by the CLI); they are L2-normalised on load, the last --queries
// rows are the queries and the rest the library (sizes are capped at what is left).
#include "ruvision/engine/VectorIndex.h"
#include "ruvision/kernels/kernels.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <unordered_set>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

std::uint64_t splitmix(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
float uniform01(std::uint64_t& s) { return float(splitmix(s) >> 40) * (1.0f / 16777216.0f); }
float gaussian(std::uint64_t& s) {
    const float u = std::max(uniform01(s), 1e-7f), v = uniform01(s);
    return std::sqrt(-2.0f * std::log(u)) * std::cos(6.2831853f * v);
}

// The synthetic embedding process described at the top of the file.
class Synthetic {
public:
    static constexpr int kClusters = 1000, kSpread = 8;

    Synthetic(int dim, std::uint64_t seed) : d_(dim), seed_(seed) {
        std::uint64_t s = seed * 7919 + 17;
        std::vector<float> mean(d_);
        for (float& x : mean) x = gaussian(s);
        unit(mean.data());
        centres_.resize(std::size_t(kClusters) * d_);
        basis_.resize(std::size_t(kClusters) * kSpread * d_);
        const float inv_sqrt_d = 1.0f / std::sqrt(float(d_));
        for (int c = 0; c < kClusters; ++c) {
            float* ctr = &centres_[std::size_t(c) * d_];
            for (int j = 0; j < d_; ++j) ctr[j] = gaussian(s) * inv_sqrt_d;
            unit(ctr);
            for (int j = 0; j < d_; ++j) ctr[j] += 0.6f * mean[j];
            unit(ctr);
        }
        for (float& x : basis_) x = gaussian(s) * inv_sqrt_d;
        double total = 0;
        for (int c = 0; c < kClusters; ++c) cumulative_.push_back(total += 1.0 / (c + 10));
        for (double& w : cumulative_) w /= total;
    }

    // Vector `i` of stream `stream` (0 = library, 1 = queries) into out[d].
    void make(std::uint64_t i, int stream, float* out) const {
        std::uint64_t s = (seed_ * 0x100000001b3ull) ^ (i * 4 + std::uint64_t(stream) + 1) * 0x9e37ull;
        splitmix(s);
        const bool near_duplicate = splitmix(s) % 5 == 0 && (stream == 1 || i > 0);
        if (near_duplicate) {
            const std::uint64_t limit = stream == 1 ? parent_range_ : i;
            base(splitmix(s) % std::max<std::uint64_t>(limit, 1), 0, out);
            add_noise(out, 0.15f, s);
        } else {
            base(i, stream, out);
        }
        unit(out);
    }
    // Near-duplicate queries point at library vectors below this index.
    void set_parent_range(std::uint64_t n) { parent_range_ = n; }

private:
    void base(std::uint64_t i, int stream, float* out) const {
        std::uint64_t s = (seed_ * 0xff51afd7ull) ^ (i * 4 + std::uint64_t(stream) + 3) * 0xc4ceb9ull;
        splitmix(s);
        const double r = uniform01(s);
        const int c = int(std::lower_bound(cumulative_.begin(), cumulative_.end(), r) -
                          cumulative_.begin()) % kClusters;
        std::copy_n(&centres_[std::size_t(c) * d_], d_, out);
        for (int b = 0; b < kSpread; ++b) {
            const float z = 0.35f * gaussian(s);
            const float* dir = &basis_[(std::size_t(c) * kSpread + b) * d_];
            for (int j = 0; j < d_; ++j) out[j] += z * dir[j];
        }
        add_noise(out, 0.25f, s);
    }
    void add_noise(float* out, float scale, std::uint64_t& s) const {
        const float a = scale * std::sqrt(12.0f / float(d_));  // uniform, variance scale^2 / d
        for (int j = 0; j < d_; ++j) out[j] += a * (uniform01(s) - 0.5f);
    }
    void unit(float* v) const { rv::kernels::kernels().l2_normalize(v, std::size_t(d_)); }

    int d_;
    std::uint64_t seed_;
    std::uint64_t parent_range_ = 1;
    std::vector<float> centres_, basis_;
    std::vector<double> cumulative_;
};

// Rows [first, first + n) of the library or query stream, generated on `threads` threads.
void generate(const Synthetic& g, std::uint64_t first, std::size_t n, int stream, int dim,
              int threads, float* out) {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            for (std::size_t i = t; i < n; i += threads) g.make(first + i, stream, out + i * dim);
        });
    for (auto& th : pool) th.join();
}

std::size_t rss_bytes() {
    std::ifstream f("/proc/self/statm");
    std::size_t pages_total = 0, pages_resident = 0;
    f >> pages_total >> pages_resident;
    return pages_resident * std::size_t(sysconf(_SC_PAGESIZE));
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size())))];
}

std::vector<long> parse_list(const char* s) {
    std::vector<long> out;
    for (const char* p = s; *p;) {
        char* end;
        out.push_back(std::strtol(p, &end, 10));
        p = *end == ',' ? end + 1 : end;
        if (end == p && *p) break;
    }
    return out;
}

struct Options {
    std::vector<long> sizes{10000, 100000};
    int dim = 576;
    int queries = 1000;
    int threads = 2;
    std::vector<long> efs{32, 64, 128, 256};
    std::uint64_t seed = 1;
    std::string vectors_file;
    std::vector<rv::VectorStorage> storages{rv::VectorStorage::F32, rv::VectorStorage::F16, rv::VectorStorage::I8};
    int ef_construction = 200;
    bool native = false;       // build each storage's graph itself (default: convert the f32 graph)
    bool drop_caches = true;   // before each open, if this process may (root)
    bool keep = false;         // leave each storage's saved file in --dir (to profile its open)
    bool compact = false;      // time a compaction after removing 30 % of the vectors
    std::string dir;           // where index files go (default: the temporary directory)
};

// --open PATH DIM: the child process that opens an index and reports, on one line, the seconds
// load_index took, its peak RSS and its RSS growth in bytes; a fresh process each time, so the
// peak is the open's and not the bench's.
int open_only(const char* path, int dim) {
    const std::size_t rss0 = rss_bytes();
    const auto t = Clock::now();
    auto loaded = rv::load_index(path, dim, "bench/synthetic");
    const double s = seconds_since(t);
    if (!loaded.ok()) {
        std::fprintf(stderr, "%s\n", loaded.error().message.c_str());
        return 1;
    }
    std::size_t hwm_kb = 0;
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0) hwm_kb = std::strtoull(line.c_str() + 6, nullptr, 10);
    std::printf("%.6f %zu %zu\n", s, hwm_kb * 1024, rss_bytes() - rss0);
    return 0;
}

bool drop_page_cache() {
    ::sync();
    std::ofstream f("/proc/sys/vm/drop_caches");
    f << "3\n";
    f.flush();
    return bool(f);
}

struct OpenFigures {
    double median_s = 0;
    std::size_t peak_rss = 0, rss_growth = 0;
    bool cold = false;
};

// Opens `path` three times, each in a fresh process (after dropping the page cache when allowed).
OpenFigures measure_open(const Options& o, const char* self, const std::string& path) {
    std::vector<double> secs;
    OpenFigures f;
    f.cold = o.drop_caches;
    for (int r = 0; r < 3; ++r) {
        if (o.drop_caches && !drop_page_cache()) f.cold = false;
        const std::string cmd = std::string(self) + " --open '" + path + "' " + std::to_string(o.dim);
        FILE* p = ::popen(cmd.c_str(), "r");
        double s = 0;
        std::size_t peak = 0, growth = 0;
        if (!p || std::fscanf(p, "%lf %zu %zu", &s, &peak, &growth) != 3) std::abort();
        if (::pclose(p) != 0) std::abort();
        secs.push_back(s);
        f.peak_rss = std::max(f.peak_rss, peak);
        f.rss_growth = std::max(f.rss_growth, growth);
    }
    f.median_s = percentile(secs, 0.5);
    return f;
}

// Recall@10 against `truth` and the latencies of `index` at ef_search `ef`.
double run_queries(rv::HnswIndex& index, int ef, const std::vector<float>& queries, int d,
                   const std::vector<std::vector<rv::Hit>>& truth, std::vector<double>& us) {
    const std::size_t nq = truth.size();
    index.set_ef_search(ef);
    for (std::size_t q = 0; q < std::min<std::size_t>(nq, 50); ++q) index.search(&queries[q * d], 10);  // warm-up
    std::size_t found = 0, total = 0;
    for (std::size_t q = 0; q < nq; ++q) {
        const auto t0 = Clock::now();
        const auto hits = index.search(&queries[q * d], 10);
        us.push_back(seconds_since(t0) * 1e6);
        std::unordered_set<std::int64_t> got;
        for (const auto& h : hits) got.insert(h.id);
        for (const auto& h : truth[q]) found += got.count(h.id);
        total += truth[q].size();
    }
    return double(found) / double(std::max<std::size_t>(total, 1));
}

struct Rows {
    std::vector<std::string> main, ef, storage, compaction;
};

// Library rows come from `library(first, n, out)`; queries are given.
template <class LibraryRows>
void bench_size(const Options& o, const char* self, std::size_t n, const LibraryRows& library,
                const std::vector<float>& queries, Rows& out) {
    const int d = o.dim;
    const std::size_t chunk = std::min<std::size_t>(n, 20000);
    std::vector<float> rows(chunk * d, 1.0f);  // touched now, so RSS growth is the index only
    std::vector<std::int64_t> ids(chunk);

    auto build = [&](rv::VectorStorage storage, double& build_s, double& rss_per_vec) {
        const std::size_t rss0 = rss_bytes();
        rv::HnswParams p;
        p.initial_capacity = n;
        p.build_threads = o.threads;
        p.ef_construction = o.ef_construction;
        p.storage = storage;
        auto index = std::make_unique<rv::HnswIndex>(d, "bench/synthetic", p);
        build_s = 0;
        for (std::size_t first = 0; first < n; first += chunk) {
            const std::size_t m = std::min(chunk, n - first);
            library(first, m, rows.data());
            for (std::size_t i = 0; i < m; ++i) ids[i] = std::int64_t(first + i);
            const auto t = Clock::now();
            if (!index->add_batch(m, ids.data(), rows.data()).ok()) std::abort();
            build_s += seconds_since(t);
            std::fprintf(stderr, "\r  n=%zu %s: built %zu", n, rv::storage_name(storage), first + m);
        }
        rss_per_vec = double(rss_bytes() - rss0) / double(n);
        std::fprintf(stderr, " in %.1f s\n", build_s);
        return index;
    };
    double build_s = 0, rss_per_vec = 0;
    auto hnsw = build(rv::VectorStorage::F32, build_s, rss_per_vec);

    const std::string path = ((o.dir.empty() ? std::filesystem::temp_directory_path() : std::filesystem::path(o.dir)) /
                              ("bench_index_" + std::to_string(getpid()) + ".rvi")).string();
    auto t = Clock::now();
    if (!hnsw->save(path).ok()) std::abort();
    const double save_s = seconds_since(t);
    const double file_per_vec = double(std::filesystem::file_size(path)) / double(n);
    t = Clock::now();
    double load_s = 0;
    {
        auto loaded = rv::load_index(path, d, "bench/synthetic");
        if (!loaded.ok()) std::abort();
        load_s = seconds_since(t);
    }
    std::filesystem::remove(path);

    rv::BruteForceIndex brute(d, "bench/synthetic");
    for (std::size_t first = 0; first < n; first += chunk) {
        const std::size_t m = std::min(chunk, n - first);
        library(first, m, rows.data());
        for (std::size_t i = 0; i < m; ++i) ids[i] = std::int64_t(first + i);
        if (!brute.add_batch(m, ids.data(), rows.data()).ok()) std::abort();
    }

    const std::size_t nq = queries.size() / d;
    std::vector<std::vector<rv::Hit>> truth(nq);
    std::vector<double> brute_us;
    for (std::size_t q = 0; q < nq; ++q) {
        const auto t0 = Clock::now();
        truth[q] = brute.search(&queries[q * d], 10);
        brute_us.push_back(seconds_since(t0) * 1e6);
        if (q % 50 == 0) std::fprintf(stderr, "\r  n=%zu: exact queries %zu/%zu", n, q, nq);
    }
    std::fprintf(stderr, "\n");

    const double b50 = percentile(brute_us, 0.5), b99 = percentile(brute_us, 0.99);
    char line[640];
    for (long ef : o.efs) {
        std::vector<double> us;
        const double recall = run_queries(*hnsw, int(ef), queries, d, truth, us);
        const double h50 = percentile(us, 0.5), h99 = percentile(us, 0.99);
        std::snprintf(line, sizeof line, "| %zu | %ld | %.4f | %.1f | %.1f | %.0fx |", n, ef, recall, h50, h99, b50 / h50);
        out.ef.push_back(line);
        if (ef == 64) {
            std::snprintf(line, sizeof line,
                          "| %zu | %.1f | %.0f | %.0f | %.0f | %.2f | %.2f | %.1f | %.1f | %.0f | "
                          "%.0f | %.0fx | %.4f |",
                          n, build_s, double(n) / build_s, file_per_vec, rss_per_vec, save_s,
                          load_s, h50, h99, b50, b99, b50 / h50, recall);
            out.main.push_back(line);
        }
    }

    // Each storage: the f32 graph converted (or, --native, built with that storage), saved,
    // opened three times in fresh processes, searched.
    std::vector<double> f32_p50(2, 0);
    for (rv::VectorStorage storage : o.storages) {
        std::unique_ptr<rv::HnswIndex> owned;
        rv::HnswIndex* index = hnsw.get();
        double native_build_s = 0;
        if (storage != rv::VectorStorage::F32) {
            if (o.native) {
                double unused = 0;
                owned = build(storage, native_build_s, unused);
            } else {
                auto converted = hnsw->with_storage(storage);
                if (!converted.ok()) std::abort();
                owned = std::move(*converted);
            }
            index = owned.get();
        }
        index->set_ef_search(64);
        t = Clock::now();
        if (!index->save(path).ok()) std::abort();
        const double saved_s = seconds_since(t);
        const double file_b = double(std::filesystem::file_size(path)) / double(n);
        const OpenFigures open = measure_open(o, self, path);
        if (o.keep) {
            const std::string kept = path.substr(0, path.size() - 4) + "_" + rv::storage_name(storage) + ".rvi";
            std::filesystem::rename(path, kept);
            std::fprintf(stderr, "  kept %s\n", kept.c_str());
        } else {
            std::filesystem::remove(path);
        }
        const int efs[2] = {64, 128};
        for (int e = 0; e < 2; ++e) {
            std::vector<double> us;
            const double recall = run_queries(*index, efs[e], queries, d, truth, us);
            const double p50 = percentile(us, 0.5);
            if (storage == rv::VectorStorage::F32) f32_p50[e] = p50;
            std::snprintf(line, sizeof line,
                          "| %zu | %s%s | %zu | %.0f | %.0f | %.3f%s | %.2f | %.1f | %d | %.4f | %.1f | %.2f |", n,
                          rv::storage_name(storage), o.native || storage == rv::VectorStorage::F32 ? "" : " (converted)",
                          index->vector_bytes(), file_b, double(open.rss_growth) / double(n), open.median_s,
                          open.cold ? " cold" : " warm", double(open.peak_rss) / 1e9, saved_s, efs[e], recall, p50,
                          f32_p50[e] > 0 ? p50 / f32_p50[e] : 0.0);
            out.storage.push_back(line);
        }
        if (storage == rv::VectorStorage::F16 && o.compact) {
            // 30 % of the vectors removed (every third id, and some more), then one compaction.
            std::size_t removed = 0;
            for (std::size_t i = 0; i < n; i += 3) removed += index->remove(std::int64_t(i)) ? 1 : 0;
            for (std::size_t i = 1; removed * 10 < n * 3 && i < n; i += 31) removed += index->remove(std::int64_t(i)) ? 1 : 0;
            index->set_build_threads(o.threads);
            t = Clock::now();
            auto dropped = index->compact();
            const double compact_s = seconds_since(t);
            if (!dropped.ok()) std::abort();
            std::snprintf(line, sizeof line, "| %zu | %s | %zu | %zu | %d | %.1f | %.0f |", n, rv::storage_name(storage),
                          removed, *dropped, o.threads, compact_s, double(n - removed) / compact_s);
            out.compaction.push_back(line);
        }
    }
}

std::vector<rv::VectorStorage> parse_storages(const std::string& s) {
    std::vector<rv::VectorStorage> out;
    for (std::size_t pos = 0; pos <= s.size();) {
        const auto comma = s.find(',', pos);
        const std::string one = s.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        if (one == "f32") out.push_back(rv::VectorStorage::F32);
        else if (one == "f16") out.push_back(rv::VectorStorage::F16);
        else if (one == "i8") out.push_back(rv::VectorStorage::I8);
        if (comma == std::string::npos) break;
        pos = comma + 1;
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (argc == 4 && std::string(argv[1]) == "--open") return open_only(argv[2], std::atoi(argv[3]));
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--native") { o.native = true; continue; }
        if (a == "--compact") { o.compact = true; continue; }
        if (a == "--warm") { o.drop_caches = false; continue; }
        if (a == "--keep") { o.keep = true; continue; }
        const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
        if (!v) {
            std::fprintf(stderr, "missing value after %s\n", a.c_str());
            return 2;
        }
        ++i;
        if (a == "--sizes") o.sizes = parse_list(v);
        else if (a == "--dim") o.dim = std::atoi(v);
        else if (a == "--queries") o.queries = std::atoi(v);
        else if (a == "--threads") o.threads = std::max(1, std::atoi(v));
        else if (a == "--ef") o.efs = parse_list(v);
        else if (a == "--seed") o.seed = std::strtoull(v, nullptr, 10);
        else if (a == "--vectors" && std::isdigit(static_cast<unsigned char>(v[0]))) o.sizes = parse_list(v);
        else if (a == "--vectors") o.vectors_file = v;
        else if (a == "--storages") o.storages = parse_storages(v);
        else if (a == "--ef-construction") o.ef_construction = std::max(1, std::atoi(v));
        else if (a == "--dir") o.dir = v;
        else {
            std::fprintf(stderr,
                         "usage: bench_index [--sizes 10000,100000 | --vectors 1000000] [--dim 576] "
                         "[--queries 1000] [--threads 2] [--ef 32,64,128,256] [--seed 1] "
                         "[--vectors FILE] [--storages f32,f16,i8] [--native] [--compact] [--warm] [--keep] [--dir DIR] "
                         "[--ef-construction 200]\n");
            return 2;
        }
    }
    if (o.dim <= 0 || o.queries <= 0) return 2;
    if (std::find(o.efs.begin(), o.efs.end(), 64L) == o.efs.end()) o.efs.push_back(64);
    const int d = o.dim;
    const std::size_t nq = std::size_t(o.queries);

    std::vector<float> file_rows;  // --vectors: the whole file, normalised
    std::size_t file_library = 0;
    if (!o.vectors_file.empty()) {
        std::ifstream f(o.vectors_file, std::ios::binary);
        const auto bytes = std::filesystem::file_size(o.vectors_file);
        file_rows.resize(bytes / (sizeof(float) * d) * d);
        f.read(reinterpret_cast<char*>(file_rows.data()), std::streamsize(file_rows.size() * 4));
        const std::size_t rows = file_rows.size() / d;
        if (!f || rows <= nq) {
            std::fprintf(stderr, "%s: need more than %zu rows of %d floats\n",
                         o.vectors_file.c_str(), nq, d);
            return 1;
        }
        for (std::size_t i = 0; i < rows; ++i)
            rv::kernels::kernels().l2_normalize(&file_rows[i * d], std::size_t(d));
        file_library = rows - nq;
    }

    std::printf("# bench_index: dim %d, %zu queries, k=10, HNSW M=16 ef_construction=%d, "
                "%d build threads, ISA %s, %s vectors\n\n",
                d, nq, o.ef_construction, o.threads, std::string(rv::kernels::isa_name(rv::kernels::kernels().isa)).c_str(),
                o.vectors_file.empty() ? "synthetic" : o.vectors_file.c_str());
    Rows rows;
    for (long size : o.sizes) {
        std::size_t n = std::size_t(std::max(size, 1L));
        if (!file_rows.empty()) n = std::min(n, file_library);
        std::vector<float> queries(nq * d);
        if (file_rows.empty()) {
            Synthetic g(d, o.seed);
            g.set_parent_range(n);
            generate(g, 0, nq, 1, d, o.threads, queries.data());
            bench_size(o, argv[0], n, [&](std::size_t first, std::size_t m, float* out) {
                generate(g, first, m, 0, d, o.threads, out);
            }, queries, rows);
        } else {
            std::copy_n(&file_rows[file_library * d], nq * d, queries.begin());
            bench_size(o, argv[0], n, [&](std::size_t first, std::size_t m, float* out) {
                std::copy_n(&file_rows[first * d], m * d, out);
            }, queries, rows);
        }
    }
    std::printf("| vectors | build s | vectors/s | file B/vector | RSS B/vector | save s | load s "
                "| HNSW p50 us | HNSW p99 us | exact p50 us | exact p99 us | speed-up p50 "
                "| recall@10 |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (const auto& r : rows.main) std::printf("%s\n", r.c_str());
    std::printf("\nHNSW ef_search sweep (speed-up = exact p50 / HNSW p50):\n\n"
                "| vectors | ef_search | recall@10 | p50 us | p99 us | speed-up |\n"
                "|---|---|---|---|---|---|\n");
    for (const auto& r : rows.ef) std::printf("%s\n", r.c_str());
    std::printf("\nVector storage (f32 graph rows above; \"converted\": the same graph re-encoded, as a library's "
                "format-1 file is on open; open = load_index in a fresh process, median of 3, cold = page cache "
                "dropped first; RSS = the open's growth; ratio = p50 / f32's p50 at the same ef):\n\n"
                "| vectors | storage | vector B | file B/vector | RSS B/vector | open s | open peak RSS GB "
                "| save s | ef_search | recall@10 | p50 us | p50 ratio |\n"
                "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (const auto& r : rows.storage) std::printf("%s\n", r.c_str());
    if (!rows.compaction.empty()) {
        std::printf("\nCompaction (HnswIndex::compact after removals; the graph rebuilt from its live vectors):\n\n"
                    "| vectors | storage | removed | dropped | threads | compact s | live vectors/s |\n"
                    "|---|---|---|---|---|---|---|\n");
        for (const auto& r : rows.compaction) std::printf("%s\n", r.c_str());
    }
    return 0;
}

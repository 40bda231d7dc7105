// Writes the seed corpus of fuzz_index_file: tiny valid index files of both kinds, and broken
// ones, each prefixed with the fuzzer's mode byte (fuzz_index_file.cpp).
//   build/bin/make_index_corpus tests/fuzz/corpus/index_file
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "ruvision/engine/VectorIndex.h"

namespace fs = std::filesystem;

// Format 2: the HNSW payload's graph follows ef_search and the vector storage (4 bytes each).
constexpr std::size_t kGraphAt = 8;

namespace {

std::vector<float> unit_rows(std::size_t n, int d, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g;
    std::vector<float> v(n * static_cast<std::size_t>(d));
    for (std::size_t i = 0; i < n; ++i) {
        float s = 0;
        for (int j = 0; j < d; ++j) s += (v[i * d + j] = g(rng)) * v[i * d + j];
        for (int j = 0; j < d; ++j) v[i * d + j] /= std::sqrt(s);
    }
    return v;
}

std::vector<char> saved(const rv::VectorIndex& index, const fs::path& scratch) {
    if (!index.save(scratch.string()).ok()) std::exit(1);
    std::ifstream f(scratch, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

void write(const fs::path& dir, const std::string& name, char mode, const std::vector<char>& bytes) {
    std::ofstream f(dir / name, std::ios::binary | std::ios::trunc);
    f.put(mode);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::size_t payload_at(const std::vector<char>& f) {
    std::uint32_t len;
    std::memcpy(&len, f.data() + 28, 4);
    return 48 + len;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_index_corpus DIR\n");
        return 2;
    }
    const fs::path dir = argv[1];
    fs::create_directories(dir);
    const fs::path scratch = fs::temp_directory_path() / "make_index_corpus.rvi";
    const std::string model = "m/avg:last";

    rv::HnswParams p;
    p.M = 2;
    p.ef_construction = 4;
    p.initial_capacity = 4;
    const int d = 4;
    const auto rows = unit_rows(40, d, 1);
    std::vector<std::int64_t> ids(40);
    for (int i = 0; i < 40; ++i) ids[i] = 100 + i;

    rv::HnswIndex empty_hnsw(d, model, p);
    write(dir, "hnsw_empty", 0, saved(empty_hnsw, scratch));
    rv::HnswIndex five(d, model, p);
    (void)five.add_batch(5, ids.data(), rows.data());
    const auto hnsw5 = saved(five, scratch);
    write(dir, "hnsw_5", 0, hnsw5);
    write(dir, "hnsw_5_fixsum", 1, hnsw5);
    five.remove(102);
    write(dir, "hnsw_5_one_deleted", 0, saved(five, scratch));
    rv::HnswIndex forty(d, model, p);  // M = 2: several layers
    (void)forty.add_batch(40, ids.data(), rows.data());
    write(dir, "hnsw_40_layers", 1, saved(forty, scratch));

    rv::BruteForceIndex empty_brute(d, model);
    write(dir, "brute_empty", 0, saved(empty_brute, scratch));
    rv::BruteForceIndex brute(d, model);
    (void)brute.add_batch(5, ids.data(), rows.data());
    const auto brute5 = saved(brute, scratch);
    write(dir, "brute_5", 0, brute5);

    // Broken ones.
    write(dir, "empty_file", 0, {});
    write(dir, "hnsw_truncated", 0, std::vector<char>(hnsw5.begin(), hnsw5.begin() + hnsw5.size() / 2));
    auto bad = hnsw5;
    bad[2] = 'X';
    write(dir, "bad_magic", 0, bad);
    bad = hnsw5;
    const std::uint64_t huge = ~0ull;
    std::memcpy(bad.data() + 20, &huge, 8);
    write(dir, "huge_count", 0, bad);
    bad = hnsw5;  // element 0's first link points far outside the graph (checksum fixed by mode 1)
    const std::uint32_t outside = 0xFFFFFF00u;
    std::memcpy(bad.data() + payload_at(bad) + kGraphAt + 96 + 4, &outside, 4);
    write(dir, "hnsw_link_outside", 1, bad);
    bad = hnsw5;  // element 0's first value is a binary16 NaN (4-d vectors are stored f16)
    const std::uint16_t nan = 0x7e00;
    std::memcpy(bad.data() + payload_at(bad) + kGraphAt + 96 + 4 + 2 * p.M * 4, &nan, 2);
    write(dir, "hnsw_nan_vector", 1, bad);
    bad = brute5;
    const float big = 1e37f;
    std::memcpy(bad.data() + payload_at(bad) + 8 + 8 * 5 + 4, &big, 4);
    write(dir, "brute_huge_value", 1, bad);
    bad = hnsw5;  // hnswlib's element count raised past what the file holds
    const std::uint64_t many = 1u << 30;
    std::memcpy(bad.data() + payload_at(bad) + kGraphAt + 16, &many, 8);
    write(dir, "hnsw_count_past_end", 1, bad);
    fs::remove(scratch);
    return 0;
}

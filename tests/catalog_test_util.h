// Shared by the catalog tests (test_catalog, _storage, _crash, _migration): CHECK_OK,
// which fails a test with the error message of a failed Result, the catalog path in a temporary
// folder, and random feature bit patterns compared bit for bit.
#pragma once

#include <QTemporaryDir>
#include <QtTest>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <random>
#include <vector>

namespace catalog_test {

template <class R>
const char* why(const R& r) {
    return r.ok() ? "" : r.error().message.c_str();
}
#define CHECK_OK(expr)                                        \
    do {                                                      \
        const auto& checked_ = (expr);                        \
        QVERIFY2(checked_.ok(), catalog_test::why(checked_)); \
    } while (0)

inline std::filesystem::path db_path(const QTemporaryDir& dir, const char* name = "catalog.sqlite") {
    return std::filesystem::path(dir.path().toStdString()) / name;
}

// Random bit patterns: NaNs with payloads, denormals, -0 and infinities all occur.
inline std::vector<float> random_bits(int dim, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<float> v(static_cast<std::size_t>(dim));
    for (auto& x : v) {
        const std::uint32_t bits = rng();
        std::memcpy(&x, &bits, 4);
    }
    return v;
}

inline bool same_bits(const float* a, const std::vector<float>& b, int dim) {
    return dim == static_cast<int>(b.size()) && std::memcmp(a, b.data(), 4 * b.size()) == 0;
}

}  // namespace catalog_test

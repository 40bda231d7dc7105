// Shared by the catalog tests (test_catalog, _storage, _crash, _migration, test_index_changes): CHECK_OK,
// which fails a test with the error message of a failed Result, the catalog path in a temporary
// folder, and random feature bit patterns compared bit for bit.
#pragma once

#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <cstdint>
#include <cmath>
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

// Random unit vectors whose values have awkward bit patterns: random exponents and mantissas,
// -0, denormals (the catalog stores only finite unit vectors, and must keep them bit for bit).
inline std::vector<float> random_bits(int dim, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<float> v(static_cast<std::size_t>(dim));
    for (auto& x : v) {
        std::uint32_t bits = rng();
        // Exponent below 2^16 in magnitude (so the squares add up in double), any sign and mantissa.
        bits = (bits & 0x807fffffu) | ((bits >> 8 & 0x7fu) + 80u) % 143u << 23;
        std::memcpy(&x, &bits, 4);
    }
    if (dim > 2) v[0] = -0.0f, v[1] = 0.0f;
    double sum = 0;
    for (float x : v) sum += static_cast<double>(x) * x;
    const double scale = 1.0 / std::sqrt(sum);
    for (auto& x : v) x = static_cast<float>(x * scale);
    if (dim > 2) v[1] = 1e-41f;  // a denormal: too small to move the norm
    return v;
}

inline bool same_bits(const float* a, const std::vector<float>& b, int dim) {
    return dim == static_cast<int>(b.size()) && std::memcmp(a, b.data(), 4 * b.size()) == 0;
}

// `sql` run on the catalog file through a connection of its own, as another program would; the
// SQLite result code.
inline int exec(const std::filesystem::path& file, const char* sql) {
    sqlite3* db = nullptr;
    int rc = sqlite3_open(file.c_str(), &db);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    sqlite3_close(db);
    return rc;
}

// The single integer `sql` selects, read the same way; -1 when it fails.
inline int count(const std::filesystem::path& file, const char* sql) {
    sqlite3* db = nullptr;
    sqlite3_stmt* s = nullptr;
    int out = -1;
    if (sqlite3_open(file.c_str(), &db) == SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        out = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
}

}  // namespace catalog_test

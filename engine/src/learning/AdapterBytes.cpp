// serialize_adapter / parse_adapter (Adapter.h). The layout, all little-endian:
//
//   offset  size     field
//    0      8        magic "RVADAPT\0"
//    8      4  u32   format version (1)
//   12      4  u32   dim   (0..65536)
//   16      4  u32   rank  (0..1024; 0 only as "no adapter", then no matrices follow)
//   20      4  f32   alpha (finite)
//   24      4*r*d    A, r x d row-major f32
//   ..      4*d*r    B, d x r row-major f32
//   end-8   8  u64   FNV-1a 64 of every byte before it
//
// parse_adapter checks, in this order, before trusting anything: length of the fixed part, magic,
// version, dim and rank limits, exact total length, checksum, finiteness and magnitude (|alpha|
// and every entry at most 1e4: trained adapters hold values of order 1, and within these bounds
// applying the adapter to a unit vector cannot overflow float). Each failure is an Error naming
// the damaged field.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <string>

#include "ruvision/engine/Adapter.h"

namespace rv {

namespace {

constexpr char kMagic[8] = {'R', 'V', 'A', 'D', 'A', 'P', 'T', '\0'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kMaxDim = 65536;
constexpr std::uint32_t kMaxRank = 1024;
constexpr float kMaxMagnitude = 1e4f;
constexpr std::size_t kHeader = 24;
constexpr std::size_t kTrailer = 8;

std::uint64_t fnv1a64(const std::uint8_t* p, std::size_t n) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (std::size_t i = 0; i < n; ++i) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

// Writes little-endian values at a cursor into a buffer sized beforehand.
struct Writer {
    std::uint8_t* p;
    void u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) *p++ = static_cast<std::uint8_t>(v >> (8 * i));
    }
    void u64(std::uint64_t v) {
        for (int i = 0; i < 8; ++i) *p++ = static_cast<std::uint8_t>(v >> (8 * i));
    }
    void f32(float v) { u32(std::bit_cast<std::uint32_t>(v)); }
};

std::uint32_t get_u32(const std::uint8_t* p) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(p[i]) << (8 * i);
    return v;
}
std::uint64_t get_u64(const std::uint8_t* p) {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(p[i]) << (8 * i);
    return v;
}
float get_f32(const std::uint8_t* p) { return std::bit_cast<float>(get_u32(p)); }

Error damaged(const std::string& what) { return Error{"damaged adapter: " + what}; }

}  // namespace

std::vector<std::uint8_t> serialize_adapter(const LowRankAdapter& adapter) {
    const bool has_matrices = adapter.rank > 0;
    const std::size_t floats = has_matrices ? adapter.a.size() + adapter.b.size() : 0;
    std::vector<std::uint8_t> out(kHeader + floats * 4 + kTrailer);
    std::memcpy(out.data(), kMagic, sizeof kMagic);
    Writer w{out.data() + sizeof kMagic};
    w.u32(kVersion);
    w.u32(static_cast<std::uint32_t>(std::max(adapter.dim, 0)));
    w.u32(static_cast<std::uint32_t>(std::max(adapter.rank, 0)));
    w.f32(adapter.alpha);
    if (has_matrices) {
        for (float v : adapter.a) w.f32(v);
        for (float v : adapter.b) w.f32(v);
    }
    w.u64(fnv1a64(out.data(), out.size() - kTrailer));
    return out;
}

Result<LowRankAdapter> parse_adapter(const std::uint8_t* data, std::size_t size) {
    if (data == nullptr || size < kHeader + kTrailer)
        return damaged("truncated (" + std::to_string(size) + " bytes, the fixed part alone needs " +
                       std::to_string(kHeader + kTrailer) + ")");
    if (std::memcmp(data, kMagic, 8) != 0) return Error{"not an adapter (wrong magic bytes)"};
    const std::uint32_t version = get_u32(data + 8);
    if (version != kVersion)
        return Error{"unsupported adapter format version " + std::to_string(version) + " (this build reads " +
                     std::to_string(kVersion) + ")"};
    const std::uint32_t dim = get_u32(data + 12), rank = get_u32(data + 16);
    if (dim > kMaxDim) return damaged("absurd dimension " + std::to_string(dim));
    if (rank > kMaxRank) return damaged("absurd rank " + std::to_string(rank));
    if (rank > 0 && dim == 0) return damaged("rank " + std::to_string(rank) + " with dimension 0");
    const std::size_t params = static_cast<std::size_t>(dim) * rank;  // at most 2^26: no overflow
    const std::size_t expected = kHeader + 2 * params * 4 + kTrailer;
    if (size != expected)
        return damaged((size < expected ? "truncated (" : "trailing bytes (") + std::to_string(size) +
                       " bytes where dimension " + std::to_string(dim) + " and rank " + std::to_string(rank) +
                       " need " + std::to_string(expected) + ")");
    if (fnv1a64(data, size - kTrailer) != get_u64(data + size - kTrailer))
        return damaged("checksum mismatch (the bytes were altered)");
    LowRankAdapter ad;
    ad.dim = static_cast<int>(dim);
    ad.rank = static_cast<int>(rank);
    ad.alpha = get_f32(data + 20);
    if (!std::isfinite(ad.alpha)) return damaged("alpha is not a finite number");
    if (std::abs(ad.alpha) > kMaxMagnitude) return damaged("absurd alpha " + std::to_string(ad.alpha));
    ad.a.resize(params);
    ad.b.resize(params);
    const std::uint8_t* p = data + kHeader;
    for (std::size_t i = 0; i < params; ++i, p += 4) ad.a[i] = get_f32(p);
    for (std::size_t i = 0; i < params; ++i, p += 4) ad.b[i] = get_f32(p);
    for (std::size_t i = 0; i < params; ++i) {
        if (!std::isfinite(ad.a[i])) return damaged("matrix A holds a non-finite value at " + std::to_string(i));
        if (!std::isfinite(ad.b[i])) return damaged("matrix B holds a non-finite value at " + std::to_string(i));
        if (std::abs(ad.a[i]) > kMaxMagnitude) return damaged("matrix A holds an absurd value at " + std::to_string(i));
        if (std::abs(ad.b[i]) > kMaxMagnitude) return damaged("matrix B holds an absurd value at " + std::to_string(i));
    }
    return ad;
}

}  // namespace rv

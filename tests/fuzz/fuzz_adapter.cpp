// Fuzz target: rv::parse_adapter (adapter bytes from the catalog or an exported file) on arbitrary
// bytes.
//
// Input: one mode byte, then the blob. Mode bit 0 set: the trailing FNV-1a checksum is recomputed
// first, so that mutations reach the size and finiteness checks behind it instead of stopping at
// the checksum. An adapter that parses must be valid(), serialise back to the very same bytes and
// apply to a vector without reading out of range (ASan) or producing a non-finite value from a
// finite input.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "ruvision/engine/Adapter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const bool reseal = (data[0] & 1) != 0;
    std::vector<std::uint8_t> blob(data + 1, data + size);
    if (reseal && blob.size() >= 8) {
        std::uint64_t h = 0xcbf29ce484222325ull;
        for (std::size_t i = 0; i + 8 < blob.size(); ++i) {
            h ^= blob[i];
            h *= 0x100000001b3ull;
        }
        for (int i = 0; i < 8; ++i) blob[blob.size() - 8 + i] = static_cast<std::uint8_t>(h >> (8 * i));
    }
    auto parsed = rv::parse_adapter(blob.data(), blob.size());
    if (!parsed.ok()) {
        if (parsed.error().message.empty()) std::abort();  // a refusal always says why
        return 0;
    }
    const rv::LowRankAdapter& ad = *parsed;
    if (!ad.valid()) std::abort();
    if (rv::serialize_adapter(ad) != blob) std::abort();
    if (ad.dim > 0 && ad.dim <= 4096) {
        std::vector<float> x(static_cast<std::size_t>(ad.dim), 0.0f), y(x.size());
        x[0] = 1.0f;
        ad.apply(x.data(), y.data());
        for (float v : y)
            if (!std::isfinite(v)) std::abort();
    }
    return 0;
}

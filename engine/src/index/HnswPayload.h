// Structural check of hnswlib 0.6.2's saveIndex output, so that loadIndex (which trusts every
// byte and can crash or read out of bounds on bad ones) only ever sees a consistent graph.
// Engine-internal; knows the layout, does not include hnswlib.
//
// Layout (native endianness, x86-64/arm64 LP64 sizes), as HierarchicalNSW::saveIndex writes it:
//   96-byte header: size_t offsetLevel0, max_elements, cur_element_count, size_data_per_element,
//                   label_offset, offsetData; int maxlevel; u32 enterpoint_node;
//                   size_t maxM, maxM0, M; double mult; size_t ef_construction
//   cur_element_count level-0 blocks of size_data_per_element bytes each:
//       u16 link count, u8 flags (bit 0 = deleted), u8 unused, maxM0 x u32 links,
//       dim x f32 vector, u64 label
//   then per element: u32 byte length of its upper-layer links (level x (4 + maxM x 4)), those
//       bytes: per level u16 link count, 2 bytes unused, maxM x u32 links
#pragma once

#include <cstdint>
#include <string>

#include "ruvision/engine/Result.h"

namespace rv::index_detail {

inline constexpr std::size_t kHnswHeaderBytes = 96;

struct HnswPayloadFacts {
    std::uint64_t elements = 0;  // stored vectors, deleted ones included
    std::uint64_t deleted = 0;
    std::uint64_t M = 0;
    std::uint64_t ef_construction = 0;
};

// Reads the file hnsw_file (hnswlib bytes only) and checks every size, offset, level, link and
// label for dim-float vectors, and that every vector is finite and of unit length
// (vector_problem()). Errors name error_path (the index file the bytes came from).
Result<HnswPayloadFacts> check_hnsw_payload(const std::string& hnsw_file, std::uint32_t dim,
                                            const std::string& error_path);

}  // namespace rv::index_detail

// An hnswlib 0.6.2 graph written to and read from an index file's payload, without hnswlib's own
// saveIndex/loadIndex (which go through a file name, and trust every byte): the bytes are read
// once, straight into the graph's memory, then checked, so a damaged graph gives an error, never a
// crash or an out-of-bounds read. Engine-internal.
//
// Layout (native endianness, x86-64/arm64 LP64 sizes), as HierarchicalNSW::saveIndex writes it,
// with `code` bytes per vector (CompactVectors.h: 4 x dim for f32, 2 x dim for f16, 4 + dim for i8):
//   96-byte header: size_t offsetLevel0, max_elements, cur_element_count, size_data_per_element,
//                   label_offset, offsetData; int maxlevel; u32 enterpoint_node;
//                   size_t maxM, maxM0, M; double mult; size_t ef_construction
//   cur_element_count level-0 blocks of size_data_per_element bytes each:
//       u16 link count, u8 flags (bit 0 = deleted), u8 unused, maxM0 x u32 links,
//       the vector's code, u64 label
//   then per element: u32 byte length of its upper-layer links (level x (4 + maxM x 4)), those
//       bytes: per level u16 link count, 2 bytes unused, maxM x u32 links
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "index/HnswGraph.h"
#include "index/IndexFile.h"
#include "ruvision/engine/Result.h"

namespace rv::index_detail {

inline constexpr std::size_t kHnswHeaderBytes = 96;

// Bytes write_hnsw_graph writes for g.
std::uint64_t hnsw_graph_bytes(const Graph& g);

// Writes g in the layout above. Caller holds g at least shared.
[[nodiscard]] bool write_hnsw_graph(PayloadWriter& out, const Graph& g);

struct HnswGraphRead {
    std::unique_ptr<Graph> graph;  // labels looked up, deleted nodes counted; ef not set
    std::uint64_t M = 0, ef_construction = 0;
};

// Reads the graph from `in` (the rest of the payload) into a new graph over `space` (dim values
// of space.storage() each), seeded with `seed` for later inserts, then checks the payload's
// checksum (in.finish()) and every size, offset, level, link and label, and that every vector is
// valid (code_problem()). Errors name in.path().
Result<HnswGraphRead> read_hnsw_graph(PayloadReader& in, VectorSpace& space, std::uint32_t dim,
                                      std::uint64_t seed);

}  // namespace rv::index_detail

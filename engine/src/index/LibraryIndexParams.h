// How a library builds its own HNSW indexes. Engine-internal.
#pragma once

#include "ruvision/engine/VectorIndex.h"

namespace rv {

// A library's own indexes (the plain one, its region and twin views, the adapted one): ef_search
// 128 (recall@10 0.973 at 1M vectors, against 0.933 at hnswlib's usual 64; 0.47 ms median,
// bench_index), and add_batch on every core, so that a rebuild from the catalog of half a million
// files (two million views) is not an hour's wait on one thread. Their graphs are therefore not
// reproducible from run to run.
HnswParams library_hnsw_params();

}  // namespace rv

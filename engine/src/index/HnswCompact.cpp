// HnswIndex::compact: the graph rebuilt from its live vectors once deleted nodes (removed ids,
// and the old nodes of replaced vectors) pass kHnswCompactFraction of it. hnswlib 0.6.2 never
// reuses a deleted node, so without it a library whose files change or are forgotten grows its
// index (memory, file, search work) without bound.
#include <algorithm>
#include <cmath>
#include <exception>
#include <new>
#include <vector>

#include "index/HnswGraph.h"

namespace rv {

using index_detail::Graph;

std::size_t HnswIndex::node_count() const {
    std::shared_lock lock(impl_->mutex);
    return impl_->graph->cur_element_count;
}

Result<std::size_t> HnswIndex::compact() {
    std::unique_ptr<Graph> fresh;
    std::uint64_t built_from = 0;
    std::size_t dropped = 0;
    try {
        // Searches go on while the new graph is built; adds and removals wait (a shared lock).
        std::shared_lock lock(impl_->mutex);
        const Graph& old = *impl_->graph;
        const std::size_t nodes = old.cur_element_count, dead = old.num_deleted_;
        if (dead == 0 || double(dead) <= kHnswCompactFraction * double(nodes)) return std::size_t{0};
        built_from = impl_->changes;
        std::vector<hnswlib::tableint> live;
        live.reserve(nodes - dead);
        for (std::size_t i = 0; i < nodes; ++i)
            if (!old.isMarkedDeleted(static_cast<hnswlib::tableint>(i))) live.push_back(static_cast<hnswlib::tableint>(i));
        // Room for the deleted nodes the next compaction allows: an index whose files keep
        // changing then never grows between two compactions.
        const auto room = static_cast<std::size_t>(
            std::ceil(double(live.size()) * kHnswCompactFraction / (1.0 - kHnswCompactFraction)));
        fresh = std::make_unique<Graph>(&impl_->space, std::max<std::size_t>(live.size() + room + 1, 16), old.M_,
                                        old.ef_construction_, impl_->params.seed);
        fresh->metric_distance_computations = 0;
        fresh->metric_hops = 0;
        // Insertion order as stored (oldest first): with one build thread the result is reproducible.
        Graph& g = *fresh;
        if (Status st = index_detail::add_in_parallel(live.size(), impl_->params.build_threads,
                                                      [&](std::size_t j) {
                                                          g.addPoint(old.getDataByInternalId(live[j]),
                                                                     old.getExternalLabel(live[j]));
                                                      });
            !st)
            return Error{"HNSW index: cannot compact: " + st.error().message};
        dropped = dead;
    } catch (const std::bad_alloc&) {
        return Error{"HNSW index: not enough memory to compact the graph"};
    } catch (const std::exception& e) {
        return Error{std::string("HNSW index: cannot compact: ") + e.what()};
    }
    std::unique_lock lock(impl_->mutex);
    if (impl_->changes != built_from) return std::size_t{0};  // changed meanwhile: built from a stale state
    fresh->setEf(static_cast<std::size_t>(impl_->params.ef_search));
    impl_->graph.swap(fresh);
    ++impl_->changes;  // the same vectors, but a file of it would differ
    lock.unlock();
    fresh.reset();  // the old graph, freed outside the lock
    return dropped;
}

}  // namespace rv

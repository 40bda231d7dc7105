#include "ruvision/engine/NearDuplicates.h"

#include <algorithm>
#include <unordered_set>

namespace rv {

namespace {

// The lists with every pair listed both ways scored alike (the better of its two scores): a
// score measured from one side may differ from the other side's in the last digits (an index
// that stores vectors in half precision scores the exact query against the rounded stored
// vector), and which file becomes a group's centre must not hang on that.
CloseNeighbours symmetric_scores(const CloseNeighbours& close) {
    CloseNeighbours out = close;
    for (auto& [a, list] : out)
        for (auto& n : list) {
            const auto back = close.find(n.id);
            if (back == close.end()) continue;
            for (const auto& m : back->second)
                if (m.id == a) n.score = std::max(n.score, m.score);
        }
    return out;
}

}  // namespace

std::vector<std::vector<Neighbour>> star_groups(const CloseNeighbours& close_as_measured) {
    const CloseNeighbours close = symmetric_scores(close_as_measured);
    struct Candidate {
        std::int64_t id;
        std::size_t count;
        float weight;
        const std::vector<Neighbour>* list;
    };
    std::vector<Candidate> order;
    order.reserve(close.size());
    for (const auto& [id, list] : close) {
        float w = 0;
        for (const auto& n : list) w += n.score;
        order.push_back({id, list.size(), w, &list});
    }
    std::sort(order.begin(), order.end(), [](const Candidate& a, const Candidate& b) {
        if (a.count != b.count) return a.count > b.count;
        if (a.weight != b.weight) return a.weight > b.weight;
        return a.id < b.id;
    });
    std::unordered_set<std::int64_t> taken;
    std::vector<std::vector<Neighbour>> groups;
    for (const auto& c : order) {
        if (taken.count(c.id)) continue;
        std::vector<Neighbour> g{{c.id, 1.0f}};
        for (const auto& n : *c.list)
            if (n.id != c.id && !taken.count(n.id) &&
                std::none_of(g.begin(), g.end(), [&](const Neighbour& m) { return m.id == n.id; }))
                g.push_back(n);
        if (g.size() < 2) continue;
        for (const auto& m : g) taken.insert(m.id);
        std::sort(g.begin() + 1, g.end(), [](const Neighbour& a, const Neighbour& b) {
            return a.score != b.score ? a.score > b.score : a.id < b.id;
        });
        groups.push_back(std::move(g));
    }
    return groups;
}


}  // namespace rv

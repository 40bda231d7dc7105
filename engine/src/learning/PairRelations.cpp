// PairRelations (PairRelations.h): alike lists and the negative candidates of each row.
#include "learning/PairRelations.h"

#include <algorithm>

namespace rv::learning {

namespace {

void sort_unique(std::vector<std::uint32_t>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

PairRelations::PairRelations(const std::vector<TrainingPair>& pairs, std::size_t max_candidates) {
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> different;
    for (const auto& p : pairs) {
        involved_.push_back(p.a);
        involved_.push_back(p.b);
        auto& side = p.alike ? alike_ : different;
        side[p.a].push_back(p.b);
        side[p.b].push_back(p.a);
    }
    sort_unique(involved_);
    for (auto& kv : alike_) sort_unique(kv.second);
    for (auto& kv : different) sort_unique(kv.second);

    static const std::vector<std::uint32_t> kNone;
    auto different_of = [&](std::uint32_t u) -> const std::vector<std::uint32_t>& {
        auto it = different.find(u);
        return it == different.end() ? kNone : it->second;
    };
    for (std::uint32_t u : involved_) {
        std::vector<std::uint32_t> c = different_of(u);
        auto al = alike_.find(u);
        if (al != alike_.end())
            for (std::uint32_t p : al->second) {
                const auto& dp = different_of(p);
                c.insert(c.end(), dp.begin(), dp.end());
            }
        sort_unique(c);
        std::erase_if(c, [&](std::uint32_t v) { return v == u || known_alike(u, v); });
        if (c.size() > max_candidates) c.resize(max_candidates);
        if (!c.empty()) candidates_.emplace(u, std::move(c));
    }
}

bool PairRelations::known_alike(std::uint32_t u, std::uint32_t v) const {
    auto it = alike_.find(u);
    return it != alike_.end() && std::binary_search(it->second.begin(), it->second.end(), v);
}

const std::vector<std::uint32_t>& PairRelations::negative_candidates(std::uint32_t u) const {
    static const std::vector<std::uint32_t> kNone;
    auto it = candidates_.find(u);
    return it == candidates_.end() ? kNone : it->second;
}

}  // namespace rv::learning

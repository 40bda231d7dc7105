// Adapter versions of a library: listing them and making one (or none) active (Learning.h).
#include "learning/LearningAccess.h"
#include "ruvision/engine/Learning.h"

namespace rv {

Result<std::vector<AdapterVersion>> list_adapter_versions(Library& lib) {
    auto rows = LearningAccess::catalog(lib).adapters();
    if (!rows) return rows.error();
    const std::int64_t active = lib.active_adapter()->version;
    std::vector<AdapterVersion> out;
    for (const auto& r : *rows) {
        AdapterVersion v;
        v.version = r.version;
        v.active = r.version == active;
        v.activated = r.activated;
        v.reason = r.reason;
        v.source = r.source;
        v.model_id = r.model_id;
        v.dim = r.dim;
        v.rank = r.rank;
        if (auto a = parse_adapter(r.params.data(), r.params.size()); a) v.alpha = a->alpha;
        v.marks = r.marks;
        v.held_out = r.held_out;
        v.held_out_before = r.held_out_before;
        v.held_out_after = r.held_out_after;
        v.summary = r.summary;
        v.created = r.created;
        out.push_back(std::move(v));
    }
    return out;
}

Status activate_adapter(Library& lib, std::int64_t version, const std::atomic<bool>& cancel,
                        const std::function<void(const LearnProgress&)>& progress) {
    if (version < 0) return Error{"adapter version " + std::to_string(version) + ": versions are 1, 2, ... (0: none)"};
    return activate_version(lib, version, cancel, [&](std::size_t done, std::size_t total) {
        if (progress) progress({"re-projecting", done, total, 0});
    });
}

}  // namespace rv

// Search sessions and the pattern memory (SearchSessions.h), over CatalogDb's sessions and
// patterns tables, in the library's current feature space (model id and dimension of its
// embedder).
#include "ruvision/engine/SearchSessions.h"

#include "learning/LibraryWrites.h"

#include <chrono>
#include <cmath>
#include <span>
#include <string>
#include <string_view>

#include "ruvision/engine/VectorIndex.h"

namespace rv {

namespace {

using learning::check_writable;
using learning::library_name;
using learning::now_ms;

// Why v is not a unit vector of the library's dimension ("" when it is).
std::string unit_problem(Library& lib, const std::vector<float>& v) {
    const int dim = lib.embedder().dim();
    if (static_cast<int>(v.size()) != dim)
        return "has " + std::to_string(v.size()) + " values, the library's features have " + std::to_string(dim);
    return vector_problem(v.data(), dim);
}

// Why a refinement is unusable ("" when it is not): dimension, or a value that is not finite.
std::string finite_problem(Library& lib, const std::vector<float>& v) {
    const int dim = lib.embedder().dim();
    if (static_cast<int>(v.size()) != dim)
        return "has " + std::to_string(v.size()) + " values, the library's features have " + std::to_string(dim);
    for (std::size_t i = 0; i < v.size(); ++i)
        if (!std::isfinite(v[i])) return "value " + std::to_string(i) + " is not finite";
    return {};
}

Error damaged(Library& lib, const std::string& what, const std::string& problem) {
    return Error{"library " + library_name(lib) + ": " + what + " is damaged: " + problem};
}

}  // namespace

Result<std::int64_t> record_session(Library& lib, const std::vector<float>& query,
                                    const std::vector<std::int64_t>& shown, std::int64_t query_file) {
    if (auto st = check_writable(lib, "recording a search session"); !st) return st.error();
    if (auto p = unit_problem(lib, query); !p.empty()) return Error{"a search session's query " + p};
    if (query_file < 0) return Error{"a search session's query file id must be 0 or a file of the library"};
    return lib.catalog().add_session(lib.model_id(), query, shown, query_file, now_ms());
}

Status set_session_refined(Library& lib, std::int64_t session, const std::vector<float>& refined) {
    if (auto st = check_writable(lib, "refining a search session"); !st) return st.error();
    if (auto p = unit_problem(lib, refined); !p.empty())
        return Error{"the refined query of session " + std::to_string(session) + " " + p};
    return lib.catalog().set_session_refined(session, refined);
}

Result<std::vector<SearchSession>> list_sessions(Library& lib) {
    auto rows = lib.catalog().sessions(lib.model_id());
    if (!rows) return rows.error();
    std::vector<SearchSession> out;
    out.reserve(rows->size());
    for (auto& r : *rows) {
        const std::string name = "session " + std::to_string(r.id);
        if (auto p = unit_problem(lib, r.query); !p.empty()) return damaged(lib, name, "its query " + p);
        if (!r.refined.empty())
            if (auto p = unit_problem(lib, r.refined); !p.empty()) return damaged(lib, name, "its refined query " + p);
        SearchSession s;
        s.id = r.id;
        s.query = std::move(r.query);
        s.refined = std::move(r.refined);
        s.shown = std::move(r.shown);
        s.query_file = r.query_file;
        s.time = r.time;
        out.push_back(std::move(s));
    }
    return out;
}

Result<std::size_t> recluster_patterns(Library& lib, const PatternParams& params) {
    if (auto st = check_writable(lib, "re-clustering the search patterns"); !st) return st.error();
    auto sessions = list_sessions(lib);
    if (!sessions) return sessions.error();
    std::vector<SessionRecord> records;
    records.reserve(sessions->size());
    for (auto& s : *sessions) records.push_back({std::move(s.query), std::move(s.refined)});
    const std::vector<Pattern> patterns = cluster_sessions(records, params);
    std::vector<CatalogPattern> rows;
    rows.reserve(patterns.size());
    for (const auto& p : patterns) {
        CatalogPattern c;
        c.centroid = p.centroid;
        c.refinement = p.refinement;
        c.sessions = static_cast<std::int64_t>(p.sessions);
        rows.push_back(std::move(c));
    }
    if (auto st = lib.catalog().replace_patterns(lib.model_id(), rows, now_ms()); !st) return st.error();
    return rows.size();
}

Result<std::vector<Pattern>> load_patterns(Library& lib) {
    auto rows = lib.catalog().patterns(lib.model_id());
    if (!rows) return rows.error();
    std::vector<Pattern> out;
    out.reserve(rows->size());
    for (auto& r : *rows) {
        const std::string name = "pattern " + std::to_string(r.id);
        if (auto p = unit_problem(lib, r.centroid); !p.empty()) return damaged(lib, name, "its centroid " + p);
        if (auto p = finite_problem(lib, r.refinement); !p.empty())
            return damaged(lib, name, "its refinement " + p);
        if (r.sessions < 0) return damaged(lib, name, "a negative count of sessions");
        Pattern p;
        p.centroid = std::move(r.centroid);
        p.refinement = std::move(r.refinement);
        p.sessions = static_cast<std::size_t>(r.sessions);
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace rv

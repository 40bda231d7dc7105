// search_with_feedback (Learning.h): a search refined by the person's alike / different files,
// recorded as a search session for the pattern memory.
#include <optional>

#include "ruvision/engine/Feedback.h"
#include "ruvision/engine/Learning.h"
#include "ruvision/engine/Marks.h"
#include "ruvision/engine/SearchSessions.h"

namespace rv {

namespace {

// The stored features of these library files (each must have one of the model's dimension).
Result<std::vector<std::vector<float>>> stored_features(Library& lib, const std::vector<std::filesystem::path>& files) {
    std::vector<std::vector<float>> out;
    for (const auto& p : files) {
        auto f = find_library_file(lib, p);
        if (!f) return f.error();
        if (!*f) return Error{p.string() + ": not a file of the library"};
        auto v = lib.catalog().feature((*f)->id);
        if (!v) return v.error();
        if (!*v) return Error{p.string() + ": not indexed yet"};
        out.push_back(std::move(**v));
    }
    return out;
}

}  // namespace

Result<FeedbackSearch> search_with_feedback(Library& lib, const std::filesystem::path& image, int k,
                                            const SearchOptions& options) {
    auto query = lib.embedder().embed_file(image);
    if (!query) return query.error();
    auto results = lib.search(*query, k, options);
    if (!results) return results.error();
    FeedbackSearch out;
    out.results = std::move(*results);
    if (options.alike.empty() && options.different.empty()) return out;
    if (lib.access() == LibraryAccess::Read) {
        out.session_note = "the library was opened for reading: the session is not recorded";
        return out;
    }
    auto record = [&]() -> Status {
        std::vector<std::int64_t> shown;
        for (const auto& r : out.results) {
            shown.push_back(r.file_id);
            for (const auto& c : r.copies) shown.push_back(c.file_id);
        }
        auto file = find_library_file(lib, image);
        if (!file) return file.error();
        auto alike = stored_features(lib, options.alike);
        if (!alike) return alike.error();
        auto different = stored_features(lib, options.different);
        if (!different) return different.error();
        std::vector<const float*> a, d;
        for (const auto& v : *alike) a.push_back(v.data());
        for (const auto& v : *different) d.push_back(v.data());
        const std::vector<float> refined = rocchio(query->data(), static_cast<int>(query->size()), a, d);
        auto id = record_session(lib, *query, shown, *file ? (**file).id : 0);
        if (!id) return id.error();
        if (auto st = set_session_refined(lib, *id, refined); !st) return st;
        out.session = *id;
        return Status::success();
    };
    if (auto st = record(); !st) out.session_note = "the session is not recorded: " + st.error().message;
    return out;
}

}  // namespace rv

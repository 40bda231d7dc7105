// marks_of_file (MarksOfFile.h).
#include "ruvision/engine/MarksOfFile.h"

#include "ruvision/engine/CatalogDb.h"

namespace rv {

namespace {

MarkSource source_of(const std::string& s) {
    if (s == "duplicates") return MarkSource::Duplicates;
    if (s == "pairs") return MarkSource::Pairs;
    if (s == "import") return MarkSource::Import;
    return MarkSource::Search;
}

}  // namespace

Result<std::vector<Mark>> marks_of_file(Library& lib, std::int64_t file_id) {
    CatalogDb& db = lib.catalog();
    auto rows = db.marks();
    if (!rows) return rows.error();
    std::vector<Mark> out;
    for (const CatalogMark& c : *rows) {
        if (c.a != file_id && c.b != file_id) continue;
        Mark m;
        m.a_id = c.a;
        m.b_id = c.b;
        m.verdict = c.verdict == "different" ? MarkVerdict::Different : MarkVerdict::Alike;
        m.source = source_of(c.source);
        m.session = c.session;
        m.time = c.time;
        for (auto [id, path] : {std::pair{c.a, &m.a}, std::pair{c.b, &m.b}}) {
            auto f = db.file(id);
            if (!f) return f.error();
            if (*f) *path = (*f)->path;
        }
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace rv

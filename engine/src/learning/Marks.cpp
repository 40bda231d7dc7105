// Marks: the person's verdicts on pairs of library files, by path, over CatalogDb's marks table.
#include "ruvision/engine/Marks.h"

#include "learning/LibraryWrites.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <nlohmann/json.hpp>

namespace rv {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using learning::check_writable;
using learning::library_name;
using learning::now_ms;

Result<std::optional<CatalogFile>> resolve(CatalogDb& db, const fs::path& p) { return learning::find_catalog_file(db, p); }

Result<std::int64_t> file_id(Library& lib, const fs::path& p) {
    if (p.empty()) return Error{"an empty path is not a file of the library " + library_name(lib)};
    auto f = resolve(lib.catalog(), p);
    if (!f) return f.error();
    if (!*f) return Error{p.string() + ": not a file of the library " + library_name(lib)};
    return (*f)->id;
}

std::optional<MarkVerdict> parse_verdict(std::string_view s) {
    if (s == "same") return MarkVerdict::Same;
    if (s == "alike") return MarkVerdict::Alike;
    if (s == "different") return MarkVerdict::Different;
    return std::nullopt;
}

MarkSource parse_source(std::string_view s) {
    if (s == "duplicates") return MarkSource::Duplicates;
    if (s == "pairs") return MarkSource::Pairs;
    if (s == "import") return MarkSource::Import;
    return MarkSource::Search;
}

Result<Mark> to_mark(CatalogDb& db, const CatalogMark& c) {
    Mark m;
    m.a_id = c.a;
    m.b_id = c.b;
    m.verdict = parse_verdict(c.verdict).value_or(MarkVerdict::Alike);  // the table's CHECK allows no other
    m.source = parse_source(c.source);
    m.session = c.session;
    m.time = c.time;
    auto fa = db.file(c.a);
    if (!fa) return fa.error();
    auto fb = db.file(c.b);
    if (!fb) return fb.error();
    if (*fa) m.a = (*fa)->path;
    if (*fb) m.b = (*fb)->path;
    return m;
}

// Stores one mark of ids; the caller has checked access.
Result<Mark> store(Library& lib, std::int64_t a, std::int64_t b, MarkVerdict verdict, MarkSource source,
                   std::int64_t session, std::int64_t time) {
    if (auto st = lib.catalog().set_mark(a, b, to_string(verdict), to_string(source), session, time); !st)
        return st.error();
    CatalogMark c{std::min(a, b), std::max(a, b), to_string(verdict), to_string(source), session, time};
    return to_mark(lib.catalog(), c);
}

}  // namespace

Result<std::optional<CatalogFile>> find_library_file(Library& lib, const fs::path& path) {
    return resolve(lib.catalog(), path);
}

const char* to_string(MarkVerdict v) {
    switch (v) {
    case MarkVerdict::Same: return "same";
    case MarkVerdict::Alike: return "alike";
    case MarkVerdict::Different: return "different";
    }
    return "alike";
}

const char* to_string(MarkSource s) {
    switch (s) {
    case MarkSource::Search: return "search";
    case MarkSource::Duplicates: return "duplicates";
    case MarkSource::Pairs: return "pairs";
    case MarkSource::Import: return "import";
    }
    return "search";
}

Result<Mark> add_mark(Library& lib, const fs::path& a, const fs::path& b, MarkVerdict verdict, MarkSource source,
                      std::int64_t session) {
    if (auto st = check_writable(lib, "marking"); !st) return st.error();
    auto ia = file_id(lib, a);
    if (!ia) return ia.error();
    auto ib = file_id(lib, b);
    if (!ib) return ib.error();
    if (*ia == *ib) return Error{a.string() + " and " + b.string() + " are the same library file: a mark needs two"};
    return store(lib, *ia, *ib, verdict, source, session, now_ms());
}

Result<bool> remove_mark(Library& lib, const fs::path& a, const fs::path& b) {
    if (auto st = check_writable(lib, "removing a mark"); !st) return st.error();
    auto ia = file_id(lib, a);
    if (!ia) return ia.error();
    auto ib = file_id(lib, b);
    if (!ib) return ib.error();
    return lib.catalog().remove_mark(*ia, *ib);
}

namespace {

// The marks whose catalog row passes `keep`, oldest first, each with its files' paths.
template <class Keep>
Result<std::vector<Mark>> marks_where(Library& lib, Keep keep) {
    auto rows = lib.catalog().marks();
    if (!rows) return rows.error();
    std::vector<Mark> out;
    for (const auto& r : *rows) {
        if (!keep(r)) continue;
        auto m = to_mark(lib.catalog(), r);
        if (!m) return m.error();
        out.push_back(std::move(*m));
    }
    return out;
}

}  // namespace

Result<std::vector<Mark>> list_marks(Library& lib) {
    return marks_where(lib, [](const CatalogMark&) { return true; });
}

Result<std::vector<Mark>> marks_of_file(Library& lib, std::int64_t id) {
    return marks_where(lib, [id](const CatalogMark& r) { return r.a == id || r.b == id; });
}

Result<std::int64_t> count_marks(Library& lib) { return lib.catalog().mark_count(); }

std::string mark_json_line(const Mark& m) {
    json j = {{"a", m.a}, {"b", m.b}, {"verdict", to_string(m.verdict)}, {"source", to_string(m.source)},
              {"time", m.time}};
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<std::size_t> export_marks(Library& lib, std::ostream& out) {
    auto marks = list_marks(lib);
    if (!marks) return marks.error();
    for (const auto& m : *marks) out << mark_json_line(m) << '\n';
    out.flush();
    if (!out) return Error{"writing the marks of library " + library_name(lib) + " failed"};
    return marks->size();
}

Result<MarkImportResult> import_marks(Library& lib, std::istream& in) {
    if (auto st = check_writable(lib, "importing marks"); !st) return st.error();
    MarkImportResult result;
    auto tx = lib.catalog().begin();
    if (!tx) return tx.error();
    std::string text;
    for (std::size_t line = 1; std::getline(in, text); ++line) {
        if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
        auto problem = [&](std::string reason) { result.problems.push_back({line, std::move(reason)}); };
        const json j = json::parse(text, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            problem("not a JSON object");
            continue;
        }
        auto text_field = [&](const char* key) -> std::optional<std::string> {
            auto it = j.find(key);
            if (it == j.end() || !it->is_string()) return std::nullopt;
            return it->get<std::string>();
        };
        const auto a = text_field("a"), b = text_field("b"), v = text_field("verdict");
        if (!a || !b) {
            problem("\"a\" and \"b\" must be paths (strings)");
            continue;
        }
        const auto verdict = v ? parse_verdict(*v) : std::nullopt;
        if (!verdict) {
            problem("\"verdict\" must be \"same\", \"alike\" or \"different\"");
            continue;
        }
        std::int64_t time = now_ms();
        if (auto it = j.find("time"); it != j.end()) {
            if (!it->is_number_integer() || it->get<std::int64_t>() < 0) {
                problem("\"time\" must be Unix milliseconds (a non-negative integer)");
                continue;
            }
            time = it->get<std::int64_t>();
        }
        auto ia = resolve(lib.catalog(), *a);
        if (!ia) return ia.error();
        auto ib = resolve(lib.catalog(), *b);
        if (!ib) return ib.error();
        if (!*ia || !*ib) {
            problem((!*ia ? *a : *b) + " is not a file of the library " + library_name(lib));
            continue;
        }
        if ((*ia)->id == (*ib)->id) {
            problem(*a + " and " + *b + " are the same library file");
            continue;
        }
        auto stored = store(lib, (*ia)->id, (*ib)->id, *verdict, MarkSource::Import, 0, time);
        if (!stored) return stored.error();
        ++result.imported;
    }
    if (in.bad()) return Error{"reading the marks to import failed"};
    if (auto st = tx->commit(); !st) return st.error();
    return result;
}

}  // namespace rv

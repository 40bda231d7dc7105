// ruvision-cli mark / marks: a person's same/alike/different verdicts on pairs of library files
// (ruvision/engine/Marks.h). Exit status: 0 done, 1 the library or the catalog failed (or an
// import had lines it could not place), 2 a usage error, including a file that is not in the
// library.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/Commands.h"
#include "ruvision/engine/Learning.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/Marks.h"

namespace rv::cli {

namespace {

using nlohmann::json;

void print_mark(const Mark& m, bool as_json) {
    if (as_json)
        std::printf("%s\n", mark_json_line(m).c_str());  // the export's line
    else
        std::printf("%s %s %s (%s)\n", to_string(m.verdict), printable(m.a).c_str(), printable(m.b).c_str(),
                    to_string(m.source));
}

// 0 when both operands are library files; else the usage error (2) naming the first that is not,
// or 1 when the catalog could not be read.
int check_files(Library& lib, const char* command, const std::string& a, const std::string& b) {
    for (const auto& p : {a, b}) {
        auto f = find_library_file(lib, p);
        if (!f) {
            print_error(f.error().message);
            return 1;
        }
        if (!*f) return usage_error(command, p + ": not a file of the library " + lib.catalog().path().parent_path().string());
    }
    auto fa = find_library_file(lib, a), fb = find_library_file(lib, b);
    if (fa && fb && *fa && *fb && (*fa)->id == (*fb)->id)
        return usage_error(command, a + " and " + b + " are the same library file: a mark needs two");
    return 0;
}

int import_from(Library& lib, const std::string& file, bool as_json) {
    std::ifstream f;
    std::istream* in = &std::cin;
    if (file != "-") {
        f.open(file, std::ios::binary);
        if (!f) return usage_error("marks", file + ": cannot be read");
        in = &f;
    }
    auto r = import_marks(lib, *in);
    if (!r) {
        print_error("marks --import " + file + ": " + r.error().message);
        return 1;
    }
    for (const auto& p : r->problems)
        print_error("marks --import " + file + " line " + std::to_string(p.line) + ": " + p.reason);
    if (as_json) {
        json problems = json::array();
        for (const auto& p : r->problems) problems.push_back({{"line", p.line}, {"reason", p.reason}});
        std::printf("%s\n", dump({{"imported", r->imported}, {"problems", problems}}).c_str());
    } else {
        std::printf("imported %s from %s%s\n", count(r->imported, "mark").c_str(), printable(file).c_str(),
                    r->problems.empty() ? "" : ("; " + count(r->problems.size(), "line") + " not placed").c_str());
    }
    return r->problems.empty() ? 0 : 1;
}

int export_to(Library& lib, const std::string& file, bool as_json) {
    if (file == "-") {
        auto n = export_marks(lib, std::cout);
        if (!n) print_error(n.error().message);
        return n ? 0 : 1;
    }
    std::ofstream f(file, std::ios::binary | std::ios::trunc);
    if (!f) return usage_error("marks", file + ": cannot be written");
    auto n = export_marks(lib, f);
    f.close();
    if (!n || !f) {
        print_error("marks --export " + file + ": " + (n ? std::string("writing failed") : n.error().message));
        return 1;
    }
    if (as_json)
        std::printf("%s\n", dump({{"exported", *n}, {"file", file}}).c_str());
    else
        std::printf("exported %s to %s\n", count(*n, "mark").c_str(), printable(file).c_str());
    return 0;
}

}  // namespace

int cmd_mark(const Parsed& a) {
    if (int(a.has("same")) + int(a.has("alike")) + int(a.has("different")) != 1)
        return usage_error("mark", "give exactly one of --same, --alike and --different");
    const MarkVerdict verdict = a.has("same")    ? MarkVerdict::Same
                                : a.has("alike") ? MarkVerdict::Alike
                                                 : MarkVerdict::Different;
    const auto& ops = a.operands();
    auto lib = open_for(a, LibraryAccess::Update);
    if (!lib) return 1;
    if (int rc = check_files(*lib, "mark", ops[0], ops[1]); rc != 0) return rc;
    auto m = add_mark(*lib, ops[0], ops[1], verdict, MarkSource::Search);
    if (!m) {
        print_error("mark: " + m.error().message);
        return 1;
    }
    print_mark(*m, a.has("json"));
    // The mark is stored; the fast adapter learning from it is a bonus the next search uses.
    if (auto fast = update_fast_adapter_after_mark(*lib); !fast)
        print_error("mark: stored, but the fast adapter was not updated: " + fast.error().message);
    return 0;
}

int cmd_marks(const Parsed& a) {
    const bool as_json = a.has("json");
    const int actions = int(a.has("export")) + int(a.has("import")) + int(a.has("remove"));
    if (actions > 1) return usage_error("marks", "--export, --import and --remove go in separate calls");
    const auto& ops = a.operands();
    if (a.has("remove") && ops.size() != 2) return usage_error("marks", "--remove needs two images: IMAGE_A IMAGE_B");
    if (!a.has("remove") && !ops.empty()) return usage_error("marks", "images are given only with --remove");
    const bool writes = a.has("import") || a.has("remove");
    auto lib = open_for(a, writes ? LibraryAccess::Update : LibraryAccess::Read);
    if (!lib) return 1;
    if (a.has("import")) return import_from(*lib, a.text("import"), as_json);
    if (a.has("export")) return export_to(*lib, a.text("export"), as_json);
    if (a.has("remove")) {
        if (int rc = check_files(*lib, "marks", ops[0], ops[1]); rc != 0) return rc;
        auto removed = remove_mark(*lib, ops[0], ops[1]);
        if (!removed) {
            print_error("marks --remove: " + removed.error().message);
            return 1;
        }
        if (as_json)
            std::printf("%s\n", dump({{"removed", *removed}, {"a", ops[0]}, {"b", ops[1]}}).c_str());
        else
            std::printf("%s %s and %s\n", *removed ? "removed the mark on" : "there was no mark on",
                        printable(ops[0]).c_str(), printable(ops[1]).c_str());
        return 0;
    }
    auto marks = list_marks(*lib);
    if (!marks) {
        print_error(marks.error().message);
        return 1;
    }
    for (const auto& m : *marks) print_mark(m, as_json);
    if (!as_json && marks->empty()) std::printf("no marks yet (ruvision-cli mark --help)\n");
    return 0;
}

}  // namespace rv::cli

// ruvision-cli hierarchy and search --level as other tools use them, on a real library of photos:
// every JSON line parses; one root (parent null); every parent exists and is internal; every image
// path is an indexed file; sizes add up; every point inside the unit disk; the last line's fields;
// the text summary; index ends by storing it (and --no-hierarchy skips); search --level in text
// and JSON; usage errors for a negative or non-numeric level and for --level with feedback.
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "library_hierarchy_test_util.h"

namespace fs = std::filesystem;
using cli_test::cli;
using nlohmann::json;

class TestHierarchyCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void json_lines_form_the_tree();
    void text_summary_and_index_line();
    void search_at_a_level();
    void usage_errors();

private:
    QTemporaryDir tmp_;
    fs::path photos_, lib_;
    std::vector<fs::path> copies_;
};

void TestHierarchyCli::initTestCase() {
    const fs::path base = tmp_.path().toStdString();
    photos_ = base / "photos";
    lib_ = base / "lib";
    copies_ = library_hierarchy_test::copy_photos(library_hierarchy_test::mate_photos(), photos_);
    // Indexed without the hierarchy: the first `hierarchy` builds and stores it.
    auto r = cli({"index", "--no-hierarchy", "--library", QString::fromStdString(lib_.string()),
                  QString::fromStdString(photos_.string())});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY2(!r.err.contains("hierarchy") && !r.lines.join('\n').contains("hierarchy"), r.err.constData());
}

void TestHierarchyCli::json_lines_form_the_tree() {
    const QString lib = QString::fromStdString(lib_.string());
    for (int run = 0; run < 2; ++run) {
        auto r = cli({"hierarchy", "--library", lib, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        // The first run stores it (and says why on stderr); the second reads it.
        QCOMPARE(r.err.contains("none stored"), run == 0);
        QVERIFY(r.lines.size() > static_cast<int>(copies_.size()) + 1);
        std::map<std::int64_t, json> nodes;
        std::vector<std::int64_t> order;
        for (int i = 0; i + 1 < r.lines.size(); ++i) {
            json j = json::parse(r.lines[i].toStdString());  // throws (fails the test) if not JSON
            const auto id = j.at("id").get<std::int64_t>();
            QVERIFY2(!nodes.count(id), "a node id twice");
            for (const char* key : {"id", "parent", "depth", "x", "y"}) QVERIFY2(j.contains(key), key);
            const double x = j.at("x").get<double>(), y = j.at("y").get<double>();
            QVERIFY(x * x + y * y < 1.0);
            const bool image = j.contains("path");
            if (image) {
                QVERIFY(!j.contains("size") && !j.contains("representative"));
            } else {
                QVERIFY(j.contains("size") && j.contains("representative"));
            }
            nodes[id] = std::move(j);
            order.push_back(id);
        }
        const json last = json::parse(r.lines.back().toStdString());
        QVERIFY(last.at("distortion").at("mean").is_number());
        QVERIFY(last.at("distortion").at("max").is_number());
        QVERIFY(last.at("map").is_number());
        QVERIFY(last.at("distortion").at("mean").get<double>() <= last.at("distortion").at("max").get<double>());
        QVERIFY(last.at("map").get<double>() > 0 && last.at("map").get<double>() <= 1);

        int roots = 0;
        std::set<std::string> paths;
        std::map<std::int64_t, std::int64_t> images_below;  // id -> images counted from its children
        for (const auto& [id, j] : nodes) {
            if (j.at("parent").is_null()) {
                ++roots;
                QCOMPARE(j.at("depth").get<int>(), 0);
                continue;
            }
            const auto parent = j.at("parent").get<std::int64_t>();
            QVERIFY2(nodes.count(parent), "a parent that is not printed");
            QVERIFY2(!nodes.at(parent).contains("path"), "an image as a parent");
            QCOMPARE(j.at("depth").get<int>(), nodes.at(parent).at("depth").get<int>() + 1);
            images_below[parent] += j.contains("path") ? 1 : j.at("size").get<std::int64_t>();
            if (j.contains("path")) {
                const std::string p = j.at("path").get<std::string>();
                QVERIFY2(paths.insert(p).second, p.c_str());
            } else {
                // The representative is an image node that is printed too.
                const auto rep = j.at("representative").get<std::int64_t>();
                QVERIFY(nodes.count(rep) && nodes.at(rep).contains("path"));
            }
        }
        QCOMPARE(roots, 1);
        QVERIFY(nodes.at(order.front()).at("parent").is_null());  // the root comes first
        for (const auto& [id, j] : nodes)
            if (!j.contains("path")) QCOMPARE(j.at("size").get<std::int64_t>(), images_below[id]);
        // Every image path is an indexed file, and every indexed file is there.
        std::set<std::string> want;
        for (const auto& c : copies_) want.insert(c.string());
        QCOMPARE(paths, want);
    }
}

void TestHierarchyCli::text_summary_and_index_line() {
    const QString lib = QString::fromStdString(lib_.string());
    auto r = cli({"hierarchy", "--library", lib});
    QVERIFY2(r.code == 0, r.err.constData());
    const QString text = QString::fromUtf8(r.lines.join('\n'));
    QVERIFY2(text.contains(QString("%1 images").arg(copies_.size())), qPrintable(text));
    QVERIFY2(text.contains("level 0:"), qPrintable(text));
    QVERIFY2(text.contains("near-duplicate groups"), qPrintable(text));
    QVERIFY2(text.contains("MAP"), qPrintable(text));
    QVERIFY2(text.contains("up to date"), qPrintable(text));
    QVERIFY2(text.contains("no adapter"), qPrintable(text));
    // A file leaves: index says how the hierarchy followed (one line), incrementally.
    const fs::path gone = copies_.back();
    fs::rename(gone, gone.string() + ".away");
    auto idx = cli({"index", "--library", lib});
    QVERIFY2(idx.code == 0, idx.err.constData());
    const QString out = QString::fromUtf8(idx.lines.join('\n'));
    QVERIFY2(out.contains("hierarchy: updated: 0 added, 1 removed"), qPrintable(out));
    auto json_run = cli({"index", "--library", lib, "--json"});
    QVERIFY2(json_run.code == 0, json_run.err.constData());
    const json summary = json::parse(json_run.lines.back().toStdString());
    QCOMPARE(summary.at("hierarchy").at("reason").get<std::string>(), std::string("up to date"));
    fs::rename(gone.string() + ".away", gone);
    QCOMPARE(cli({"index", "--library", lib}).code, 0);
}

void TestHierarchyCli::search_at_a_level() {
    const QString lib = QString::fromStdString(lib_.string());
    const QString query = QString::fromStdString(copies_[2].string());
    auto text = cli({"search", "--library", lib, "--level", "0", "-k", "3", query});
    QVERIFY2(text.code == 0, text.err.constData());
    QVERIFY(!text.lines.isEmpty() && text.lines.size() <= 3);
    QVERIFY2(text.lines[0].trimmed().startsWith("1 "), text.lines[0].constData());
    auto deep = cli({"search", "--library", lib, "--level", "50", "-k", "3", "--json", query});
    QVERIFY2(deep.code == 0, deep.err.constData());
    QCOMPARE(deep.lines.size(), 3);
    double previous = -1;
    for (int i = 0; i < deep.lines.size(); ++i) {
        const json j = json::parse(deep.lines[i].toStdString());
        QCOMPARE(j.at("rank").get<int>(), i + 1);
        QCOMPARE(j.at("size").get<std::int64_t>(), std::int64_t(1));  // deeper than every branch: images
        QVERIFY(j.at("distance").get<double>() >= previous);
        previous = j.at("distance").get<double>();
        QVERIFY(fs::exists(j.at("path").get<std::string>()));
    }
    // The query is a library image: it comes first, at distance 0.
    QCOMPARE(json::parse(deep.lines[0].toStdString()).at("path").get<std::string>(), copies_[2].string());
    QCOMPARE(json::parse(deep.lines[0].toStdString()).at("distance").get<double>(), 0.0);
}

void TestHierarchyCli::usage_errors() {
    const QString lib = QString::fromStdString(lib_.string());
    const QString query = QString::fromStdString(copies_[0].string());
    for (const QString level : {"-1", "abc", "1.5", ""}) {
        auto r = cli({"search", "--library", lib, "--level", level, query});
        QVERIFY2(r.code == 2, qPrintable(level + ": " + r.err));
        QVERIFY2(r.err.contains("--level"), r.err.constData());
    }
    auto feedback = cli({"search", "--library", lib, "--level", "1", query, "--alike", query});
    QCOMPARE(feedback.code, 2);
    QVERIFY2(feedback.err.contains("--level goes without --alike"), feedback.err.constData());
    auto help = cli({"hierarchy", "--help"});
    QCOMPARE(help.code, 0);
    QVERIFY(help.lines.join('\n').contains("ruvision-cli hierarchy --library"));
    auto missing = cli({"hierarchy", "--library", QString::fromStdString((lib_ / "nope").string())});
    QCOMPARE(missing.code, 1);
    QVERIFY2(missing.err.contains("no library"), missing.err.constData());
}

QTEST_GUILESS_MAIN(TestHierarchyCli)
#include "test_hierarchy_cli.moc"

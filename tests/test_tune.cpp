// Self-supervised tuning (Tuning.h) on a real library of MATE's wallpapers (nature photos, desktop
// designs, abstract art; JPEGs of at most 640 pixels): a tune stores a 'tune' version with the
// guard's figures and its summary; the same seed gives the same adapter bit for bit and another
// seed another; a cancel stores nothing; a library opened for reading and one too small are
// refused with a clear error and no version; the person's marks are trained on (a tune after marks
// that join two pictures brings them closer than a tune without them); tune_due says when a tune
// is worth running.
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "ruvision/engine/Learning.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/Marks.h"
#include "ruvision/engine/Tuning.h"

namespace fs = std::filesystem;

namespace {

const std::atomic<bool> kNever{false};

// The MATE collections as 640-pixel JPEGs in `root` (the Elephants wallpaper's larger renditions
// left out); returns their paths in name order.
std::vector<fs::path> copy_photos(const fs::path& root, std::size_t at_most = 1000) {
    fs::create_directories(root);
    std::vector<fs::path> out;
    for (const std::string group : {"nature", "desktop", "abstract"}) {
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator("/usr/share/backgrounds/mate/" + group))
            if (e.path().filename().string().rfind("Elephants_", 0) != 0) files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            if (out.size() >= at_most) return out;
            const fs::path to = root / (group + "_" + f.stem().string() + ".jpg");
            const QImage image = QImage(QString::fromStdString(f.string()))
                                     .scaled(640, 640, Qt::KeepAspectRatio, Qt::SmoothTransformation);
            if (image.isNull() || !image.convertToFormat(QImage::Format_RGB888).save(QString::fromStdString(to.string()), "JPEG", 90))
                continue;
            out.push_back(to);
        }
    }
    return out;
}

std::unique_ptr<rv::Library> make_library(const fs::path& dir, const fs::path& root) {
    auto lib = rv::Library::open(dir, rv::LibraryAccess::Create);
    if (!lib) return nullptr;
    rv::IndexJobParams p;
    p.roots = {root};
    if (!(*lib)->index(p, kNever)) return nullptr;
    return std::move(*lib);
}

rv::TuneParams small_params(std::uint64_t seed = 7) {
    rv::TuneParams p;
    p.min_images = 8;
    p.views = 3;
    p.seed = seed;
    return p;
}

rv::LowRankAdapter stored_adapter(rv::Library& lib, std::int64_t version) {
    auto row = lib.catalog().adapter(version);
    if (!row || !*row) return {};
    auto a = rv::parse_adapter((*row)->params.data(), (*row)->params.size());
    return a ? *a : rv::LowRankAdapter{};
}

double adapted_cosine(const rv::LowRankAdapter& a, rv::Library& lib, const fs::path& x, const fs::path& y) {
    auto fx = lib.catalog().find_by_path(x.string()), fy = lib.catalog().find_by_path(y.string());
    if (!fx || !*fx || !fy || !*fy) return NAN;
    auto vx = lib.catalog().feature((*fx)->id), vy = lib.catalog().feature((*fy)->id);
    if (!vx || !*vx || !vy || !*vy) return NAN;
    rv::AdapterStack s;
    s.base = a;
    const int d = static_cast<int>((*vx)->size());
    std::vector<float> ax(d), ay(d);
    s.apply((*vx)->data(), ax.data(), d);
    s.apply((*vy)->data(), ay.data(), d);
    double c = 0;
    for (int i = 0; i < d; ++i) c += static_cast<double>(ax[i]) * ay[i];
    return c;
}

std::size_t version_count(rv::Library& lib) {
    auto v = rv::list_adapter_versions(lib);
    return v ? v->size() : 999;
}

}  // namespace

class TestTune : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void tune_stores_a_tune_version();
    void same_seed_same_adapter();
    void cancel_stores_nothing();
    void read_only_library_refuses();
    void too_small_library_says_so();
    void marks_are_trained_on();
    void tune_due_follows_the_library();

private:
    QTemporaryDir tmp_;
    fs::path dir_, root_;
    std::vector<fs::path> photos_;
    std::unique_ptr<rv::Library> lib_;
    std::int64_t first_ = 0;
};

void TestTune::initTestCase() {
    ::setenv("RUVISION_MODELS", RUVISION_MODELS_DIR, 1);
    QVERIFY(tmp_.isValid());
    dir_ = fs::path(tmp_.path().toStdString()) / "library";
    root_ = fs::path(tmp_.path().toStdString()) / "photos";
    photos_ = copy_photos(root_);
    QVERIFY2(photos_.size() >= 25, "the MATE wallpapers (mate-backgrounds) are needed");
    lib_ = make_library(dir_, root_);
    QVERIFY(lib_);
}

void TestTune::tune_stores_a_tune_version() {
    std::vector<std::string> stages;
    auto r = rv::tune(*lib_, small_params(), kNever, [&](const rv::TuneProgress& p) {
        if (stages.empty() || stages.back() != p.stage) stages.push_back(p.stage);
    });
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    first_ = r->version;
    QVERIFY(r->version >= 1);
    QCOMPARE(r->images, photos_.size());
    QCOMPARE(r->views, 3 * photos_.size());
    QVERIFY(r->held_out_images >= 2 && r->held_out_images < r->images);
    QVERIFY(r->held_out_before > 0.5 && r->held_out_before <= 1.0);  // plain features already find views
    QVERIFY(r->held_out_after > 0 && r->held_out_after <= 1.0);
    QVERIFY(r->reason.find("held-out images") != std::string::npos);
    QCOMPARE(r->activated, r->reason.rfind("activated", 0) == 0);
    QVERIFY(stages.size() >= 2 && stages[0] == "views" && stages[1] == "training");

    auto versions = rv::list_adapter_versions(*lib_);
    QVERIFY(versions.ok());
    QCOMPARE(versions->size(), std::size_t(1));
    const auto& v = versions->front();
    QCOMPARE(v.source, std::string("tune"));
    QCOMPARE(v.version, r->version);
    QCOMPARE(v.active, r->activated);
    QCOMPARE(v.held_out_after, r->held_out_after);
    QCOMPARE(v.held_out_before, r->held_out_before);
    const auto summary = nlohmann::json::parse(v.summary);
    QCOMPARE(summary["images"].get<std::size_t>(), photos_.size());
    QCOMPARE(summary["views"].get<std::size_t>(), 3 * photos_.size());
    QCOMPARE(summary["seed"].get<std::uint64_t>(), std::uint64_t(7));
    QVERIFY(stored_adapter(*lib_, r->version).valid());
    QCOMPARE(lib_->active_adapter()->version, r->activated ? r->version : std::int64_t(0));
}

void TestTune::same_seed_same_adapter() {
    QVERIFY(first_ > 0);
    auto again = rv::tune(*lib_, small_params(), kNever);
    QVERIFY2(again.ok(), again.ok() ? "" : again.error().message.c_str());
    auto other = rv::tune(*lib_, small_params(8), kNever);
    QVERIFY2(other.ok(), other.ok() ? "" : other.error().message.c_str());
    auto bytes = [&](std::int64_t v) { return (*lib_->catalog().adapter(v))->params; };
    QCOMPARE(bytes(again->version), bytes(first_));
    QVERIFY(bytes(other->version) != bytes(first_));
    // The guard's figures are the same too, but judged against the version active then.
    QCOMPARE(again->held_out_after, (*lib_->catalog().adapter(first_))->held_out_after);
}

void TestTune::cancel_stores_nothing() {
    const std::size_t before = version_count(*lib_);
    const auto active = lib_->active_adapter()->version;
    for (const std::string at : {"views", "training"}) {
        std::atomic<bool> cancel{false};
        auto r = rv::tune(*lib_, small_params(), cancel, [&](const rv::TuneProgress& p) {
            if (p.stage == at && (at == "training" || p.done >= 3)) cancel = true;
        });
        QVERIFY2(!r.ok(), at.c_str());
        QVERIFY2(r.error().message.find("cancelled; nothing was stored") != std::string::npos, r.error().message.c_str());
        QCOMPARE(version_count(*lib_), before);
        QCOMPARE(lib_->active_adapter()->version, active);
    }
}

void TestTune::read_only_library_refuses() {
    auto ro = rv::Library::open(dir_, rv::LibraryAccess::Read);
    QVERIFY(ro.ok());
    const std::size_t before = version_count(**ro);
    auto r = rv::tune(**ro, small_params(), kNever);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.find("needs the library opened for writing") != std::string::npos, r.error().message.c_str());
    QVERIFY(r.error().message.find(dir_.string()) != std::string::npos);
    QCOMPARE(version_count(**ro), before);
}

void TestTune::too_small_library_says_so() {
    const fs::path root = fs::path(tmp_.path().toStdString()) / "few";
    QCOMPARE(copy_photos(root, 6).size(), std::size_t(6));
    auto lib = make_library(fs::path(tmp_.path().toStdString()) / "small", root);
    QVERIFY(lib);
    auto r = rv::tune(*lib, rv::TuneParams{}, kNever);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.find("too small to tune: 6 indexed images, it needs at least 20") != std::string::npos,
             r.error().message.c_str());
    QCOMPARE(version_count(*lib), std::size_t(0));
    auto due = rv::tune_due(*lib);
    QVERIFY(due.ok());
    QVERIFY(!due->due);
    QCOMPARE(due->images, std::size_t(6));
}

void TestTune::marks_are_trained_on() {
    // Marks joining each nature photo with a desktop design (pictures the features keep apart):
    // a tune with them brings those pairs closer than a tune of the same seed without them.
    const fs::path root = fs::path(tmp_.path().toStdString()) / "marked";
    const auto photos = copy_photos(root);
    auto lib = make_library(fs::path(tmp_.path().toStdString()) / "marked-library", root);
    QVERIFY(lib);
    std::vector<std::pair<fs::path, fs::path>> joined;
    for (const auto& n : photos)
        if (n.filename().string().rfind("nature_", 0) == 0)
            for (const auto& d : photos)
                if (d.filename().string().rfind("desktop_", 0) == 0 && joined.size() < 60 &&
                    (joined.size() % 7) != 3)
                    joined.emplace_back(n, d);
    auto plain = rv::tune(*lib, small_params(), kNever);
    QVERIFY2(plain.ok(), plain.ok() ? "" : plain.error().message.c_str());
    QCOMPARE(plain->marks, std::size_t(0));
    QCOMPARE(plain->marks_before, -1.0);
    for (const auto& [a, b] : joined)
        QVERIFY(rv::add_mark(*lib, a, b, rv::MarkVerdict::Alike, rv::MarkSource::Pairs).ok());
    std::vector<fs::path> abstract, others;
    for (const auto& p : photos)
        (p.filename().string().rfind("abstract_", 0) == 0 ? abstract : others).push_back(p);
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 2; ++j)
            QVERIFY(rv::add_mark(*lib, abstract[i], others[j], rv::MarkVerdict::Different, rv::MarkSource::Pairs).ok());
    auto marked = rv::tune(*lib, small_params(), kNever);
    QVERIFY2(marked.ok(), marked.ok() ? "" : marked.error().message.c_str());
    QVERIFY(marked->marks + marked->held_out_marks >= joined.size());
    QVERIFY(marked->held_out_marks > 0);
    QVERIFY(marked->marks_before >= 0 && marked->marks_after >= 0);
    QVERIFY2(marked->reason.find("held-out marks") != std::string::npos, marked->reason.c_str());

    const auto without = stored_adapter(*lib, plain->version), with = stored_adapter(*lib, marked->version);
    QVERIFY(without.valid() && with.valid());
    double sum_without = 0, sum_with = 0;
    for (const auto& [a, b] : joined) {
        sum_without += adapted_cosine(without, *lib, a, b);
        sum_with += adapted_cosine(with, *lib, a, b);
    }
    qInfo("mean cosine of the joined pairs: %.4f with the marks, %.4f without", sum_with / joined.size(),
          sum_without / joined.size());
    QVERIFY2(sum_with > sum_without + 0.01 * static_cast<double>(joined.size()),
             (std::to_string(sum_with) + " vs " + std::to_string(sum_without)).c_str());
}

void TestTune::tune_due_follows_the_library() {
    // lib_ has versions tuned with all of its images: none is due; with a lower bar than its size
    // and no tune (the small library above) it would be; a library of 28 is below the default 50.
    auto due = rv::tune_due(*lib_, 8);
    QVERIFY(due.ok());
    QVERIFY2(!due->due, due->why.c_str());
    QVERIFY(due->why.find("was tuned when the library had") != std::string::npos);
    auto below = rv::tune_due(*lib_);
    QVERIFY(below.ok());
    QVERIFY(!below->due);
    QVERIFY(below->why.find("tuning waits for 50") != std::string::npos);
    const fs::path root = fs::path(tmp_.path().toStdString()) / "fresh";
    QVERIFY(copy_photos(root, 10).size() == 10);
    auto fresh = make_library(fs::path(tmp_.path().toStdString()) / "fresh-library", root);
    QVERIFY(fresh);
    auto yes = rv::tune_due(*fresh, 8);
    QVERIFY(yes.ok());
    QVERIFY2(yes->due, yes->why.c_str());
}

QTEST_GUILESS_MAIN(TestTune)
#include "test_tune.moc"

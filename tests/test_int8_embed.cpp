// INT8 as a user meets it: the models the build ships carry a calibration measured on the honest
// set's CHOOSE photos (packaging/models/int8-calibration.txt), and `embed --precision int8` keeps
// the per-image cosine of 0.99 with fp32 on photos the calibration never saw;
// calibrate_int8 writes a model that reads back; a model without calibration, or with a damaged
// one, is refused with the file named; a library records its precision, keeps it when reopened,
// and re-embeds its files when it changes.
#include <QtTest>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>

#include <nlohmann/json.hpp>

#include "model/ModelFile.h"
#include "model_file_util.h"
#include "ruvision/engine/Embedder.h"
#include "ruvision/engine/Int8Calibration.h"
#include "ruvision/engine/Library.h"

namespace fs = std::filesystem;

namespace {

const fs::path kModels = RUVISION_MODELS_DIR;

// Every JPEG and PNG of the wallpaper packages, sorted.
std::vector<fs::path> wallpapers() {
    std::vector<fs::path> files;
    for (const char* root : {"/usr/share/backgrounds", "/usr/share/wallpapers"}) {
        std::error_code ec;
        for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
             it.increment(ec)) {
            const auto ext = it->path().extension().string();
            if (it->is_regular_file() && (ext == ".jpg" || ext == ".png")) files.push_back(it->path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

// `count` wallpapers that are not among `excluded`, in a seeded order.
std::vector<fs::path> held_out(const std::vector<std::string>& excluded, std::size_t count) {
    std::vector<fs::path> out;
    for (const auto& f : wallpapers())
        if (std::find(excluded.begin(), excluded.end(), f.string()) == excluded.end()) out.push_back(f);
    std::mt19937 rng(1130);
    std::shuffle(out.begin(), out.end(), rng);
    out.resize(std::min(out.size(), count));
    return out;
}

double dot(const std::vector<float>& a, const std::vector<float>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
    return s;
}

// The header JSON and the tensor data of a model file image (layout: ModelFile.h).
std::pair<nlohmann::json, std::vector<std::uint8_t>> split_file(const std::vector<std::uint8_t>& bytes) {
    std::uint32_t json_len = 0;
    std::uint64_t data_offset = 0, data_len = 0;
    std::memcpy(&json_len, bytes.data() + 12, 4);
    std::memcpy(&data_offset, bytes.data() + 16, 8);
    std::memcpy(&data_len, bytes.data() + 24, 8);
    auto j = nlohmann::json::parse(bytes.begin() + 40, bytes.begin() + 40 + json_len);
    return {j, std::vector<std::uint8_t>(bytes.begin() + static_cast<std::ptrdiff_t>(data_offset),
                                         bytes.begin() + static_cast<std::ptrdiff_t>(data_offset + data_len))};
}

}  // namespace

class TestInt8Embed : public QObject {
    Q_OBJECT
private slots:
    void shipped_models_hold_out_data();
    void shipped_models_hold_out();
    void calibrate_writes_a_model_that_reads_back();
    void calibrate_refuses_what_it_cannot_use();
    void uncalibrated_model_refuses_int8();
    void damaged_calibration_is_refused();
    void library_records_its_precision();
};

void TestInt8Embed::shipped_models_hold_out_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<double>("worst_at_least");
    QTest::addColumn<double>("mean_at_least");
    // mobilenet_v2 (the default model): the 0.99 for every photo. The centernet MobileNetV3
    // keeps its hard-swish maps in float and loses more (bench_int8_accuracy on REPORT: mean 0.993,
    // worst 0.94 over 399 photos): a floor for it, not the goal.
    QTest::newRow("mobilenet_v2") << "mobilenet_v2" << 0.99 << 0.995;
    QTest::newRow("mobilenet_v3_centernet") << "mobilenet_v3_centernet" << 0.9 << 0.98;
}

void TestInt8Embed::shipped_models_hold_out() {
    QFETCH(QString, model);
    QFETCH(double, worst_at_least);
    QFETCH(double, mean_at_least);
    const fs::path file = kModels / (model.toStdString() + ".rvm");
    auto m = rv::ModelFile::load(file);
    QVERIFY2(m.ok(), m.ok() ? "" : m.error().message.c_str());
    const auto& c = (*m)->int8_calibration();
    QVERIFY2(c.has_value(), "the build imported the model without an INT8 calibration: the wallpaper packages "
                            "(gnome-backgrounds, mate-backgrounds, plasma-workspace-wallpapers) are missing; run "
                            "packaging/quickstart.sh and configure again");
    QVERIFY(c->images.size() >= 48);
    const auto photos = held_out(c->images, 16);
    QCOMPARE(photos.size(), std::size_t(16));
    auto fp32 = rv::Embedder::open(file, {}, rv::Precision::Fp32);
    auto int8 = rv::Embedder::open(file, {}, rv::Precision::Int8);
    QVERIFY(fp32.ok() && int8.ok());
    QCOMPARE((*int8)->precision(), rv::Precision::Int8);
    double worst = 1, sum = 0;
    for (const auto& p : photos) {
        auto a = (*fp32)->embed_file(p);
        auto b = (*int8)->embed_file(p);
        QVERIFY2(a.ok() && b.ok(), p.c_str());
        const double cos = dot(*a, *b);
        worst = std::min(worst, cos);
        sum += cos;
        // An INT8 clone (one per indexing thread) gives the same vector.
        auto clone = (*int8)->clone();
        auto again = clone->embed_file(p);
        QVERIFY(again.ok() && *again == *b);
    }
    qInfo("%s: INT8 vs fp32 on 16 photos the calibration never saw: mean %.5f, worst %.5f", qPrintable(model),
          sum / 16, worst);
    QVERIFY2(worst >= worst_at_least, std::to_string(worst).c_str());
    QVERIFY2(sum / 16 >= mean_at_least, std::to_string(sum / 16).c_str());
}

void TestInt8Embed::calibrate_writes_a_model_that_reads_back() {
    QTemporaryDir tmp;
    const fs::path out = fs::path(tmp.path().toStdString()) / "v2.rvm";
    const auto photos = held_out({}, 10);
    rv::Int8CalibrationOptions options;
    options.percentile = 99.9;
    options.float_nodes = {"expand13"};  // an alias: block_13_expand_relu
    auto r = rv::calibrate_int8(kModels / "mobilenet_v2.rvm", photos, out, options);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(r->images, 10);
    QVERIFY(r->skipped.empty());
    QCOMPARE(r->nodes, 63);
    QCOMPARE(r->int8_nodes, 60);  // 61 less the one asked to stay in float
    QVERIFY(r->worst_cosine > 0.98 && r->worst_cosine <= r->mean_cosine && r->mean_cosine <= 1.0 + 1e-9);

    auto m = rv::ModelFile::load(out);
    QVERIFY2(m.ok(), m.ok() ? "" : m.error().message.c_str());
    const auto& c = (*m)->int8_calibration();
    QVERIFY(c.has_value());
    QCOMPARE(c->percentile, 99.9);
    QCOMPARE(c->images.size(), std::size_t(10));
    QCOMPARE(c->images[0], photos[0].string());
    const int expand13 = (*m)->graph().find("expand13");
    for (std::size_t i = 0; i < c->keep_float.size(); ++i) QCOMPARE(bool(c->keep_float[i]), int(i) == expand13);
    // Everything else is as before: the same weights give the same fp32 embedding.
    auto before = rv::Embedder::open(kModels / "mobilenet_v2.rvm");
    auto after = rv::Embedder::open(out);
    QVERIFY(before.ok() && after.ok());
    QCOMPARE(*(*after)->embed_file(photos[0]), *(*before)->embed_file(photos[0]));
    // And `out` may be the model itself: calibrated again in place.
    auto again = rv::calibrate_int8(out, photos, out);
    QVERIFY2(again.ok(), again.ok() ? "" : again.error().message.c_str());
    QCOMPARE(again->int8_nodes, 61);
}

void TestInt8Embed::calibrate_refuses_what_it_cannot_use() {
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    const fs::path broken = dir / "broken.jpg";
    {
        std::ofstream f(broken, std::ios::binary);
        f << "\xFF\xD8\xFF\xE0 not a JPEG";
    }
    auto photos = held_out({}, 9);
    photos.push_back(broken);
    auto r = rv::calibrate_int8(kModels / "mobilenet_v2.rvm", photos, dir / "a.rvm");
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(r->images, 9);
    QCOMPARE(r->skipped.size(), std::size_t(1));
    QVERIFY2(r->skipped[0].find("broken.jpg") != std::string::npos, r->skipped[0].c_str());

    photos.erase(photos.begin() + 2, photos.end() - 1);  // 2 photos and the broken file
    r = rv::calibrate_int8(kModels / "mobilenet_v2.rvm", photos, dir / "b.rvm");
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.find("at least 8") != std::string::npos &&
                 r.error().message.find("broken.jpg") != std::string::npos,
             r.error().message.c_str());
    QVERIFY(!fs::exists(dir / "b.rvm"));

    rv::Int8CalibrationOptions options;
    options.float_nodes = {"no_such_node"};
    r = rv::calibrate_int8(kModels / "mobilenet_v2.rvm", held_out({}, 8), dir / "c.rvm", options);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.find("no_such_node") != std::string::npos, r.error().message.c_str());
    QVERIFY(!fs::exists(dir / "c.rvm"));
}

void TestInt8Embed::uncalibrated_model_refuses_int8() {
    QTemporaryDir tmp;
    const fs::path file = fs::path(tmp.path().toStdString()) / "tiny.rvm";
    QVERIFY(rv::write_model_file(file, model_test::tiny_model()).ok());
    QVERIFY(rv::Embedder::open(file).ok());
    auto e = rv::Embedder::open(file, {}, rv::Precision::Int8);
    QVERIFY(!e.ok());
    QVERIFY2(e.error().message.find(file.string()) != std::string::npos &&
                 e.error().message.find("no INT8 calibration") != std::string::npos,
             e.error().message.c_str());
    QVERIFY(!rv::parse_precision("int4").ok());
    QCOMPARE(*rv::parse_precision("int8"), rv::Precision::Int8);
}

void TestInt8Embed::damaged_calibration_is_refused() {
    auto m = rv::ModelFile::load(kModels / "mobilenet_v2.rvm");
    QVERIFY(m.ok() && (*m)->int8_calibration());
    auto [header, data] = split_file(rv::model_file_bytes((*m)->data()));
    QVERIFY(header.contains("int8"));
    // Each damage alone, on a file whose checksum is right: the parser, not the checksum, refuses it.
    const std::vector<std::pair<const char*, std::function<void(nlohmann::json&)>>> damages = {
        {"a node's channel count", [](nlohmann::json& j) { j["nodes"][5]["channel_hi"].erase(0); }},
        {"a positive lower bound", [](nlohmann::json& j) { j["nodes"][5]["lo"] = 0.5; }},
        {"a channel below zero", [](nlohmann::json& j) { j["nodes"][5]["channel_hi"][0] = -1.0; }},
        {"one node missing", [](nlohmann::json& j) { j["nodes"].erase(j["nodes"].size() - 1); }},
        {"an unknown float node", [](nlohmann::json& j) { j["float_nodes"].push_back("nowhere"); }},
        {"a percentile of 20", [](nlohmann::json& j) { j["percentile"] = 20; }},
        {"not an object", [](nlohmann::json& j) { j = nlohmann::json::array(); }},
    };
    for (const auto& [what, damage] : damages) {
        auto h = header;
        damage(h["int8"]);
        const auto bytes = rv::assemble_model_file(h.dump(), data.data(), data.size());
        auto bad = rv::ModelFile::from_bytes(bytes.data(), bytes.size(), "damaged.rvm");
        QVERIFY2(!bad.ok(), what);
        QVERIFY2(bad.error().message.find("damaged.rvm") != std::string::npos &&
                     bad.error().message.find("INT8 calibration") != std::string::npos,
                 (std::string(what) + ": " + bad.error().message).c_str());
    }
}

void TestInt8Embed::library_records_its_precision() {
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    const fs::path photos = dir / "photos", library = dir / "library";
    fs::create_directories(photos);
    const auto files = held_out({}, 6);
    for (std::size_t i = 0; i < files.size(); ++i)
        fs::copy_file(files[i], photos / (std::to_string(i) + files[i].extension().string()));
    std::atomic<bool> cancel{false};
    rv::IndexJobParams params;
    params.roots = {photos};
    {
        auto lib = rv::Library::open(library, rv::LibraryAccess::Create, {}, rv::Precision::Int8);
        QVERIFY2(lib.ok(), lib.ok() ? "" : lib.error().message.c_str());
        QCOMPARE((*lib)->model_id(), std::string("mobilenet_v2/gem3:expand13/int8"));
        auto r = (*lib)->index(params, cancel);
        QVERIFY(r.ok());
        QCOMPARE(r->embedded, std::size_t(6));
        auto hits = (*lib)->search(photos / ("2" + files[2].extension().string()), 1);
        QVERIFY(hits.ok() && !hits->empty());
        QCOMPARE(fs::path((*hits)[0].path).stem().string(), std::string("2"));
    }
    {  // Reopened without a precision: it keeps its own, and nothing is embedded again.
        auto lib = rv::Library::open(library, rv::LibraryAccess::Update);
        QVERIFY(lib.ok());
        QCOMPARE((*lib)->embedder().precision(), rv::Precision::Int8);
        auto meta = (*lib)->catalog().get_meta("precision");
        QVERIFY(meta.ok() && *meta && **meta == "int8");
        auto r = (*lib)->index({}, cancel);
        QVERIFY(r.ok());
        QCOMPARE(r->embedded, std::size_t(0));
    }
    {  // A reader may not change it.
        auto lib = rv::Library::open(library, rv::LibraryAccess::Read, {}, rv::Precision::Fp32);
        QVERIFY(!lib.ok());
    }
    {  // A model that cannot run in INT8 (no calibration) is refused, and the library keeps its
       // precision: it still opens as it was.
        const fs::path models = dir / "models";
        fs::create_directories(models);
        QVERIFY(rv::write_model_file(models / "tiny.rvm", model_test::tiny_model()).ok());
        const QByteArray before = qgetenv("RUVISION_MODELS");
        qputenv("RUVISION_MODELS", QByteArray::fromStdString(models.string()) + ":" + before);
        auto lib = rv::Library::open(library, rv::LibraryAccess::Update, "tiny", rv::Precision::Int8);
        qputenv("RUVISION_MODELS", before);
        QVERIFY(!lib.ok());
        QVERIFY2(lib.error().message.find("no INT8 calibration") != std::string::npos, lib.error().message.c_str());
        auto again = rv::Library::open(library, rv::LibraryAccess::Read);
        QVERIFY2(again.ok(), again.ok() ? "" : again.error().message.c_str());
        QCOMPARE((*again)->embedder().precision(), rv::Precision::Int8);
        QCOMPARE((*again)->model_id(), std::string("mobilenet_v2/gem3:expand13/int8"));
    }
    {  // Back to fp32: every file is embedded again under the fp32 name.
        auto lib = rv::Library::open(library, rv::LibraryAccess::Update, {}, rv::Precision::Fp32);
        QVERIFY(lib.ok());
        QCOMPARE((*lib)->model_id(), std::string("mobilenet_v2/gem3:expand13"));
        auto r = (*lib)->index({}, cancel);
        QVERIFY(r.ok());
        QCOMPARE(r->embedded, std::size_t(6));
        auto s = (*lib)->status();
        QVERIFY(s.ok());
        QCOMPARE(s->index_size, std::size_t(6));
    }
}

QTEST_APPLESS_MAIN(TestInt8Embed)
#include "test_int8_embed.moc"

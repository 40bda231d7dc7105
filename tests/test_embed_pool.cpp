// Embedding many files on two threads: results in input order, errors per file, cancel, and the
// same vectors as one thread.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "sample_photos.h"
#include "ruvision/engine/EmbedPool.h"

namespace fs = std::filesystem;

class TestEmbedPool : public QObject {
    Q_OBJECT
private slots:
    void ordered_results_with_errors();
    void cancel_stops();
    void turned_embedding_is_of_the_turned_image();
    void pool_stores_turned_embeddings();
};

namespace {

// Pool parameters with `threads` workers (and the rotated feature if asked).
rv::EmbedPoolParams pool(int threads, bool rotated = false) {
    rv::EmbedPoolParams p;
    p.threads = threads;
    p.rotated = rotated;
    return p;
}

std::unique_ptr<rv::Embedder> embedder() {
    auto e = rv::Embedder::open(RUVISION_MODELS_DIR "/mobilenet_v2.rvm");
    return e ? std::move(*e) : nullptr;
}

std::vector<fs::path> photos() { return rv_test::nature_photos(); }

}  // namespace

void TestEmbedPool::ordered_results_with_errors() {
    auto proto = embedder();
    QVERIFY(proto);
    QTemporaryDir tmp;
    auto files = photos();
    QVERIFY(files.size() >= 4);
    const fs::path bad = fs::path(tmp.path().toStdString()) / "broken.jpg";
    std::ofstream(bad) << "not a jpeg";
    files.insert(files.begin() + 2, bad);
    files.push_back(fs::path(tmp.path().toStdString()) / "vanished.jpg");

    std::vector<rv::EmbeddedFile> two, one;
    std::atomic<bool> cancel{false};
    const auto n = rv::embed_files(*proto, files, pool(2), cancel, [&](rv::EmbeddedFile&& r) { two.push_back(std::move(r)); });
    QCOMPARE(n, files.size());
    rv::embed_files(*proto, files, pool(1), cancel, [&](rv::EmbeddedFile&& r) { one.push_back(std::move(r)); });
    for (std::size_t i = 0; i < files.size(); ++i) {
        QCOMPARE(two[i].index, i);
        QCOMPARE(two[i].path, files[i]);
        const bool should_fail = files[i] == bad || i == files.size() - 1;
        QCOMPARE(two[i].ok(), !should_fail);
        if (should_fail) {
            QVERIFY(QString::fromStdString(two[i].error).startsWith(QString::fromStdString(files[i].string())));
            continue;
        }
        QCOMPARE(int(two[i].embedding.size()), proto->dim());
        QVERIFY(two[i].width > 0 && two[i].height > 0);
        QCOMPARE(two[i].embedding, one[i].embedding);  // threads change nothing
    }
}

void TestEmbedPool::cancel_stops() {
    auto proto = embedder();
    QVERIFY(proto);
    auto files = photos();
    std::atomic<bool> cancel{false};
    std::size_t seen = 0;
    const auto n = rv::embed_files(*proto, files, pool(2), cancel, [&](rv::EmbeddedFile&&) {
        if (++seen == 2) cancel = true;
    });
    QVERIFY(n >= 2);
    QVERIFY(n < files.size());
}

namespace {

rv::RgbImage turned_clockwise(const rv::RgbImage& in) {
    rv::RgbImage out{in.height, in.width, std::vector<std::uint8_t>(in.data.size())};
    for (int y = 0; y < in.height; ++y)
        for (int x = 0; x < in.width; ++x)
            for (int c = 0; c < 3; ++c)
                out.data[(static_cast<std::size_t>(x) * out.width + (in.height - 1 - y)) * 3 + c] =
                    in.data[(static_cast<std::size_t>(y) * in.width + x) * 3 + c];
    return out;
}

float cosine(const std::vector<float>& a, const std::vector<float>& b) {
    float s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

}  // namespace

// embed_turned turns the preprocessed tensor, not the image: the same as embedding the turned
// image up to resampling, on both kinds of model (fixed 224x224 and aspect-keeping any size).
void TestEmbedPool::turned_embedding_is_of_the_turned_image() {
    for (const char* model : {"mobilenet_v2", "mobilenet_v3_centernet"}) {
        auto e = rv::Embedder::open(std::string(RUVISION_MODELS_DIR "/") + model + ".rvm");
        QVERIFY2(e, model);
        rv::DecodeOptions opt;
        opt.min_side = (*e)->min_decode_side();
        auto img = rv::decode_image(photos()[1], opt);
        QVERIFY(img);
        const auto turned_r = (*e)->embed_turned(img->image);
        const auto reference_r = (*e)->embed(turned_clockwise(img->image));
        const auto plain_r = (*e)->embed(img->image);
        QVERIFY(turned_r && reference_r && plain_r);
        const auto &turned = *turned_r, &reference = *reference_r, &plain = *plain_r;
        QVERIFY2(cosine(turned, reference) > 0.99f, qPrintable(QString("%1: %2").arg(model).arg(cosine(turned, reference))));
        QVERIFY2(cosine(turned, plain) < cosine(turned, reference) - 0.005f, model);  // really turned
        // What indexing stores: both from one preprocessing, the same numbers as each alone.
        const auto both = (*e)->embed_with_turned(img->image);
        QVERIFY(both);
        QVERIFY2(both->plain == plain && both->turned == turned, model);
    }
}

void TestEmbedPool::pool_stores_turned_embeddings() {
    auto proto = embedder();
    QVERIFY(proto);
    const auto files = photos();
    std::vector<fs::path> two(files.begin(), files.begin() + 2);
    std::atomic<bool> cancel{false};
    int seen = 0;
    rv::embed_files(*proto, two, pool(2, true), cancel, [&](rv::EmbeddedFile&& r) {
        QVERIFY(r.ok());
        QCOMPARE(r.rotated.size(), r.embedding.size());
        QVERIFY(cosine(r.rotated, r.embedding) < 0.9999f);
        ++seen;
    });
    QCOMPARE(seen, 2);
}

QTEST_APPLESS_MAIN(TestEmbedPool)
#include "test_embed_pool.moc"

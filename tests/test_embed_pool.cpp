// Embedding many files on two threads: results in input order, errors per file, cancel, and the
// same vectors as one thread.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "ruvision/engine/EmbedPool.h"

namespace fs = std::filesystem;

class TestEmbedPool : public QObject {
    Q_OBJECT
private slots:
    void ordered_results_with_errors();
    void cancel_stops();
};

namespace {

std::unique_ptr<rv::Embedder> embedder() {
    auto e = rv::Embedder::open(RUVISION_MODELS_DIR "/mobilenet_v2.rvm");
    return e ? std::move(*e) : nullptr;
}

std::vector<fs::path> photos() {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator("/usr/share/backgrounds/mate/nature"))
        if (e.path().extension() == ".jpg") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

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
    const auto n = rv::embed_files(*proto, files, {2}, cancel, [&](rv::EmbeddedFile&& r) { two.push_back(std::move(r)); });
    QCOMPARE(n, files.size());
    rv::embed_files(*proto, files, {1}, cancel, [&](rv::EmbeddedFile&& r) { one.push_back(std::move(r)); });
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
    const auto n = rv::embed_files(*proto, files, {2}, cancel, [&](rv::EmbeddedFile&&) {
        if (++seen == 2) cancel = true;
    });
    QVERIFY(n >= 2);
    QVERIFY(n < files.size());
}

QTEST_APPLESS_MAIN(TestEmbedPool)
#include "test_embed_pool.moc"

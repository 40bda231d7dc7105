// Index files: save/load round trips of every kind and storage, refusal of every kind of damaged
// file (naming the file and the reason) without a crash, forged graphs behind a valid checksum,
// a FIFO or a folder where the file should be, and no write when nothing changed.
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <functional>
#include <random>

#include <sys/stat.h>

#include "ruvision/engine/VectorIndex.h"
#include "vector_test_util.h"

using namespace vtest;
using rv::Hit;
using rv::HnswIndex;
using rv::VectorIndex;

class TestIndexFile : public QObject {
    Q_OBJECT
private slots:
    void save_load_roundtrip_data();
    void save_load_roundtrip();
    void damaged_files_are_refused_data();
    void damaged_files_are_refused();
    void corrupt_graph_with_valid_checksum();
    void damaged_vector_in_file_is_refused_data() { both_kinds(); }
    void damaged_vector_in_file_is_refused();
    void index_path_that_is_not_a_file();
    void save_if_changed_writes_only_changes_data() { both_kinds(); }
    void save_if_changed_writes_only_changes();
};

void TestIndexFile::save_load_roundtrip_data() {
    QTest::addColumn<bool>("hnsw");
    QTest::addColumn<int>("storage");
    QTest::newRow("brute force") << false << 0;
    for (auto s : {rv::VectorStorage::F32, rv::VectorStorage::F16, rv::VectorStorage::I8})
        QTest::newRow(qPrintable(QString("hnsw, %1").arg(rv::storage_name(s)))) << true << int(s);
}

void TestIndexFile::save_load_roundtrip() {
    QFETCH(bool, hnsw);
    QFETCH(int, storage);
    QTemporaryDir dir;
    const std::string path = dir.filePath("library.rvidx").toStdString();
    const int d = 88;
    const std::size_t n = 2000;
    const auto data = clustered(n, d, 31, 30);
    const auto queries = clustered(50, d, 32, 30);
    rv::HnswParams p;
    p.storage = rv::VectorStorage(storage);
    auto index = make(hnsw, d, p);
    QVERIFY(index->add_batch(n, iota_ids(n, -500).data(), data.data()).ok());  // negative ids too
    for (std::int64_t id = -500; id < 0; id += 3) QVERIFY(index->remove(id));
    if (hnsw) static_cast<HnswIndex&>(*index).set_ef_search(100);
    const rv::Status saved = index->save(path);
    QVERIFY2(saved.ok(), saved.error().message.c_str());
    QVERIFY(!QFile::exists(QString::fromStdString(path + ".tmp")));

    auto loaded = rv::load_index(path, d, kModel);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    VectorIndex& back = **loaded;
    QCOMPARE(back.kind(), index->kind());
    QCOMPARE(back.dim(), d);
    QCOMPARE(back.model_id(), kModel);
    QCOMPARE(back.size(), index->size());
    QVERIFY(!back.contains(-500) && back.contains(-499));
    if (hnsw) QCOMPARE(static_cast<HnswIndex&>(back).ef_search(), 100);
    if (hnsw) QVERIFY(static_cast<HnswIndex&>(back).storage() == rv::VectorStorage(storage));
    for (std::size_t i = 0; i < 50; ++i) {
        const auto a = index->search(&queries[i * d], 10);
        const auto b = back.search(&queries[i * d], 10);
        QCOMPARE(a.size(), b.size());
        for (std::size_t r = 0; r < a.size(); ++r) {
            QCOMPARE(a[r].id, b[r].id);
            QCOMPARE(a[r].score, b[r].score);
        }
    }
    // The loaded index keeps working: it grows and finds what is added.
    const auto extra = random_unit(100, d, 33);
    QVERIFY(back.add_batch(100, iota_ids(100, 10000).data(), extra.data()).ok());
    QCOMPARE(back.search(&extra[50 * d], 1).at(0).id, std::int64_t(10050));
    QCOMPARE(rv::load_index(path, d, "").ok(), true);  // empty model id: accepted (inspection)
}

// What load_index is given: the file's bytes (payload = offset of the payload) and expectations.
struct LoadInput {
    std::vector<char> bytes;
    std::size_t payload;
    int dim;
    std::string model;
};

// One way to damage that, and the reason the error must give. No `apply`: the file is missing.
struct Damage {
    const char* name;
    const char* reason;
    std::function<void(LoadInput&)> apply;
};

const std::vector<Damage>& damages() {
    using In = LoadInput;
    static const std::vector<Damage> all = {
        {"missing", "does not exist", {}},
        {"empty", "empty", [](In& t) { t.bytes.clear(); }},
        {"truncate 5", "truncated", [](In& t) { t.bytes.resize(5); }},
        {"truncate 20", "truncated", [](In& t) { t.bytes.resize(20); }},
        {"truncate in model id", "truncated", [](In& t) { t.bytes.resize(40); }},
        {"truncate before payload", "truncated", [](In& t) { t.bytes.resize(t.payload - 1); }},
        {"truncate in payload", "truncated", [](In& t) { t.bytes.resize(t.payload + 3); }},
        {"truncate half", "truncated", [](In& t) { t.bytes.resize(t.bytes.size() / 2); }},
        {"truncate last byte", "truncated", [](In& t) { t.bytes.pop_back(); }},
        {"trailing bytes", "unexpected bytes after the payload", [](In& t) { t.bytes.push_back(0); }},
        {"flip first payload byte", "checksum mismatch", [](In& t) { t.bytes[t.payload] ^= 1; }},
        {"flip payload byte", "checksum mismatch",
         [](In& t) { t.bytes[t.payload + (t.bytes.size() - t.payload) / 3] ^= 0x20; }},
        {"flip last payload byte", "checksum mismatch", [](In& t) { t.bytes.back() ^= 0x40; }},
        {"bad magic", "bad magic", [](In& t) { t.bytes[3] = 'X'; }},
        {"not an index", "bad magic", [](In& t) { t.bytes.assign({'{', '"', '}'}); }},
        {"version", "format version 7 is not supported", [](In& t) { t.bytes[8] = 7; }},
        {"wrong dim", "dimension mismatch: the index holds 16-d vectors, the library uses 17-d",
         [](In& t) { t.dim = 17; }},
        {"wrong model",
         "built for model 'mobilenet_v2/gem3:expand13', library uses 'mobilenet_v3/avg:last'",
         [](In& t) { t.model = "mobilenet_v3/avg:last"; }},
    };
    return all;
}

void TestIndexFile::damaged_files_are_refused_data() {
    QTest::addColumn<bool>("hnsw");
    QTest::addColumn<int>("damage");
    for (bool hnsw : {true, false})
        for (std::size_t i = 0; i < damages().size(); ++i)
            QTest::newRow(qPrintable(QString("%1: %2").arg(hnsw ? "hnsw" : "brute", damages()[i].name)))
                << hnsw << int(i);
}

void TestIndexFile::damaged_files_are_refused() {
    QFETCH(bool, hnsw);
    QFETCH(int, damage);
    const Damage& dmg = damages()[damage];
    QTemporaryDir dir;
    const std::string path = dir.filePath("index.rvidx").toStdString();
    const int d = 16;
    const auto data = clustered(200, d, 41, 5);
    auto index = make(hnsw, d);
    QVERIFY(index->add_batch(200, iota_ids(200).data(), data.data()).ok());
    QVERIFY(index->save(path).ok());
    const auto bytes = read_all(path);
    LoadInput in{bytes, payload_offset(bytes), d, kModel};
    if (dmg.apply) dmg.apply(in);
    write_all(path, in.bytes);
    const std::string open_path = dmg.apply ? path : path + ".absent";
    auto loaded = rv::load_index(open_path, in.dim, in.model);
    QVERIFY(!loaded.ok());
    const QString msg = QString::fromStdString(loaded.error().message);
    QVERIFY2(msg.contains(QString::fromStdString(open_path)), qPrintable(msg));
    QVERIFY2(msg.contains(dmg.reason), qPrintable(msg));
}

// A checksum only catches accidents: bytes that pass it are still checked before hnswlib sees
// them, so even a deliberately forged graph gives an error, not a crash.
void TestIndexFile::corrupt_graph_with_valid_checksum() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("forged.rvidx").toStdString();
    const int d = 8;
    const auto data = clustered(300, d, 51, 6);
    HnswIndex index(d, kModel);
    QVERIFY(index.add_batch(300, iota_ids(300).data(), data.data()).ok());
    QVERIFY(index.remove(17));
    QVERIFY(index.save(path).ok());
    const auto good = read_all(path);
    // ef_search and storage (4 bytes each), hnswlib's 96-byte header, then element 0: link
    // count, flags, links.
    const std::size_t graph = payload_offset(good) + 8, element0 = graph + 96;

    auto forged = good;
    const std::uint32_t outside = 0xFFFFFF00u;
    std::memcpy(&forged[element0 + 4], &outside, 4);
    fix_checksum(forged);
    write_all(path, forged);
    auto loaded = rv::load_index(path, d, kModel);
    QVERIFY(!loaded.ok());
    QVERIFY2(QString::fromStdString(loaded.error().message).contains("corrupt index graph"),
             loaded.error().message.c_str());

    // Random damage anywhere in the graph, checksum repaired: refused or loaded, never a crash,
    // and whatever loads can be searched and extended.
    std::mt19937 rng(61);
    int refused = 0, accepted = 0;
    for (int trial = 0; trial < 400; ++trial) {
        forged = good;
        const int flips = 1 + int(rng() % 4);
        const bool in_header = trial % 4 == 0;  // a quarter aimed at hnswlib's header fields
        for (int f = 0; f < flips; ++f) {
            const std::size_t span = in_header ? 96 : forged.size() - graph;
            forged[graph + rng() % span] ^= char(1u << (rng() % 8));
        }
        fix_checksum(forged);
        write_all(path, forged);
        auto r = rv::load_index(path, d, kModel);
        if (!r.ok()) {
            ++refused;
            continue;
        }
        ++accepted;
        (*r)->search(data.data(), 10);
        (void)(*r)->add(1000, data.data());
    }
    qInfo("forged graphs: %d refused, %d loaded", refused, accepted);
    QVERIFY(refused > 0);
}

// A vector damaged inside an index file whose checksum was made to match (a faulty writer) is
// found when loading: the library then rebuilds from the catalog.
void TestIndexFile::damaged_vector_in_file_is_refused() {
    QFETCH(bool, hnsw);
    QTemporaryDir dir;
    const std::string path = dir.filePath("index.rvidx").toStdString();
    const int d = 8;
    const std::size_t n = 50;
    const auto data = random_unit(n, d, 17);
    rv::HnswParams f32;
    f32.storage = rv::VectorStorage::F32;  // compact codes: test_index_storage
    auto index = make(hnsw, d, f32);
    QVERIFY(index->add_batch(n, iota_ids(n).data(), data.data()).ok());
    QVERIFY(index->save(path).ok());
    const auto good = read_all(path);
    // Where element 0's first value is: HNSW, after ef_search, the storage, hnswlib's header and
    // element 0's links (u32 count + 2M links); brute force, after n and the ids.
    const std::size_t first_value =
        hnsw ? payload_offset(good) + 8 + 96 + 4 + 2 * 16 * 4 : payload_offset(good) + 8 + 8 * n;
    float v0;
    std::memcpy(&v0, &good[first_value], 4);
    QCOMPARE(v0, data[0]);  // the layout assumption holds
    for (float bad : {std::nanf(""), 1e37f, 0.5f}) {
        auto forged = good;
        std::memcpy(&forged[first_value], &bad, 4);
        fix_checksum(forged);
        write_all(path, forged);
        auto loaded = rv::load_index(path, d, kModel);
        QVERIFY2(!loaded.ok(), qPrintable(QString::number(bad)));
        const QString msg = QString::fromStdString(loaded.error().message);
        QVERIFY2(msg.contains(QString::fromStdString(path)) && (msg.contains("damaged vector") || msg.contains("refused")),
                 qPrintable(msg));
    }
}

// A FIFO or a folder where the index file should be: loading says so at once (never waits for a
// writer), and saving sets the entry aside instead of deleting it.
void TestIndexFile::index_path_that_is_not_a_file() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("vectors.rvi").toStdString();
    QCOMPARE(::mkfifo(path.c_str(), 0644), 0);
    auto loaded = rv::load_index(path, 8, kModel);
    QVERIFY(!loaded.ok());
    QVERIFY2(QString::fromStdString(loaded.error().message).contains("named pipe"), loaded.error().message.c_str());
    // FIFOs at the temporary names as well (".hnsw.tmp": hnswlib's scratch file before format 2,
    // no longer written: left alone).
    QCOMPARE(::mkfifo((path + ".tmp").c_str(), 0644), 0);
    QCOMPARE(::mkfifo((path + ".hnsw.tmp").c_str(), 0644), 0);
    HnswIndex index(8, kModel);
    const auto data = random_unit(20, 8, 3);
    QVERIFY(index.add_batch(20, iota_ids(20).data(), data.data()).ok());
    QVERIFY(index.save(path).ok());
    QVERIFY(std::filesystem::is_fifo(path + ".bad-1"));
    QVERIFY(std::filesystem::is_fifo(path + ".tmp.bad-1"));
    QVERIFY(std::filesystem::is_fifo(path + ".hnsw.tmp"));
    auto back = rv::load_index(path, 8, kModel);
    QVERIFY(back.ok());
    QCOMPARE((*back)->size(), std::size_t(20));

    std::filesystem::remove(path);
    std::filesystem::create_directories(path + "/inside");
    loaded = rv::load_index(path, 8, kModel);
    QVERIFY(!loaded.ok());
    QVERIFY2(QString::fromStdString(loaded.error().message).contains("a folder"), loaded.error().message.c_str());
    QVERIFY(index.save(path).ok());
    QVERIFY(std::filesystem::is_directory(path + ".bad-2/inside"));
    QVERIFY(rv::load_index(path, 8, kModel).ok());
}

// An index written only when what it holds changed since it was loaded or saved, or when its file
// is not the one it read or wrote: a rescan that changes nothing writes no index file.
void TestIndexFile::save_if_changed_writes_only_changes() {
    QFETCH(bool, hnsw);
    QTemporaryDir tmp;
    const std::string path = tmp.filePath("v.rvi").toStdString();
    const std::string other = tmp.filePath("w.rvi").toStdString();
    const int d = 24;
    const auto data = random_unit(50, d, 5);
    // The file's inode: save() writes a new file and renames it over the old one.
    auto inode = [](const std::string& p) {
        struct stat st {};
        return ::stat(p.c_str(), &st) == 0 ? st.st_ino : ino_t{0};
    };
    auto index = make(hnsw, d);
    QVERIFY(index->add_batch(40, iota_ids(40, 1).data(), data.data()).ok());
    QVERIFY(index->save_if_changed(path).ok());  // never saved: written
    const ino_t first = inode(path);
    QVERIFY(first != 0);
    QVERIFY(index->save_if_changed(path).ok());
    QCOMPARE(inode(path), first);  // unchanged: not written
    QVERIFY(index->save_if_changed(other).ok());  // another file: written
    QVERIFY(inode(other) != 0);

    // Loaded and unchanged: not written; any change, a removal or a vector added, is.
    auto loaded = rv::load_index(path, d, kModel);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    QVERIFY((*loaded)->save_if_changed(path).ok());
    QCOMPARE(inode(path), first);
    QVERIFY(!(*loaded)->remove(999));  // nothing removed: nothing changed
    QVERIFY((*loaded)->save_if_changed(path).ok());
    QCOMPARE(inode(path), first);
    QVERIFY((*loaded)->remove(3));
    QVERIFY((*loaded)->save_if_changed(path).ok());
    const ino_t second = inode(path);
    QVERIFY(second != first);
    QVERIFY((*loaded)->add(41, &data[41 * d]).ok());
    QVERIFY((*loaded)->save_if_changed(path).ok());
    const ino_t third = inode(path);
    QVERIFY(third != second);
    auto back = rv::load_index(path, d, kModel);
    QVERIFY(back.ok());
    QCOMPARE((*back)->size(), std::size_t{40});
    QVERIFY(!(*back)->contains(3) && (*back)->contains(41));

    // The file replaced behind the index's back (another process, a restore): written again.
    // So is a file removed.
    QVERIFY(index->save(path).ok());
    const ino_t replaced = inode(path);
    QVERIFY((*loaded)->save_if_changed(path).ok());
    QVERIFY(inode(path) != replaced);
    auto again = rv::load_index(path, d, kModel);
    QVERIFY(again.ok());
    QVERIFY((*again)->contains(41) && !(*again)->contains(3));
    std::filesystem::remove(path);
    QVERIFY((*loaded)->save_if_changed(path).ok());
    QVERIFY(inode(path) != 0);
}

QTEST_APPLESS_MAIN(TestIndexFile)
#include "test_index_file.moc"

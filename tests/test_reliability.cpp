// Reliability: the bad files a user's folder holds, mixed into real photos, indexed by the real
// ruvision-cli (a child process, so its peak memory can be read after it exits), then the
// summary and the catalog checked; and a file that vanishes between the scan and its decoding,
// through the engine's Library API in this process (the only deterministic way to delete a file
// at that moment).
//
// Contract under test: every bad file gets exactly one stored error naming it with its reason;
// the job finishes; every real photo is indexed; a re-run keeps all of it; memory stays bounded
// whatever size a file announces. Things that are not files (a FIFO, a folder, a dangling
// symlink, all with image extensions) are neither indexed nor errors, and must not hang the scan.
//
// "Unreadable" (chmod 000) is only checked when not running as root: root reads such files
// anyway. The vanished file is the unreadable case that root cannot side-step.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "rss_bound.h"
#include "ruvision/engine/Library.h"
#include "cli_runner.h"
#include "image_test_files.h"

namespace fs = std::filesystem;

namespace {

using cli_test::cli;
using cli_test::kProcessBoundMs;
using cli_test::Run;


QJsonObject last_json(const Run& r) {
    return r.lines.isEmpty() ? QJsonObject{} : QJsonDocument::fromJson(r.lines.last()).object();
}

// Distinct real photos (JPEG, at most 3 MB, symlinked copies counted once), sorted by path.
std::vector<fs::path> real_photos(const std::string& ext) {
    std::set<fs::path> out;
    for (const char* dir : {"/usr/share/backgrounds", "/usr/share/wallpapers"}) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) continue;
        for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::follow_directory_symlink, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            const fs::path p = it->path();
            if (p.extension() != ext || p.filename().string().rfind("screenshot", 0) == 0) continue;
            std::error_code e2;
            const fs::path real = fs::canonical(p, e2);
            if (!e2 && fs::is_regular_file(real, e2) && fs::file_size(real, e2) <= (3u << 20)) out.insert(real);
        }
    }
    return {out.begin(), out.end()};
}

void write_bytes(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read_bytes(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

// A valid PNG of width x height 8-bit grey pixels, all black (or, `transparent`, RGBA pixels all
// transparent black): IHDR, IDAT chunks of one zlib stream (filter byte 0 + zero samples per
// row, deflated as it is produced, so neither the file nor this process ever holds the raw
// pixels), IEND. 30000 x 30000 makes a file of about 1 MB that a decoder trusting its header
// would allocate 900 MB (grey) or 2.7 GB (colour) for.
bool write_black_png(const fs::path& path, std::uint32_t width, std::uint32_t height, bool transparent = false) {
    std::ofstream f(path, std::ios::binary);
    auto be32 = [](std::uint32_t v) {
        return std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    };
    auto chunk = [&](const char* type, const std::string& data) {
        const std::string body = type + data;
        const auto crc = crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
        f << be32(static_cast<std::uint32_t>(data.size())) << body << be32(static_cast<std::uint32_t>(crc));
    };
    f << std::string("\x89PNG\r\n\x1a\n", 8);
    // depth 8, grey or RGBA, deflate, no interlace
    chunk("IHDR", be32(width) + be32(height) + std::string{8, char(transparent ? 6 : 0), 0, 0, 0});

    z_stream z{};
    if (deflateInit2(&z, 9, Z_DEFLATED, 15, 9, Z_RLE) != Z_OK) return false;
    const std::size_t row = std::size_t{width} * (transparent ? 4 : 1) + 1;
    const std::vector<Bytef> rows(row * 64, 0);  // 64 rows of filter 0 + black samples
    std::vector<Bytef> out(1 << 20);
    std::uint64_t left = row * height;
    int flush = Z_NO_FLUSH;
    do {
        if (z.avail_in == 0 && left > 0) {
            const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, rows.size()));
            z.next_in = const_cast<Bytef*>(rows.data());
            z.avail_in = static_cast<uInt>(n);
            left -= n;
        }
        flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        z.next_out = out.data();
        z.avail_out = static_cast<uInt>(out.size());
        if (deflate(&z, flush) == Z_STREAM_ERROR) return false;
        const std::size_t have = out.size() - z.avail_out;
        if (have) chunk("IDAT", std::string(reinterpret_cast<const char*>(out.data()), have));
    } while (!(flush == Z_FINISH && z.avail_out != 0));
    deflateEnd(&z);
    chunk("IEND", {});
    return static_cast<bool>(f);
}

// A 24-bit BMP header announcing width x height pixels, the file extended to the size those
// pixels take, as a hole (no disk space): a multi-gigabyte scan as far as any reader can tell.
void write_sparse_bmp(const fs::path& path, std::uint32_t width, std::uint32_t height) {
    auto le32 = [](std::uint32_t v) { return std::string{char(v), char(v >> 8), char(v >> 16), char(v >> 24)}; };
    const std::uint64_t pixels_bytes = std::uint64_t{(width * 3 + 3) / 4 * 4} * height;
    std::string h = "BM" + le32(static_cast<std::uint32_t>(54 + pixels_bytes)) + le32(0) + le32(54);
    h += le32(40) + le32(width) + le32(height) + std::string{1, 0, 24, 0} + le32(0) +
         le32(static_cast<std::uint32_t>(pixels_bytes)) + le32(2835) + le32(2835) + le32(0) + le32(0);
    write_bytes(path, h);
    fs::resize_file(path, 54 + pixels_bytes);
}

// Removes a folder on destruction: QTemporaryDir cannot delete names that are not UTF-8.
struct RemoveTree {
    fs::path path;
    ~RemoveTree() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// Peak resident memory of the largest child process waited for so far, in KiB.
long children_peak_kib() {
    rusage u{};
    getrusage(RUSAGE_CHILDREN, &u);
    return u.ru_maxrss;
}

}  // namespace

class TestReliability : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void bad_files_in_a_real_folder();
    void file_vanishes_before_it_is_decoded();
};

void TestReliability::initTestCase() {
    qputenv("RUVISION_MODELS", RUVISION_MODELS_DIR);
    if (real_photos(".jpg").size() < 23 || real_photos(".png").empty())
        QSKIP("needs the Debian wallpaper packages (23 JPEG and one PNG photos)");
}

void TestReliability::bad_files_in_a_real_folder() {
    QTemporaryDir tmp;
    const fs::path root = fs::path(tmp.path().toStdString()) / "photos";
    const QString lib = tmp.filePath("library");
    const RemoveTree cleanup{root};
    const auto photos = real_photos(".jpg");
    fs::create_directories(root / "2023" / "summer");

    // Real photos, spread over subfolders: all must be indexed.
    int good = 0;
    for (int i = 0; i < 20; ++i, ++good) {
        const fs::path dir = i % 3 == 0 ? root : i % 3 == 1 ? root / "2023" : root / "2023" / "summer";
        fs::copy_file(photos[i], dir / ("photo" + std::to_string(i) + photos[i].extension().string()));
    }
    // A real PNG named .jpg: decoded by content, indexed.
    fs::copy_file(real_photos(".png").front(), root / "wrong_extension.jpg");
    ++good;
    // A name that is not UTF-8 (Latin-1 "café"), holding a real photo.
    fs::copy_file(photos[20], root / std::string("caf\xe9.jpg"));
    ++good;
    // A folder named like an image: walked, not decoded; the photo inside is indexed.
    fs::create_directories(root / "folder.jpg");
    fs::copy_file(photos[21], root / "folder.jpg" / "inside.jpg");
    ++good;
    // Two 100-megapixel pictures (the most the decoder accepts), decoded at once by the two
    // workers: 300 MB of pixels each, which must not be held twice; the second is transparent
    // (400 MB decoded with its alpha, flattened to RGB in the same buffer).
    QVERIFY(write_black_png(root / "panorama1.png", 10000, 10000));
    QVERIFY(write_black_png(root / "panorama2.png", 10000, 10000, true));
    good += 2;

    // Bad files, each with a word its stored reason must contain.
    const std::vector<std::pair<std::string, QString>> bad_files = {
        {"empty.jpg", "empty"},
        {"truncated.jpg", "truncated"},
        {"notes.png", "not an image"},
        {"huge.png", "too large"},
        {"scan.bmp", "too large"},
        {"vid\xe9o.jpg", "empty"},  // a bad file whose name is not UTF-8 either
        // Headers we accept that the decoders reject: were indexed as black pictures (issue 8),
        // three GIFs and a damaged PNG then forming a duplicate group at 1.0000.
        {"party.gif", "GIF is not supported"},
        {"beach.gif", "GIF is not supported"},
        {"cat.gif", "GIF is not supported"},
        {"damaged.png", "damaged PNG (IHDR chunk checksum mismatch)"},
        {"bad_huffman.jpg", "damaged JPEG (Bogus Huffman table definition)"},
        {"seven_bits.bmp", "unsupported BMP (7 bits per pixel)"},
        // 30000 x 30000 behind a stray byte before the frame header: 2.6 GB each to decode.
        {"stray1.jpg", "too large"},
        {"stray2.jpg", "too large"},
    };
    std::ofstream(root / "empty.jpg").close();
    std::ofstream(root / "vid\xe9o.jpg").close();
    const std::string whole = read_bytes(photos[22]);
    write_bytes(root / "truncated.jpg", whole.substr(0, whole.size() / 2));
    write_bytes(root / "notes.png", "shopping list: eggs, flour\n");
    QVERIFY(write_black_png(root / "huge.png", 30000, 30000));
    QVERIFY2(fs::file_size(root / "huge.png") < (8u << 20), "the 900-megapixel PNG should stay small on disk");
    write_sparse_bmp(root / "scan.bmp", 20000, 20000);  // 1.2 GB file, 400 megapixels
    namespace itf = image_test_files;
    auto write_file = [&](const char* name, const itf::Bytes& b) {
        write_bytes(root / name, std::string(b.begin(), b.end()));
    };
    write_file("party.gif", itf::gif(320, 240));
    write_file("beach.gif", itf::gif(640, 480));
    write_file("cat.gif", itf::gif(200, 300));
    write_file("damaged.png", itf::png_with_bad_header_crc(64, 48));
    write_file("bad_huffman.jpg", itf::jpeg_with_bad_huffman_table(64, 48));
    write_file("seven_bits.bmp", itf::bmp_7_bits(64, 48));
    write_file("stray1.jpg", itf::jpeg_bomb_behind_stray_byte(30000, 30000));
    write_file("stray2.jpg", itf::jpeg_bomb_behind_stray_byte(30000, 29000));
    std::vector<std::pair<std::string, QString>> bad = bad_files;
    if (geteuid() != 0) {  // root reads mode-000 files anyway
        write_bytes(root / "locked.jpg", whole);
        fs::permissions(root / "locked.jpg", fs::perms::none);
        bad.emplace_back("locked.jpg", "cannot open");
    }

    // Not files: must not hang the scan (opening a FIFO blocks until a writer comes), not be
    // indexed, not be errors.
    QCOMPARE(::mkfifo((root / "pipe.jpg").c_str(), 0644), 0);
    fs::create_symlink(root / "deleted-long-ago.jpg", root / "gone.jpg");

    auto r = cli({"index", "--library", lib, "--json", QString::fromStdString(root.string())});
    QVERIFY2(r.finished, "indexing did not finish in time (a hang)");
    QVERIFY2(r.code == 1, r.err.constData());  // 1: finished, some files failed
    const long peak_kib = children_peak_kib();
    auto summary = last_json(r);
    const int nbad = static_cast<int>(bad.size());
    QCOMPARE(summary["found"].toInt(), good + nbad);
    QCOMPARE(summary["embedded"].toInt(), good);
    QCOMPARE(summary["failed"].toInt(), nbad);
    QCOMPARE(summary["cancelled"].toBool(), false);

    // Exactly one error per bad file, naming it, with its reason.
    const QJsonArray errors = summary["errors"].toArray();
    QCOMPARE(errors.size(), nbad);
    for (const auto& [name, keyword] : bad) {
        const QString path = QString::fromStdString((root / name).string());
        int hits = 0;
        for (const auto& e : errors) {
            const auto o = e.toObject();
            if (o["path"].toString() != path) continue;
            ++hits;
            const QString reason = o["reason"].toString();
            QVERIFY2(reason.startsWith(path + ": "), qPrintable(reason));
            QVERIFY2(reason.contains(keyword, Qt::CaseInsensitive), qPrintable(QString::fromStdString(name) + " -> " + reason));
            qInfo("%s", qPrintable(reason));
        }
        QVERIFY2(hits == 1, qPrintable(QString::fromStdString(name) + ": " + QString::number(hits) + " errors"));
    }

    // Bounded memory: a decoder that believed huge.png's header would need 900 MB to 2.7 GB;
    // reading scan.bmp before looking at its header, 1.2 GB; the panoramas held twice (decoded
    // BGR, then converted to RGB), 1.2 GB; the two stray-byte JPEGs decoded at once, 5.3 GB.
    QVERIFY2(peak_kib > 10 * 1024, "getrusage(RUSAGE_CHILDREN) did not see the indexing process");
    QVERIFY2(peak_kib < 1024 * 1024 * rv_test::kRssSlack, qPrintable(QString("peak RSS %1 MiB").arg(peak_kib / 1024)));
    qInfo("peak resident memory of the indexing process: %ld MiB", peak_kib / 1024);

    // The catalog agrees with the summary.
    auto st = cli({"status", "--library", lib, "--json"});
    QCOMPARE(st.code, 0);
    auto s = last_json(st);
    QCOMPARE(s["files"].toInt(), good + nbad);
    QCOMPARE(s["indexed"].toInt(), good);
    QCOMPARE(s["errors"].toInt(), nbad);
    QCOMPARE(s["pending"].toInt(), 0);
    QCOMPARE(s["index"].toObject()["vectors"].toInt(), good);

    // Nothing changed: nothing embedded, nothing retried, the same errors kept.
    auto again = cli({"index", "--library", lib, "--json"});
    QVERIFY2(again.finished, "the second run did not finish in time");
    QVERIFY2(again.code == 0 || again.code == 1, again.err.constData());
    auto second = last_json(again);
    QCOMPARE(second["found"].toInt(), good + nbad);
    QCOMPARE(second["embedded"].toInt(), 0);
    QCOMPARE(second["unchanged"].toInt(), good);
    QCOMPARE(second["removed"].toInt(), 0);
    QCOMPARE(second["errors"].toArray(), errors);
    s = last_json(cli({"status", "--library", lib, "--json"}));
    QCOMPARE(s["indexed"].toInt(), good);
    QCOMPARE(s["errors"].toInt(), nbad);
}

void TestReliability::file_vanishes_before_it_is_decoded() {
    QTemporaryDir tmp;
    const fs::path root = fs::path(tmp.path().toStdString()) / "photos";
    fs::create_directories(root);
    const auto photos = real_photos(".jpg");
    constexpr int kKept = 10;
    for (int i = 0; i < kKept; ++i) fs::copy_file(photos[i], root / (std::to_string(10 + i) + ".jpg"));
    // Sorts last, so it is decoded last; with one worker, files are decoded at most two ahead of
    // the one being stored, so it is still waiting when the first file is stored.
    const fs::path vanishing = root / "z_vanishes.jpg";
    fs::copy_file(photos[kKept], vanishing);

    auto lib = rv::Library::open(tmp.filePath("library").toStdString());
    QVERIFY2(lib.ok(), lib.ok() ? "" : lib.error().message.c_str());
    rv::IndexJobParams params;
    params.roots = {root};
    params.threads = 1;
    std::atomic<bool> cancel{false};
    bool deleted = false, stored_before_delete = false;
    auto r = (*lib)->index(params, cancel, [&](const rv::IndexProgress& p) {
        if (deleted) return;
        stored_before_delete = p.current == vanishing;
        deleted = fs::remove(vanishing);
    });
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QVERIFY(deleted);
    QVERIFY2(!stored_before_delete, "the file was embedded before it could be deleted");
    QCOMPARE(r->found, std::size_t{kKept + 1});
    QCOMPARE(r->embedded, std::size_t{kKept});
    QCOMPARE(r->failed, std::size_t{1});
    QCOMPARE(r->errors.size(), std::size_t{1});
    QCOMPARE(r->errors[0].path, vanishing.string());
    QVERIFY2(QString::fromStdString(r->errors[0].reason).contains("no such file"), r->errors[0].reason.c_str());

    // The next run sees it gone: removed from the catalog, no error left.
    r = (*lib)->index({}, cancel);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(r->removed, std::size_t{1});
    QCOMPARE(r->embedded, std::size_t{0});
    QVERIFY(r->errors.empty());
    auto status = (*lib)->status();
    QVERIFY(status.ok());
    QCOMPARE(status->counts.indexed, std::int64_t{kKept});
    QCOMPARE(status->counts.errors, std::int64_t{0});
}

QTEST_GUILESS_MAIN(TestReliability)
#include "test_reliability.moc"

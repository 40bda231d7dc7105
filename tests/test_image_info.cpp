// read_image_info(): the EXIF fields of real JPEG, PNG, WebP and TIFF files written here with a
// known EXIF block, a real camera file from Debian's wallpapers, and damaged blocks (offsets past
// the end, an IFD loop, a count that overflows, truncation) that must give empty fields and a
// problem, never a crash.
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <vector>
#include <zlib.h>

#include <opencv2/imgcodecs.hpp>

#include "ruvision/engine/ImageInfo.h"

namespace {

using Bytes = std::vector<std::uint8_t>;

// One IFD entry to write: the value bytes are in the block's byte order already.
struct Field {
    std::uint16_t tag, type;
    std::uint32_t count;
    Bytes value;
    bool exif_pointer = false;   // value is filled with the Exif IFD's offset
    std::uint32_t raw_offset = 0;  // nonzero: write this offset instead of placing the value
};

// Writes a TIFF block "II*\0" (or "MM\0*"): IFD0 at 8 with its values after it, then the Exif IFD.
class TiffBlock {
public:
    explicit TiffBlock(bool little = true) : little_(little) {}

    Bytes u16(std::uint16_t v) const { return little_ ? Bytes{std::uint8_t(v), std::uint8_t(v >> 8)} : Bytes{std::uint8_t(v >> 8), std::uint8_t(v)}; }
    Bytes u32(std::uint32_t v) const {
        Bytes lo = u16(std::uint16_t(v & 0xFFFF)), hi = u16(std::uint16_t(v >> 16));
        Bytes out = little_ ? lo : hi;
        const Bytes& second = little_ ? hi : lo;
        out.insert(out.end(), second.begin(), second.end());
        return out;
    }
    Field ascii(std::uint16_t tag, const std::string& s) const {
        Bytes b(s.begin(), s.end());
        b.push_back(0);
        return {tag, 2, std::uint32_t(b.size()), b};
    }
    Field shortValue(std::uint16_t tag, std::uint16_t v) const { return {tag, 3, 1, u16(v)}; }
    Field rational(std::uint16_t tag, std::uint32_t num, std::uint32_t den) const {
        Bytes b = u32(num), d = u32(den);
        b.insert(b.end(), d.begin(), d.end());
        return {tag, 5, 1, b};
    }
    Field exifPointer() const { return {0x8769, 4, 1, u32(0), true}; }

    // `exif_at` overrides where IFD0 says the Exif IFD is (0: where it is written).
    Bytes build(const std::vector<Field>& ifd0, const std::vector<Field>& exifIfd, std::uint32_t exif_at = 0) const {
        Bytes out = little_ ? Bytes{'I', 'I', 42, 0} : Bytes{'M', 'M', 0, 42};
        append(out, u32(8));
        const std::uint32_t exifOffset = 8 + ifdSize(ifd0);
        writeIfd(out, ifd0, exif_at ? exif_at : exifOffset);
        if (!exifIfd.empty()) writeIfd(out, exifIfd, 0);
        return out;
    }

private:
    static void append(Bytes& out, const Bytes& b) { out.insert(out.end(), b.begin(), b.end()); }
    static std::uint32_t ifdSize(const std::vector<Field>& fields) {
        std::uint32_t size = 2 + 12 * std::uint32_t(fields.size()) + 4;
        for (const Field& f : fields)
            if (f.value.size() > 4 && !f.raw_offset) size += std::uint32_t(f.value.size());
        return size;
    }
    void writeIfd(Bytes& out, const std::vector<Field>& fields, std::uint32_t exifOffset) const {
        const std::uint32_t start = std::uint32_t(out.size());
        std::uint32_t data = start + 2 + 12 * std::uint32_t(fields.size()) + 4;
        Bytes values;
        append(out, u16(std::uint16_t(fields.size())));
        for (const Field& f : fields) {
            append(out, u16(f.tag));
            append(out, u16(f.type));
            append(out, u32(f.count));
            Bytes v = f.exif_pointer ? u32(exifOffset) : f.value;
            if (f.raw_offset) {
                append(out, u32(f.raw_offset));
            } else if (v.size() <= 4) {
                v.resize(4, 0);
                append(out, v);
            } else {
                append(out, u32(data));
                data += std::uint32_t(v.size());
                append(values, v);
            }
        }
        append(out, u32(0));  // no next IFD
        append(out, values);
    }
    bool little_;
};

std::vector<Field> cameraIfd0(const TiffBlock& t) {
    return {t.ascii(0x010F, "Canon"), t.ascii(0x0110, "Canon EOS 80D"), t.shortValue(0x0112, 6), t.exifPointer()};
}
std::vector<Field> cameraExif(const TiffBlock& t) {
    return {t.rational(0x829A, 1, 250),  t.rational(0x829D, 56, 10), t.shortValue(0x8827, 400),
            t.ascii(0x9003, "2021:07:14 18:03:55"), t.rational(0x920A, 50, 1),
            t.ascii(0xA434, "EF-S18-135mm f/3.5-5.6 IS USM")};
}

Bytes jpegBytes() {
    cv::Mat m(48, 64, CV_8UC3, cv::Scalar(30, 120, 200));
    Bytes out;
    cv::imencode(".jpg", m, out);
    return out;
}

// A real JPEG with an APP1 "Exif" segment holding `tiff`, right after SOI.
Bytes jpegWithExif(const Bytes& tiff) {
    Bytes jpeg = jpegBytes();
    Bytes app1{0xFF, 0xE1};
    const std::size_t len = 2 + 6 + tiff.size();
    app1.push_back(std::uint8_t(len >> 8));
    app1.push_back(std::uint8_t(len));
    for (char c : std::string("Exif\0\0", 6)) app1.push_back(std::uint8_t(c));
    app1.insert(app1.end(), tiff.begin(), tiff.end());
    jpeg.insert(jpeg.begin() + 2, app1.begin(), app1.end());
    return jpeg;
}

Bytes pngWithExif(const Bytes& tiff) {
    cv::Mat m(30, 40, CV_8UC3, cv::Scalar(10, 200, 90));
    Bytes png;
    cv::imencode(".png", m, png);
    Bytes chunk{std::uint8_t(tiff.size() >> 24), std::uint8_t(tiff.size() >> 16), std::uint8_t(tiff.size() >> 8),
                std::uint8_t(tiff.size()), 'e', 'X', 'I', 'f'};
    chunk.insert(chunk.end(), tiff.begin(), tiff.end());
    const uLong crc = crc32(0, chunk.data() + 4, uInt(chunk.size() - 4));
    for (int s : {24, 16, 8, 0}) chunk.push_back(std::uint8_t(crc >> s));
    png.insert(png.begin() + 8 + 25, chunk.begin(), chunk.end());  // after IHDR (8 + 4 + 13 + 4)
    return png;
}

Bytes webpWithExif(const Bytes& tiff) {
    cv::Mat m(30, 40, CV_8UC3, cv::Scalar(10, 200, 90));
    Bytes webp;
    cv::imencode(".webp", m, webp);
    const std::uint32_t len = std::uint32_t(tiff.size());
    Bytes chunk{'E', 'X', 'I', 'F', std::uint8_t(len), std::uint8_t(len >> 8), std::uint8_t(len >> 16), std::uint8_t(len >> 24)};
    chunk.insert(chunk.end(), tiff.begin(), tiff.end());
    if (len & 1) chunk.push_back(0);
    webp.insert(webp.end(), chunk.begin(), chunk.end());
    const std::uint32_t riff = std::uint32_t(webp.size() - 8);
    for (int i = 0; i < 4; ++i) webp[4 + i] = std::uint8_t(riff >> (8 * i));
    return webp;
}

void expectCamera(const rv::ImageInfo& info) {
    QVERIFY2(info.exif_problem.empty(), info.exif_problem.c_str());
    QVERIFY(info.has_exif);
    QCOMPARE(info.exif.make, std::string("Canon"));
    QCOMPARE(info.exif.model, std::string("Canon EOS 80D"));
    QCOMPARE(info.exif.lens, std::string("EF-S18-135mm f/3.5-5.6 IS USM"));
    QCOMPARE(info.exif.date_original, std::string("2021:07:14 18:03:55"));
    QCOMPARE(info.exif.orientation, 6);
    QCOMPARE(info.exif.exposure_time, 1.0 / 250);
    QCOMPARE(info.exif.f_number, 5.6);
    QCOMPARE(info.exif.iso, 400);
    QCOMPARE(info.exif.focal_length, 50.0);
}

rv::ImageInfo infoOf(const Bytes& b) { return rv::read_image_info(b.data(), b.size()); }

}  // namespace

class TestImageInfo : public QObject {
    Q_OBJECT
private slots:
    void jpegFileWithKnownExif() {
        QTemporaryDir dir;
        const TiffBlock t;
        const Bytes jpeg = jpegWithExif(t.build(cameraIfd0(t), cameraExif(t)));
        const std::string path = dir.filePath("camera.jpg").toStdString();
        std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(jpeg.data()), std::streamsize(jpeg.size()));
        auto info = rv::read_image_info(path);
        QVERIFY2(info.ok(), info.error().message.c_str());
        expectCamera(*info);
        QCOMPARE(info->format, std::string("JPEG"));
        QCOMPARE(info->width, 64);
        QCOMPARE(info->height, 48);
        QCOMPARE(info->file_size, std::uint64_t(jpeg.size()));
        struct stat st {};
        QCOMPARE(::stat(path.c_str(), &st), 0);
        QCOMPARE(info->modified_unix, std::int64_t(st.st_mtime));
    }

    void bigEndianBlock() {
        const TiffBlock t(false);
        expectCamera(infoOf(jpegWithExif(t.build(cameraIfd0(t), cameraExif(t)))));
    }

    void pngWebpAndTiffContainers() {
        const TiffBlock t;
        const Bytes block = t.build(cameraIfd0(t), cameraExif(t));
        const rv::ImageInfo png = infoOf(pngWithExif(block));
        QCOMPARE(png.format, std::string("PNG"));
        QCOMPARE(png.width, 40);
        expectCamera(png);
        const rv::ImageInfo webp = infoOf(webpWithExif(block));
        QCOMPARE(webp.format, std::string("WebP"));
        expectCamera(webp);
        // A TIFF file is its own EXIF block: OpenCV's TIFF with a Make tag is not at hand, so the
        // block itself (a valid, if pixel-less, TIFF structure) stands for it.
        const rv::ImageInfo tiff = infoOf(block);
        QCOMPARE(tiff.format, std::string("TIFF"));
        expectCamera(tiff);
    }

    void noExifGivesEmptyFieldsAndNoProblem() {
        const rv::ImageInfo info = infoOf(jpegBytes());
        QCOMPARE(info.format, std::string("JPEG"));
        QVERIFY(!info.has_exif);
        QVERIFY(info.exif.empty());
        QVERIFY(info.exif_problem.empty());
    }

    void realCameraFile() {
        // An Olympus E-M1 photo in Plasma's wallpapers (plasma-workspace-wallpapers).
        const std::string path = "/usr/share/wallpapers/DarkestHour/contents/screenshot.jpg";
        if (!std::filesystem::exists(path)) QSKIP("plasma-workspace-wallpapers is not installed");
        auto info = rv::read_image_info(path);
        QVERIFY2(info.ok(), info.error().message.c_str());
        QVERIFY(info->has_exif);
        QCOMPARE(info->exif.make, std::string("OLYMPUS IMAGING CORP."));
        QCOMPARE(info->exif.model, std::string("E-M1"));
        QVERIFY(info->width > 0 && info->height > 0);
    }

    void valuePastTheEnd() {
        TiffBlock t;
        std::vector<Field> ifd0 = cameraIfd0(t);
        ifd0[0].raw_offset = 0xFFFF0000u;  // Make points far outside the block
        const rv::ImageInfo info = infoOf(jpegWithExif(t.build(ifd0, cameraExif(t))));
        QVERIFY(info.has_exif);
        QVERIFY(info.exif.make.empty());
        QVERIFY2(info.exif_problem.find("past the end") != std::string::npos, info.exif_problem.c_str());
        QCOMPARE(info.exif.model, std::string("Canon EOS 80D"));  // the rest is still read
        QCOMPARE(info.exif.iso, 400);
    }

    void ifdLoop() {
        TiffBlock t;
        // The Exif pointer names IFD0 itself.
        const rv::ImageInfo info = infoOf(jpegWithExif(t.build(cameraIfd0(t), cameraExif(t), 8)));
        QVERIFY2(info.exif_problem.find("loop") != std::string::npos, info.exif_problem.c_str());
        QCOMPARE(info.exif.make, std::string("Canon"));
        QCOMPARE(info.exif.iso, 0);
    }

    void countOverflow() {
        TiffBlock t;
        std::vector<Field> exif = cameraExif(t);
        exif[0].count = 0xFFFFFFFFu;  // 4 G rationals: 32 GB, wraps a 32-bit size
        exif[0].raw_offset = 16;
        exif[5].count = 0x80000000u;  // LensModel of 2 GB
        exif[5].raw_offset = 16;
        const rv::ImageInfo info = infoOf(jpegWithExif(t.build(cameraIfd0(t), exif)));
        QVERIFY2(info.exif_problem.find("past the end") != std::string::npos, info.exif_problem.c_str());
        QCOMPARE(info.exif.exposure_time, 0.0);
        QVERIFY(info.exif.lens.empty());
        QCOMPARE(info.exif.iso, 400);
    }

    void ifdPastTheEndAndTruncation() {
        TiffBlock t;
        // IFD0's offset past the block.
        Bytes block = t.build(cameraIfd0(t), cameraExif(t));
        block[4] = 0xF0, block[5] = 0xFF;
        rv::ImageInfo info = infoOf(jpegWithExif(block));
        QVERIFY2(info.exif_problem.find("past the end") != std::string::npos, info.exif_problem.c_str());
        QVERIFY(info.exif.empty());
        // A file cut inside the EXIF segment.
        Bytes cut = jpegWithExif(t.build(cameraIfd0(t), cameraExif(t)));
        cut.resize(60);
        info = infoOf(cut);
        QVERIFY(info.has_exif);
        QVERIFY2(!info.exif_problem.empty(), "a truncated EXIF segment is reported");
        // Not a TIFF header inside the Exif segment.
        Bytes junk = block;
        junk[0] = 'X';
        info = infoOf(jpegWithExif(junk));
        QVERIFY(info.exif.empty());
        QVERIFY(!info.exif_problem.empty());
        // Every prefix of a good file is read without harm (the fuzzer does the rest).
        const Bytes good = jpegWithExif(t.build(cameraIfd0(t), cameraExif(t)));
        for (std::size_t n = 0; n <= good.size(); n += 7) (void)rv::read_image_info(good.data(), n);
    }

    void fileErrorsNameTheFile() {
        QTemporaryDir dir;
        auto missing = rv::read_image_info(dir.filePath("nope.jpg").toStdString());
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.find("nope.jpg: file not found") != std::string::npos);
        auto folder = rv::read_image_info(dir.path().toStdString());
        QVERIFY(!folder.ok());
        QVERIFY(folder.error().message.find("is a folder") != std::string::npos);
        // Not an image: file fields only.
        const std::string text = dir.filePath("notes.jpg").toStdString();
        std::ofstream(text) << "hello";
        auto info = rv::read_image_info(text);
        QVERIFY(info.ok());
        QVERIFY(info->format.empty());
        QCOMPARE(info->file_size, std::uint64_t(5));
    }
};

QTEST_GUILESS_MAIN(TestImageInfo)
#include "test_image_info.moc"

// Image files for the thumbnail tests: Debian's installed wallpapers, and files crafted byte by
// byte where Qt cannot write them (an EXIF orientation tag, a PNG header announcing a huge image).
#pragma once

#include <QBuffer>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QImageWriter>
#include <QStringList>
#include <QtEndian>

#include <algorithm>

namespace rv::ui::test {

// Regular files (no symlinks) with this suffix under the wallpaper folders, smallest first, whose
// shorter side is at least minSide px.
inline QStringList wallpapers(const QString& suffix, int minSide) {
    QList<QFileInfo> found;
    for (const QString& root : {QStringLiteral("/usr/share/backgrounds"), QStringLiteral("/usr/share/wallpapers")}) {
        QDirIterator it(root, {QStringLiteral("*.") + suffix}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QFileInfo info(it.next());
            if (!info.isSymLink()) found.push_back(info);
        }
    }
    std::sort(found.begin(), found.end(), [](const QFileInfo& a, const QFileInfo& b) { return a.size() < b.size(); });
    QStringList paths;
    for (const QFileInfo& info : found) {
        const QSize size = QImageReader(info.filePath()).size();
        if (std::min(size.width(), size.height()) >= minSide) paths << info.filePath();
    }
    return paths;
}

// The CRC-32 PNG chunks carry (ISO 3309 polynomial, reflected), bit by bit.
inline quint32 crc32(const QByteArray& bytes) {
    quint32 crc = 0xffffffffu;
    for (char c : bytes) {
        crc ^= quint8(c);
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

inline QByteArray pngChunk(const char* type, const QByteArray& data) {
    QByteArray body = QByteArray(type) + data;
    QByteArray chunk(4, '\0');
    qToBigEndian<quint32>(quint32(data.size()), chunk.data());
    chunk += body;
    QByteArray crc(4, '\0');
    qToBigEndian<quint32>(crc32(body), crc.data());
    return chunk + crc;
}

// A valid PNG header announcing width x height RGBA pixels, with a few bytes of pixel data: a
// decoder that believed it would allocate width * height * 4 bytes.
inline QByteArray hugePngHeader(quint32 width, quint32 height) {
    QByteArray ihdr(13, '\0');
    qToBigEndian<quint32>(width, ihdr.data());
    qToBigEndian<quint32>(height, ihdr.data() + 4);
    ihdr[8] = 8;  // bit depth
    ihdr[9] = 6;  // RGBA
    const QByteArray zlib = qCompress(QByteArray(64, '\0')).mid(4);  // drop Qt's length prefix
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr) + pngChunk("IDAT", zlib) +
           pngChunk("IEND", {});
}

// A JPEG of `size` (left half red, right half blue) with an EXIF APP1 segment saying
// Orientation = `orientation` (6: the stored pixels must be turned 90 degrees clockwise).
inline QByteArray jpegWithOrientation(QSize size, quint16 orientation) {
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::blue);
    for (int y = 0; y < size.height(); ++y)
        for (int x = 0; x < size.width() / 2; ++x) image.setPixel(x, y, qRgb(255, 0, 0));
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "jpeg");
    writer.setQuality(95);
    if (!writer.write(image)) return {};
    // TIFF, big-endian: header, one IFD with one SHORT entry (0x0112 Orientation), no next IFD.
    QByteArray tiff("MM\0\x2a\0\0\0\x08", 8);
    tiff += QByteArray("\0\x01", 2);                               // entry count
    tiff += QByteArray("\x01\x12\0\x03\0\0\0\x01", 8);             // tag, type SHORT, count 1
    tiff += char(orientation >> 8);
    tiff += char(orientation & 0xff);
    tiff += QByteArray(2, '\0');                                   // value padding
    tiff += QByteArray(4, '\0');                                   // next IFD
    const QByteArray payload = QByteArray("Exif\0\0", 6) + tiff;
    QByteArray app1("\xff\xe1", 2);
    app1 += char((payload.size() + 2) >> 8);
    app1 += char((payload.size() + 2) & 0xff);
    app1 += payload;
    return jpeg.left(2) + app1 + jpeg.mid(2);  // right after SOI
}

inline bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

}  // namespace rv::ui::test

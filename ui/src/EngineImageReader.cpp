#include "EngineImageReader.h"

#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QObject>

#include <exception>
#include <filesystem>

#include "ruvision/engine/Image.h"
#include "ruvision/engine/ImageFormats.h"

namespace rv::ui {

namespace {

std::filesystem::path nativePath(const QString& path) { return std::filesystem::path(QFile::encodeName(path).toStdString()); }

}  // namespace

bool EngineImageReader::handles(const QString& path) {
    if (rv::has_raw_extension(nativePath(path))) return true;
    // A file Qt has a plugin for (by its name or its content) stays Qt's, also when damaged:
    // its error is then the plugin's.
    const QByteArray suffix = QFileInfo(path).suffix().toLower().toUtf8();
    if (!suffix.isEmpty() && QImageReader::supportedImageFormats().contains(suffix)) return false;
    return QImageReader::imageFormat(path).isEmpty();
}

EngineImage EngineImageReader::read(const QString& path, int maxSide) {
    EngineImage out;
    const QString name = QFileInfo(path).fileName();
    try {
        rv::DecodeOptions options;
        options.min_side = maxSide;  // a RAW's JPEG preview may be decoded reduced (1/2 to 1/8)
        const std::string native = nativePath(path).string();
        auto decoded = rv::decode_image(native, options);
        if (!decoded.ok()) {
            // The engine names the file by its whole path; the views name it by its name.
            std::string why = decoded.error().message;
            if (why.rfind(native + ": ", 0) == 0) why.erase(0, native.size() + 2);
            out.reason = QString::fromStdString(why);
            out.error = name + QStringLiteral(": ") + out.reason;
            return out;
        }
        const rv::RgbImage& rgb = decoded->image;
        QImage image(rgb.width, rgb.height, QImage::Format_RGB32);
        if (image.isNull()) {
            out.reason = QObject::tr("not enough memory");
            out.error = name + QStringLiteral(": ") + out.reason;
            return out;
        }
        for (int y = 0; y < rgb.height; ++y) {
            const std::uint8_t* s = rgb.data.data() + static_cast<std::size_t>(y) * rgb.width * 3;
            auto* d = reinterpret_cast<QRgb*>(image.scanLine(y));
            for (int x = 0; x < rgb.width; ++x, s += 3) d[x] = qRgb(s[0], s[1], s[2]);
        }
        if (maxSide > 0 && std::max(image.width(), image.height()) > maxSide)
            image = image.scaled(maxSide, maxSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        // Stored size -> as displayed: turned when the decoded picture's aspect is the other way.
        out.original = QSize(decoded->original_width, decoded->original_height);
        if ((rgb.width > rgb.height) != (out.original.width() > out.original.height()) && rgb.width != rgb.height)
            out.original.transpose();
        out.image = std::move(image);
    } catch (const std::exception& e) {
        out.reason = QString::fromLocal8Bit(e.what());
        out.error = name + QStringLiteral(": ") + out.reason;
    }
    return out;
}

}  // namespace rv::ui

// Pictures Qt has no reader for (HEIC/HEIF, AVIF, camera RAW), decoded by the engine exactly as
// it decodes them for indexing, for the thumbnails and the preview.
#pragma once

#include <QImage>
#include <QSize>
#include <QString>

namespace rv::ui {

struct EngineImage {
    QImage image;    // Format_RGB32, orientation applied, transparency over the engine's grey
    QSize original;  // the source's size as displayed (after orientation)
    QString error;   // "<file name>: <reason>"; empty on success
    QString reason;  // the same without the file name
};

namespace EngineImageReader {

// Whether `path` is to be read by the engine instead of QImageReader: a camera RAW by its
// extension (Qt's TIFF reader would show the first IFD of a NEF or DNG: the sensor data or a tiny
// thumbnail, not the picture), or a file no Qt image plugin claims by its name or its content
// (HEIC, AVIF, and the formats nobody reads, whose error then says "PSD is not supported").
// Reads the file's first bytes.
// Thread: any.
bool handles(const QString& path);

// Decodes `path` through rv::decode_image and scales it to at most `maxSide` pixels on the longer
// side (0: full size). The engine refuses pictures of more than its pixel limit (100 MP) before
// decoding. Thread: any (touches no GUI object); never throws.
EngineImage read(const QString& path, int maxSide);

}  // namespace EngineImageReader

}  // namespace rv::ui

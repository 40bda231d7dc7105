// Transparent pixels in the window are drawn over the same neutral grey the engine composites
// them over for the network (rv::kTransparencyBackdrop): the picture shown is the picture that
// was embedded, never a blank white or black page.
#pragma once

#include <QColor>
#include <QImage>
#include <QPainter>

#include "ruvision/engine/Image.h"

namespace rv::ui {

// `image` composited over the backdrop, as Format_RGB32 (what the raster engine draws without
// converting); an image without alpha is only converted. Safe on any thread.
inline QImage overTransparencyBackdrop(const QImage& image) {
    if (!image.hasAlphaChannel()) return image.convertToFormat(QImage::Format_RGB32);
    QImage source = image;
    source.setDevicePixelRatio(1.0);
    QImage out(source.size(), QImage::Format_RGB32);
    const int grey = rv::kTransparencyBackdrop;
    out.fill(QColor(grey, grey, grey));
    {
        QPainter painter(&out);
        painter.drawImage(0, 0, source);
    }
    out.setDevicePixelRatio(image.devicePixelRatio());
    return out;
}

}  // namespace rv::ui

// The name a person reads for an image file. Most files are named by their owner ("Dune.jpg",
// "IMG_1234.JPG"), and that name is kept. Some names say nothing about the picture: Plasma ships
// every wallpaper as "2560x1600.jpg", "1080x1920.png" and "screenshot.jpg" in a folder named after
// it (/usr/share/wallpapers/Kite/contents/images/2560x1600.jpg). For such a generic name the
// nearest meaningful folder comes first: "Kite · 2560x1600.jpg".
//
// Generic: only digits, sizes and separators ("2560x1600", "001", "1080x1920@2x"), or a word
// that names no picture ("screenshot", "image", "picture", "wallpaper", "untitled", ...) with at
// most such a number. Camera names (IMG_1234, DSC_0001, PXL_20240101_...) are the person's own
// names: never generic. Folders skipped on the way up: the same generic names plus "contents",
// "images", "images_dark" (its variant is kept: "Kay (dark) · 5120x2880.png"), "screenshots",
// at most three levels; with no meaningful folder the file name stays alone.
//
// Pure: works on the path text only (no disk access), any thread; independent of any view.
#pragma once

#include <QString>

namespace rv::ui {

// `path`: absolute (or relative) file path, '/'-separated. Returns "" for "".
QString displayName(const QString& path);

// Whether a file's base name (no extension) says nothing about the picture.
bool isGenericFileName(const QString& baseName);

}  // namespace rv::ui

// What the LibraryService's files share (LibraryService.cpp and the ServiceMarks, ServiceLearning
// and ServicePairs parts of the class): conversions between the engine's paths and texts and Qt's,
// and the channels of the two pools' hand-offs (TsanHandOff.h), defined in LibraryService.cpp, so
// that every task on a pool is ordered with the service's waits. Pure functions, any thread.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

#include <filesystem>
#include <string>

namespace rv::ui {

extern char writerChannel, readerChannel;

// A path as the engine has it (raw bytes) for Qt, and back.
inline QString qpath(const std::string& bytes) { return QFile::decodeName(QByteArray::fromStdString(bytes)); }
inline std::filesystem::path fspath(const QString& path) { return QFile::encodeName(path).toStdString(); }
// An engine message (UTF-8) for Qt.
inline QString qtext(const std::string& s) { return QString::fromStdString(s); }

}  // namespace rv::ui

// Plain data the Learning tab gets from LibraryService about self-supervised tuning
// (ui/src/learning/ServiceTuning.cpp; rv::tune in ruvision/engine/Tuning.h), in Qt types, safe to
// hand from the writer pool to the GUI thread by value.
#pragma once

#include <QMetaType>
#include <QString>

namespace rv::ui {

// The end of a tune run by the service.
struct TuneOutcome {
    bool automatic = false;  // started after indexing, not by the person
    bool ok = false;         // false: error (see error) or cancelled
    bool cancelled = false;
    QString error;           // e.g. "too small to tune: ..."
    qint64 version = 0;      // the stored version
    bool activated = false;
    QString reason;          // the guard's words
    qint64 images = 0, views = 0, heldOutImages = 0, marks = 0;
    double before = 0.5, after = 0.5;  // pair AUC on the held-out images' views: active then / this one
    double seconds = 0;
};

}  // namespace rv::ui

Q_DECLARE_METATYPE(rv::ui::TuneOutcome)

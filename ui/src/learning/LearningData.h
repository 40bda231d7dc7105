// Plain data the learning panel gets from LibraryService (ui/src/learning/ServiceLearning.cpp):
// copies of the engine's marks, adapter versions and learn results, in Qt types, safe to hand
// from the service's pools to the GUI thread by value.
#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

namespace rv::ui {

// One mark (rv::Mark): a person's verdict on two library files.
struct MarkRow {
    QString a, b;          // absolute paths as the catalog has them
    bool alike = true;     // false: different
    bool same = false;     // the verdict "same picture" (alike too)
    QString source;        // "search", "duplicates", "pairs", "import"
    qint64 time = 0;       // Unix ms
};

// One stored adapter version (rv::AdapterVersion).
struct VersionRow {
    qint64 version = 0;
    bool active = false;
    bool activated = false;  // the guard let it become active when it was made
    QString reason, source;  // source: "learn" | "import"
    qint64 marks = 0, heldOut = 0;
    double before = -1, after = -1;  // held-out pair AUC of the version active then / this one; -1: none
    qint64 created = 0;              // Unix ms
};

// The end of a learn or an activation run by the service.
struct LearnOutcome {
    enum Kind { Learn, Activate };
    Kind kind = Learn;
    bool automatic = false;  // started by background learning, not by the person
    bool ok = false;         // false: error (see error) or cancelled
    bool cancelled = false;
    QString error;
    qint64 version = 0;      // learn: the stored version; activate: the version asked for (0: none)
    bool activated = false;  // learn: the guard made it active
    QString reason;          // learn: the guard's words
    qint64 marks = 0, heldOut = 0;
    double before = 0.5, after = 0.5;
    double seconds = 0;
};

// What an import of marks did: how many stored, and each line it could not place.
struct MarkImportReport {
    QString file;
    qint64 imported = 0;
    QStringList problems;  // "line 3: /x/a.jpg is not a file of the library"
    QString error;         // the file could not be read, or the catalog failed: nothing stored
};

}  // namespace rv::ui

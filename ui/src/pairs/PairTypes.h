// What the pair view and LibraryService exchange about uncertain pairs (rv::uncertain_pairs,
// PairQueue.h), in Qt terms.
#pragma once

#include <QPair>
#include <QString>
#include <QVector>

namespace rv::ui {

// One pair to judge.
struct PairItem {
    QString a, b;  // paths
    qint64 aId = 0, bId = 0;  // catalog file ids (a < b)
    float score = 0;           // its duplicate score
    float threshold = 0;       // the calibrated duplicate threshold it was compared with
    QString why;               // for a person: "near the duplicate threshold", ...
    bool operator==(const PairItem& o) const { return aId == o.aId && bId == o.bId; }
};

// The duplicate threshold and where it comes from (rv::DuplicateThresholdState).
struct PairThreshold {
    float threshold = 0, defaultThreshold = 0;
    int verdicts = 0;          // verdicts it was calibrated from
    bool calibrated = false;
    bool adapterActive = false;  // the duplicates view then uses the default in the adapted space
    bool valid = false;          // false: not known yet
};

}  // namespace rv::ui

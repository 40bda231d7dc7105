// The pair view's pictures: decoded off the GUI thread (as the preview decodes them, capped at
// kMaxSide on the longer side), cached by path so the next pair's pictures, prefetched while the
// person looks at this one, show at once; and the pane that shows one with its name and sizes.
#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QWidget>

class QLabel;

namespace rv::ui {

struct PairPicture {
    QImage image;        // at most kMaxSide px on the longer side; null on failure
    QSize original;      // the file's size in pixels, orientation applied
    qint64 bytes = -1;   // the file's size; -1 when unknown
    QString error;       // the reason it could not be shown; empty on success
};

// GUI thread only; the decodes run on QtConcurrent's global pool.
class PairPictureCache {
public:
    static constexpr int kMaxSide = 2048;
    // The picture's decode, started now unless already cached (finished or running).
    QFuture<PairPicture> get(const QString& path);
    // Drops the other paths' decodes (a running one finishes unused).
    void keepOnly(const QStringList& paths);
    // Any thread: reads and decodes `path`; never throws.
    static PairPicture decode(const QString& path);

private:
    QHash<QString, QFuture<PairPicture>> futures_;
};

// One side of the pair: the picture fitted into the pane, its file name and sizes below.
class PairPane : public QWidget {
    Q_OBJECT
public:
    explicit PairPane(QWidget* parent = nullptr);
    // Shows "Loading…" until the picture's decode (from `cache`) finishes; an empty path clears.
    void showPicture(const QString& path, PairPictureCache& cache);
    QString path() const { return path_; }
    bool isLoading() const { return loading_; }
    QString caption() const;  // the text under the picture

signals:
    void loaded(bool ok);

private:
    void shown(const PairPicture& p);

    class Area;
    Area* area_ = nullptr;
    QLabel* name_ = nullptr;
    QLabel* sizes_ = nullptr;
    QString path_;
    bool loading_ = false;
    QFutureWatcher<PairPicture>* watcher_ = nullptr;  // of the newest show(); replaced on the next
};

}  // namespace rv::ui

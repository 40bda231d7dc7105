#include "ImageGridModel.h"

#include <QCollator>
#include <QDirIterator>
#include <QFile>
#include <QPixmap>
#include <QThreadPool>
#include <QtConcurrent>

#include <algorithm>

#include "DisplayName.h"
#include "ruvision/engine/Scanner.h"

namespace rv::ui {

ImageGridModel::ImageGridModel(ThumbnailSource* thumbnails, QObject* parent)
    : QAbstractListModel(parent), thumbnails_(thumbnails) {
    if (thumbnails)
        connect(thumbnails, &ThumbnailSource::thumbnailReady, this, &ImageGridModel::onThumbnailReady);
}

void ImageGridModel::setFolderFiles(const QStringList& absPaths) {
    QVector<Item> items;
    items.reserve(absPaths.size());
    for (const QString& path : absPaths) items.push_back(Item{path, 0.0f, 0, false, false, false, {}});
    replaceItems(std::move(items));
}

void ImageGridModel::setResults(const QVector<Result>& ranked) {
    QVector<Item> items;
    items.reserve(ranked.size());
    for (qsizetype i = 0; i < ranked.size(); ++i)
        items.push_back(
            Item{ranked[i].path, ranked[i].score, int(i + 1), true, false, false, ranked[i].copies, ranked[i].word});
    replaceItems(std::move(items));
}

void ImageGridModel::clear() { replaceItems({}); }

int ImageGridModel::resultRowOf(int row) const {
    if (row < 0 || row >= items_.size()) return -1;
    while (row > 0 && items_[row].isCopy) --row;
    return row;
}

bool ImageGridModel::toggleCopies(int row) {
    row = resultRowOf(row);
    if (row < 0 || items_[row].copies.isEmpty()) return false;
    Item& head = items_[row];
    const int n = int(head.copies.size());
    if (head.copiesShown) {
        beginRemoveRows({}, row + 1, row + n);
        head.copiesShown = false;
        items_.remove(row + 1, n);
        reindex();
        endRemoveRows();
    } else {
        QVector<Item> shown;
        for (const Copy& c : head.copies) shown.push_back(Item{c.path, c.score, head.rank, true, true, false, {c}});
        beginInsertRows({}, row + 1, row + n);
        items_.insert(row + 1, n, Item{});
        std::move(shown.begin(), shown.end(), items_.begin() + row + 1);
        items_[row].copiesShown = true;
        reindex();
        endInsertRows();
    }
    const QModelIndex changed = index(row);
    emit dataChanged(changed, changed, {CopiesShownRole, Qt::ToolTipRole});
    return true;
}

void ImageGridModel::replaceItems(QVector<Item> items) {
    beginResetModel();
    items_ = std::move(items);
    reindex();
    endResetModel();
}

void ImageGridModel::reindex() {
    rowOfPath_.clear();
    rowOfPath_.reserve(items_.size());
    // Backwards, as insert() replaces: the first row of a duplicated path wins.
    for (int row = int(items_.size()) - 1; row >= 0; --row) rowOfPath_.insert(items_[row].path, row);
}

void ImageGridModel::setThumbnailSide(int side) {
    if (side <= 0 || side == side_) return;
    side_ = side;
    if (!items_.isEmpty())
        emit dataChanged(index(0), index(int(items_.size()) - 1), {Qt::DecorationRole});
}

QString ImageGridModel::pathAt(int row) const {
    return row >= 0 && row < items_.size() ? items_[row].path : QString();
}

QVector<ImageGridModel::Copy> ImageGridModel::copiesAt(int row) const {
    return row >= 0 && row < items_.size() && !items_[row].isCopy ? items_[row].copies : QVector<Copy>();
}

QString scoreWordText(const QString& w) {
    if (w == QLatin1String("same picture")) return ImageGridModel::tr("same picture");
    if (w == QLatin1String("very similar")) return ImageGridModel::tr("very similar");
    if (w == QLatin1String("related")) return ImageGridModel::tr("related");
    return w;
}

int ImageGridModel::rowOf(const QString& path) const { return rowOfPath_.value(path, -1); }

int ImageGridModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(items_.size());
}

QVariant ImageGridModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= items_.size()) return {};
    const Item& item = items_[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return displayName(item.path);
    case Qt::ToolTipRole: {
        QString tip = item.path;
        if (item.isCopy)
            tip += tr("\nA copy of #%1: %2").arg(item.rank).arg(item.copies.value(0).why);
        else if (item.rank > 0)
            tip += tr("\nRank #%1").arg(item.rank);
        if (item.hasScore)
            tip += item.word.isEmpty() ? tr("\nScore %1").arg(double(item.score), 0, 'f', 3)
                                       : tr("\nScore %1: %2").arg(double(item.score), 0, 'f', 3).arg(scoreWordText(item.word));
        if (!item.isCopy && !item.copies.isEmpty())
            tip += item.copiesShown ? tr("\nIts copies are shown after it (click the badge or press Space to hide them)")
                                    : tr("\n%n more file(s) are copies of this picture", nullptr, int(item.copies.size())) +
                                          tr(" (click the badge or press Space to show)");
        if (const int mark = item.rank > 0 && !item.isCopy ? marks_.value(item.path, 0) : 0; mark != 0)
            tip += mark == 1 ? tr("\nMarked alike to the query") : tr("\nMarked different from the query");
        if (thumbnails_ && thumbnails_->failed(item.path)) tip += tr("\nNo thumbnail: cannot read this file");
        return tip;
    }
    case Qt::DecorationRole: {
        if (!thumbnails_) return {};
        const QPixmap pixmap = thumbnails_->thumbnail(item.path, side_);
        return pixmap.isNull() ? QVariant() : QVariant(pixmap);
    }
    case PathRole:
        return item.path;
    case ScoreRole:
        return item.hasScore ? QVariant(item.score) : QVariant();
    case WordRole:
        return item.hasScore && !item.isCopy && !item.word.isEmpty() ? QVariant(item.word) : QVariant();
    case RankRole:
        return item.rank > 0 && !item.isCopy ? QVariant(item.rank) : QVariant();
    case CopiesRole:
        return item.isCopy ? 0 : int(item.copies.size());
    case CopiesShownRole:
        return item.copiesShown;
    case CopyOfRole:
        return item.isCopy ? QVariant(item.rank) : QVariant();
    case ThumbnailFailedRole:
        return thumbnails_ && thumbnails_->failed(item.path);
    case MarkRole:
        return item.rank > 0 && !item.isCopy ? QVariant(marks_.value(item.path, 0)) : QVariant();
    case MarkableRole:
        if (marking_ == Marking::Off || item.rank == 0 || item.isCopy) return {};
        return marking_ == Marking::On;
    case MoveRole: {
        const auto it = moves_.constFind(item.path);
        return it != moves_.constEnd() && item.rank > 0 && !item.isCopy ? QVariant(*it) : QVariant();
    }
    default:
        return {};
    }
}

QHash<int, QByteArray> ImageGridModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(PathRole, "path");
    names.insert(ScoreRole, "score");
    names.insert(RankRole, "rank");
    names.insert(ThumbnailFailedRole, "thumbnailFailed");
    names.insert(CopiesRole, "copies");
    names.insert(CopiesShownRole, "copiesShown");
    names.insert(CopyOfRole, "copyOf");
    return names;
}

void ImageGridModel::setMarking(Marking marking, const QString& reason) {
    marking_ = marking;
    markingReason_ = reason;
    marksChanged();
}

void ImageGridModel::setMarks(const QHash<QString, int>& marks) {
    marks_ = marks;
    marksChanged();
}

void ImageGridModel::setMark(const QString& path, int state) {
    if (state == 0) marks_.remove(path);
    else marks_.insert(path, state);
    if (const int row = rowOf(path); row >= 0) emit dataChanged(index(row), index(row), {MarkRole, Qt::ToolTipRole});
}

void ImageGridModel::setMoves(const QHash<QString, int>& moves) {
    if (moves.isEmpty() && moves_.isEmpty()) return;
    moves_ = moves;
    marksChanged();
}

void ImageGridModel::marksChanged() {
    if (!items_.isEmpty())
        emit dataChanged(index(0), index(int(items_.size()) - 1), {MarkRole, MarkableRole, MoveRole, Qt::ToolTipRole});
}

void ImageGridModel::onThumbnailReady(const QString& path) {
    const int row = rowOf(path);
    if (row < 0) return;
    const QModelIndex changed = index(row);
    emit dataChanged(changed, changed, {Qt::DecorationRole, ThumbnailFailedRole, Qt::ToolTipRole});
}

QFuture<QStringList> listImagesAsync(const QString& folder, QThreadPool* pool) {
    // Worker thread: only its own QDirIterator and QCollator.
    return QtConcurrent::run(pool ? pool : QThreadPool::globalInstance(), [folder]() -> QStringList {
        struct Entry {
            QString path;
            QCollatorSortKey key;
        };
        // Qt's collator for the C locale compares code points and ignores numeric mode: use
        // English rules then, so "IMG_2" still sorts before "IMG_10".
        const QLocale locale = QLocale().language() == QLocale::C ? QLocale(QLocale::English) : QLocale();
        QCollator collator(locale);
        collator.setNumericMode(true);
        collator.setCaseSensitivity(Qt::CaseInsensitive);
        std::vector<Entry> entries;
        // Without QDir::Hidden, dot files are skipped; QDir::Files includes symlinks to files.
        QDirIterator it(folder, QDir::Files | QDir::NoDotAndDotDot);
        while (it.hasNext()) {
            it.next();
            const QString name = it.fileName();
            if (!rv::has_image_extension(std::filesystem::path(QFile::encodeName(name).toStdString()))) continue;
            entries.push_back({it.fileInfo().absoluteFilePath(), collator.sortKey(name)});
        }
        std::sort(entries.begin(), entries.end(),
                  [](const Entry& a, const Entry& b) { return a.key.compare(b.key) < 0; });
        QStringList paths;
        paths.reserve(qsizetype(entries.size()));
        for (Entry& entry : entries) paths.push_back(std::move(entry.path));
        return paths;
    });
}

}  // namespace rv::ui

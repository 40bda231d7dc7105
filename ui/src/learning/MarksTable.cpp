#include "learning/MarksTable.h"

#include <QAbstractProxyModel>
#include <QDateTime>
#include <QFileInfo>
#include <QPainter>

#include <algorithm>

#include "ThumbnailSource.h"

namespace rv::ui {

MarksModel::MarksModel(ThumbnailSource* thumbnails, QObject* parent)
    : QAbstractTableModel(parent), thumbnails_(thumbnails) {
    if (thumbnails_) connect(thumbnails_, &ThumbnailSource::thumbnailReady, this, &MarksModel::onThumbnailReady);
}

void MarksModel::setMarks(const QVector<MarkRow>& marks) {
    beginResetModel();
    marks_ = marks;
    rowsOf_.clear();
    for (int i = 0; i < marks_.size(); ++i) {
        rowsOf_[marks_[i].a].push_back(i);
        rowsOf_[marks_[i].b].push_back(i);
    }
    endResetModel();
}

int MarksModel::alikeCount() const {
    return static_cast<int>(std::count_if(marks_.begin(), marks_.end(), [](const MarkRow& m) { return m.alike; }));
}

int MarksModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(marks_.size()); }
int MarksModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant MarksModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= marks_.size()) return {};
    const MarkRow& m = marks_[index.row()];
    switch (role) {
    case PathARole: return m.a;
    case PathBRole: return m.b;
    case AlikeRole: return m.alike;
    case Qt::ToolTipRole: return QStringLiteral("%1\n%2").arg(m.a, m.b);
    case Qt::DisplayRole:
        switch (index.column()) {
        case PairColumn: return tr("%1 · %2").arg(QFileInfo(m.a).fileName(), QFileInfo(m.b).fileName());
        case VerdictColumn: return m.same ? tr("same picture") : m.alike ? tr("alike") : tr("different");
        case SourceColumn: return sourceText(m.source);
        case TimeColumn: return QDateTime::fromMSecsSinceEpoch(m.time).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        default: return {};
        }
    default: return {};
    }
}

QString MarksModel::sourceText(const QString& source) {
    if (source == QLatin1String("search")) return tr("search");
    if (source == QLatin1String("duplicates")) return tr("duplicates");
    if (source == QLatin1String("pairs")) return tr("pairs");
    if (source == QLatin1String("import")) return tr("import");
    return source;
}

QVariant MarksModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case PairColumn: return tr("Pair");
    case VerdictColumn: return tr("Verdict");
    case SourceColumn: return tr("Source");
    case TimeColumn: return tr("Time");
    default: return {};
    }
}

void MarksModel::onThumbnailReady(const QString& path) {
    for (int row : rowsOf_.value(path)) emit dataChanged(index(row, PairColumn), index(row, PairColumn));
}

void MarksFilter::setText(const QString& text) {
    text_ = text.trimmed();
    invalidateFilter();
}

void MarksFilter::setVerdict(Verdict v) {
    verdict_ = v;
    invalidateFilter();
}

bool MarksFilter::filterAcceptsRow(int row, const QModelIndex& parent) const {
    const QModelIndex i = sourceModel()->index(row, 0, parent);
    const bool alike = i.data(MarksModel::AlikeRole).toBool();
    if ((verdict_ == Alike && !alike) || (verdict_ == Different && alike)) return false;
    if (text_.isEmpty()) return true;
    for (int role : {MarksModel::PathARole, MarksModel::PathBRole})
        if (QFileInfo(i.data(role).toString()).fileName().contains(text_, Qt::CaseInsensitive)) return true;
    return false;
}

void MarkPairDelegate::paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    QStyle* style = opt.widget ? opt.widget->style() : nullptr;
    if (style) style->drawControl(QStyle::CE_ItemViewItem, &opt, p, opt.widget);
    const auto* model = qobject_cast<const MarksModel*>(index.model());
    const QAbstractItemModel* m = index.model();
    // Through a proxy: find the MarksModel under it.
    while (!model) {
        const auto* proxy = qobject_cast<const QAbstractProxyModel*>(m);
        if (!proxy) break;
        m = proxy->sourceModel();
        model = qobject_cast<const MarksModel*>(m);
    }
    ThumbnailSource* thumbs = model ? model->thumbnails() : nullptr;
    const int side = MarksModel::kThumbSide;
    const QRect r = option.rect.adjusted(4, 4, -4, -4);
    const int gap = 22;
    const QRect left(r.left(), r.top() + (r.height() - side) / 2, side, side);
    const QRect right(left.right() + 1 + gap, left.top(), side, side);
    for (const auto& [rect, role] : {std::pair{left, int(MarksModel::PathARole)}, std::pair{right, int(MarksModel::PathBRole)}}) {
        const QString path = index.data(role).toString();
        const QPixmap pm = thumbs ? thumbs->thumbnail(path, side) : QPixmap();
        if (pm.isNull()) {
            p->fillRect(rect, option.palette.alternateBase());
            continue;
        }
        const QSizeF size = pm.deviceIndependentSize();
        const QRectF target(rect.left() + (side - size.width()) / 2, rect.top() + (side - size.height()) / 2,
                            size.width(), size.height());
        p->drawPixmap(target, pm, QRectF(pm.rect()));
    }
    const bool alike = index.data(MarksModel::AlikeRole).toBool();
    p->save();
    QFont f = p->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.3);
    p->setFont(f);
    p->setPen(alike ? QColor(0x2e, 0x8b, 0x57) : QColor(0xc0, 0x39, 0x2b));
    p->drawText(QRect(left.right() + 1, left.top(), gap, side), Qt::AlignCenter,
                alike ? QStringLiteral("=") : QStringLiteral("≠"));
    p->restore();
}

QSize MarkPairDelegate::sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const {
    return {2 * MarksModel::kThumbSide + 22 + 8, MarksModel::kThumbSide + 8};
}

}  // namespace rv::ui

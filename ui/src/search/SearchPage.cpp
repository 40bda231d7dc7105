#include "SearchPage.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QVBoxLayout>

#include "DisplayName.h"
#include "ImageGrid.h"
#include "search/QueryCard.h"

namespace rv::ui {

SearchPage::SearchPage(ThumbnailCache* thumbnails, QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 4, 0, 0);
    auto* top = new QHBoxLayout;
    top->setContentsMargins(6, 0, 6, 0);
    card_ = new QueryCard(thumbnails, this);
    top->addWidget(card_);
    auto* text = new QVBoxLayout;
    header_ = new QLabel(tr("Choose an image and press Enter, drop one here, or paste one (Ctrl+V) to see what looks like it."),
                         this);
    header_->setWordWrap(true);
    text->addWidget(header_);
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    summary_->setForegroundRole(QPalette::PlaceholderText);
    text->addWidget(summary_);
    text->addStretch(1);
    top->addLayout(text, 1);
    column->addLayout(top);
    grid_ = new ImageGrid(thumbnails, this);
    grid_->installEventFilter(this);
    column->addWidget(grid_, 1);
    connect(card_, &QueryCard::clicked, this, [this] { emit queryClicked(card_->path()); });
}

void SearchPage::setQuery(const Query& query) {
    if (query.path.isEmpty()) {
        card_->setImage(query.image, query.label);
        queryName_ = query.label;
    } else {
        card_->setFile(query.path);
        queryName_ = displayName(query.path);
    }
    header_->setText(tr("Images like <b>%1</b>").arg(queryName_.toHtmlEscaped()));
    header_->setToolTip(query.path.isEmpty() ? query.label : query.path);
    summary_->setText(tr("Searching…"));
    grid_->gridModel()->clear();
    emit queryChanged(query);
}

void SearchPage::setResults(const QVector<SearchHit>& hits) {
    QVector<ImageGridModel::Result> ranked;
    ranked.reserve(hits.size());
    int copies = 0;
    for (const SearchHit& h : hits) {
        ImageGridModel::Result r{h.path, h.score, {}, h.word};
        for (const auto& c : h.copies) r.copies.push_back({c.path, c.score, c.why});
        copies += int(r.copies.size());
        ranked.push_back(std::move(r));
    }
    grid_->gridModel()->setResults(ranked);
    grid_->scrollToTop();
    QString text = tr("%n picture(s), best first", nullptr, int(hits.size()));
    if (copies > 0)
        text += tr("; %n more file(s) are copies of them (click a \"copies\" badge or press Space to show them)", nullptr,
                   int(copies));
    summary_->setText(text);
    summary_->setToolTip(tr("Files that are the same picture (equal contents, or resized and re-encoded copies "
                            "verified on pixels) are shown once, as the largest file."));
    emit resultsShown();
}

void SearchPage::setError(const QString& error) {
    grid_->gridModel()->clear();
    summary_->setText(error);
}

void SearchPage::clear() {
    card_->clear();
    grid_->gridModel()->clear();
    summary_->clear();
    emit queryChanged({});
}

QString SearchPage::summary() const { return summary_->text(); }

bool SearchPage::isSettled() const { return card_->isHidden() || card_->isSettled(); }

bool SearchPage::eventFilter(QObject* watched, QEvent* event) {
    if (watched == grid_ && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Space && key->modifiers() == Qt::NoModifier && grid_->currentIndex().isValid()) {
            ImageGridModel* model = grid_->gridModel();
            const int row = model->resultRowOf(grid_->currentIndex().row());
            if (model->toggleCopies(row)) {
                grid_->setCurrentIndex(model->index(row));  // a hidden copy never stays current
                return true;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

}  // namespace rv::ui
